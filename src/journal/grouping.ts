// grouping: lessons recorded before version 2 get their fingerprint and pattern, once, when
// the journal first reaches a database (nothing is left ungrouped: every later lesson gets
// both as it is inserted). Normalising root causes is TypeScript (fingerprint.ts), so a
// migration can't do it. Idempotent and safe with several replicas opening at once, and
// with records arriving meanwhile (the journal runs it in the background: operations do
// not wait for it). The fingerprints are set in batches of ungrouped rows; then batches of
// lessons, under the journal's grouping lock, get their patterns (created when missing);
// then every pattern they joined is recomputed from its lessons. Until it ends, the
// patterns of lessons from before version 2 count only what has been grouped so far.
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { defaultFingerprint } from './fingerprint.ts';
import { refreshPatterns } from './patterns.ts';

const BATCH = 2_000;

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
  // Patterns, in batches of lessons in id order: each batch one short transaction under
  // the grouping lock that creates its fingerprints' missing patterns and assigns its
  // lessons, so that no transaction holds the writer for long (on SQLite, records wait for
  // it). Only lessons from before version 2 can be ungrouped (every later one gets its
  // pattern as it is inserted), so the cursor never passes one.
  const touched = new Set<number>();
  let after = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const lock = db.dialect.lockKey('lessons:grouping');
      if (lock) await tx.all(lock);
      const [range] = await tx.all(Prisma.sql`SELECT MIN(id) AS first, MAX(id) AS last
        FROM (SELECT id FROM lessons WHERE id > ${after}
          AND pattern_id IS NULL AND fingerprint IS NOT NULL ORDER BY id LIMIT ${BATCH}) AS b`);
      if (range?.first === null || range?.first === undefined) return null;
      const between = Prisma.sql`id BETWEEN ${Number(range.first)} AND ${Number(range.last)}`;
      const inBatch = Prisma.sql`${between} AND pattern_id IS NULL AND fingerprint IS NOT NULL`;
      // One pattern per fingerprint, described by its first lesson.
      await tx.run(Prisma.sql`INSERT INTO patterns (fingerprint, lesson_type, stage, root_cause,
          first_seen_at, last_seen_at, created_at)
        SELECT l.fingerprint, l.lesson_type, l.stage, l.root_cause, l.created_at, l.last_seen_at,
          l.created_at
        FROM lessons AS l
        WHERE l.id IN (SELECT MIN(id) FROM lessons WHERE ${inBatch} GROUP BY fingerprint)
          AND NOT EXISTS (SELECT 1 FROM patterns AS p WHERE p.fingerprint = l.fingerprint)`);
      await tx.run(Prisma.sql`UPDATE lessons SET pattern_id = (
          SELECT COALESCE(p.merged_into, p.id) FROM patterns AS p WHERE p.fingerprint = lessons.fingerprint)
        WHERE ${inBatch}`);
      const patterns = await tx.all(Prisma.sql`SELECT DISTINCT pattern_id AS id FROM lessons
        WHERE ${between} AND pattern_id IS NOT NULL`);
      return { last: Number(range.last), patterns: patterns.map((row) => Number(row.id)) };
    }, signal);
    if (!batch) break;
    after = batch.last;
    for (const id of batch.patterns) touched.add(id);
  }
  // Then each pattern they joined is counted again from its lessons, one short transaction
  // each with the pattern's row held: records made meanwhile, which counted without the old
  // lessons, end exact too.
  for (const id of touched) {
    await db.transaction(async (tx) => {
      await tx.all(Prisma.sql`SELECT id FROM patterns WHERE id = ${id}${db.dialect.forUpdate}`);
      await refreshPatterns(tx, db.dialect, [id]);
      // Described by its first lesson, even when a record made meanwhile created it.
      await tx.run(Prisma.sql`UPDATE patterns SET root_cause = (SELECT l.root_cause
          FROM lessons AS l WHERE l.pattern_id = patterns.id ORDER BY l.created_at, l.id LIMIT 1)
        WHERE id = ${id}`);
    }, signal);
  }
  return grouped;
}
