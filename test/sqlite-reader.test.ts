// The SQLite reader thread: a long read runs beside the event loop, not on it; its errors
// come back as rejections; closing waits for the read at hand instead of aborting.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from 'vitest';
import { createSqliteReader } from '../src/db/sqlite/reader.ts';
import { tempDir } from './helpers.ts';

const SLOW = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
  SELECT COUNT(*) AS count FROM n`;

function database() {
  const path = join(tempDir(), 'r.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec("CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('Ünï')");
  return { path, db };
}

test('a long read leaves the event loop free', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  let last = performance.now();
  let worstGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  const [row] = await reader.all(SLOW, [3_000_000]);
  const took = performance.now() - started;
  clearInterval(ticker);
  expect(row?.count).toBe(3_000_000);
  expect(took).toBeGreaterThan(150); // long enough to matter...
  expect(worstGap).toBeLessThan(took / 2); // ...and the loop kept turning meanwhile
  await reader.close();
  db.close();
});

test('errors come back as rejections with the SQLite code; the reader goes on', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  await expect(reader.all('SELECT nope FROM t', [])).rejects.toMatchObject({
    message: 'no such column: nope',
    code: 'SQLITE_ERROR',
  });
  expect(await reader.all('SELECT lessons_fold(a) AS a FROM t', [])).toEqual([{ a: 'ünï' }]);
  await reader.close();
  db.close();
});

test('closing during a read waits for it, and the read still answers', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  const running = reader.all(SLOW, [3_000_000]);
  await new Promise((r) => setTimeout(r, 20));
  await reader.close();
  expect((await running)[0]?.count).toBe(3_000_000);
  db.close();
});

test('a read still queued when its caller stopped waiting is skipped, not run', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  const slow = reader.all(SLOW, [3_000_000]);
  const expired = reader.all('SELECT COUNT(*) AS n FROM t', [], AbortSignal.timeout(20));
  await expect(expired).rejects.toMatchObject({ name: 'TimeoutError' });
  await slow;
  expect(await reader.all('SELECT COUNT(*) AS n FROM t', [], AbortSignal.timeout(1000))).toEqual([
    { n: 1 },
  ]);
  await reader.close();
  db.close();
});

test('reads abandoned by their callers do not run, whether still queued or already handed over', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  const started = performance.now();
  const slow = reader.all(SLOW, [3_000_000]);
  // More than the reader hands to its thread ahead of time: some wait on the main thread.
  const abandoned = Array.from({ length: 8 }, () =>
    reader.all(SLOW, [3_000_000], AbortSignal.timeout(20)),
  );
  await slow;
  const slowTook = performance.now() - started;
  const outcomes = await Promise.allSettled(abandoned);
  expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('rejected'));
  // Had any of them run, it would have taken as long as the first read again.
  expect(performance.now() - started).toBeLessThan(slowTook * 1.9);
  expect(await reader.all('SELECT COUNT(*) AS n FROM t', [])).toEqual([{ n: 1 }]);
  await reader.close();
  db.close();
});
