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
  const abandoned = Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => reader.all(SLOW, [3_000_001 + i], AbortSignal.timeout(20))),
  );
  await slow;
  const slowTook = performance.now() - started;
  const outcomes = await abandoned;
  expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('rejected'));
  // Had any of them run, it would have taken as long as the first read again.
  expect(performance.now() - started).toBeLessThan(slowTook * 1.9);
  expect(await reader.all('SELECT COUNT(*) AS n FROM t', [])).toEqual([{ n: 1 }]);
  await reader.close();
  db.close();
});

/** A read whose every run answers a different `r` (and the row count of t, and takes a while). */
const RUN = `SELECT abs(random() % 1000000000) AS r, (SELECT COUNT(*) FROM t) AS n,
  (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) SELECT COUNT(*) FROM c) AS s`;

test('identical reads asked together share one query; each caller gets its own rows', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  const answers = await Promise.all(Array.from({ length: 10 }, () => reader.all(RUN, [1_000_000])));
  const runs = new Set(answers.map(([row]) => row?.r));
  expect(runs.size).toBe(1);
  expect(answers.map(([row]) => row?.s)).toEqual(Array(10).fill(1_000_000));
  (answers[0]?.[0] as { n: number }).n = -1;
  expect(answers.slice(1).map(([row]) => row?.n)).toEqual(Array(9).fill(1));
  // Asked again once answered: a query of its own.
  const [again] = await reader.all(RUN, [1_000_000]);
  expect(runs.has(again?.r)).toBe(false);
  await reader.close();
  db.close();
});

test('a read is not shared once a write has committed since it began: the caller sees the write', async () => {
  const { path, db } = database();
  let commits = 0;
  const reader = createSqliteReader(path, 1000, { commits: () => commits });
  const first = reader.all(RUN, [1_000_000]);
  db.exec("INSERT INTO t VALUES ('two')");
  commits += 1;
  const [before, after] = await Promise.all([first, reader.all(RUN, [1_000_000])]);
  expect(after?.[0]?.r).not.toBe(before?.[0]?.r);
  expect(after?.[0]?.n).toBe(2);
  await reader.close();
  db.close();
});

test('a shared read goes on for the callers still waiting when one stops', async () => {
  const { path, db } = database();
  const reader = createSqliteReader(path, 1000);
  const leaving = reader.all(RUN, [2_000_000], AbortSignal.timeout(20));
  const staying = reader.all(RUN, [2_000_000]);
  await expect(leaving).rejects.toMatchObject({ name: 'TimeoutError' });
  expect((await staying)[0]?.s).toBe(2_000_000);
  await reader.close();
  db.close();
});

test.each([
  [1, ['long', 'short']],
  [2, ['short', 'long']],
])(
  'with %i reader thread(s), a short read asked after a long one answers %j',
  async (threads, order) => {
    const { path, db } = database();
    const reader = createSqliteReader(path, 1000, { threads });
    // Both threads started first, so that the order below is not a thread's start-up.
    await Promise.all([reader.all('SELECT 1 AS a', []), reader.all('SELECT 2 AS a', [])]);
    const answered: string[] = [];
    await Promise.all([
      reader.all(SLOW, [3_000_000]).then(() => answered.push('long')),
      reader.all('SELECT COUNT(*) AS n FROM t', []).then(() => answered.push('short')),
    ]);
    expect(answered).toEqual(order);
    await reader.close();
    db.close();
  },
);
