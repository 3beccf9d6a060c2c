// rollup: lessonAggregates answered from lesson_days, the per-day cells the rollup trigger
// keeps exact on every write (migration "patterns_and_rollups"), instead of a scan of the
// window. The answer is the table's, exactly; only the cost differs:
// - whole days of the window come from the cells (a few rows per day and key);
// - a partial first or last day comes from `lessons` itself (at most a day of rows each);
// - workItems, a distinct count, does not add up across days. Per DAY bucket it is the
//   cell's own; for a window without buckets that runs to now it is the number of work
//   items whose latest lesson (of the key) falls in the window: the cells' last_members
//   for the whole days, plus lesson_members for the partial first day.
// A query the cells can't answer exactly gets `null` from rollupSql, and aggregate.ts scans
// the table: a dimension other than type, stage and repo, a filter on anything but those
// and the window, HOUR buckets, and, when workItems is asked for, a grouping other than
// (type, stage) or (type, stage, repo), WEEK buckets, or a window that ends before now.
import type { Dialect } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { GroupField } from './fields.ts';
import type { LessonFilter } from './sql.ts';
import { filterSql } from './sql.ts';

const DAY_MS = 86_400_000;
const CELL_DIMENSIONS: readonly GroupField[] = ['lessonType', 'stage', 'repo'];
const CELL_FILTERS = new Set(['lessonType', 'stage', 'repo', 'since', 'until']);

export interface RollupQuery {
  dims: readonly GroupField[];
  bucket: 'hour' | 'day' | 'week' | null;
  filter: LessonFilter | null | undefined;
  /** Whether the caller asked for workItems (the distinct count). */
  workItems: boolean;
  limit: number;
  /** A moment after which no lesson is dated (now, or just after the newest lesson). */
  horizon: Date;
}

const floorDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
const ceilDay = (at: Date) => new Date(Math.ceil(at.getTime() / DAY_MS) * DAY_MS);

/** The stage as the cells key it: '' for null, '.' + stage otherwise. */
const STAGE_KEY = Prisma.raw(`CASE WHEN stage IS NULL THEN '' ELSE '.' || stage END`);
/** Each dimension as the union's parts carry it (a cell's key), and decoded back. */
const KEY_OF_LESSON: Record<string, Prisma.Sql> = {
  lessonType: Prisma.raw('lesson_type'),
  stage: STAGE_KEY,
  repo: Prisma.raw(`COALESCE(repo, '')`),
};
const KEY_OF_CELL: Record<string, Prisma.Sql> = {
  lessonType: Prisma.raw('lesson_type'),
  stage: Prisma.raw('stage_key'),
  repo: Prisma.raw('repo'),
};
const DECODE: Record<string, string> = {
  lessonType: 'k_lessonType',
  stage: `CASE WHEN k_stage = '' THEN NULL ELSE substr(k_stage, 2) END`,
  repo: `NULLIF(k_repo, '')`,
};

function answerable(q: RollupQuery): boolean {
  if (!q.dims.every((dim) => CELL_DIMENSIONS.includes(dim))) return false;
  if (q.bucket === 'hour') return false;
  for (const [key, value] of Object.entries(q.filter ?? {})) {
    if (value !== null && value !== undefined && !CELL_FILTERS.has(key)) return false;
  }
  if (!q.workItems) return true;
  // A distinct count is exact only on the cells' own keys, per day or over a window to now.
  const byRepo = q.dims.includes('repo');
  const exactKey = q.dims.includes('lessonType') && q.dims.includes('stage');
  if (!exactKey || (!byRepo && q.filter?.repo)) return false;
  if (q.bucket === 'week') return false;
  if (q.bucket === null && q.filter?.until && q.filter.until.getTime() <= q.horizon.getTime()) {
    return false;
  }
  return true;
}

/** The key conditions of a filter, on a cell's columns. */
function cellFilter(filter: LessonFilter | null | undefined, byRepo: boolean): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.raw(`by_repo = ${byRepo ? 'TRUE' : 'FALSE'}`)];
  const list = (column: string, values: readonly string[]) =>
    values.length === 0
      ? Prisma.sql`1 = 0`
      : Prisma.sql`${Prisma.raw(column)} IN (${Prisma.join(values)})`;
  if (filter?.lessonType) conditions.push(list('lesson_type', filter.lessonType));
  if (filter?.stage)
    conditions.push(
      list(
        'stage_key',
        filter.stage.map((s) => `.${s}`),
      ),
    );
  // A blank repo is stored as null, so a blank value matches nothing, as in filterSql.
  if (filter?.repo)
    conditions.push(
      list(
        'repo',
        filter.repo.filter((r) => r.trim() !== ''),
      ),
    );
  return conditions;
}

/**
 * The aggregate's SQL on the cells (columns d0.., bucket_start, lessons, occurrences,
 * work_items, first_seen_at, last_seen_at, in aggregate.ts's order), or null when only the
 * table can answer it exactly.
 */
export function rollupSql(q: RollupQuery, dialect: Dialect): Prisma.Sql | null {
  if (!answerable(q)) return null;
  const byRepo = q.dims.includes('repo') || Boolean(q.filter?.repo);
  const since = q.filter?.since ?? null;
  // No lesson is dated after the horizon, so a window that ends later ends at the cells' end.
  const until = q.filter?.until && q.filter.until > q.horizon ? null : (q.filter?.until ?? null);
  // The cells cover whole days: [cellsFrom, cellsTo); what's outside is read from lessons.
  const cellsFrom = since ? ceilDay(since) : null;
  const cellsTo = until ? floorDay(until) : null;
  if (since && until && (cellsFrom as Date) >= (cellsTo as Date)) return null; // under a day

  const keys = CELL_DIMENSIONS;
  const bucketOf = (column: string) =>
    q.bucket ? dialect.bucket(column, q.bucket) : Prisma.raw('NULL');
  const parts: Prisma.Sql[] = [];

  const cellWhere = cellFilter(q.filter, byRepo);
  if (cellsFrom) cellWhere.push(Prisma.sql`day >= ${cellsFrom}`);
  if (cellsTo) cellWhere.push(Prisma.sql`day < ${cellsTo}`);
  // Summed per key here (each day is its own bucket, so DAY has nothing to sum), so that
  // the union below carries a few rows per key, not one per key and day.
  const cellKeys = keys.map(
    (k) => Prisma.sql`${KEY_OF_CELL[k] as Prisma.Sql} AS ${Prisma.raw(`k_${k}`)}`,
  );
  parts.push(
    q.bucket === 'day'
      ? Prisma.sql`SELECT ${Prisma.join(cellKeys)}, day AS b, lessons AS n, occurrences AS o,
          work_items AS w, first_seen_at AS f, last_seen_at AS l
        FROM lesson_days WHERE ${Prisma.join(cellWhere, ' AND ')}`
      : Prisma.sql`SELECT ${Prisma.join(cellKeys)}, ${bucketOf('day')} AS b, SUM(lessons) AS n,
          SUM(occurrences) AS o, SUM(last_members) AS w, MIN(first_seen_at) AS f,
          MAX(last_seen_at) AS l
        FROM lesson_days WHERE ${Prisma.join(cellWhere, ' AND ')} GROUP BY 1, 2, 3, 4`,
  );

  const lessonsBetween = (from: Date | null, to: Date | null) => {
    const { since: _s, until: _u, ...rest } = q.filter ?? {};
    const where = filterSql({ ...rest, since: from, until: to }, dialect);
    // Keyed by the query's dimensions only: a distinct count per repo would not add up
    // to one over every repo.
    const lessonKeys = keys.map(
      (k) =>
        Prisma.sql`${q.dims.includes(k) ? (KEY_OF_LESSON[k] as Prisma.Sql) : Prisma.raw(`''`)} AS ${Prisma.raw(`k_${k}`)}`,
    );
    return Prisma.sql`SELECT ${Prisma.join(lessonKeys)},
        ${bucketOf('created_at')} AS b, COUNT(*) AS n, SUM(occurrences) AS o,
        ${Prisma.raw(q.bucket === 'day' ? 'COUNT(DISTINCT work_item_id)' : '0')} AS w,
        MIN(created_at) AS f, MAX(last_seen_at) AS l
      FROM lessons WHERE ${where} GROUP BY 1, 2, 3, 4`;
  };
  if (since && cellsFrom && since < cellsFrom) parts.push(lessonsBetween(since, cellsFrom));
  if (until && cellsTo && cellsTo < until) parts.push(lessonsBetween(cellsTo, until));
  if (q.bucket === null && since && cellsFrom && since < cellsFrom) {
    // Work items whose latest lesson is in the partial first day.
    const memberWhere = cellFilter(q.filter, byRepo);
    memberWhere.push(Prisma.sql`last_at >= ${since}`, Prisma.sql`last_at < ${cellsFrom}`);
    parts.push(Prisma.sql`SELECT lesson_type AS k_lessonType, stage_key AS k_stage, repo AS k_repo,
        NULL AS b, 0 AS n, 0 AS o, COUNT(*) AS w, NULL AS f, NULL AS l
      FROM lesson_members WHERE ${Prisma.join(memberWhere, ' AND ')} GROUP BY 1, 2, 3`);
  }

  const dims = q.dims.map((dim, i) => ({
    select: Prisma.sql`${dialect.codePointOrder(`(${DECODE[dim]})`)} AS ${Prisma.raw(`d${i}`)}`,
    group: Prisma.raw(`k_${dim}`),
    order: `d${i} ASC NULLS LAST`,
  }));
  const groups = [...dims.map((d) => d.group), ...(q.bucket ? [Prisma.raw('b')] : [])];
  const order = [
    'occurrences DESC',
    'lessons DESC',
    ...dims.map((d) => d.order),
    ...(q.bucket ? ['bucket_start ASC'] : []),
  ];
  return Prisma.sql`
    SELECT ${Prisma.join([
      ...dims.map((d) => d.select),
      ...(q.bucket ? [Prisma.sql`b AS bucket_start`] : []),
      Prisma.sql`SUM(n) AS lessons`,
      Prisma.sql`SUM(o) AS occurrences`,
      Prisma.sql`SUM(w) AS work_items`,
      Prisma.sql`MIN(f) AS first_seen_at`,
      Prisma.sql`MAX(l) AS last_seen_at`,
    ])}
    FROM (${Prisma.join(parts, ' UNION ALL ')}) AS cells
    ${groups.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(groups)}` : Prisma.empty}
    HAVING SUM(n) > 0
    ORDER BY ${Prisma.raw(order.join(', '))}
    LIMIT ${q.limit}`;
}
