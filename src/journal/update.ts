// update: re-classify or re-status one lesson. Only the given fields change; a null
// clears a nullable field; `status` can't be cleared (a null or blank status is ignored).
// updated_at is stamped; created_at, occurrences and last_seen_at are left alone.
import type { OpenDatabase } from '../db/types.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { COLUMN_OF } from './sql.ts';

export interface UpdateInput {
  status?: string | null;
  attribution?: string | null;
  targetRepo?: string | null;
  targetDomain?: string | null;
  relatedTask?: string | null;
  rootCause?: string | null;
  suggestion?: string | null;
}

const UPDATABLE = [
  'status',
  'attribution',
  'targetRepo',
  'targetDomain',
  'relatedTask',
  'rootCause',
  'suggestion',
] as const;

/** The fields to write, or null when there is nothing to change. */
export function updateData(input: UpdateInput): UpdateInput | null {
  const data: UpdateInput = {};
  for (const field of UPDATABLE) {
    const value = input[field];
    if (value === undefined) continue;
    if (field === 'status' && (value === null || value.trim() === '')) continue;
    data[field] = value;
  }
  return Object.keys(data).length > 0 ? data : null;
}

/** True iff lesson `id` exists and was updated. One statement. */
export async function updateLesson(
  db: OpenDatabase,
  id: number,
  data: UpdateInput,
  now: Date,
): Promise<boolean> {
  const sets = Object.entries(data).map(
    ([field, value]) => Prisma.sql`${Prisma.raw(COLUMN_OF[field as keyof UpdateInput])} = ${value}`,
  );
  const sql = Prisma.sql`UPDATE lessons SET ${Prisma.join([...sets, Prisma.sql`updated_at = ${now}`])}
    WHERE id = ${id}`;
  // SQLite: a job of the group commit, like every write there.
  const changed = db.write
    ? await db.write((tx) => tx.run(sql).changes)
    : await db.prisma.$executeRaw(sql);
  return changed === 1;
}
