// One page of a cursor walk over lessons, newest first (created_at desc, id desc).
//
// The page comes as Pothos' connection plugin plans it (Prisma's cursor vocabulary: `take`
// rows, negative to walk backwards, after skipping `skip` rows from the `cursor` row) and
// is answered with keyset SQL: rows strictly after (or before) the cursor row's
// (created_at, id) position. A lesson recorded during a walk sorts before every lesson that
// existed when the walk began, so a forward walk visits each of those exactly once, however
// many arrive meanwhile; dedup never moves a lesson (it bumps occurrences in place).
import type { OpenDatabase } from '../db/types.ts';
import type { Lesson } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import {
  columnsSql,
  filterSql,
  type LessonFilter,
  type LessonSelection,
  lessonFromRow,
  type RawLesson,
  readRows,
} from './sql.ts';

export interface PageQuery {
  take: number;
  skip: number;
  cursor?: { id?: number } | null;
}

/** Rows on the far side of the cursor row, in the walk's direction. */
function beyondCursor(id: number, forward: boolean, inclusive: boolean): Prisma.Sql {
  const at = Prisma.sql`(SELECT created_at FROM lessons WHERE id = ${id})`;
  const before = forward ? Prisma.raw('<') : Prisma.raw('>');
  const idBefore = Prisma.raw(`${forward ? '<' : '>'}${inclusive ? '=' : ''}`);
  return Prisma.sql`(created_at ${before} ${at} OR (created_at = ${at} AND id ${idBefore} ${id}))`;
}

/** `expiresAt`: when the caller stops waiting (a text search may take long). */
export async function pageLessons(
  db: OpenDatabase,
  filter: LessonFilter | null | undefined,
  page: PageQuery,
  expiresAt: number,
  selection?: LessonSelection,
): Promise<Lesson[]> {
  const forward = page.take >= 0;
  const limit = Math.abs(page.take);
  if (limit === 0) return [];
  const conditions = [filterSql(filter, db.provider)];
  let offset = page.skip;
  const cursorId = page.cursor?.id;
  if (cursorId !== undefined) {
    // Skipping the cursor row itself is the same as starting strictly beyond it.
    const inclusive = page.skip === 0;
    conditions.push(beyondCursor(cursorId, forward, inclusive));
    offset = Math.max(0, page.skip - 1);
  }
  const order = Prisma.raw(forward ? 'created_at DESC, id DESC' : 'created_at ASC, id ASC');
  const rows = await readRows<RawLesson>(
    db,
    Prisma.sql`SELECT ${columnsSql(db.provider, selection)} FROM lessons
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    filter?.text ? expiresAt : undefined,
  );
  const lessons = rows.map((row) => lessonFromRow(row, db.provider));
  return forward ? lessons : lessons.reverse();
}

export async function countLessons(
  db: OpenDatabase,
  filter: LessonFilter | null | undefined,
  expiresAt: number,
): Promise<number> {
  const [row] = await readRows<{ n: bigint | number }>(
    db,
    Prisma.sql`SELECT COUNT(*) AS n FROM lessons WHERE ${filterSql(filter, db.provider)}`,
    expiresAt,
  );
  return Number(row?.n ?? 0);
}
