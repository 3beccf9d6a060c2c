// update: re-classify or re-status one lesson. Only the given fields change; a null
// clears a nullable field; `status` can't be cleared (a null or blank status is ignored).
// updated_at is stamped; created_at, occurrences and last_seen_at are left alone.
import type { OpenDatabase } from '../db/types.ts';

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
  const { count } = await db.prisma.lesson.updateMany({
    where: { id },
    data: { ...data, status: data.status ?? undefined, updatedAt: now },
  });
  return count === 1;
}
