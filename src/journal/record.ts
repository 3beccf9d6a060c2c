// record: one lesson in, the new lesson (or null) out, with race-safe dedup of auto records.
//
// Times: a lesson's created_at is when it happened (the caller's occurredAt, else now), its
// recorded_at when it arrived; the dedup window and every read go by created_at.
//
// Dedup (source "auto" only, window > 0): an earlier auto lesson with the same
// (work_item_id, lesson_type, stage), null equal to null, created within the window before
// the occurrence (or later) absorbs the record: its occurrences goes up by one, its
// last_seen_at becomes the occurrence's time (never earlier than it was: a lagged event or
// a clock set back does not move it back), and no row is inserted.
//
// Every record, inserted or folded, is an occurrence of its pattern (occurrence.ts: a
// closed pattern regresses or counts a late occurrence) in the same write. An inserted
// lesson is its own `recorded` history event (recorded_at, recorded_by: history.ts), so the
// hot path writes no history row.
// N concurrent identical records leave exactly one row with occurrences = N, and a lesson
// is never acknowledged before it is durable with its pattern and rollups (the triggers
// the insert fires). Where several replicas write (PostgreSQL), the whole record is one
// statement: the dialect's `bumpedDuplicate` takes the key's lock and bumps a duplicate,
// and the insert happens only when it did not (one round trip; the counter rows it writes
// are locked only while it commits). Where writes run one at a time (SQLite's group
// commit), one write job inserts unless a duplicate exists, else bumps it. A record that
// is never deduplicated is one insert. A deduplicated record names the lesson it bumped.
import type { Backend, DedupKey, Dialect, WholeRecord } from '../db/port.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';
import { columnOf, FIELDS, RECORDABLE, type RecordableField } from './fields.ts';
import type { Author } from './history.ts';
import { applyOccurrence, type Occurrence } from './occurrence.ts';
import { Source, Status } from './slugs.ts';
import { columnsSql, lessonFromRow } from './sql.ts';

type Recordable = Exclude<RecordableField, 'lessonType' | 'detail'>;

/** What a caller may record: lessonType is required, the rest optional. */
export type RecordInput = { lessonType: string } & { [K in Recordable]?: string | null } & {
  detail?: unknown;
  /** When it happened (default: now); more than 5 minutes ahead of now is taken as now. */
  occurredAt?: Date | null;
};

/** A record ready to store: text cleaned and capped, defaults applied, detail as JSON text. */
export type LessonRow = { [K in Exclude<RecordableField, 'detail'>]: string | null } & {
  lessonType: string;
  status: string;
  source: string;
  detail: string | null;
};

/** How one record is stored: when it happened and arrived, who sent it, its dedup window. */
export interface RecordContext {
  dedupWindowSeconds: number;
  /** Its arrival (recorded_at, updated_at and the history event's time). */
  now: Date;
  /** Its occurrence (created_at, last_seen_at), and what that does to its pattern. */
  occurrence: Occurrence;
  author: Author;
}

/** What a record did; a deduplicated one names the lesson whose occurrences went up. */
export type RecordOutcome = { kind: 'inserted'; lesson: Lesson } | { kind: 'deduped'; id: number };

/** `column = value`, or `column IS NULL` for null: null equals null, and an index serves both. */
function sameAs(column: string, value: string | null): Prisma.Sql {
  return value === null
    ? Prisma.sql`${Prisma.raw(column)} IS NULL`
    : Prisma.sql`${Prisma.raw(column)} = ${value}`;
}

function dedupMatch(key: DedupKey): Prisma.Sql {
  return Prisma.sql`${sameAs('work_item_id', key.workItemId)}
    AND lesson_type = ${key.lessonType}
    AND ${sameAs('stage', key.stage)}
    AND source = ${Source.AUTO}
    AND created_at >= ${key.since}`;
}

/**
 * The id of the lesson a duplicate bumps: the newest match. Its ORDER BY is the order of
 * lessons_dedup_key_idx (work_item_id, lesson_type, stage, created_at, id), so the planner
 * takes that index even on a table without statistics, where it would otherwise tie with
 * the aggregates' covering index and could scan a whole type and stage per record.
 */
export function newestDuplicateSql(key: DedupKey): Prisma.Sql {
  return Prisma.sql`SELECT id FROM lessons WHERE ${dedupMatch(key)}
    ORDER BY created_at DESC, id DESC LIMIT 1`;
}

/** The columns an insert writes: what a caller records, then the journal's own. */
const INSERT_COLUMNS = Prisma.raw(
  [
    ...RECORDABLE.map(columnOf),
    'occurrences',
    'last_seen_at',
    'created_at',
    'updated_at',
    'recorded_at',
    'recorded_by',
    'closed_at',
    'pattern_id',
  ].join(', '),
);

function insertValues(row: LessonRow, context: RecordContext, dialect: Dialect): Prisma.Sql {
  const values = RECORDABLE.map((field) =>
    FIELDS[field].kind === 'json' ? dialect.jsonValue(row[field]) : Prisma.sql`${row[field]}`,
  );
  const { now } = context;
  const at = context.occurrence.at;
  const closedAt = row.status === Status.CLOSED ? now : null;
  // The pattern of its fingerprint when there is one already (the usual case), so that the
  // rollup trigger need not look it up again; the trigger creates it otherwise.
  const pattern = Prisma.sql`(SELECT COALESCE(merged_into, id) FROM patterns
    WHERE fingerprint = ${row.fingerprint})`;
  return Prisma.join([
    ...values,
    Prisma.sql`1, ${at}, ${at}, ${now}, ${now}, ${context.author.actor}, ${closedAt}`,
    pattern,
  ]);
}

/** The insert of a lesson, returning it; with a FROM and a condition, only where it holds. */
function insertSql(
  row: LessonRow,
  context: RecordContext,
  dialect: Dialect,
  where = Prisma.empty,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO lessons (${INSERT_COLUMNS})
    SELECT ${insertValues(row, context, dialect)} ${where}
    RETURNING ${columnsSql(dialect)}`;
}

/**
 * A whole record as one statement: the insert (unless the dialect's `bumped` value, when
 * given, names a duplicate it bumped) and the occurrence's effect on its pattern. Answers
 * the inserted lesson (bumped_id null), or bumped_id alone.
 */
function wholeRecordSql(
  row: LessonRow,
  context: RecordContext,
  dialect: Dialect,
  whole: WholeRecord,
  key: { lock: string; key: DedupKey } | null,
) {
  const o = context.occurrence;
  const occurred = (lesson: Prisma.Sql) => whole.occurred(lesson, o.at, o.due, o.now, o.reason);
  if (!key) {
    return Prisma.sql`
      WITH inserted AS (${insertSql(row, context, dialect)})
      SELECT ${occurred(Prisma.raw('inserted.id'))} AS occurred, inserted.* FROM inserted`;
  }
  const onlyUnbumped = Prisma.sql`FROM bumped WHERE bumped.id IS NULL`;
  return Prisma.sql`
    WITH bumped AS (SELECT ${whole.bumpedDuplicate(key.lock, key.key, o.at)} AS id),
    inserted AS (${insertSql(row, context, dialect, onlyUnbumped)})
    SELECT bumped.id AS bumped_id, ${occurred(Prisma.raw('COALESCE(inserted.id, bumped.id)'))} AS occurred,
      inserted.* FROM bumped LEFT JOIN inserted ON true`;
}

export async function insertLesson(
  db: Backend,
  row: LessonRow,
  context: RecordContext,
  signal: AbortSignal,
): Promise<RecordOutcome> {
  const at = context.occurrence.at;
  const deduplicated = row.source === Source.AUTO && context.dedupWindowSeconds > 0;
  const key: DedupKey = {
    workItemId: row.workItemId,
    lessonType: row.lessonType,
    stage: row.stage,
    since: new Date(at.getTime() - context.dedupWindowSeconds * 1000),
  };
  const whole = db.dialect.wholeRecord;
  if (whole) {
    const lock = JSON.stringify([key.workItemId, key.lessonType, key.stage]);
    const sql = wholeRecordSql(
      row,
      context,
      db.dialect,
      whole,
      deduplicated ? { lock, key } : null,
    );
    const [result] = await db.write(sql, signal);
    if (result?.bumped_id !== null && result?.bumped_id !== undefined) {
      return { kind: 'deduped', id: Number(result.bumped_id) };
    }
    if (!result) throw new Error('the record neither bumped a lesson nor inserted one');
    return { kind: 'inserted', lesson: lessonFromRow(result) };
  }
  return db.transaction(async (tx) => {
    const absent = deduplicated
      ? Prisma.sql`WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${dedupMatch(key)})`
      : Prisma.empty;
    const [fresh] = await tx.all(insertSql(row, context, db.dialect, absent));
    if (fresh) {
      const lesson = lessonFromRow(fresh);
      await applyOccurrence(tx, lesson.id, context.occurrence);
      return { kind: 'inserted', lesson };
    }
    const [bumped] = await tx.all(Prisma.sql`
      UPDATE lessons SET occurrences = occurrences + 1,
        last_seen_at = CASE WHEN last_seen_at > ${at} THEN last_seen_at ELSE ${at} END
      WHERE id = (${newestDuplicateSql(key)}) RETURNING id`);
    if (!bumped) throw new Error('dedup found neither a lesson to bump nor room to insert');
    const id = Number(bumped.id);
    await applyOccurrence(tx, id, context.occurrence);
    return { kind: 'deduped', id };
  }, signal);
}
