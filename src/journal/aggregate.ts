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
import type { Backend, TimeBucket } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { columnOf, DIMENSIONS, type GroupField } from './fields.ts';
import { rollupSql } from './rollup.ts';
import { filterSql, type LessonFilter } from './sql.ts';

export { DIMENSIONS };
export type Dimension = GroupField;
export type { TimeBucket };

export type LessonGroup = { [K in GroupField]?: string | null } & {
  bucketStart?: Date | null;
  lessons: number;
  occurrences: number;
  workItems: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
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
}

/** The GROUP BY over the table, for what the rollup can't answer. */
function tableSql(db: Backend, dims: Dimension[], query: AggregateQuery): Prisma.Sql {
  const { bucket, filter, limit } = query;
  const keys: { alias: string; expr: Prisma.Sql; order: string }[] = dims.map((dim, i) => ({
    alias: `d${i}`,
    expr: db.dialect.codePointOrder(columnOf(dim)),
    order: `d${i} ASC NULLS LAST`,
  }));
  if (bucket)
    keys.push({
      alias: 'bucket_start',
      expr: db.dialect.bucket('created_at', bucket),
      order: 'bucket_start ASC',
    });
  const selectKeys = keys.map((k) => Prisma.sql`${k.expr} AS ${Prisma.raw(k.alias)}`);
  const groupKeys = keys.map((k) => Prisma.raw(k.alias));
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
    ${groupKeys.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(groupKeys)}` : Prisma.empty}
    HAVING COUNT(*) > 0
    ORDER BY ${Prisma.raw(['occurrences DESC', 'lessons DESC', ...keys.map((k) => k.order)].join(', '))}
    LIMIT ${limit}`;
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
    return group;
  });
}
