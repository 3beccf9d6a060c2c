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

/** Largest count first, then by key (the bench's reference server orders them alike). */
export function buckets(counts: Map<string | null, number>): CountBucket[] {
  return [...counts]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || byKey(a.key, b.key));
}

function add(counts: Map<string | null, number>, key: string | null, n: number) {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

type CountRow = {
  lesson_type: string;
  status: string;
  target_domain: string;
  attribution: string;
  lessons: number;
};

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

  const byType = new Map<string | null, number>();
  const byStatus = new Map<string | null, number>();
  const byDomain = new Map<string | null, number>();
  const byAttribution = new Map<string | null, number>();
  let total = 0;
  let open = 0;
  for (const row of counts) {
    const n = Number(row.lessons);
    total += n;
    if (OPEN_STATUSES.includes(row.status)) open += n;
    add(byType, row.lesson_type, n);
    add(byStatus, row.status, n);
    add(byDomain, row.target_domain === '' ? null : row.target_domain, n);
    add(byAttribution, row.attribution === '' ? null : row.attribution, n);
  }
  const lastAt = (last?.at ?? null) as Date | number | null;
  return {
    enabled: true,
    total,
    open,
    recorded24h: Number(recent?.n ?? 0),
    lastRecordedAt: lastAt === null || lastAt instanceof Date ? lastAt : new Date(Number(lastAt)),
    byType: buckets(byType),
    byStatus: buckets(byStatus),
    byDomain: buckets(byDomain),
    byAttribution: buckets(byAttribution),
  };
}
