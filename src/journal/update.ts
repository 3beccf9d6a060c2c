// update: re-classify or re-status lessons, one (updateLesson) or many (updateLessons, a
// pattern's closing), each change with its history event in the same transaction.
//
// Only the given fields change; a null clears a clearable field; a field that can't be
// cleared (status) ignores a null or blank value. A lesson whose given fields already have
// the given values is not changed at all: no event, no new version, updated_at left. A
// changed one gets version + 1, updated_at now, closed_at now when its status becomes
// closed (null when it leaves closed), and one event: kind closed when its status became
// closed, reopened when it left closed, updated otherwise, with each changed field's from
// and to.
//
// The work is set-based (two statements per 500 lessons: the events, then the rows), so a
// bulk update of 10,000 lessons is 40 statements, not 20,000. A change of rootCause
// re-groups lessons grouped by the default fingerprint (patterns.ts); a change of
// suggestion refreshes their patterns' latest suggestion.
//
// Locks, where several writers run at once (PostgreSQL): lessons first (the caller's), then
// their patterns, then the counters the update's triggers move, the order a record takes
// them in (pattern, counters) after a bump's lesson, so the two never wait on each other
// in a cycle.
import type { Dialect, WriteTx } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { columnOf, FIELDS, UPDATABLE, type UpdatableField } from './fields.ts';
import { type Author, EventKind, eventsFromSql } from './history.ts';
import {
  type GroupedLesson,
  lockPatterns,
  patternsOf,
  refreshSuggestions,
  regroupLessons,
} from './patterns.ts';
import { Status } from './slugs.ts';
import { idChunks } from './sql.ts';

export type UpdateInput = { [K in UpdatableField]?: string | null };

/** The fields to write, or null when there is nothing to change. */
export function updateData(input: UpdateInput): UpdateInput | null {
  const data: UpdateInput = {};
  for (const field of UPDATABLE) {
    const value = input[field];
    if (value === undefined) continue;
    if (!FIELDS[field].update.clearable && (value === null || value.trim() === '')) continue;
    data[field] = value;
  }
  return Object.keys(data).length > 0 ? data : null;
}

const differs = (field: UpdatableField, value: string | null) =>
  Prisma.sql`${Prisma.raw(columnOf(field))} IS DISTINCT FROM ${value}`;

/** Whether a lesson's row would change under `data`: some given field has another value. */
export function changesSql(data: UpdateInput): Prisma.Sql {
  const fields = Object.entries(data) as [UpdatableField, string | null][];
  return Prisma.sql`(${Prisma.join(
    fields.map(([f, v]) => differs(f, v)),
    ' OR ',
  )})`;
}

/** The SQL of one change: which rows differ, their event's kind and changes, the SET list. */
function changeSql(dialect: Dialect, data: UpdateInput, now: Date) {
  const fields = Object.entries(data) as [UpdatableField, string | null][];
  const any = changesSql(data);
  // Each changed field's JSON object, comma first; the list drops the first comma.
  const pieces = fields.map(
    ([field, value]) =>
      Prisma.sql`CASE WHEN ${differs(field, value)} THEN ${`,{"field":${JSON.stringify(field)},"from":`} || ${dialect.jsonString(columnOf(field))} || ${`,"to":${JSON.stringify(value)}}`} ELSE '' END`,
  );
  const changes = Prisma.sql`'[' || substr(${Prisma.join(pieces, ' || ')}, 2) || ']'`;
  const status = data.status;
  const kind =
    status === undefined || status === null
      ? Prisma.sql`${EventKind.UPDATED}`
      : status === Status.CLOSED
        ? Prisma.sql`CASE WHEN status IS DISTINCT FROM ${Status.CLOSED} THEN ${EventKind.CLOSED} ELSE ${EventKind.UPDATED} END`
        : Prisma.sql`CASE WHEN status = ${Status.CLOSED} AND status IS DISTINCT FROM ${status} THEN ${EventKind.REOPENED} ELSE ${EventKind.UPDATED} END`;
  const sets = fields.map(([f, v]) => Prisma.sql`${Prisma.raw(columnOf(f))} = ${v}`);
  if (status !== undefined && status !== null) {
    sets.push(
      status === Status.CLOSED
        ? Prisma.sql`closed_at = CASE WHEN status IS DISTINCT FROM ${Status.CLOSED} THEN ${now} ELSE closed_at END`
        : Prisma.sql`closed_at = NULL`,
    );
  }
  sets.push(Prisma.sql`version = version + 1`, Prisma.sql`updated_at = ${now}`);
  return { any, changes, kind, sets };
}

/**
 * Applies `data` to the lessons `ids` (which the caller has locked, and which exist), with
 * one event per lesson that changes. Returns how many changed.
 */
export async function changeLessons(
  tx: WriteTx,
  dialect: Dialect,
  ids: readonly number[],
  data: UpdateInput,
  author: Author,
  now: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const { any, changes, kind, sets } = changeSql(dialect, data, now);
  const touchesPatterns = data.rootCause !== undefined || data.suggestion !== undefined;
  if (touchesPatterns) await lockPatterns(tx, dialect, await patternsOf(tx, ids));
  let changed = 0;
  const regrouped: GroupedLesson[] = [];
  const suggested: number[] = [];
  for (const chunk of idChunks(ids)) {
    const where = Prisma.sql`id IN (${Prisma.join(chunk)}) AND ${any}`;
    if (data.rootCause !== undefined) {
      const before = await tx.all(Prisma.sql`SELECT id, lesson_type, stage, root_cause, fingerprint
        FROM lessons WHERE ${where} AND root_cause IS DISTINCT FROM ${data.rootCause}`);
      for (const row of before) {
        regrouped.push({
          id: Number(row.id),
          lessonType: String(row.lesson_type),
          stage: (row.stage as string | null) ?? null,
          rootCause: (row.root_cause as string | null) ?? null,
          fingerprint: (row.fingerprint as string | null) ?? null,
        });
      }
    }
    await tx.run(
      eventsFromSql(
        'lesson',
        { id: Prisma.raw('id'), version: Prisma.raw('version + 1'), kind, changes },
        author,
        now,
        Prisma.sql`lessons WHERE ${where}`,
      ),
    );
    const updated = await tx.all(
      Prisma.sql`UPDATE lessons SET ${Prisma.join(sets)} WHERE ${where} RETURNING id`,
    );
    changed += updated.length;
    if (data.suggestion !== undefined) suggested.push(...updated.map((r) => Number(r.id)));
  }
  const moved = new Set(
    data.rootCause === undefined
      ? []
      : await regroupLessons(tx, dialect, regrouped, data.rootCause ?? null),
  );
  await refreshSuggestions(
    tx,
    suggested.filter((id) => !moved.has(id)),
  );
  return changed;
}

/** What updating one lesson did. */
export type UpdateOne = 'changed' | 'unchanged' | 'missing' | 'conflict';

/** Updates lesson `id`, unless `expectedVersion` is given and is not its version. */
export async function updateLesson(
  tx: WriteTx,
  dialect: Dialect,
  id: number,
  data: UpdateInput,
  expectedVersion: number | null | undefined,
  author: Author,
  now: Date,
): Promise<UpdateOne> {
  const [row] = await tx.all(
    Prisma.sql`SELECT version FROM lessons WHERE id = ${id}${dialect.forUpdate}`,
  );
  if (!row) return 'missing';
  if (expectedVersion !== null && expectedVersion !== undefined) {
    if (Number(row.version) !== expectedVersion) return 'conflict';
  }
  return (await changeLessons(tx, dialect, [id], data, author, now)) > 0 ? 'changed' : 'unchanged';
}
