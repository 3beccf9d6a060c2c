// snapshot: the light summary behind the orchestrator's queue page. `repo` restricts every
// count to that repo (the repo cut lives on the read side; writes are never scoped).

import type { OpenDatabase } from '../db/types.ts';
import type { Prisma } from '../generated/prisma/client.ts';
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

type Dimension = 'lessonType' | 'status' | 'targetDomain' | 'attribution';

/** Lesson counts per value of one column (null is its own bucket), largest first. */
async function countBy(
  db: OpenDatabase,
  where: Prisma.LessonWhereInput,
  by: Dimension,
): Promise<CountBucket[]> {
  const groups = await db.prisma.lesson.groupBy({ by: [by], where, _count: { _all: true } });
  return groups
    .map((g) => ({ key: g[by] as string | null, count: g._count._all }))
    .sort((a, b) => b.count - a.count || byKey(a.key, b.key));
}

export async function computeSnapshot(
  db: OpenDatabase,
  repo: string | null | undefined,
  now: Date,
): Promise<Snapshot> {
  const where: Prisma.LessonWhereInput = repo ? { repo } : {};
  const lessons = db.prisma.lesson;
  const [total, open, recorded24h, last, byType, byStatus, byDomain, byAttribution] =
    await Promise.all([
      lessons.count({ where }),
      lessons.count({ where: { ...where, status: { in: [...OPEN_STATUSES] } } }),
      lessons.count({ where: { ...where, createdAt: { gte: new Date(now.getTime() - DAY_MS) } } }),
      lessons.aggregate({ where, _max: { createdAt: true } }),
      countBy(db, where, 'lessonType'),
      countBy(db, where, 'status'),
      countBy(db, where, 'targetDomain'),
      countBy(db, where, 'attribution'),
    ]);
  return {
    enabled: true,
    total,
    open,
    recorded24h,
    lastRecordedAt: last._max.createdAt,
    byType,
    byStatus,
    byDomain,
    byAttribution,
  };
}
