// snapshot: the light summary behind the orchestrator's queue page. `repo` restricts every
// count to that repo (the repo cut lives on the read side; writes are never scoped).
//
// Three statements whatever the journal's size: the counts by type, status, domain and
// attribution come from lesson_counts (one repo) or lesson_totals (every repo), kept exact
// by triggers, a few hundred rows; recorded24h and lastRecordedAt from the created_at
// indexes.
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { OPEN_STATUSES } from './slugs.ts';

export interface CountBucket {
  key: string | null;
  count: number;
}

export interface Snapshot {
  enabled: boolean;
  total?: number | null;
  open?: number | null;
  recorded24h?: number | null;
  lastRecordedAt?: Date | null;
  byType?: CountBucket[] | null;
  byStatus?: CountBucket[] | null;
  byDomain?: CountBucket[] | null;
  byAttribution?: CountBucket[] | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Keys in code-unit order, null last: the same order on every backend and locale. */
function byKey(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Largest count first, then by key. */
function buckets(counts: Map<string | null, number>): CountBucket[] {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || byKey(a.key, b.key));
}

/** A row of the lesson_counts / lesson_totals rollups ('' stands for null). */
export type CountRow = {
  lesson_type: string;
  status: string;
  target_domain: string;
  attribution: string;
  lessons: number | string;
};

/** The rollup's rows as the snapshot's totals and breakdowns (the bench's reference reuses it). */
export function foldCounts(
  counts: CountRow[],
): Pick<Snapshot, 'total' | 'open' | 'byType' | 'byStatus' | 'byDomain' | 'byAttribution'> {
  const maps = {
    byType: new Map<string | null, number>(),
    byStatus: new Map<string | null, number>(),
    byDomain: new Map<string | null, number>(),
    byAttribution: new Map<string | null, number>(),
  };
  const add = (map: Map<string | null, number>, key: string | null, n: number) =>
    map.set(key, (map.get(key) ?? 0) + n);
  let total = 0;
  let open = 0;
  for (const row of counts) {
    const n = Number(row.lessons);
    total += n;
    if (OPEN_STATUSES.includes(row.status)) open += n;
    add(maps.byType, row.lesson_type, n);
    add(maps.byStatus, row.status, n);
    add(maps.byDomain, row.target_domain === '' ? null : row.target_domain, n);
    add(maps.byAttribution, row.attribution === '' ? null : row.attribution, n);
  }
  return {
    total,
    open,
    byType: buckets(maps.byType),
    byStatus: buckets(maps.byStatus),
    byDomain: buckets(maps.byDomain),
    byAttribution: buckets(maps.byAttribution),
  };
}

export async function computeSnapshot(
  db: Backend,
  repo: string | null | undefined,
  now: Date,
  signal: AbortSignal,
): Promise<Snapshot> {
  const read = (sql: Prisma.Sql) => db.read(sql, { signal });
  const inRepo = repo ? Prisma.sql`repo = ${repo}` : Prisma.sql`1 = 1`;
  // One repo: its rows of lesson_counts (a key prefix); every repo: lesson_totals.
  const counts = (await read(
    repo
      ? Prisma.sql`SELECT lesson_type, status, target_domain, attribution, lessons
                   FROM lesson_counts WHERE repo = ${repo} AND lessons > 0`
      : Prisma.sql`SELECT lesson_type, status, target_domain, attribution, lessons
                   FROM lesson_totals WHERE lessons > 0`,
  )) as CountRow[];
  const [recent] = await read(Prisma.sql`
    SELECT COUNT(*) AS n FROM lessons
    WHERE ${inRepo} AND created_at >= ${new Date(now.getTime() - DAY_MS)}`);
  const [last] = await read(Prisma.sql`SELECT MAX(created_at) AS at FROM lessons WHERE ${inRepo}`);

  const lastAt = (last?.at ?? null) as Date | number | null;
  return {
    enabled: true,
    ...foldCounts(counts),
    recorded24h: Number(recent?.n ?? 0),
    lastRecordedAt: lastAt === null || lastAt instanceof Date ? lastAt : new Date(Number(lastAt)),
  };
}
