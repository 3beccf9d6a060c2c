// record: one lesson in, the new lesson (or null) out, with race-safe dedup of auto records.
//
// Dedup (source "auto" only, window > 0): an earlier auto lesson with the same
// (work_item_id, lesson_type, stage), null equal to null, created within the window
// absorbs the record: its occurrences goes up by one, its last_seen_at becomes now, and no
// row is inserted. N concurrent identical records leave exactly one row with
// occurrences = N, on each backend by its own means:
// - SQLite (one process): every write is a job of the group commit (db/group-commit.ts),
//   run alone between its statements: an insert conditional on the absence of such a
//   lesson (INSERT ... SELECT ... WHERE NOT EXISTS), and only when it inserts nothing a
//   bump of the earlier lesson.
// - PostgreSQL (several processes): an advisory lock on the key, then one statement, on
//   the raw driver (db/postgres-write.ts).

import type { OpenDatabase, Provider } from '../db/types.ts';
import { type Lesson, Prisma } from '../generated/prisma/client.ts';
import { Source, Status } from './slugs.ts';
import { columnsSql, lessonFromRow, type RawLesson } from './sql.ts';

export interface RecordInput {
  lessonType: string;
  workItemId?: string | null;
  taskId?: string | null;
  stage?: string | null;
  agent?: string | null;
  repo?: string | null;
  rootCause?: string | null;
  suggestion?: string | null;
  status?: string | null;
  relatedTask?: string | null;
  attribution?: string | null;
  targetRepo?: string | null;
  targetDomain?: string | null;
  source?: string | null;
  detail?: unknown;
}

/** A record ready to store: text cleaned and capped, detail as JSON text. */
export interface LessonRow {
  lessonType: string;
  workItemId: string | null;
  taskId: string | null;
  stage: string | null;
  agent: string | null;
  repo: string | null;
  rootCause: string | null;
  suggestion: string | null;
  status: string;
  relatedTask: string | null;
  attribution: string | null;
  targetRepo: string | null;
  targetDomain: string | null;
  source: string;
  detailJson: string | null;
}

export type RecordOutcome = { kind: 'inserted'; lesson: Lesson } | { kind: 'deduped' };

/** `column = value`, or `column IS NULL` for null: null equals null, and an index serves both. */
function sameAs(column: string, value: string | null): Prisma.Sql {
  return value === null
    ? Prisma.sql`${Prisma.raw(column)} IS NULL`
    : Prisma.sql`${Prisma.raw(column)} = ${value}`;
}

function dedupMatch(row: LessonRow, since: Date): Prisma.Sql {
  return Prisma.sql`${sameAs('work_item_id', row.workItemId)}
    AND lesson_type = ${row.lessonType}
    AND ${sameAs('stage', row.stage)}
    AND source = ${Source.AUTO}
    AND created_at >= ${since}`;
}

/**
 * The id of the lesson a duplicate bumps: the newest match. Its ORDER BY is the order of
 * lessons_dedup_key_idx (work_item_id, lesson_type, stage, created_at, id), so the planner
 * takes that index even on a table without statistics, where it would otherwise tie with
 * the aggregates' covering index and could scan a whole type and stage per record.
 */
export function newestDuplicateSql(row: LessonRow, since: Date): Prisma.Sql {
  return Prisma.sql`SELECT id FROM lessons WHERE ${dedupMatch(row, since)}
    ORDER BY created_at DESC, id DESC LIMIT 1`;
}

const COLUMNS = Prisma.raw(
  'lesson_type, work_item_id, task_id, stage, agent, repo, root_cause, suggestion, status, ' +
    'related_task, attribution, target_repo, target_domain, source, detail, occurrences, ' +
    'last_seen_at, created_at, updated_at',
);

function values(row: LessonRow, now: Date, provider: Provider): Prisma.Sql {
  // PostgreSQL's jsonb column takes the JSON text only through an explicit cast.
  const detail =
    provider === 'postgresql'
      ? Prisma.sql`CAST(${row.detailJson} AS jsonb)`
      : Prisma.sql`${row.detailJson}`;
  return Prisma.sql`${row.lessonType}, ${row.workItemId}, ${row.taskId}, ${row.stage},
    ${row.agent}, ${row.repo}, ${row.rootCause}, ${row.suggestion}, ${row.status},
    ${row.relatedTask}, ${row.attribution}, ${row.targetRepo}, ${row.targetDomain},
    ${row.source}, ${detail}, 1, ${now}, ${now}, ${now}`;
}

/** A plain insert of one lesson, returning it. */
function insertSql(row: LessonRow, now: Date, provider: Provider): Prisma.Sql {
  return Prisma.sql`INSERT INTO lessons (${COLUMNS}) VALUES (${values(row, now, provider)})
    RETURNING ${columnsSql(provider)}`;
}

/**
 * PostgreSQL, where several replicas may record the same key at once: a transaction-scoped
 * advisory lock on the dedup key serialises them (in READ COMMITTED each statement sees
 * what the previous lock holder committed), then one statement bumps the earlier lesson or,
 * finding none, inserts. On the raw driver (OpenDatabase.writeRaw): this is the hot path.
 */
function dedupPostgres(row: LessonRow, since: Date, now: Date): Prisma.Sql[] {
  const key = JSON.stringify([row.workItemId, row.lessonType, row.stage]);
  return [
    Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`,
    Prisma.sql`
      WITH hit AS (
        UPDATE lessons SET occurrences = occurrences + 1, last_seen_at = ${now}
        WHERE id = (${newestDuplicateSql(row, since)})
        RETURNING id)
      INSERT INTO lessons (${COLUMNS})
      SELECT ${values(row, now, 'postgresql')}
      WHERE NOT EXISTS (SELECT 1 FROM hit)
      RETURNING ${columnsSql('postgresql')}`,
  ];
}

export async function insertLesson(
  db: OpenDatabase,
  row: LessonRow,
  dedupWindowSeconds: number,
  now: Date,
): Promise<RecordOutcome> {
  const dedup = row.source === Source.AUTO && dedupWindowSeconds > 0;
  const since = new Date(now.getTime() - dedupWindowSeconds * 1000);
  const inserted = (raw: RawLesson | undefined): RecordOutcome => {
    if (!raw) throw new Error('INSERT returned no row');
    return { kind: 'inserted', lesson: lessonFromRow(raw, db.provider) };
  };
  if (db.write) {
    // SQLite: one synchronous job of the group commit; nothing runs between its statements.
    return db.write((tx) => {
      if (!dedup) return inserted(tx.all<RawLesson>(insertSql(row, now, db.provider))[0]);
      const [fresh] = tx.all<RawLesson>(Prisma.sql`
        INSERT INTO lessons (${COLUMNS})
        SELECT ${values(row, now, db.provider)}
        WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${dedupMatch(row, since)})
        RETURNING ${columnsSql(db.provider)}`);
      if (fresh) return inserted(fresh);
      const bumped = tx.run(Prisma.sql`
        UPDATE lessons SET occurrences = occurrences + 1, last_seen_at = ${now}
        WHERE id = (${newestDuplicateSql(row, since)})`);
      if (bumped.changes !== 1)
        throw new Error('dedup found neither a lesson to bump nor room to insert');
      return { kind: 'deduped' };
    });
  }
  if (!db.writeRaw) throw new Error(`no write path for ${db.provider}`);
  const results = await db.writeRaw(
    dedup ? dedupPostgres(row, since, now) : [insertSql(row, now, db.provider)],
  );
  const [fresh] = results.at(-1) ?? [];
  if (fresh) return inserted(fresh);
  if (!dedup) throw new Error('INSERT returned no row');
  return { kind: 'deduped' };
}

export const DEFAULT_STATUS = Status.NEW;
export const DEFAULT_SOURCE = Source.AUTO;
