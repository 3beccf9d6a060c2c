// Lists in arguments are capped: no list a caller passes (a filter's "any of" lists,
// mergePatterns' `from`, groupBy) holds more than MAX_LIST_VALUES values. One over it is
// refused with BAD_USER_INPUT, naming the argument (`filter.workItemId`) and the cap, before
// the field's resolver runs: so before the journal, and never as a wrong empty answer.
//
// Why a cap: every value is a bind parameter of one statement, and the databases have
// limits (SQLite 32,766; PostgreSQL 65,535, past which pg's 16-bit count makes the server
// refuse the statement). At 1,000 a list the largest statement stays well below both: every
// list of a LessonFilter full is 10,000 values, and the aggregate's fast path repeats its
// three lists in four parts of one statement (12,000).
//
// Why a Pothos plugin of our own: graphql-js has no hook on the coercion of input objects,
// and Pothos' own validation plugin is not a dependency. This one wraps the resolver of every
// field that takes arguments (after scope-auth's: a caller who may not call the field is told
// that first) and walks its coerced arguments along their GraphQL types.
import SchemaBuilder, {
  BasePlugin,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core';
import {
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  getNullableType,
  isInputObjectType,
  isListType,
} from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

/** The most values any list in an argument may hold. */
export const MAX_LIST_VALUES = 1000;

/** Whether a value of `type` can hold a list anywhere (`seen`: input types may nest in a cycle). */
function holdsLists(type: GraphQLInputType, seen = new Set<GraphQLInputType>()): boolean {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return true;
  if (!isInputObjectType(nullable) || seen.has(nullable)) return false;
  seen.add(nullable);
  return Object.values(nullable.getFields()).some((field) => holdsLists(field.type, seen));
}

/** What is over the cap in `value` (of `type`, at `path`), or undefined. */
function overCap(value: unknown, type: GraphQLInputType, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable) && Array.isArray(value)) {
    if (value.length > MAX_LIST_VALUES) {
      return `${path} has ${value.length} values; a list may hold at most ${MAX_LIST_VALUES}`;
    }
    const item = getNullableType(nullable.ofType);
    if (!isListType(item) && !isInputObjectType(item)) return undefined;
    for (const element of value) {
      const problem = overCap(element, item, path);
      if (problem) return problem;
    }
  }
  if (isInputObjectType(nullable) && typeof value === 'object') {
    for (const field of Object.values(nullable.getFields())) {
      const problem = overCap(
        (value as Record<string, unknown>)[field.name],
        field.type,
        `${path}.${field.name}`,
      );
      if (problem) return problem;
    }
  }
  return undefined;
}

type Resolver<Types extends SchemaTypes> = GraphQLFieldResolver<unknown, Types['Context'], object>;

export class ListCapsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: Resolver<Types>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): Resolver<Types> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    // The field's arguments that can hold a list, found on its first call (the schema's
    // types exist only then): a field without any (recordLesson's input) walks nothing.
    let checked: readonly GraphQLArgument[] | undefined;
    return (parent, args, context, info) => {
      checked ??= (info.parentType.getFields()[info.fieldName]?.args ?? []).filter((argument) =>
        holdsLists(argument.type),
      );
      for (const argument of checked) {
        const problem = overCap(
          (args as Record<string, unknown>)[argument.name],
          argument.type,
          argument.name,
        );
        if (problem) throw createGraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      return resolver(parent, args, context, info);
    };
  }
}

const name = 'listCaps';
SchemaBuilder.registerPlugin(name, ListCapsPlugin);

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      listCaps: ListCapsPlugin<Types>;
    }
  }
}

export default name;
