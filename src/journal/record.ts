// record: one lesson in, the new lesson (or null) out, with race-safe dedup of auto records.
//
// Dedup (source "auto" only, window > 0): an earlier auto lesson with the same
// (work_item_id, lesson_type, stage), null equal to null, created within the window
// absorbs the record: its occurrences goes up by one, its last_seen_at becomes now (never
// earlier than it was: a clock set back does not move it back), and no row is inserted.
// N concurrent identical records leave exactly one row with occurrences = N, and a lesson
// is never acknowledged before it is durable with its pattern and rollups (the triggers
// the insert fires). Where several replicas write (PostgreSQL), the whole record is one
// statement: the dialect's `bumpedDuplicate` takes the key's lock and bumps a duplicate,
// and the insert happens only when it did not (one round trip; the counter rows it writes
// are locked only while it commits). Where writes run one at a time (SQLite's group
// commit), one write job inserts unless a duplicate exists, else bumps it. A record that
// is never deduplicated is one insert. A deduplicated record names the lesson it bumped.
import type { Backend, DedupKey, Dialect, Row } from '../db/port.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';
import { columnOf, FIELDS, RECORDABLE, type RecordableField } from './fields.ts';
import { Source } from './slugs.ts';
import { columnsSql, lessonFromRow } from './sql.ts';

type Recordable = Exclude<RecordableField, 'lessonType' | 'detail'>;

/** What a caller may record: lessonType is required, the rest optional. */
export type RecordInput = { lessonType: string } & { [K in Recordable]?: string | null } & {
  detail?: unknown;
};

/** A record ready to store: text cleaned and capped, defaults applied, detail as JSON text. */
export type LessonRow = { [K in Exclude<RecordableField, 'detail'>]: string | null } & {
  lessonType: string;
  status: string;
  source: string;
  detail: string | null;
};

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
    'pattern_id',
  ].join(', '),
);

function insertValues(row: LessonRow, now: Date, dialect: Dialect): Prisma.Sql {
  const values = RECORDABLE.map((field) =>
    FIELDS[field].kind === 'json' ? dialect.jsonValue(row[field]) : Prisma.sql`${row[field]}`,
  );
  // The pattern of its fingerprint when there is one already (the usual case), so that the
  // rollup trigger need not look it up again; the trigger creates it otherwise.
  const pattern = Prisma.sql`(SELECT COALESCE(merged_into, id) FROM patterns
    WHERE fingerprint = ${row.fingerprint})`;
  return Prisma.join([...values, Prisma.sql`1, ${now}, ${now}, ${now}`, pattern]);
}

/** The insert of a lesson, returning it; with a FROM and a condition, only where it holds. */
function insertSql(row: LessonRow, now: Date, dialect: Dialect, where = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO lessons (${INSERT_COLUMNS})
    SELECT ${insertValues(row, now, dialect)} ${where}
    RETURNING ${columnsSql(dialect)}`;
}

/**
 * A whole deduplicated record as one statement, with the dialect's `bumped` value
 * evaluated once: the inserted lesson (bumped_id null), or bumped_id alone.
 */
function bumpOrInsertSql(row: LessonRow, now: Date, dialect: Dialect, bumped: Prisma.Sql) {
  const onlyUnbumped = Prisma.sql`FROM bumped WHERE bumped.id IS NULL`;
  return Prisma.sql`
    WITH bumped AS (SELECT ${bumped} AS id),
    inserted AS (${insertSql(row, now, dialect, onlyUnbumped)})
    SELECT bumped.id AS bumped_id, inserted.* FROM bumped LEFT JOIN inserted ON true`;
}

export async function insertLesson(
  db: Backend,
  row: LessonRow,
  dedupWindowSeconds: number,
  now: Date,
  signal: AbortSignal,
): Promise<RecordOutcome> {
  const inserted = (fresh: Row | undefined): RecordOutcome | undefined =>
    fresh ? { kind: 'inserted', lesson: lessonFromRow(fresh) } : undefined;
  if (row.source !== Source.AUTO || dedupWindowSeconds <= 0) {
    // Never deduplicated: one statement, atomic by itself.
    const [fresh] = await db.write(insertSql(row, now, db.dialect), signal);
    const outcome = inserted(fresh);
    if (!outcome) throw new Error('INSERT returned no row');
    return outcome;
  }
  const key: DedupKey = {
    workItemId: row.workItemId,
    lessonType: row.lessonType,
    stage: row.stage,
    since: new Date(now.getTime() - dedupWindowSeconds * 1000),
  };
  const lock = JSON.stringify([key.workItemId, key.lessonType, key.stage]);
  const bumped = db.dialect.bumpedDuplicate?.(lock, key, now);
  if (bumped) {
    const [result] = await db.write(bumpOrInsertSql(row, now, db.dialect, bumped), signal);
    if (result?.bumped_id !== null && result?.bumped_id !== undefined) {
      return { kind: 'deduped', id: Number(result.bumped_id) };
    }
    const outcome = inserted(result);
    if (!outcome) throw new Error('the record neither bumped a lesson nor inserted one');
    return outcome;
  }
  return db.transaction(async (tx) => {
    const absent = Prisma.sql`WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${dedupMatch(key)})`;
    const [fresh] = await tx.all(insertSql(row, now, db.dialect, absent));
    const outcome = inserted(fresh);
    if (outcome) return outcome;
    const [bumped] = await tx.all(Prisma.sql`
      UPDATE lessons SET occurrences = occurrences + 1,
        last_seen_at = CASE WHEN last_seen_at > ${now} THEN last_seen_at ELSE ${now} END
      WHERE id = (${newestDuplicateSql(key)}) RETURNING id`);
    if (!bumped) throw new Error('dedup found neither a lesson to bump nor room to insert');
    return { kind: 'deduped', id: Number(bumped.id) };
  }, signal);
}
