// The SQLite file under attack: deleted while records stream in (nothing acknowledged is
// lost, nothing is left behind), and corrupted (found at the open, or by a statement
// later: not ready, nothing more written into it; recovered as docs/operations.md says).
import { createHash } from 'node:crypto';
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { makeService, RECORD, type Service } from './helpers.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the file at `path` holds, read by a connection of the test's own. */
function stored(path: string): { id: number; workItemId: string }[] {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.prepare('SELECT id, work_item_id AS workItemId FROM lessons ORDER BY id').all() as {
      id: number;
      workItemId: string;
    }[];
  } finally {
    raw.close();
  }
}

describe('the SQLite file deleted while records stream in', () => {
  test.each([
    ['the file alone', ['']],
    ['the file, its -wal and its -shm', ['', '-wal', '-shm']],
  ])(
    '%s, three times: every lesson acknowledged after a deletion is in the new file, ids exact; nothing left behind',
    async (_, suffixes) => {
      const s = await makeService();
      await s.db.get();
      const dir = dirname(s.dbPath);
      for (let round = 0; round < 3; round++) {
        let deleted = false;
        let running = true;
        let acknowledged = 0;
        const afterDeletion: { id: number; workItemId: string }[] = [];
        const streams = Array.from({ length: 4 }, async (_, stream) => {
          for (let i = 0; running; i++) {
            const workItemId = `R${round}-S${stream}-${i}`;
            const lesson = await s.journal.record({
              lessonType: 'gate_failure',
              source: 'manual',
              workItemId,
            });
            if (!lesson) continue;
            acknowledged += 1;
            if (deleted) afterDeletion.push({ id: lesson.id, workItemId });
          }
        });
        while (acknowledged < 40) await sleep(2);
        // One synchronous step, so no acknowledgement falls between the removals.
        for (const suffix of suffixes) rmSync(`${s.dbPath}${suffix}`, { force: true });
        deleted = true;
        while (afterDeletion.length < 40) await sleep(2);
        running = false;
        await Promise.all(streams);

        afterDeletion.sort((a, b) => a.id - b.id);
        expect(stored(s.dbPath)).toEqual(afterDeletion);
      }
      // The journal's files (the owner lock keeps its journal), no orphaned log.
      expect(readdirSync(dir).sort()).toEqual([
        'lessons.db',
        'lessons.db-owner',
        'lessons.db-owner-journal',
        'lessons.db-shm',
        'lessons.db-wal',
      ]);
    },
  );
});

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** SQLite's own verdict on a file, from a connection of the test's own. */
function quickCheck(path: string): string {
  const raw = new Database(path, { readonly: true });
  try {
    return String(raw.pragma('quick_check', { simple: true }));
  } finally {
    raw.close();
  }
}

/**
 * Overwrites with garbage a page of the lessons table of a kind nothing on the record path
 * reads, so writes would go on into the file (garbage on a free page would be no corruption
 * that anything could notice): the page nearest the middle of the file that holds part of
 * a root cause (`overflow`), or the leaf of the oldest lessons, which only a scan reads
 * (`leaf`; records are appended at the other end).
 */
function corruptMiddlePage(path: string, kind: 'overflow' | 'leaf'): void {
  const raw = new Database(path, { readonly: true });
  const pageSize = Number(raw.pragma('page_size', { simple: true }));
  const pageCount = Number(raw.pragma('page_count', { simple: true }));
  const pages = raw
    .prepare("SELECT pageno FROM dbstat WHERE name = 'lessons' AND pagetype = ? ORDER BY path")
    .all(kind) as { pageno: number }[];
  raw.close();
  const distance = (p: { pageno: number }) => Math.abs(p.pageno - pageCount / 2);
  const page =
    kind === 'leaf' ? pages[0] : pages.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  if (!page) throw new Error(`no ${kind} page of lessons`);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page.pageno - 1) * pageSize);
  closeSync(fd);
}

/** A closed journal of 300 lessons. */
async function journalOf300(): Promise<string> {
  const first = await makeService();
  for (let i = 0; i < 300; i++) {
    await first.journal.record({
      lessonType: 'gate_failure',
      source: 'manual',
      workItemId: `W-${i}`,
      rootCause: `cause ${i} `.repeat(600),
    });
  }
  await first.db.close();
  return first.dbPath;
}

/** A closed journal of 300 lessons, one of its pages overwritten with garbage. */
async function corruptJournal(): Promise<string> {
  const path = await journalOf300();
  corruptMiddlePage(path, 'overflow');
  expect(quickCheck(path)).not.toBe('ok');
  return path;
}

async function ready(s: Service) {
  const response = await s.app.fetch('http://localhost/ready');
  return { status: response.status, body: await response.json() };
}

describe('a corrupt SQLite file', () => {
  test('noticed at open: /ready 503 "corrupt", writes answer their safe default counted as corrupt, the file unchanged', async () => {
    const path = await corruptJournal();
    const before = digest(path);

    const s = await makeService({ databaseUrl: `file:${path}` });
    expect(await ready(s)).toEqual({
      status: 503,
      body: { status: 'unavailable', journal: 'on', database: 'corrupt' },
    });
    const recorded = await s.gql(RECORD, { input: { lessonType: 'merge_hold', source: 'manual' } });
    expect(recorded.data).toEqual({ recordLesson: null });
    expect(await s.journal.update(1, { status: 'closed' })).toBe(false);
    for (const operation of ['record', 'update'])
      expect(await s.metric('lessons_faults_total', { operation, reason: 'corrupt' })).toBe(1);
    const warned = s.log
      .warnings()
      .filter((l) => l.msg.startsWith('the database file is corrupt: writes are refused'));
    expect(warned).toHaveLength(1);

    await s.db.close();
    expect(digest(path)).toBe(before);
  });

  test('recovered as docs/operations.md says (VACUUM INTO, REINDEX): ready again, every lesson kept, records resume', async () => {
    const path = await corruptJournal();
    const recovered = `${path}.recovered`;
    const damaged = new Database(path, { readonly: true });
    damaged.exec(`VACUUM INTO '${recovered}'`);
    damaged.close();
    const copy = new Database(recovered);
    copy.exec('REINDEX');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    renameSync(recovered, path);

    const s = await makeService({ databaseUrl: `file:${path}` });
    expect(await ready(s)).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'on', database: 'up' },
    });
    expect(await s.journal.count()).toBe(300);
    expect((await s.journal.record({ lessonType: 'merge_hold', source: 'manual' }))?.id).toBe(301);
  });

  test('found by a statement while running (a text search): from then on, writes refused as corrupt', async () => {
    const path = await journalOf300();
    const s = await makeService({ databaseUrl: `file:${path}` });
    expect((await ready(s)).status).toBe(200);
    corruptMiddlePage(path, 'leaf');
    // Not noticed yet: a record appends where nothing is damaged (and makes the reader
    // thread read the file afresh).
    expect((await s.journal.record({ lessonType: 'merge_hold', source: 'manual' }))?.id).toBe(301);

    const search = await s.gql('{ lessons(filter: { text: "cause" }, limit: 1000) { id } }');
    expect(search.data).toEqual({ lessons: [] });
    expect(await s.metric('lessons_faults_total', { operation: 'list', reason: 'corrupt' })).toBe(
      1,
    );
    expect(await s.journal.record({ lessonType: 'merge_hold', source: 'manual' })).toBeNull();
    expect(await s.metric('lessons_faults_total', { operation: 'record', reason: 'corrupt' })).toBe(
      1,
    );
    expect((await ready(s)).body.database).toBe('corrupt');
    await s.db.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT max(id) AS id FROM lessons').get()).toEqual({ id: 301 });
    raw.close();
  });
});
