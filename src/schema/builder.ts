// The Pothos schema builder: configuration and root types only; each area of the API
// lives in its own file (lesson.ts, snapshot.ts, slugs.ts, aggregates.ts) and index.ts
// assembles them. Output fields are non-null unless marked nullable, on purpose, as the
// contract states. Every root field names the roles that may call it (scope-auth): a
// caller without one gets FORBIDDEN (HTTP 403), decided before the journal is called, so
// it holds with the journal off or its database down.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { createGraphQLError } from 'graphql-yoga';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Journal } from '../journal/index.ts';
import type { Caller } from '../server/auth.ts';

export interface GraphQLContext {
  journal: Journal;
  caller: Caller;
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
  plugins: [ScopeAuthPlugin, RelayPlugin, PrismaPlugin],
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

builder.queryType({});
builder.mutationType({});
