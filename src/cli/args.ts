// Reading the operator's input for the `lessons` CLI. Every helper either returns a value
// the service will accept or throws a UsageError that names the option and what it wants
// (the CLI prints it and exits 2); nothing here talks to the service.
import type {
  LessonDimension,
  LessonsFilter,
  PatternOrder,
  PatternsFilter,
  RiceDimension,
  TimeBucket,
} from '../client/calls.ts';
import {
  DIMENSIONS,
  FIELD_NAMES,
  FILTERABLE,
  type FieldName,
  optionOf,
  spec,
} from '../journal/fields.ts';
import { SLUGS } from '../journal/slugs.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A string option's value, or undefined. */
export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** An option's values (repeated, or comma-separated), blanks dropped. */
function items(values: Values, name: string): string[] {
  const value = values[name];
  if (value === undefined || typeof value === 'boolean') return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A list option's values; undefined when it is not given, an error when it is empty. */
export function list(values: Values, name: string): string[] | undefined {
  if (values[name] === undefined) return undefined;
  const found = items(values, name);
  if (found.length === 0) throw new UsageError(`--${name} needs a value`);
  return found;
}

/** A whole number from `min` up to the largest GraphQL Int. */
export function integer(raw: string, what: string, min = 1): number {
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || value < min || value > 2 ** 31 - 1) {
    throw new UsageError(`${what} must be a whole number from ${min}, not ${JSON.stringify(raw)}`);
  }
  return value;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** An ISO-8601 date or date-time, or a duration ago (`30m`, `24h`, `7d`, `2w`), as ISO. */
function parseWhen(raw: string, what: string): string {
  const value = raw.trim();
  const ago = /^(\d+)([mhdw])$/.exec(value);
  const date = new Date(
    ago
      ? Date.now() - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]
      : /^\d{4}-\d{2}-\d{2}/.test(value)
        ? Date.parse(value)
        : Number.NaN,
  );
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `${what} must be an ISO-8601 date or time (2026-03-01, 2026-03-01T12:00:00Z) or a duration ago (30m, 24h, 7d, 2w), not ${JSON.stringify(raw)}`,
    );
  }
  return date.toISOString();
}

/** A filter's options: each of its lists (repeatable), --since, --until and --text. */
const filterOptions = (lists: readonly (readonly [option: string, field: string])[]) =>
  ({
    ...Object.fromEntries(
      lists.map(([option]) => [option, { type: 'string', multiple: true } as const]),
    ),
    since: { type: 'string' },
    until: { type: 'string' },
    text: { type: 'string' },
  }) as const;

/** The fields of a filter the options set: its lists, since, until and text. */
type Filter<F extends string> = Partial<Record<F, string[]>> & {
  since?: string;
  until?: string;
  text?: string;
};

/** A filter from its options' values (only those given). */
function filterFrom<F extends string>(
  values: Values,
  lists: readonly (readonly [option: string, field: F])[],
): Filter<F> {
  const filter: Record<string, string | string[]> = {};
  for (const [option, field] of lists) {
    const items = list(values, option);
    if (items) filter[field] = items;
  }
  const since = text(values, 'since');
  if (since !== undefined) filter.since = parseWhen(since, '--since');
  const until = text(values, 'until');
  if (until !== undefined) filter.until = parseWhen(until, '--until');
  const contains = text(values, 'text');
  if (contains !== undefined) filter.text = contains;
  return filter as Filter<F>;
}

/**
 * The filter options shared by `list`, `aggregates` and a bulk `update`, as [option,
 * LessonFilter field]: the registry's lists, and the status of a lesson's pattern.
 */
export const FILTER_LISTS = [
  ...FILTERABLE.map((field) => [optionOf(field), field] as const),
  ['pattern-status', 'patternStatus'] as const,
];
export const FILTER_OPTIONS = filterOptions(FILTER_LISTS);
export const filterOf = (values: Values): LessonsFilter => filterFrom(values, FILTER_LISTS);

/**
 * A LessonFilter from `--filter key=value` pairs (a bulk update's, whose own options set
 * fields): each key a filter option's name (`status`, `repo`, `since`, `pattern-status`),
 * a value several values comma-separated, a key repeated adding values.
 */
export function filterOfPairs(pairs: readonly string[]): LessonsFilter {
  const keys = Object.keys(FILTER_OPTIONS);
  const values: Record<string, string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, Math.max(at, 0)).trim();
    if (at < 0 || !keys.includes(key)) {
      throw new UsageError(
        `--filter takes key=value with a key of ${keys.join(', ')}; not ${JSON.stringify(pair)}`,
      );
    }
    values[key] = [...(values[key] ?? []), pair.slice(at + 1)];
  }
  const single = ['since', 'until', 'text'];
  for (const key of single) {
    if ((values[key]?.length ?? 0) > 1) throw new UsageError(`--filter ${key}= given twice`);
  }
  return filterFrom(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, single.includes(k) ? v[0] : v])),
    FILTER_LISTS,
  );
}

/** An ISO-8601 date or time (not in the future is the service's to say), as ISO. */
export function when(raw: string, what: string): string {
  return parseWhen(raw, what);
}

/**
 * The lists of `patterns`' PatternFilter, as [option, field]: a pattern's type and stage
 * (its first lesson's), its own status, and the repos of its lessons.
 */
const PATTERN_LISTS = (['lessonType', 'stage', 'status', 'repo'] as const).map(
  (field) => [optionOf(field), field] as const,
);
export const PATTERN_FILTER_OPTIONS = filterOptions(PATTERN_LISTS);
export const patternFilterOf = (values: Values): PatternsFilter =>
  filterFrom(values, PATTERN_LISTS);

/** `--order` names: the schema's PatternOrder in kebab case (all largest first). */
const ORDERS = {
  'last-seen': 'LAST_SEEN',
  'first-seen': 'FIRST_SEEN',
  occurrences: 'OCCURRENCES',
  lessons: 'LESSONS',
  'work-items': 'WORK_ITEMS',
} as const satisfies Record<string, PatternOrder>;
export const ORDER_NAMES = Object.keys(ORDERS);

export function order(raw: string): PatternOrder {
  const value = raw.trim().toLowerCase().replaceAll('_', '-');
  if (Object.hasOwn(ORDERS, value)) return ORDERS[value as keyof typeof ORDERS];
  const names = `${ORDER_NAMES.slice(0, -1).join(', ')} or ${ORDER_NAMES.at(-1)}`;
  throw new UsageError(`--order must be ${names}, not ${JSON.stringify(raw)}`);
}

/** `--group-by` names: the fields' option names, or the schema's (LESSON_TYPE, target_repo). */
const DIMENSION_OF: Record<string, LessonDimension> = Object.fromEntries(
  DIMENSIONS.flatMap((field) => {
    const dimension = spec(field).group as LessonDimension;
    return [
      [dimension.toLowerCase().replaceAll('_', '-'), dimension],
      [optionOf(field), dimension],
    ];
  }),
);
export const DIMENSION_NAMES = DIMENSIONS.map(optionOf);

/** riceInputs' dimensions by option name (target-repo), as the schema spells them. */
const RICE_OF: Record<string, RiceDimension> = {
  ...Object.fromEntries(
    (['attribution', 'targetRepo', 'targetDomain', 'lessonType', 'stage', 'repo'] as const).map(
      (field) => [optionOf(field), spec(field).group as RiceDimension],
    ),
  ),
  pattern: 'PATTERN',
};
export const RICE_NAMES = Object.keys(RICE_OF);

export function riceDimensions(raw: string): RiceDimension[] {
  return raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const dimension = RICE_OF[name.toLowerCase().replaceAll('_', '-')];
      if (!dimension) {
        throw new UsageError(
          `--group-by: unknown dimension ${JSON.stringify(name)} (one of ${RICE_NAMES.join(', ')})`,
        );
      }
      return dimension;
    });
}

export function dimensions(raw: string): LessonDimension[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return names.map((name) => {
    const dimension = DIMENSION_OF[name.toLowerCase().replaceAll('_', '-')];
    if (!dimension) {
      throw new UsageError(
        `--group-by: unknown dimension ${JSON.stringify(name)} (one of ${DIMENSION_NAMES.join(', ')})`,
      );
    }
    return dimension;
  });
}

export function bucket(raw: string): TimeBucket {
  const value = raw.trim().toUpperCase();
  if (value === 'HOUR' || value === 'DAY' || value === 'WEEK') return value;
  throw new UsageError(`--bucket must be hour, day or week, not ${JSON.stringify(raw)}`);
}

/** Canonical slugs per option: others are stored as given, so the CLI only notes them. */
const CANONICAL: Record<string, readonly string[]> = Object.fromEntries(
  FIELD_NAMES.flatMap((field) => {
    const slugs = spec(field).slugs;
    return slugs ? [[optionOf(field), SLUGS[slugs]]] : [];
  }),
);

/** What help says an option sets: its field, default and canonical slugs. */
export function valueHelp(field: FieldName): string {
  const { slugs, record } = spec(field);
  const fallback = record?.default ? ` (default ${record.default})` : '';
  return `${field}${fallback}${slugs ? `: ${SLUGS[slugs].join(', ')}` : ''}`;
}

/** A note for each value that is not a canonical slug (a typo is otherwise stored as is). */
export function slugNotes(values: Values): string[] {
  return Object.entries(CANONICAL).flatMap(([option, known]) =>
    items(values, option)
      .filter((value) => !known.includes(value))
      .map(
        (value) =>
          `note: --${option} ${JSON.stringify(value)} is not a canonical slug (${known.join(', ')}); used as given`,
      ),
  );
}
