// The cost of a document, refused at validation when over LESSONS_MAX_COST, before any
// resolver runs: roughly how many values its answer can hold, so that no request asks the
// server for an answer it would take seconds and gigabytes to build (15 aliases of
// `lessons(limit: 1000)`, or a page of lessons each with a page of its pattern's lessons).
//
// Written here because GraphQL Armor's cost-limit (2.4.3) multiplies only by a literal
// `first` or `last`: not by `limit`, not by a variable, not by the default page when none
// is given. The rule, per operation:
// - a scalar costs 1; a field with a selection costs OBJECT_COST plus its selection;
// - a list costs that times the items it can hold: a `limit` (lessons, lessonAggregates),
//   or a connection's `first` / `last` (for its `edges`), as the journal clamps them
//   (clampLimit: the default page when absent, LESSONS_QUERY_LIMIT_MAX at most). A variable
//   counts as the most it can be: the cost is then a property of the document alone;
//   Pattern.series counts as its most, MAX_SERIES_POINTS; other lists (slugs, snapshot
//   buckets, grouping components, a lesson's or a pattern's history: a few items each)
//   once;
// - a fragment costs what it holds wherever it is spread; introspection costs nothing (it
//   is for admins and local development only).
import {
  type FieldNode,
  GraphQLError,
  type GraphQLNamedType,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { MAX_SERIES_POINTS } from '../journal/index.ts';
import { clampLimit } from '../journal/read.ts';
import type { JournalSettings, SettingsSource } from '../settings.ts';

/**
 * What a field with a selection (an object: a lesson, an edge) costs besides its fields:
 * more than a value, so that many items of one field each (a row read, an object built,
 * for every one) still add up: 15 lists of 1000 lessons' ids cost 165,000.
 */
const OBJECT_COST = 10;

/** Lists without a page argument whose largest size the schema bounds. */
const LIST_SIZES: Record<string, number> = { 'Pattern.series': MAX_SERIES_POINTS };

const PAGE_ARGUMENTS = ['limit', 'first', 'last'];

/** The page limits in force (journal settings). */
type PageLimits = Pick<JournalSettings, 'queryLimitDefault' | 'queryLimitMax'>;

/** How many items a field's page argument allows (undefined: it has none). */
function pageItems(node: FieldNode, argNames: string[], limits: PageLimits): number | undefined {
  if (!argNames.some((name) => PAGE_ARGUMENTS.includes(name))) return undefined;
  const given = (node.arguments ?? []).filter((arg) => PAGE_ARGUMENTS.includes(arg.name.value));
  if (given.length === 0) return limits.queryLimitDefault;
  return Math.max(
    ...given.map(({ value }) =>
      value.kind === 'IntValue'
        ? clampLimit(Number(value.value), limits)
        : value.kind === 'NullValue'
          ? limits.queryLimitDefault
          : limits.queryLimitMax,
    ),
  );
}

function operationCost(
  context: ValidationContext,
  operation: OperationDefinitionNode,
  limits: PageLimits,
): number {
  const schema = context.getSchema();
  // Each fragment is counted once per (fragment, items of the page it is in), however often
  // it is spread: without this, fragments that spread others twice grow exponentially.
  const fragments = new Map<string, number>();

  const selectionCost = (
    selectionSet: SelectionSetNode,
    type: GraphQLNamedType,
    page: number | undefined,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        cost += fieldCost(selection, type, page);
      } else if (selection.kind === 'InlineFragment') {
        const on = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : type;
        if (on) cost += selectionCost(selection.selectionSet, on, page);
      } else {
        const key = `${selection.name.value}@${page}`;
        if (!fragments.has(key)) {
          fragments.set(key, 0); // a cycle (refused by NoFragmentCycles) counts 0
          const fragment = context.getFragment(selection.name.value);
          const on = fragment && schema.getType(fragment.typeCondition.name.value);
          if (fragment && on) fragments.set(key, selectionCost(fragment.selectionSet, on, page));
        }
        cost += fragments.get(key) ?? 0;
      }
    }
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, page: number | undefined) => {
    const name = node.name.value;
    if (name === '__typename') return 1;
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const field = parent.getFields()[name];
    if (!field) return 0; // introspection (__schema, __type), or unknown: refused elsewhere
    const own = pageItems(
      node,
      field.args.map((arg) => arg.name),
      limits,
    );
    const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
    const list = isListType(unwrapped);
    // A connection's page applies to its edges, the lists right under it.
    const items = list ? (own ?? page ?? LIST_SIZES[`${parent.name}.${name}`] ?? 1) : 1;
    const inner = list ? undefined : own;
    const value = node.selectionSet
      ? OBJECT_COST + selectionCost(node.selectionSet, getNamedType(field.type), inner)
      : 1;
    return value * items;
  };

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root, undefined) : 0;
}

/** The validation rule: one error per operation over `maxCost`. */
export function costRule(maxCost: number, limits: PageLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation, limits);
      if (cost <= maxCost) return;
      context.reportError(
        new GraphQLError(
          `Query cost limit of ${maxCost} exceeded: found ${cost} (a list counts as many items as its limit, first or last allows)`,
          { nodes: [operation], extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost } },
        ),
      );
    },
  });
}

/**
 * The rule with the page limits in force (the settings file may change them). Yoga caches
 * a document's validation under the names of its rules, so the rule is named after the
 * limits it counts with: a change of limits is never answered from an earlier verdict.
 */
export function useCostLimit(maxCost: number, settings: SettingsSource): Plugin {
  let current: { name: string; rule: ValidationRule } | undefined;
  return {
    onValidate({ addValidationRule }) {
      const { queryLimitDefault, queryLimitMax } = settings.current();
      const name = `lessonsCost_${maxCost}_${queryLimitDefault}_${queryLimitMax}`;
      if (current?.name !== name) {
        const rule = costRule(maxCost, { queryLimitDefault, queryLimitMax });
        current = { name, rule: Object.defineProperty(rule, 'name', { value: name }) };
      }
      addValidationRule(current.rule);
    },
  };
}
