// What a resolver hands the journal with each operation: who calls (the write rate limit is
// per token name) and where the journal tells why it answered as it did. The outcome goes
// to the request's slot under the field's response path (`recordLesson`, or for a nested
// field `patterns.edges.0.node.series`), which src/server/outcomes.ts copies into the
// response's extensions.lessons. And the largest answer the request takes, so that a list
// of lessons over it is refused before its rows are read: `answered` turns the journal's
// `too_large` into the same RESPONSE_TOO_LARGE error a larger answer gets.
import type { GraphQLResolveInfo } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Call } from '../journal/index.ts';
import { answerTooLarge } from '../server/response-size.ts';
import type { GraphQLContext } from './builder.ts';

/** A field's place in the response: its response keys from the root, joined with dots. */
export function responsePath(path: GraphQLResolveInfo['path']): string {
  const keys: (string | number)[] = [];
  for (let at: GraphQLResolveInfo['path'] | undefined = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse().join('.');
}

/** The call of the field at `info`, or of its subfield `sub` when Pothos resolves that one
 * with the parent's info (a connection's totalCount). */
export function callOf(ctx: GraphQLContext, info: GraphQLResolveInfo, sub?: string): Call {
  const where = sub ? `${responsePath(info.path)}.${sub}` : responsePath(info.path);
  return {
    actor: ctx.caller.role ? ctx.caller.name : 'anonymous',
    author: ctx.caller.role ? ctx.caller.actor : 'anonymous',
    tell: (outcome) => ctx.outcomes?.set(where, outcome),
    maxBytes: ctx.maxResponseBytes,
  };
}

/**
 * The journal's answer, or an error where the journal refused what the caller asked in a
 * way the caller must change: a list over the answer size (RESPONSE_TOO_LARGE), input it
 * explained in words (BAD_USER_INPUT with those words and the reason: a future fixedAt, a
 * bulk update over LESSONS_BULK_MAX with its count).
 */
export async function answered<T>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  read: (call: Call) => Promise<T>,
): Promise<T> {
  const where = responsePath(info.path);
  const answer = await read(callOf(ctx, info));
  const told = ctx.outcomes?.get(where);
  if (told?.outcome !== 'rejected') return answer;
  if (told.reason === 'too_large' && ctx.maxResponseBytes) {
    ctx.outcomes?.delete(where); // the error says it
    throw answerTooLarge(ctx.maxResponseBytes);
  }
  if (told.message !== undefined) {
    ctx.outcomes?.delete(where);
    throw createGraphQLError(told.message, {
      extensions: { code: 'BAD_USER_INPUT', reason: told.reason },
    });
  }
  return answer;
}
