// The SQL the journal shares between its operations: the WHERE clause of a LessonFilter
// (used by lessons, the connection and the aggregates alike), the columns of a selection,
// and the mapping of a raw `lessons` row to a Lesson.
//
// Why raw SQL and not Prisma's `where`: Prisma's `contains` does not escape LIKE's `%` and
// `_`, and on SQLite it folds ASCII case only. Here `text` is a literal substring match,
// case-folded in Unicode on both backends (SQLite through the `lessons_fold` function the
// database layer registers, PostgreSQL through lower()).

import type { OpenDatabase, Provider } from '../db/types.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';

/** Every list means "any of" (an empty list matches nothing); all given fields must match. */
export interface LessonFilter {
  lessonType?: readonly string[] | null;
  status?: readonly string[] | null;
  repo?: readonly string[] | null;
  workItemId?: readonly string[] | null;
  taskId?: readonly string[] | null;
  stage?: readonly string[] | null;
  agent?: readonly string[] | null;
  attribution?: readonly string[] | null;
  targetRepo?: readonly string[] | null;
  targetDomain?: readonly string[] | null;
  source?: readonly string[] | null;
  /** created_at >= since */
  since?: Date | null;
  /** created_at < until */
  until?: Date | null;
  /** Case-insensitive (Unicode) literal substring of rootCause or suggestion. */
  text?: string | null;
}

/** Lesson fields and their columns. */
export const COLUMN_OF = {
  id: 'id',
  lessonType: 'lesson_type',
  workItemId: 'work_item_id',
  taskId: 'task_id',
  stage: 'stage',
  agent: 'agent',
  repo: 'repo',
  rootCause: 'root_cause',
  suggestion: 'suggestion',
  status: 'status',
  relatedTask: 'related_task',
  attribution: 'attribution',
  targetRepo: 'target_repo',
  targetDomain: 'target_domain',
  source: 'source',
  detail: 'detail',
  occurrences: 'occurrences',
  lastSeenAt: 'last_seen_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof Lesson, string>;

const LIST_FIELDS = [
  'lessonType',
  'status',
  'repo',
  'workItemId',
  'taskId',
  'stage',
  'agent',
  'attribution',
  'targetRepo',
  'targetDomain',
  'source',
] as const;

/** The SQL function that case-folds text for `text` matching, per backend. */
function fold(provider: Provider, column: string): Prisma.Sql {
  return Prisma.raw(provider === 'postgresql' ? `lower(${column})` : `lessons_fold(${column})`);
}

/** The conditions of `filter`, joined with AND; `TRUE` when there are none. */
export function filterSql(filter: LessonFilter | null | undefined, provider: Provider): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  for (const field of LIST_FIELDS) {
    const values = filter?.[field];
    if (!values) continue;
    const column = Prisma.raw(COLUMN_OF[field]);
    conditions.push(
      values.length === 0 ? Prisma.sql`1 = 0` : Prisma.sql`${column} IN (${Prisma.join(values)})`,
    );
  }
  if (filter?.since) conditions.push(Prisma.sql`created_at >= ${filter.since}`);
  if (filter?.until) conditions.push(Prisma.sql`created_at < ${filter.until}`);
  if (filter?.text) {
    const needle = filter.text.toLowerCase();
    const position = provider === 'postgresql' ? 'strpos' : 'instr';
    const at = Prisma.raw(position);
    conditions.push(
      Prisma.sql`(${at}(${fold(provider, 'root_cause')}, ${needle}) > 0 OR ${at}(${fold(provider, 'suggestion')}, ${needle}) > 0)`,
    );
  }
  return conditions.length === 0 ? Prisma.sql`1 = 1` : Prisma.join(conditions, ' AND ');
}

/** Which fields to read (the GraphQL layer passes the fields a query selected). */
export type LessonSelection = { select?: Partial<Record<keyof Lesson, unknown>> | null };

/**
 * How `detail` is read. SQLite gives a JSONB-declared column NUMERIC affinity, so a detail
 * that is a bare JSON number is stored as a number, which Prisma then refuses to read as
 * JSON; read as text (SQLite renders reals at full precision) it is parsed here instead.
 */
function detailColumn(provider: Provider): string {
  return provider === 'sqlite' ? 'CAST(detail AS TEXT) AS detail' : 'detail';
}

/** The column list for a selection: the selected columns (always with id), or all. */
export function columnsSql(provider: Provider, selection?: LessonSelection): Prisma.Sql {
  const select = selection?.select;
  const fields = (Object.keys(COLUMN_OF) as (keyof Lesson)[]).filter(
    (field) => !select || field === 'id' || select[field],
  );
  return Prisma.raw(
    fields
      .map((field) => (field === 'detail' ? detailColumn(provider) : COLUMN_OF[field]))
      .join(', '),
  );
}

/** A raw `lessons` row (snake_case); a selection may leave columns out. */
export type RawLesson = Partial<Record<(typeof COLUMN_OF)[keyof Lesson], unknown>>;

const TIMESTAMPS = new Set(['lastSeenAt', 'createdAt', 'updatedAt']);

/** A raw row (read with columnsSql) as a Lesson; columns the query left out stay absent. */
export function lessonFromRow(row: RawLesson, provider: Provider): Lesson {
  const lesson: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMN_OF)) {
    if (!(column in row)) continue;
    const value = row[column];
    if (field === 'id' || field === 'occurrences') lesson[field] = Number(value);
    else if (field === 'detail' && provider === 'sqlite' && typeof value === 'string') {
      lesson[field] = JSON.parse(value);
    } else if (TIMESTAMPS.has(field) && !(value instanceof Date)) {
      // Straight from the driver (the group commit): epoch milliseconds.
      lesson[field] = new Date(Number(value));
    } else lesson[field] = value;
  }
  return lesson as Lesson;
}

export const NEWEST_FIRST = Prisma.raw('created_at DESC, id DESC');

/**
 * The rows of a read. One that may take long (an aggregate, a count, a text search that
 * reads every row) is given the time its caller waits (`longUntil`, epoch ms) and runs
 * off the event loop where the driver would otherwise block it (SQLite:
 * OpenDatabase.readOffThread, which skips it if still queued by then); short reads
 * (`longUntil` undefined), and every read on PostgreSQL, go through Prisma. Either way
 * columns keep their SQL names (lessonFromRow maps them).
 */
export function readRows<R>(
  db: OpenDatabase,
  sql: Prisma.Sql,
  longUntil: number | undefined,
): Promise<R[]> {
  return longUntil !== undefined && db.readOffThread
    ? db.readOffThread<R>(sql, longUntil)
    : db.prisma.$queryRaw<R[]>(sql);
}
