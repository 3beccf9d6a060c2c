// aggregate: group-by counts for the RICE prioritiser and the retrospective agent.
//
// The database does the grouping (one GROUP BY statement); rows are never loaded into
// JavaScript to be counted. Per group: lessons (rows), occurrences (sum), workItems
// (distinct non-null work items), firstSeenAt (min created_at), lastSeenAt (max
// last_seen_at). A null dimension value is a group of its own. Buckets are UTC on the
// lesson's created_at; weeks start on Monday. Order: occurrences desc, lessons desc, then
// the group's values ascending (nulls last, code-point order, bucket oldest first), so that
// every backend returns the same groups in the same order.
import type { OpenDatabase, Provider } from '../db/types.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { COLUMN_OF, filterSql, type LessonFilter, readRows } from './sql.ts';

export const DIMENSIONS = [
  'lessonType',
  'stage',
  'agent',
  'repo',
  'status',
  'attribution',
  'targetRepo',
  'targetDomain',
  'source',
  'workItemId',
] as const;

export type Dimension = (typeof DIMENSIONS)[number];
export type TimeBucket = 'hour' | 'day' | 'week';

export interface LessonGroup {
  lessonType?: string | null;
  stage?: string | null;
  agent?: string | null;
  repo?: string | null;
  status?: string | null;
  attribution?: string | null;
  targetRepo?: string | null;
  targetDomain?: string | null;
  source?: string | null;
  workItemId?: string | null;
  bucketStart?: Date | null;
  lessons: number;
  occurrences: number;
  workItems: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: the first Monday is four days into the epoch. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** The start of a lesson's created_at bucket, in the backend's timestamp type. */
function bucketSql(provider: Provider, bucket: TimeBucket): Prisma.Sql {
  if (provider === 'postgresql') return Prisma.raw(`date_trunc('${bucket}', created_at)`);
  // SQLite keeps timestamps as integer milliseconds (UTC): integer arithmetic.
  const [size, offset] = {
    hour: [HOUR_MS, 0],
    day: [DAY_MS, 0],
    week: [WEEK_MS, FIRST_MONDAY_MS],
  }[bucket];
  return Prisma.raw(`((created_at - ${offset}) / ${size}) * ${size} + ${offset}`);
}

/** A text column that sorts in code-point order on both backends (SQLite's BINARY; a
 * PostgreSQL database's collation may be a locale's, so "C" is asked for). */
function inCodePointOrder(provider: Provider, column: string): Prisma.Sql {
  return Prisma.raw(provider === 'postgresql' ? `${column} COLLATE "C"` : column);
}

/** The database hands back integers as bigint and timestamps as Date or epoch ms. */
function toNumber(value: unknown): number {
  return Number(value ?? 0);
}

function toDate(value: unknown): Date {
  return value instanceof Date
    ? value
    : new Date(typeof value === 'string' ? value : Number(value));
}

export async function aggregateLessons(
  db: OpenDatabase,
  groupBy: readonly Dimension[],
  bucket: TimeBucket | null | undefined,
  filter: LessonFilter | null | undefined,
  limit: number,
  expiresAt: number,
): Promise<LessonGroup[]> {
  const dims = [...new Set(groupBy)];
  const keys: { alias: string; expr: Prisma.Sql; order: string }[] = dims.map((dim, i) => ({
    alias: `d${i}`,
    expr: inCodePointOrder(db.provider, COLUMN_OF[dim]),
    order: `d${i} ASC NULLS LAST`,
  }));
  if (bucket)
    keys.push({
      alias: 'bucket_start',
      expr: bucketSql(db.provider, bucket),
      order: 'bucket_start ASC',
    });
  const selectKeys = keys.map((k) => Prisma.sql`${k.expr} AS ${Prisma.raw(k.alias)}`);
  const groupKeys = keys.map((k) => Prisma.raw(k.alias));
  const rows = await readRows<Record<string, unknown>>(
    db,
    Prisma.sql`
    SELECT ${Prisma.join([
      ...selectKeys,
      Prisma.sql`COUNT(*) AS lessons`,
      Prisma.sql`SUM(occurrences) AS occurrences`,
      Prisma.sql`COUNT(DISTINCT work_item_id) AS work_items`,
      Prisma.sql`MIN(created_at) AS first_seen_at`,
      Prisma.sql`MAX(last_seen_at) AS last_seen_at`,
    ])}
    FROM lessons
    WHERE ${filterSql(filter, db.provider)}
    ${groupKeys.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(groupKeys)}` : Prisma.empty}
    HAVING COUNT(*) > 0
    ORDER BY ${Prisma.raw(['occurrences DESC', 'lessons DESC', ...keys.map((k) => k.order)].join(', '))}
    LIMIT ${limit}`,
    expiresAt,
  );
  return rows.map((row) => {
    const group: LessonGroup = {
      lessons: toNumber(row.lessons),
      occurrences: toNumber(row.occurrences),
      workItems: toNumber(row.work_items),
      firstSeenAt: toDate(row.first_seen_at),
      lastSeenAt: toDate(row.last_seen_at),
    };
    dims.forEach((dim, i) => {
      group[dim] = (row[`d${i}`] as string | null) ?? null;
    });
    if (bucket) group.bucketStart = toDate(row.bucket_start);
    return group;
  });
}
