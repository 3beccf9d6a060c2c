// Never-raise: with the journal on, a real database fault becomes the contract's safe
// default, one structured warning (operation, reason, no stack) and one count in
// lessons_faults_total; the GraphQL response carries data and no errors. When the fault
// ends, the service answers correctly again. Malformed requests still get errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Backend } from '../src/db/port.ts';
import { postgresDialect } from '../src/db/postgres/dialect.ts';
import { sqliteDialect } from '../src/db/sqlite/dialect.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { describeEachBackend } from './backends.ts';
import {
  behindTheService,
  type LessonJson,
  makeService,
  prismaOf,
  RECORD,
  type Service,
  tempDir,
} from './helpers.ts';

const READS = `query Reads {
  lessons { id }
  lesson(id: 1) { id }
  lessonsSnapshot { enabled total open byType { key count } }
}`;

const FAULT_ANSWERS = {
  lessons: [],
  lesson: null,
  lessonsSnapshot: { enabled: true, total: null, open: null, byType: null },
};

async function expectSafeDefaults(s: Service) {
  expect(await s.gql(READS)).toEqual({ status: 200, data: FAULT_ANSWERS });
  await expectWritesSafe(s, 'gate_failure');
}

/** A record (of `lessonType`) answers null and an update false: the writes' safe defaults. */
async function expectWritesSafe(s: Service, lessonType: string) {
  expect(await s.gql(RECORD, { input: { lessonType } })).toEqual({
    status: 200,
    data: { recordLesson: null },
  });
  expect(await s.gql('mutation { updateLesson(id: 1, input: { status: "closed" }) }')).toEqual({
    status: 200,
    data: { updateLesson: false },
  });
  const triage = await s.gql(`mutation {
    updatePattern(id: 1, input: { status: "closed" })
    updateLessons(filter: { status: "new" }, input: { status: "closed" }) { matched updated }
  }`);
  expect(triage).toEqual({
    status: 200,
    data: { updatePattern: false, updateLessons: { matched: 0, updated: 0 } },
  });
}

function faultWarnings(s: Service) {
  return s.log.warnings().filter((l) => l.msg === 'journal fault: answered with the safe default');
}

async function expectFaultsCounted(s: Service, reason: string, operations: string[]) {
  for (const operation of operations) {
    expect(await s.metric('lessons_faults_total', { operation, reason })).toBeGreaterThanOrEqual(1);
  }
  const warnings = faultWarnings(s);
  expect(warnings.length).toBeGreaterThanOrEqual(operations.length);
  for (const w of warnings) {
    expect(w.reason).toBe(reason);
    expect(typeof w.operation).toBe('string');
    expect(typeof w.error).toBe('string');
    expect(String(w.error)).not.toMatch(/\n\s+at /); // no stack trace at warning level
    expect(w).not.toHaveProperty('err');
  }
}

const ALL = ['list', 'get', 'snapshot', 'record', 'update', 'update_pattern', 'bulk_update'];

/** Statements that make the journal's database read-only, and writable again, for new sessions. */
function readOnly(s: Service, on: boolean): string[] {
  if (s.backend === 'sqlite') return [`PRAGMA query_only = ${on ? 1 : 0}`];
  const name = new URL(s.databaseUrl).pathname.slice(1);
  return [
    // This session too starts read-only once the database is.
    'SET default_transaction_read_only = off',
    on
      ? `ALTER DATABASE "${name}" SET default_transaction_read_only = on`
      : `ALTER DATABASE "${name}" RESET default_transaction_read_only`,
    // The service's sessions reconnect with the new setting. Waiting (up to 5 s) until each
    // has ended, so the service has heard of it before the test's next request: otherwise,
    // on a busy machine, that request could take a session still dying and count its
    // termination instead of the read-only refusal.
    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'lessons-journal' AND datname = current_database()",
  ];
}

describeEachBackend('faults become safe defaults', (backend) => {
  test('a database that cannot be reached or created', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'not a directory');
    const s = await makeService({
      backend,
      databaseUrl:
        backend === 'sqlite'
          ? `file:${join(dir, 'plain-file', 'sub', 'lessons.db')}`
          : 'postgresql://postgres@127.0.0.1:1/nowhere',
    });
    await expectSafeDefaults(s);
    await expectFaultsCounted(s, backend === 'sqlite' ? 'db_unavailable' : 'db_unreachable', ALL);
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(503);
  });

  test('the lessons table gone from behind the service; answers again once it is back', async () => {
    const s = await makeService({ backend });
    const first = await s.gql<{ recordLesson: LessonJson }>(RECORD, {
      input: { lessonType: 'gate_failure' },
    });
    expect(first.data?.recordLesson.id).toBe(1);
    // Moved away, so that it can come back exactly as the migrations made it.
    await behindTheService(s, 'ALTER TABLE lessons RENAME TO lessons_gone');

    await expectSafeDefaults(s);
    await expectFaultsCounted(s, 'table_missing', ALL);
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(503);

    // The fault ends: the table is back.
    await behindTheService(s, 'ALTER TABLE lessons_gone RENAME TO lessons');
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(200);
    const again = await s.gql<{ recordLesson: LessonJson }>(RECORD, {
      input: { lessonType: 'merge_hold' },
    });
    expect(again.errors).toBeUndefined();
    expect(again.data?.recordLesson).toMatchObject({ lessonType: 'merge_hold', occurrences: 1 });
  });

  test('a read-only database: writes fail safe, reads still answer, writes resume after', async () => {
    const s = await makeService({ backend });
    await s.journal.record({ lessonType: 'gate_failure', workItemId: 'W-1' });
    await behindTheService(s, ...readOnly(s, true));

    await expectWritesSafe(s, 'merge_hold');
    await expectFaultsCounted(s, 'read_only', ['record', 'update']);
    const read = await s.gql<{ lessons: { id: number; status: string }[] }>(
      '{ lessons { id status } }',
    );
    expect(read.data?.lessons).toEqual([{ id: 1, status: 'new' }]);

    await behindTheService(s, ...readOnly(s, false));
    expect(await s.journal.update(1, { status: 'closed' })).toBe(true);
  });

  test('a read-only database is not ready (503, "read-only"); ready again once writable, no lesson written', async () => {
    const s = await makeService({ backend });
    await s.journal.record({ lessonType: 'gate_failure', workItemId: 'W-1' });
    const ready = async () => {
      const response = await s.app.fetch('http://localhost/ready');
      return { status: response.status, body: await response.json() };
    };
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'on', database: 'up' },
    });
    await behindTheService(s, ...readOnly(s, true));
    expect(await ready()).toEqual({
      status: 503,
      body: { status: 'unavailable', journal: 'on', database: 'read-only' },
    });
    expect(await s.journal.record({ lessonType: 'merge_hold' })).toBeNull();

    await behindTheService(s, ...readOnly(s, false));
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'on', database: 'up' },
    });
    // The probes wrote nothing: the one lesson, as it was recorded.
    const lessons = await s.journal.list();
    expect(lessons.map((l) => [l.id, l.workItemId, l.occurrences, l.status])).toEqual([
      [1, 'W-1', 1, 'new'],
    ]);
  });

  // PostgreSQL has no per-database size cap to fill from a test; its disk_full (53100) is
  // classified in journal-units.test.ts.
  test.skipIf(backend === 'postgresql')(
    'a full database (SQLite max_page_count): the record fails safe, nothing half-written, then recovers',
    async () => {
      const s = await makeService({ backend });
      await s.journal.record({ lessonType: 'gate_failure' });
      const prisma = await prismaOf(s);
      const [pages] = await prisma.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count');
      await behindTheService(s, `PRAGMA max_page_count = ${Number(pages?.page_count)}`);

      const big = 'x'.repeat(8000);
      let faults = 0;
      for (let i = 0; i < 20; i++) {
        const r = await s.gql<{ recordLesson: LessonJson | null }>(RECORD, {
          input: { lessonType: 'merge_hold', rootCause: big, workItemId: `W-${i}` },
        });
        expect(r.errors).toBeUndefined();
        if (r.data?.recordLesson === null) faults += 1;
      }
      expect(faults).toBeGreaterThan(0);
      await expectFaultsCounted(s, 'disk_full', ['record']);
      const count = await prisma.lesson.count();
      expect(count).toBe(1 + 20 - faults);

      await behindTheService(s, 'PRAGMA max_page_count = 1073741823');
      const ok = await s.gql<{ recordLesson: LessonJson | null }>(RECORD, {
        input: { lessonType: 'merge_hold', rootCause: big, workItemId: 'after' },
      });
      expect(ok.data?.recordLesson?.workItemId).toBe('after');
    },
  );

  test.skipIf(backend === 'sqlite')(
    'a PostgreSQL connection killed in the middle of a write: that write fails, the process lives, the next record is stored',
    async () => {
      const s = await makeService({ backend });
      const open = await s.db.get();
      const signal = new AbortController().signal;
      const sleep = 'SELECT pg_sleep(10)';
      const write = open.transaction(async (tx) => {
        await tx.all(Prisma.sql`SELECT 1`);
        return tx.all(Prisma.raw(sleep));
      }, signal);
      // Expected to fail from the start: attached now, its rejection is never unhandled.
      const failed = expect(write).rejects.toThrow(/terminat/);
      const running = () =>
        open.read(Prisma.sql`SELECT count(*) AS n FROM pg_stat_activity WHERE query = ${sleep}`, {
          signal,
        });
      while (Number((await running())[0]?.n) === 0) await new Promise((r) => setTimeout(r, 20));
      await open.read(
        Prisma.sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = ${sleep}`,
        { signal },
      );
      await failed;
      const next = await s.gql<{ recordLesson: LessonJson | null }>(RECORD, {
        input: { lessonType: 'merge_hold', workItemId: 'after' },
      });
      expect(next.data?.recordLesson?.workItemId).toBe('after');
    },
  );

  /** A database whose every call answers with `outcome`. */
  function fakeDatabase(outcome: () => Promise<never>): Backend {
    return {
      provider: backend,
      dialect: backend === 'sqlite' ? sqliteDialect : postgresDialect,
      read: outcome,
      write: outcome,
      transaction: outcome,
      lost: () => false,
      close: async () => {},
    };
  }

  test('a database client that throws on every call', async () => {
    const s = await makeService({
      backend,
      open: () => async () =>
        fakeDatabase(() => Promise.reject(new TypeError('boom: injected client fault'))),
    });
    await expectSafeDefaults(s);
    expect(await s.journal.history('lesson', [1])).toEqual(new Map());
    await expectFaultsCounted(s, 'internal', [...ALL, 'history']);
    expect(faultWarnings(s)[0]?.error).toBe('boom: injected client fault');
  });

  test('a database that never answers: the safe default comes within the operation bound', async () => {
    const s = await makeService({
      backend,
      settings: { operationTimeoutMs: 150 },
      open: () => async () => fakeDatabase(() => new Promise<never>(() => {})),
    });
    const started = Date.now();
    expect(await s.gql(RECORD, { input: { lessonType: 'gate_failure' } })).toEqual({
      status: 200,
      data: { recordLesson: null },
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await expectFaultsCounted(s, 'timeout', ['record']);
  });

  test('an opener that fails, then works: the service recovers by itself', async () => {
    let broken = true;
    const s = await makeService({
      backend,
      open: (real) => (location) =>
        broken
          ? Promise.reject(
              Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
            )
          : real(location),
    });
    expect((await s.gql(RECORD, { input: { lessonType: 'gate_failure' } })).data).toEqual({
      recordLesson: null,
    });
    await expectFaultsCounted(s, 'db_unavailable', ['record']);
    broken = false;
    const ok = await s.gql<{ recordLesson: LessonJson }>(RECORD, {
      input: { lessonType: 'gate_failure' },
    });
    expect(ok.data?.recordLesson.id).toBe(1);
    expect((await s.app.fetch('http://localhost/ready')).status).toBe(200);
  });
});

describe('malformed requests are the caller’s bug, and still get errors', () => {
  test('GraphQL syntax error', async () => {
    const s = await makeService();
    const r = await s.gql('{ lessons { id }');
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  test('unknown field', async () => {
    const s = await makeService();
    const r = await s.gql('{ lessons { id nope } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toBe('Cannot query field "nope" on type "Lesson".');
  });

  test('wrong variable type', async () => {
    const s = await makeService();
    const r = await s.gql('query ($n: Int) { lessons(limit: $n) { id } }', { n: 'ten' });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toMatch(/Variable "\$n" got invalid value "ten"/);
  });

  test('missing required input', async () => {
    const s = await makeService();
    const r = await s.gql('mutation { recordLesson(input: { stage: "qa" }) { id } }');
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toMatch(/lessonType/);
  });
});
