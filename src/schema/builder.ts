// The Pothos schema builder: configuration and root types only; each area of the API
// lives in its own file (lesson.ts, snapshot.ts, slugs.ts) and index.ts assembles them.
// Output fields are non-null unless marked nullable, on purpose, as the contract states.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type PrismaTypes from '../generated/pothos-types.ts';
import { getDatamodel } from '../generated/pothos-types.ts';
import type { Journal } from '../journal/index.ts';

export interface GraphQLContext {
  journal: Journal;
}

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [RelayPlugin, PrismaPlugin],
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
