// update: re-classify or re-status one lesson. Only the given fields change; a null
// clears a clearable field; a field that can't be cleared (status) ignores a null or blank
// value. updated_at is stamped; created_at, occurrences and last_seen_at are left alone.
//
// A change of rootCause re-groups the lesson: grouped by the default fingerprint, it moves
// to the pattern of its new root cause (both patterns recomputed in the same transaction);
// with the caller's own fingerprint it stays. A change of suggestion refreshes its
// pattern's latest suggestion. Any other change is one statement.
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { columnOf, FIELDS, UPDATABLE, type UpdatableField } from './fields.ts';
import { refreshSuggestion, regroupLesson } from './patterns.ts';

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

/** True iff lesson `id` exists and was updated. One statement. */
export async function updateLesson(
  db: Backend,
  id: number,
  data: UpdateInput,
  now: Date,
  signal: AbortSignal,
): Promise<boolean> {
  const sets = Object.entries(data).map(
    ([field, value]) => Prisma.sql`${Prisma.raw(columnOf(field as UpdatableField))} = ${value}`,
  );
  const sql = Prisma.sql`UPDATE lessons SET ${Prisma.join([...sets, Prisma.sql`updated_at = ${now}`])}
    WHERE id = ${id} RETURNING id`;
  if (data.rootCause === undefined && data.suggestion === undefined) {
    return (await db.write(sql, signal)).length === 1;
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.all(
      Prisma.sql`SELECT lesson_type, stage, root_cause, fingerprint FROM lessons WHERE id = ${id}${db.dialect.forUpdate}`,
    );
    if (!before) return false;
    await tx.all(sql);
    const lesson = {
      id,
      lessonType: String(before.lesson_type),
      stage: (before.stage as string | null) ?? null,
      fingerprint: (before.fingerprint as string | null) ?? null,
    };
    const moved =
      data.rootCause !== undefined &&
      (await regroupLesson(
        tx,
        db.dialect,
        lesson,
        (before.root_cause as string | null) ?? null,
        data.rootCause,
      ));
    if (!moved && data.suggestion !== undefined) await refreshSuggestion(tx, id);
    return true;
  }, signal);
}
