// grouping: lessons recorded before version 2 get their fingerprint and pattern, once, when
// the journal first reaches a database (nothing is left ungrouped: every later lesson gets
// both as it is inserted). Normalising root causes is TypeScript (fingerprint.ts), so a
// migration can't do it. Idempotent and safe with several replicas opening at once: the
// fingerprints are set in batches of ungrouped rows, then one transaction, under the
// journal's grouping lock, creates the missing patterns, assigns the lessons and
// recomputes those patterns from their lessons.
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { defaultFingerprint } from './fingerprint.ts';
import { refreshPatterns } from './patterns.ts';

const BATCH = 10_000;

export async function groupUngrouped(db: Backend, signal: AbortSignal): Promise<number> {
  let grouped = 0;
  for (;;) {
    // A short read (an index range), so that a journal with nothing to group, every one
    // but the first open after the upgrade, answers at once.
    const rows = await db.read(
      Prisma.sql`SELECT id, lesson_type, stage, root_cause FROM lessons
        WHERE fingerprint IS NULL ORDER BY id LIMIT ${BATCH}`,
      { signal },
    );
    if (rows.length === 0) break;
    const values = rows.map((row) => {
      const fingerprint = defaultFingerprint({
        lessonType: String(row.lesson_type),
        stage: (row.stage as string | null) ?? null,
        rootCause: (row.root_cause as string | null) ?? null,
      });
      return Prisma.sql`(CAST(${Number(row.id)} AS INTEGER), ${fingerprint})`;
    });
    // VALUES names its columns column1, column2 on both backends.
    await db.transaction(
      (tx) =>
        tx.run(Prisma.sql`UPDATE lessons SET fingerprint = v.column2
          FROM (VALUES ${Prisma.join(values)}) AS v
          WHERE lessons.id = v.column1 AND lessons.fingerprint IS NULL`),
      signal,
    );
    grouped += rows.length;
  }
  const ungrouped = Prisma.sql`SELECT id FROM lessons
    WHERE pattern_id IS NULL AND fingerprint IS NOT NULL LIMIT 1`;
  if ((await db.read(ungrouped, { signal })).length === 0) return grouped;
  await db.transaction(async (tx) => {
    const lock = db.dialect.lockKey('lessons:grouping');
    if (lock) await tx.all(lock);
    // Another replica may have grouped them while this one waited for the lock.
    if ((await tx.all(ungrouped)).length === 0) return;
    // One pattern per fingerprint, described by its first lesson.
    await tx.run(Prisma.sql`INSERT INTO patterns (fingerprint, lesson_type, stage, root_cause,
        first_seen_at, last_seen_at, created_at)
      SELECT l.fingerprint, l.lesson_type, l.stage, l.root_cause, l.created_at, l.last_seen_at,
        l.created_at
      FROM lessons AS l
      WHERE l.id IN (SELECT MIN(id) FROM lessons
          WHERE pattern_id IS NULL AND fingerprint IS NOT NULL GROUP BY fingerprint)
        AND NOT EXISTS (SELECT 1 FROM patterns AS p WHERE p.fingerprint = l.fingerprint)`);
    const touched = await tx.all(Prisma.sql`SELECT DISTINCT p.id AS id
      FROM lessons AS l JOIN patterns AS p ON p.fingerprint = l.fingerprint
      WHERE l.pattern_id IS NULL`);
    const ids = touched.map((row) => Number(row.id));
    await tx.all(
      Prisma.sql`SELECT id FROM patterns WHERE id IN (${Prisma.join(ids)}) ORDER BY id${db.dialect.forUpdate}`,
    );
    await tx.run(Prisma.sql`UPDATE lessons SET pattern_id = (
        SELECT COALESCE(p.merged_into, p.id) FROM patterns AS p WHERE p.fingerprint = lessons.fingerprint)
      WHERE pattern_id IS NULL AND fingerprint IS NOT NULL`);
    const survivors = await tx.all(
      Prisma.sql`SELECT DISTINCT COALESCE(merged_into, id) AS id FROM patterns WHERE id IN (${Prisma.join(ids)})`,
    );
    await refreshPatterns(
      tx,
      db.dialect,
      survivors.map((row) => Number(row.id)),
    );
  }, signal);
  return grouped;
}
