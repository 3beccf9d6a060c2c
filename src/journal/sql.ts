// The SQL the journal's operations share, derived from the field registry (fields.ts):
// the WHERE clause of a LessonFilter (lessons, the connection and the aggregates alike),
// the columns of a selection, the newest-first order, and a row decoded as a Lesson.
//
// Why raw SQL and not Prisma's `where`: Prisma's `contains` does not escape LIKE's `%` and
// `_`, and on SQLite it folds ASCII case only. Here `text` is a literal substring match,
// case-folded in Unicode on both backends (the dialect says how).
import type { Dialect, Row } from '../db/port.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';
import {
  columnOf,
  FIELD_NAMES,
  FIELDS,
  FILTERABLE,
  type FieldName,
  type FieldSpec,
  type FilterField,
} from './fields.ts';

/** Every list means "any of" (an empty list matches nothing); all given fields must match. */
export type LessonFilter = { [K in FilterField]?: readonly string[] | null } & {
  /** created_at >= since */
  since?: Date | null;
  /** created_at < until */
  until?: Date | null;
  /** Case-insensitive (Unicode) literal substring of rootCause or suggestion. */
  text?: string | null;
  /** The lessons of one pattern (Pattern.lessonsConnection; not a GraphQL filter). */
  patternId?: number | null;
  /** Lessons whose pattern's status is any of these. */
  patternStatus?: readonly string[] | null;
};

/** The conditions of `filter`, joined with AND; `1 = 1` when there are none. */
export function filterSql(filter: LessonFilter | null | undefined, dialect: Dialect): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  for (const field of FILTERABLE) {
    const values = filter?.[field];
    if (!values) continue;
    const column = Prisma.raw(columnOf(field));
    conditions.push(
      values.length === 0 ? Prisma.sql`1 = 0` : Prisma.sql`${column} IN (${Prisma.join(values)})`,
    );
  }
  if (filter?.patternId !== undefined && filter.patternId !== null) {
    conditions.push(Prisma.sql`pattern_id = ${filter.patternId}`);
  }
  if (filter?.patternStatus) {
    conditions.push(
      filter.patternStatus.length === 0
        ? Prisma.sql`1 = 0`
        : Prisma.sql`pattern_id IN (SELECT id FROM patterns WHERE status IN (${Prisma.join(filter.patternStatus)}))`,
    );
  }
  if (filter?.since) conditions.push(Prisma.sql`created_at >= ${filter.since}`);
  if (filter?.until) conditions.push(Prisma.sql`created_at < ${filter.until}`);
  if (filter?.text) {
    const needle = filter.text.toLowerCase();
    conditions.push(
      Prisma.sql`(${dialect.containsFolded('root_cause', needle)} OR ${dialect.containsFolded('suggestion', needle)})`,
    );
  }
  return conditions.length === 0 ? Prisma.sql`1 = 1` : Prisma.join(conditions, ' AND ');
}

/** Whether a filter needs a scan that may take long (a text search reads every row). */
export const isLong = (filter: LessonFilter | null | undefined): boolean => Boolean(filter?.text);

/** Which fields to read (the GraphQL layer passes the fields a query selected). */
export type LessonSelection = { select?: Partial<Record<keyof Lesson, unknown>> | null };

/** The column list for a selection: the selected columns (always with id), or all. */
export function columnsSql(dialect: Dialect, selection?: LessonSelection): Prisma.Sql {
  return Prisma.join(
    selectedFields(selection).map((field) => {
      const spec: FieldSpec = FIELDS[field];
      const { column, kind } = spec;
      if (kind === 'json')
        return Prisma.sql`${dialect.jsonAsText(column)} AS ${Prisma.raw(column)}`;
      return spec.read ? Prisma.raw(`${spec.read} AS ${column}`) : Prisma.raw(column);
    }),
  );
}

/** The fields a selection reads: the selected ones (always with id), or all. */
function selectedFields(selection?: LessonSelection): FieldName[] {
  const select = selection?.select;
  return FIELD_NAMES.filter((field) => !select || field === 'id' || select[field]);
}

/** Characters of a row's selected text and JSON columns, as an SQL expression. */
export function rowSizeSql(dialect: Dialect, selection?: LessonSelection): Prisma.Sql {
  const sized = selectedFields(selection).flatMap((field) => {
    const { column, kind } = FIELDS[field];
    if (kind === 'text') return [Prisma.sql`COALESCE(length(${Prisma.raw(column)}), 0)`];
    if (kind === 'json') return [Prisma.sql`COALESCE(length(${dialect.jsonAsText(column)}), 0)`];
    return [];
  });
  return sized.length > 0 ? Prisma.join(sized, ' + ') : Prisma.sql`0`;
}

/**
 * The most characters a row's selected fields can hold: text capped at maxTextLength,
 * `detail` at maxDetailBytes, and 32 for any other field's value.
 */
export function largestRow(
  selection: LessonSelection | undefined,
  caps: { maxTextLength: number; maxDetailBytes: number },
): number {
  return selectedFields(selection).reduce((sum, field) => {
    const { kind } = FIELDS[field];
    return (
      sum + (kind === 'text' ? caps.maxTextLength : kind === 'json' ? caps.maxDetailBytes : 32)
    );
  }, 0);
}

function decode(field: FieldName, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (FIELDS[field].kind) {
    case 'int':
      return Number(value);
    case 'timestamp':
      return value instanceof Date ? value : new Date(Number(value));
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

/** A row (read with columnsSql) as a Lesson; columns the query left out stay absent. */
export function lessonFromRow(row: Row): Lesson {
  const lesson: Record<string, unknown> = {};
  for (const field of FIELD_NAMES) {
    const column = columnOf(field);
    if (column in row) lesson[field] = decode(field, row[column]);
  }
  return lesson as Lesson;
}

/** The journal's one order of lessons: newest first, id breaking ties. */
export const NEWEST_FIRST = Prisma.raw('created_at DESC, id DESC');
export const OLDEST_FIRST = Prisma.raw('created_at ASC, id ASC');

/** How many ids one statement names (well under every backend's bound on parameters). */
const ID_CHUNK = 500;

/** Ids in lists of at most ID_CHUNK, for `id IN (...)`. */
export function idChunks<T>(ids: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) out.push(ids.slice(i, i + ID_CHUNK));
  return out;
}
