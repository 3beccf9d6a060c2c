// The Pothos schema builder: configuration and root types only; each area of the API
// lives in its own file (lesson.ts, snapshot.ts, slugs.ts, aggregates.ts) and index.ts
// assembles them. Output fields are non-null unless marked nullable, on purpose, as the
// contract states. Every root field names the roles that may call it (scope-auth): a
// caller without one gets FORBIDDEN (HTTP 403), decided before the journal is called, so
// it holds with the journal off or its database down. Then every list in an argument is
// held to its cap (list-caps.ts), also before the journal.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { createGraphQLError } from 'graphql-yoga';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Journal, Outcome } from '../journal/index.ts';
import type { Caller } from '../server/auth.ts';
import { PAGE_RULE } from './docs.ts';
import ListCapsPlugin from './list-caps.ts';

export interface GraphQLContext {
  journal: Journal;
  caller: Caller;
  /**
   * The request's slot for what the journal decided, by response path (src/schema/call.ts);
   * src/server/outcomes.ts makes it and copies it into extensions.lessons.
   */
  outcomes?: Map<string, Outcome>;
  /** The largest answer a query gets (LESSONS_MAX_RESPONSE_BYTES); absent: no bound. */
  maxResponseBytes?: number;
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  AuthScopes: { writer: boolean; reader: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Scope-auth first: its check wraps every other plugin's, so a caller who may not use a
  // field hears that before anything about its arguments (list-caps.ts).
  plugins: [ScopeAuthPlugin, ListCapsPlugin, RelayPlugin, PrismaPlugin],
  scopeAuth: {
    // An admin may do what a writer or a reader may.
    authScopes: ({ caller }) => ({
      writer: caller.role === 'writer' || caller.role === 'admin',
      reader: caller.role === 'reader' || caller.role === 'admin',
      admin: caller.role === 'admin',
    }),
    unauthorizedError: (_parent, { caller }, info) =>
      createGraphQLError(
        `${caller.role ?? 'this caller'} may not use ${info.parentType.name.toLowerCase()} ${info.fieldName}`,
        { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
      ),
  },
  relay: {
    // No global `node`/`nodes` fields: lessons are fetched by their integer id.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    // The descriptions of what every connection shares (the Relay cursor spec).
    pageInfoTypeOptions: { description: 'Where a page sits in its walk (Relay).' },
    edgesFieldOptions: { description: "The page's items, in the connection's order." },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: {
      description: "The item's opaque position: pass it as after (or before) to go on from it.",
    },
    pageInfoFieldOptions: { description: 'Where this page sits in the walk.' },
    hasNextPageFieldOptions: {
      description: 'Whether more items follow this page (exact when walking forward with first).',
    },
    hasPreviousPageFieldOptions: {
      description: 'Whether items precede this page (exact when walking backward with last).',
    },
    startCursorFieldOptions: {
      description:
        "The first item's cursor (before, for the previous page); null for an empty page.",
    },
    endCursorFieldOptions: {
      description: "The last item's cursor (after, for the next page); null for an empty page.",
    },
    firstArgOptions: {
      description: `Walk forward, at most this many items: ${PAGE_RULE}.`,
    },
    afterArgOptions: {
      description: 'Start after the item of this cursor; absent: from the start.',
    },
    lastArgOptions: {
      description: `Walk backward, at most this many items, the last ones before \`before\` (or of all): ${PAGE_RULE}.`,
    },
    beforeArgOptions: { description: 'End before the item of this cursor (walking backward).' },
  },
  defaultFieldNullability: false,
  prisma: {
    // Resolvers never hand the database to Pothos: every read and write goes through the
    // journal (kill-switch, never-raise). The Lesson model has no relations, so the plugin
    // has nothing to load by itself; it only plans the `select` of each query.
    client: () => {
      throw new Error('Pothos must not query the database directly; use the journal');
    },
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    onUnusedQuery: null,
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({
  description:
    'Reads. Each answers within LESSONS_OPERATION_TIMEOUT_MS; with the journal off or on a fault it answers its safe default (null, [], an empty connection, {enabled: false}), not an error. Roles come from bearer tokens (writer, reader, admin); with no token configured every caller is admin.',
});
builder.mutationType({
  description:
    'Writes. Each answers within LESSONS_OPERATION_TIMEOUT_MS; with the journal off or on a fault it answers its safe default (null or false), not an error.',
});
