// Reads: one lesson by id, and lessons by filter, newest first (created_at desc, id desc).
import type { OpenDatabase } from '../db/types.ts';
import type { Lesson } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import {
  columnsSql,
  filterSql,
  type LessonFilter,
  type LessonSelection,
  lessonFromRow,
  NEWEST_FIRST,
  type RawLesson,
  readRows,
} from './sql.ts';

/** `limit` absent -> the default; otherwise clamped to 1..max. */
export function clampLimit(
  limit: number | null | undefined,
  settings: { queryLimitDefault: number; queryLimitMax: number },
): number {
  if (limit === null || limit === undefined) return settings.queryLimitDefault;
  return Math.min(Math.max(Math.trunc(limit), 1), settings.queryLimitMax);
}

/** `expiresAt`: when the caller stops waiting (a text search may take long). */
export async function listLessons(
  db: OpenDatabase,
  filter: LessonFilter | null | undefined,
  take: number,
  expiresAt: number,
  selection?: LessonSelection,
): Promise<Lesson[]> {
  const rows = await readRows<RawLesson>(
    db,
    Prisma.sql`SELECT ${columnsSql(db.provider, selection)} FROM lessons
      WHERE ${filterSql(filter, db.provider)}
      ORDER BY ${NEWEST_FIRST} LIMIT ${take}`,
    filter?.text ? expiresAt : undefined,
  );
  return rows.map((row) => lessonFromRow(row, db.provider));
}

export async function getLesson(
  db: OpenDatabase,
  id: number,
  selection?: LessonSelection,
): Promise<Lesson | null> {
  const [row] = await db.prisma.$queryRaw<RawLesson[]>(
    Prisma.sql`SELECT ${columnsSql(db.provider, selection)} FROM lessons WHERE id = ${id}`,
  );
  return row ? lessonFromRow(row, db.provider) : null;
}
