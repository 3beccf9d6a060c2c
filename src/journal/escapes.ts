// escapes: which deploy degradations slipped past every gate (contract: "escapes").
//
// Promise: per repo (a null repo is a group of its own), over the window [asOf -
// windowDays, asOf): degradedWorkItems, the work items with a deploy_degraded lesson
// created in the window; escapedWorkItems, those of them with no gate_failure lesson (of
// the same work item, in any repo, at any earlier time) created before their first
// deploy_degraded lesson of the window; escapeRate = escaped / degraded. A lesson without a
// work item is no work item and counts in neither. Ordered by escapedWorkItems desc,
// degradedWorkItems desc, then the repo (nulls last). Exact: one statement; the gate
// lookup is the dedup index's (work item, type) prefix.
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { LessonType } from './slugs.ts';

const DAY_MS = 86_400_000;

export interface EscapeGroup {
  repo: string | null;
  degradedWorkItems: number;
  escapedWorkItems: number;
  escapeRate: number;
}

export interface EscapeQuery {
  windowDays: number;
  asOf: Date;
  repo?: string | null;
  limit: number;
}

const DEGRADED = LessonType.DEPLOY_DEGRADED;
const GATE = LessonType.GATE_FAILURE;

export async function escapes(
  db: Backend,
  query: EscapeQuery,
  signal: AbortSignal,
): Promise<EscapeGroup[]> {
  const start = new Date(query.asOf.getTime() - query.windowDays * DAY_MS);
  const repo =
    query.repo === undefined || query.repo === null
      ? Prisma.empty
      : Prisma.sql`AND repo = ${query.repo}`;
  const rows = await db.read(
    Prisma.sql`
      WITH degraded AS (
        SELECT repo, work_item_id, MIN(created_at) AS first_at FROM lessons
        WHERE lesson_type = ${DEGRADED} AND work_item_id IS NOT NULL
          AND created_at >= ${start} AND created_at < ${query.asOf} ${repo}
        GROUP BY repo, work_item_id
      )
      SELECT ${db.dialect.codePointOrder('repo')} AS repo, COUNT(*) AS degraded,
        SUM(CASE WHEN EXISTS (
          SELECT 1 FROM lessons AS g WHERE g.work_item_id = degraded.work_item_id
            AND g.lesson_type = ${GATE} AND g.created_at < degraded.first_at
        ) THEN 0 ELSE 1 END) AS escaped
      FROM degraded
      GROUP BY 1
      ORDER BY escaped DESC, degraded DESC, 1 ASC NULLS LAST
      LIMIT ${query.limit}`,
    { signal, long: true },
  );
  return rows.map((row) => {
    const degradedWorkItems = Number(row.degraded ?? 0);
    const escapedWorkItems = Number(row.escaped ?? 0);
    return {
      repo: (row.repo as string | null) ?? null,
      degradedWorkItems,
      escapedWorkItems,
      escapeRate: degradedWorkItems === 0 ? 0 : escapedWorkItems / degradedWorkItems,
    };
  });
}
