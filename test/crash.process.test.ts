// Faults and crashes with real processes: nothing acknowledged is lost.
// - SIGKILL in the middle of a stream of records, on each backend: after a restart every
//   acknowledged lesson is there, as acknowledged, and SQLite's integrity check passes.
// - SIGTERM with a request that never finishes: the server still exits 0 within its grace.
// - A full disk (a small tmpfs; needs root), the database file deleted while running, a
//   killed PostgreSQL: safe defaults meanwhile, recovery after.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Backend, describeEachBackend, postgresUrl } from './backends.ts';
import { LESSON_FIELDS, RECORD, tempDir } from './helpers.ts';
import { createTestDatabase, withClient } from './postgres/databases.ts';
import { type AcquiredPostgres, acquirePostgres } from './postgres/server.ts';
import { post, type ServerProcess, startServer } from './process.ts';

type Lesson = Record<string, unknown> & { id: number };

async function databaseFor(backend: Backend): Promise<{ url: string; drop(): Promise<void> }> {
  if (backend === 'sqlite')
    return { url: `file:${join(tempDir(), 'lessons.db')}`, drop: async () => {} };
  return createTestDatabase(postgresUrl());
}

/** Records manual lessons from `streams` concurrent loops until stopped; the acknowledged ones. */
function recordStream(server: ServerProcess, streams: number) {
  const acknowledged: Lesson[] = [];
  let running = true;
  const loops = Array.from({ length: streams }, async (_, stream) => {
    for (let i = 0; running; i++) {
      try {
        const r = await post(
          server.base,
          `mutation ($input: RecordLessonInput!) { recordLesson(input: $input) { ${LESSON_FIELDS} } }`,
          {
            input: {
              lessonType: 'gate_failure',
              workItemId: `S${stream}-${i}`,
              source: 'manual',
              detail: { stream, i },
            },
          },
        );
        const lesson = (r.body.data as { recordLesson: Lesson | null } | undefined)?.recordLesson;
        if (lesson) acknowledged.push(lesson);
      } catch {
        return; // the server is gone: whatever was not answered was not acknowledged
      }
    }
  });
  return {
    acknowledged,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

describeEachBackend('SIGKILL while recording', (backend) => {
  test('every acknowledged lesson survives, as acknowledged', async () => {
    const database = await databaseFor(backend);
    try {
      const env = { DATABASE_URL: database.url };
      const first = await startServer(env);
      const stream = recordStream(first, 4);
      while (stream.acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
      first.child.kill('SIGKILL');
      await stream.stop();
      expect(await first.exited).toBeNull(); // killed, not exited

      if (backend === 'sqlite') {
        const raw = new Database(database.url.slice('file:'.length));
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        raw.close();
      }
      const second = await startServer(env);
      const listed = await post(
        second.base,
        `query ($n: Int) { lessons(limit: $n) { ${LESSON_FIELDS} } }`,
        { n: 1000 },
      );
      const stored = new Map(
        ((listed.body.data as { lessons: Lesson[] }).lessons ?? []).map((l) => [l.id, l]),
      );
      expect(stream.acknowledged.length).toBeGreaterThanOrEqual(200);
      for (const lesson of stream.acknowledged) expect(stored.get(lesson.id)).toEqual(lesson);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await database.drop();
    }
  });
});

describe('graceful and forced stops', () => {
  test('SIGTERM with a request that never finishes: exit 0 once the grace period is over', async () => {
    const server = await startServer({
      DATABASE_URL: `file:${join(tempDir(), 'l.db')}`,
      LESSONS_SHUTDOWN_GRACE_MS: '800',
    });
    const socket = connect(Number(new URL(server.base).port), '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"qu',
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(5000);
  });
});

describe('the database file deleted while the server runs', () => {
  test('the next record goes to a new file, answered, and kept across a restart', async () => {
    const dir = tempDir();
    const path = join(dir, 'data', 'lessons.db');
    const env = { DATABASE_URL: `file:${path}` };
    const server = await startServer(env);
    const before = await post(server.base, RECORD, {
      input: { lessonType: 'gate_failure', workItemId: 'BEFORE' },
    });
    expect((before.body.data as { recordLesson: Lesson }).recordLesson.id).toBe(1);
    rmSync(join(dir, 'data'), { recursive: true, force: true });

    const after = await post(server.base, RECORD, {
      input: { lessonType: 'merge_hold', workItemId: 'AFTER' },
    });
    expect(after.body).toMatchObject({ data: { recordLesson: { id: 1, workItemId: 'AFTER' } } });
    expect(
      server.lines.some(
        (l) => l.json?.msg === 'the database file was deleted or replaced: opening a new one',
      ),
    ).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const again = await startServer(env);
    const listed = await post(again.base, '{ lessons { workItemId } }');
    expect(listed.body).toEqual({ data: { lessons: [{ workItemId: 'AFTER' }] } });
  });
});

const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)(
  `a full disk (a 1 MiB tmpfs)${isRoot ? '' : ' (skipped: mounting needs root)'}`,
  () => {
    const mountPoint = join('/tmp', `lessons-full-${process.pid}`);
    let mounted = false;
    beforeAll(() => {
      mkdirSync(mountPoint, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
      mounted = true;
    });
    afterAll(() => {
      if (mounted) execFileSync('umount', ['-l', mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });

    test('records fail safe while the disk is full, nothing acknowledged is lost, then recover', async () => {
      const env = { DATABASE_URL: `file:${join(mountPoint, 'lessons.db')}` };
      const server = await startServer(env);
      const acknowledged: number[] = [];
      let refused = 0;
      for (let i = 0; i < 400 && refused < 5; i++) {
        const r = await post(server.base, RECORD, {
          input: {
            lessonType: 'gate_failure',
            workItemId: `W-${i}`,
            source: 'manual',
            rootCause: 'x'.repeat(8000),
          },
        });
        expect(r.status).toBe(200);
        expect(r.body.errors).toBeUndefined();
        const lesson = (r.body.data as { recordLesson: Lesson | null }).recordLesson;
        if (lesson) acknowledged.push(lesson.id);
        else refused += 1;
      }
      expect(refused).toBe(5);
      // The warning arrives through the child's stdout pipe, maybe after the response.
      for (let i = 0; i < 40 && !server.lines.some((l) => l.json?.reason === 'disk_full'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(server.lines.map((l) => l.json?.reason).filter(Boolean)).toContain('disk_full');
      const metrics = await (await fetch(`${server.base}/metrics`)).text();
      expect(metrics).toMatch(
        /lessons_faults_total\{operation="record",reason="disk_full"\} [1-9]/,
      );

      execFileSync('mount', ['-o', 'remount,size=16m', mountPoint]);
      const ok = await post(server.base, RECORD, {
        input: { lessonType: 'merge_hold', source: 'manual' },
      });
      expect((ok.body.data as { recordLesson: Lesson | null }).recordLesson).not.toBeNull();
      const listed = await post(server.base, '{ lessons(limit: 1000) { id } }');
      const ids = new Set(
        (listed.body.data as { lessons: { id: number }[] }).lessons.map((l) => l.id),
      );
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const raw = new Database(join(mountPoint, 'lessons.db'));
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
    });
  },
);

describe('a killed PostgreSQL', () => {
  let server: AcquiredPostgres;
  beforeAll(async () => {
    server = await acquirePostgres({ ...process.env, TEST_DATABASE_URL: '', LESSONS_TEST_PG: '' });
  }, 60_000);
  afterAll(async () => {
    if (!('skipped' in server)) await server.stop();
  });

  test('safe defaults while it is down, acknowledged lessons intact after its crash recovery', async (context) => {
    if ('skipped' in server) {
      context.skip(`no throwaway PostgreSQL: ${server.skipped}`);
      return;
    }
    const database = await createTestDatabase(server.url);
    const service = await startServer({ DATABASE_URL: database.url });
    const stream = recordStream(service, 2);
    while (stream.acknowledged.length < 50) await new Promise((r) => setTimeout(r, 20));
    await server.crash?.();
    await new Promise((r) => setTimeout(r, 300));
    await stream.stop();
    const down = await post(service.base, RECORD, { input: { lessonType: 'gate_failure' } });
    expect(down).toEqual({
      status: 200,
      body: {
        data: { recordLesson: null },
        extensions: { lessons: { recordLesson: { outcome: 'fault', reason: expect.any(String) } } },
      },
    });
    expect((await fetch(`${service.base}/ready`)).status).toBe(503);

    await server.resume?.();
    let back = false;
    for (let i = 0; i < 40 && !back; i++) {
      back = (await fetch(`${service.base}/ready`)).status === 200;
      if (!back) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back).toBe(true);
    const ids = await withClient(database.url, (client) =>
      client
        .query<{ id: number }>('SELECT id FROM lessons')
        .then((r) => new Set(r.rows.map((row) => row.id))),
    );
    for (const lesson of stream.acknowledged) expect(ids.has(lesson.id)).toBe(true);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    await database.drop();
  });
});
