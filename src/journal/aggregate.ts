// aggregate: group-by counts for the RICE prioritiser and the retrospective agent.
//
// The database does the grouping (one GROUP BY statement); rows are never loaded into
// JavaScript to be counted. Per group: lessons (rows), occurrences (sum), workItems
// (distinct non-null work items), firstSeenAt (min created_at), lastSeenAt (max
// last_seen_at). A null dimension value is a group of its own. Buckets are UTC on the
// lesson's created_at; weeks start on Monday. Order: occurrences desc, lessons desc, then
// the group's values ascending (nulls last, code-point order, bucket oldest first), so that
// every backend returns the same groups in the same order.
//
// What the rollup (rollup.ts) can answer exactly comes from its per-day cells; the rest
// is one GROUP BY over the table. The answer is the same either way.
import type { Backend, Row, TimeBucket } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { columnOf, DIMENSIONS, type GroupField } from './fields.ts';
import { rollupSql } from './rollup.ts';
import { filterSql, type LessonFilter } from './sql.ts';

export { DIMENSIONS };
export type Dimension = GroupField;
export type { TimeBucket };

/** How long a group's closed lessons took to close (closedAt - createdAt), in seconds. */
export interface TimeToClose {
  /** How many of its lessons are closed (and so count here). */
  closed: number;
  /** The median and the 90th percentile, interpolated linearly (as percentile_cont); null when none is closed. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export type LessonGroup = { [K in GroupField]?: string | null } & {
  bucketStart?: Date | null;
  lessons: number;
  occurrences: number;
  workItems: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Present when asked for (AggregateQuery.timeToClose). */
  timeToClose?: TimeToClose;
};

/** The database hands back timestamps as Date or epoch ms. */
function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(Number(value));
}

export interface AggregateQuery {
  groupBy: readonly Dimension[];
  bucket?: TimeBucket | null | undefined;
  filter?: LessonFilter | null | undefined;
  limit: number;
  /** Whether workItems is wanted (it decides what the rollup can answer); default yes. */
  workItems?: boolean;
  /** Whether timeToClose is wanted (a read of the groups' closed lessons); default no. */
  timeToClose?: boolean;
}

/** The group keys of lessonAggregates as both of its queries compute them (d0.., bucket_start). */
function groupKeys(
  db: Backend,
  dims: readonly Dimension[],
  bucket: TimeBucket | null,
): { alias: string; expr: Prisma.Sql }[] {
  const keys = dims.map((dim, i) => ({
    alias: `d${i}`,
    expr: db.dialect.codePointOrder(columnOf(dim)),
  }));
  if (bucket) keys.push({ alias: 'bucket_start', expr: db.dialect.bucket('created_at', bucket) });
  return keys;
}

/** The GROUP BY over the table, for what the rollup can't answer. */
function tableSql(db: Backend, dims: Dimension[], query: AggregateQuery): Prisma.Sql {
  const { bucket, filter, limit } = query;
  const keys = groupKeys(db, dims, bucket ?? null).map((key) => ({
    ...key,
    order: key.alias === 'bucket_start' ? 'bucket_start ASC' : `${key.alias} ASC NULLS LAST`,
  }));
  const selectKeys = keys.map((k) => Prisma.sql`${k.expr} AS ${Prisma.raw(k.alias)}`);
  const grouped = keys.map((k) => Prisma.raw(k.alias));
  return Prisma.sql`
    SELECT ${Prisma.join([
      ...selectKeys,
      Prisma.sql`COUNT(*) AS lessons`,
      Prisma.sql`SUM(occurrences) AS occurrences`,
      Prisma.sql`COUNT(DISTINCT work_item_id) AS work_items`,
      Prisma.sql`MIN(created_at) AS first_seen_at`,
      Prisma.sql`MAX(last_seen_at) AS last_seen_at`,
    ])}
    FROM lessons
    WHERE ${filterSql(filter, db.dialect)}
    ${grouped.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(grouped)}` : Prisma.empty}
    HAVING COUNT(*) > 0
    ORDER BY ${Prisma.raw(['occurrences DESC', 'lessons DESC', ...keys.map((k) => k.order)].join(', '))}
    LIMIT ${limit}`;
}

/** Percentiles as tenths, interpolated linearly between the ranks around (n - 1) * p. */
const PERCENTILES = { median: 5, p90: 9 } as const;

/**
 * Per group, how many lessons are closed and the durations around each percentile's rank
 * (window functions, the same SQL on every backend: SQLite has no percentile_cont), so only
 * one row per group leaves the database.
 */
function timeToCloseSql(
  db: Backend,
  dims: readonly Dimension[],
  bucket: TimeBucket | null,
  filter: LessonFilter | null | undefined,
): Prisma.Sql {
  const keys = groupKeys(db, dims, bucket);
  const aliases = keys.map((k) => Prisma.raw(k.alias));
  const partition =
    aliases.length > 0 ? Prisma.sql`PARTITION BY ${Prisma.join(aliases)}` : Prisma.empty;
  const picks = Object.entries(PERCENTILES).flatMap(([name, tenths]) => {
    const rank = `${tenths} * (n - 1)`;
    return [
      Prisma.raw(`MAX(CASE WHEN i = (${rank}) / 10 THEN ms END) AS ${name}_lo`),
      Prisma.raw(
        `MAX(CASE WHEN i = (${rank}) / 10 + CASE WHEN (${rank}) % 10 > 0 THEN 1 ELSE 0 END THEN ms END) AS ${name}_hi`,
      ),
      Prisma.raw(`MAX((${rank}) % 10) AS ${name}_tenths`),
    ];
  });
  return Prisma.sql`
    WITH closed AS (
      SELECT ${Prisma.join([
        ...keys.map((k) => Prisma.sql`${k.expr} AS ${Prisma.raw(k.alias)}`),
        Prisma.sql`${db.dialect.millisBetween('closed_at', 'created_at')} AS ms`,
      ])}
      FROM lessons WHERE ${filterSql(filter, db.dialect)} AND closed_at IS NOT NULL
    ),
    ranked AS (
      SELECT closed.*, ROW_NUMBER() OVER (${partition} ORDER BY ms) - 1 AS i,
        COUNT(*) OVER (${partition}) AS n
      FROM closed
    )
    SELECT ${Prisma.join([...aliases, Prisma.raw('MAX(n) AS n'), ...picks])}
    FROM ranked
    ${aliases.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(aliases)}` : Prisma.empty}`;
}

/** A group's key as text, the same for a row of either query. */
function keyOf(row: Row, count: number, bucket: TimeBucket | null): string {
  const parts: unknown[] = [];
  for (let i = 0; i < count; i++) parts.push(row[`d${i}`] ?? null);
  if (bucket) parts.push(toDate(row.bucket_start).getTime());
  return JSON.stringify(parts);
}

function percentile(row: Row, name: keyof typeof PERCENTILES): number | null {
  const lo = row[`${name}_lo`];
  if (lo === null || lo === undefined) return null;
  const hi = Number(row[`${name}_hi`] ?? lo);
  const tenths = Number(row[`${name}_tenths`] ?? 0);
  return (Number(lo) + ((hi - Number(lo)) * tenths) / 10) / 1000;
}

/**
 * The moment after which no lesson is dated, for a window that ends later than now (the
 * cells read such a window as running to the end): now, unless a lesson is dated later (a
 * clock set back, or a replica whose clock runs ahead); then just after the newest one.
 * One index seek, and only for such windows.
 */
async function horizon(
  db: Backend,
  filter: LessonFilter | null | undefined,
  now: Date,
  signal: AbortSignal,
): Promise<Date> {
  if (!filter?.until || filter.until <= now) return now;
  const [row] = await db.read(Prisma.sql`SELECT MAX(created_at) AS newest FROM lessons`, {
    signal,
  });
  const newest = row?.newest === null || row?.newest === undefined ? null : toDate(row.newest);
  return newest && newest >= now ? new Date(newest.getTime() + 1) : now;
}

export async function aggregateLessons(
  db: Backend,
  query: AggregateQuery,
  now: Date,
  signal: AbortSignal,
): Promise<LessonGroup[]> {
  const dims = [...new Set(query.groupBy)];
  const bucket = query.bucket ?? null;
  const fromCells = rollupSql(
    {
      dims,
      bucket,
      filter: query.filter,
      workItems: query.workItems ?? true,
      limit: query.limit,
      horizon: await horizon(db, query.filter, now, signal),
    },
    db.dialect,
  );
  const rows = await db.read(fromCells ?? tableSql(db, dims, query), { signal, long: true });
  const closing = query.timeToClose
    ? new Map(
        (await db.read(timeToCloseSql(db, dims, bucket, query.filter), { signal, long: true })).map(
          (row) => [keyOf(row, dims.length, bucket), row],
        ),
      )
    : null;
  return rows.map((row) => {
    const group: LessonGroup = {
      lessons: Number(row.lessons ?? 0),
      occurrences: Number(row.occurrences ?? 0),
      workItems: Number(row.work_items ?? 0),
      firstSeenAt: toDate(row.first_seen_at),
      lastSeenAt: toDate(row.last_seen_at),
    };
    dims.forEach((dim, i) => {
      group[dim] = (row[`d${i}`] as string | null) ?? null;
    });
    if (bucket) group.bucketStart = toDate(row.bucket_start);
    if (closing) {
      const closed = closing.get(keyOf(row, dims.length, bucket));
      group.timeToClose = closed
        ? {
            closed: Number(closed.n),
            medianSeconds: percentile(closed, 'median'),
            p90Seconds: percentile(closed, 'p90'),
          }
        : { closed: 0, medianSeconds: null, p90Seconds: null };
    }
    return group;
  });
}
