// Reads: one lesson by id, and lessons by filter, newest first (created_at desc, id desc).

import type { OpenDatabase } from '../db/types.ts';
import type { Lesson, Prisma } from '../generated/prisma/client.ts';

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
  /** Case-insensitive substring of rootCause or suggestion (ASCII case on SQLite). */
  text?: string | null;
}

/** Which columns to read (the GraphQL layer passes the fields a query selected). */
export type LessonSelection = { select?: Prisma.LessonSelect | null };

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

export const NEWEST_FIRST: Prisma.LessonOrderByWithRelationInput[] = [
  { createdAt: 'desc' },
  { id: 'desc' },
];

export function whereOf(
  filter: LessonFilter | null | undefined,
  provider: OpenDatabase['provider'],
): Prisma.LessonWhereInput {
  if (!filter) return {};
  const where: Prisma.LessonWhereInput = {};
  for (const field of LIST_FIELDS) {
    const values = filter[field];
    if (values) where[field] = { in: [...values] };
  }
  if (filter.since || filter.until) {
    where.createdAt = {
      ...(filter.since ? { gte: filter.since } : {}),
      ...(filter.until ? { lt: filter.until } : {}),
    };
  }
  if (filter.text) {
    // SQLite's LIKE folds ASCII case by itself and has no `mode`; PostgreSQL needs ILIKE.
    const contains =
      provider === 'postgresql'
        ? { contains: filter.text, mode: 'insensitive' as const }
        : { contains: filter.text };
    where.OR = [{ rootCause: contains }, { suggestion: contains }];
  }
  return where;
}

/** `limit` absent -> the default; otherwise clamped to 1..max. */
export function clampLimit(
  limit: number | null | undefined,
  settings: { queryLimitDefault: number; queryLimitMax: number },
): number {
  if (limit === null || limit === undefined) return settings.queryLimitDefault;
  return Math.min(Math.max(Math.trunc(limit), 1), settings.queryLimitMax);
}

export function listLessons(
  db: OpenDatabase,
  filter: LessonFilter | null | undefined,
  take: number,
  selection: LessonSelection = {},
): Promise<Lesson[]> {
  return db.prisma.lesson.findMany({
    ...(selection.select ? { select: selection.select } : {}),
    where: whereOf(filter, db.provider),
    orderBy: NEWEST_FIRST,
    take,
  });
}

export function getLesson(
  db: OpenDatabase,
  id: number,
  selection: LessonSelection = {},
): Promise<Lesson | null> {
  return db.prisma.lesson.findUnique({
    ...(selection.select ? { select: selection.select } : {}),
    where: { id },
  });
}
