// The GraphQL schema: every area registered on the builder, then built once. `printed()`
// is the sorted SDL checked in as schema.graphql (a test fails when the two drift).
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './advice.ts';
import './aggregates.ts';
import './analytics.ts';
import './history.ts';
import './lesson.ts';
import './patterns.ts';
import './snapshot.ts';
import './slugs.ts';

export type { GraphQLContext } from './builder.ts';

export const schema: GraphQLSchema = builder.toSchema();

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
