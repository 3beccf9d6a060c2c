// Reads: one lesson by id, lessons by filter (newest first), one page of a cursor walk,
// and how many lessons match.
//
// A page comes as Pothos' connection plugin plans it (Prisma's cursor vocabulary: `take`
// rows, negative to walk backwards, after skipping `skip` rows from the `cursor` row) and
// is answered with keyset SQL: rows strictly after (or before) the cursor row's
// (created_at, id) position. A lesson recorded during a walk sorts before every lesson that
// existed when the walk began, so a forward walk visits each of those exactly once, however
// many arrive meanwhile; dedup never moves a lesson (it bumps occurrences in place).
//
// A list or page read has a size bound (`maxBytes`, the caller's largest answer): when its
// rows could be larger (limit x the largest row its selection can read), their size is
// counted first, by the database on a long read (off the event loop), and rows larger than
// the bound are refused (AnswerTooLarge) before they are read: a thousand lessons of
// 16 KiB fields never reach the process only to be refused there.
import type { Backend } from '../db/port.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';
import {
  columnsSql,
  filterSql,
  isLong,
  type LessonFilter,
  type LessonSelection,
  largestRow,
  lessonFromRow,
  NEWEST_FIRST,
  OLDEST_FIRST,
  rowSizeSql,
} from './sql.ts';

/** A read refused because its rows are larger than the caller's bound. */
export class AnswerTooLarge extends Error {
  constructor(
    readonly characters: number,
    readonly maxBytes: number,
  ) {
    super(
      `the lessons asked for hold ${characters} characters, more than the answer's bound of ${maxBytes} bytes`,
    );
    this.name = 'AnswerTooLarge';
  }
}

/** `limit` absent -> the default; otherwise clamped to 1..max. */
export function clampLimit(
  limit: number | null | undefined,
  settings: { queryLimitDefault: number; queryLimitMax: number },
): number {
  if (limit === null || limit === undefined) return settings.queryLimitDefault;
  return Math.min(Math.max(Math.trunc(limit), 1), settings.queryLimitMax);
}

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

/** Who reads, until when, which fields, and how large an answer they take. */
export interface Reading {
  db: Backend;
  signal: AbortSignal;
  selection?: LessonSelection | undefined;
  /** The bound on the rows' size, and the caps that bound one row (absent: no bound). */
  size?: { maxBytes: number; maxTextLength: number; maxDetailBytes: number } | undefined;
}

/** Lessons matching `where`, in `order`, as Lessons. */
async function select(
  { db, signal, selection, size }: Reading,
  query: { where: Prisma.Sql; order: Prisma.Sql; limit: number; offset?: number; long: boolean },
): Promise<Lesson[]> {
  const { where, order, limit, offset = 0, long } = query;
  const rows = Prisma.sql`FROM lessons WHERE ${where} ORDER BY ${order} LIMIT ${limit}${
    offset > 0 ? Prisma.sql` OFFSET ${offset}` : Prisma.empty
  }`;
  const large = size !== undefined && limit * largestRow(selection, size) > size.maxBytes;
  if (size && large) {
    const [sized] = await db.read(
      Prisma.sql`SELECT COALESCE(SUM(size), 0) AS characters
        FROM (SELECT ${rowSizeSql(db.dialect, selection)} AS size ${rows}) AS page`,
      { signal, long: true },
    );
    const characters = Number(sized?.characters ?? 0);
    if (characters > size.maxBytes) throw new AnswerTooLarge(characters, size.maxBytes);
  }
  // Rows that may be large are read off the event loop too.
  const found = await db.read(Prisma.sql`SELECT ${columnsSql(db.dialect, selection)} ${rows}`, {
    signal,
    long: long || large,
  });
  return found.map(lessonFromRow);
}

export function listLessons(
  reading: Reading,
  filter: LessonFilter | null | undefined,
  limit: number,
): Promise<Lesson[]> {
  const where = filterSql(filter, reading.db.dialect);
  return select(reading, { where, order: NEWEST_FIRST, limit, long: isLong(filter) });
}

export async function getLesson(reading: Reading, id: number): Promise<Lesson | null> {
  const where = Prisma.sql`id = ${id}`;
  const [lesson] = await select(reading, { where, order: NEWEST_FIRST, limit: 1, long: false });
  return lesson ?? null;
}

export async function pageLessons(
  reading: Reading,
  filter: LessonFilter | null | undefined,
  page: PageQuery,
): Promise<Lesson[]> {
  const forward = page.take >= 0;
  const limit = Math.abs(page.take);
  if (limit === 0) return [];
  const conditions = [filterSql(filter, reading.db.dialect)];
  let offset = page.skip;
  const cursorId = page.cursor?.id;
  if (cursorId !== undefined) {
    // Skipping the cursor row itself is the same as starting strictly beyond it.
    const inclusive = page.skip === 0;
    conditions.push(beyondCursor(cursorId, forward, inclusive));
    offset = Math.max(0, page.skip - 1);
  }
  const lessons = await select(reading, {
    where: Prisma.join(conditions, ' AND '),
    order: forward ? NEWEST_FIRST : OLDEST_FIRST,
    limit,
    offset,
    long: isLong(filter),
  });
  return forward ? lessons : lessons.reverse();
}

export async function countLessons(
  db: Backend,
  filter: LessonFilter | null | undefined,
  signal: AbortSignal,
): Promise<number> {
  const [row] = await db.read(
    Prisma.sql`SELECT COUNT(*) AS n FROM lessons WHERE ${filterSql(filter, db.dialect)}`,
    { signal, long: true },
  );
  return Number(row?.n ?? 0);
}
