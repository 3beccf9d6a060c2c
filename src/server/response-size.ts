// The size bound of an answer (LESSONS_MAX_RESPONSE_BYTES): a query whose data, as JSON, is
// larger is refused whole with RESPONSE_TOO_LARGE (data null and one error that says so),
// never truncated, and before it is serialised: the refusal costs a walk that stops at the
// bound, not the seconds and gigabytes of turning a huge answer into text. A list of lessons
// whose rows alone are over the bound is refused the same way before they are read
// (src/journal/read.ts, src/schema/call.ts).
//
// Mutations are exempt: their effect is durable before their answer exists, so refusing the
// answer would only hide a write that happened (a client would retry it); and their answers
// are bounded anyway (a lesson echoes its input, capped by the body limit and the text cap).
import { getOperationAST } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * The UTF-8 length of `JSON.stringify(value)` for plain JSON data (an execution result),
 * or some number over `budget` as soon as the count passes it. Hand-written: nothing in
 * the dependencies measures JSON without building it; this walks it without recursion (a
 * `detail` can nest deeply) and measures each leaf as JSON.stringify writes it.
 */
export function jsonBytes(value: unknown, budget: number): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= budget) {
    const next = pending.pop();
    if (next === null || typeof next !== 'object') {
      total += Buffer.byteLength(JSON.stringify(next) ?? 'null');
    } else if (Array.isArray(next)) {
      total += 2 + Math.max(next.length - 1, 0); // brackets and commas
      for (const item of next) pending.push(item);
    } else {
      const entries = Object.entries(next);
      total += 2 + Math.max(entries.length - 1, 0); // braces and commas
      for (const [key, item] of entries) {
        total += Buffer.byteLength(JSON.stringify(key)) + 1; // "key":
        pending.push(item);
      }
    }
  }
  return total;
}

/** The one refusal of an answer over the bound, here and from a list read (src/schema/call.ts). */
export const answerTooLarge = (maxBytes: number) =>
  createGraphQLError(
    `the answer is larger than LESSONS_MAX_RESPONSE_BYTES (${maxBytes} bytes): ask for fewer items (limit, first, last) or fewer fields`,
    { extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes } },
  );

export function useResponseSizeLimit(maxBytes: number): Plugin {
  return {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation === 'mutation') return;
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || jsonBytes(result.data, maxBytes) <= maxBytes) return;
          setResult({ data: null, errors: [answerTooLarge(maxBytes)] });
        },
      };
    },
  };
}
