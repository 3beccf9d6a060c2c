// PostgreSQL in production: several service processes deduplicating the same lessons, and
// outages of a real server (stopped, unreachable, its table locked by another session).
// Through each outage every operation returns its safe default within the bound, /ready
// says 503, and the service recovers by itself when the database is back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describePostgres, postgresUrl } from './backends.ts';
import { makeService, RECORD, type Service } from './helpers.ts';
import { createTestDatabase, withClient } from './postgres/databases.ts';
import { startProxy } from './postgres/proxy.ts';
import { type AcquiredPostgres, acquirePostgres } from './postgres/server.ts';
import { post, startServer } from './process.ts';

// STATUS is not in the aggregates' rollup: it reads the lessons table, like the others.
const READS = `{
  lessons { id }
  lessonsConnection(first: 5) { totalCount edges { node { id } } }
  lessonAggregates(groupBy: [STATUS]) { lessons }
  lessonsSnapshot { enabled total }
}`;
const SAFE_READS = {
  lessons: [],
  lessonsConnection: { totalCount: 0, edges: [] },
  lessonAggregates: [],
  lessonsSnapshot: { enabled: true, total: null },
};

/** Every operation answers its safe default, each within `boundMs`; /ready is 503. */
async function expectSafeAndBounded(s: Service, boundMs: number) {
  const timed = async <T>(call: () => Promise<T>) => {
    const started = Date.now();
    const result = await call();
    expect(Date.now() - started).toBeLessThan(boundMs);
    return result;
  };
  expect(await timed(() => s.gql(READS))).toEqual({ status: 200, data: SAFE_READS });
  expect(
    await timed(() => s.gql(RECORD, { input: { lessonType: 'gate_failure', workItemId: 'OUT' } })),
  ).toEqual({ status: 200, data: { recordLesson: null } });
  expect(
    await timed(() => s.gql('mutation { updateLesson(id: 1, input: { status: "closed" }) }')),
  ).toEqual({ status: 200, data: { updateLesson: false } });
  expect((await timed(async () => s.app.fetch('http://localhost/ready'))).status).toBe(503);
}

/** The service answers for real again, without a restart. */
async function expectRecovered(s: Service, workItemId: string) {
  let recorded: unknown = null;
  for (let i = 0; i < 40 && recorded === null; i++) {
    const r = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, {
      input: { lessonType: 'gate_failure', workItemId, source: 'manual' },
    });
    recorded = r.data?.recordLesson ?? null;
    if (recorded === null) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(recorded).toMatchObject({ id: expect.any(Number) });
  expect((await s.app.fetch('http://localhost/ready')).status).toBe(200);
}

describePostgres('PostgreSQL in production', () => {
  test('two service processes record the same auto lesson 60 times at once: one row, occurrences 60', async () => {
    const database = await createTestDatabase(postgresUrl());
    try {
      const env = { DATABASE_URL: database.url };
      // Start one first so that the other finds the migrations applied (either order works).
      const a = await startServer(env);
      const b = await startServer(env);
      const input = { lessonType: 'transient_retry', workItemId: 'STORM', stage: 'deploy' };
      const other = { lessonType: 'merge_hold', workItemId: 'STORM', stage: 'merge' };
      const calls = Array.from({ length: 60 }, (_, i) =>
        post(i % 2 ? a.base : b.base, RECORD, { input: i % 3 === 0 ? other : input }),
      );
      const results = await Promise.all(calls);
      expect(results.every((r) => r.status === 200 && r.body.errors === undefined)).toBe(true);
      const rows = await withClient(database.url, (client) =>
        client
          .query<{ lesson_type: string; occurrences: number }>(
            'SELECT lesson_type, occurrences FROM lessons ORDER BY lesson_type',
          )
          .then((r) => r.rows),
      );
      expect(rows).toEqual([
        { lesson_type: 'merge_hold', occurrences: 20 },
        { lesson_type: 'transient_retry', occurrences: 40 },
      ]);
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      expect([await a.exited, await b.exited]).toEqual([0, 0]);
    } finally {
      await database.drop();
    }
  });

  describe('outages of a real server of its own', () => {
    let server: AcquiredPostgres;
    beforeAll(async () => {
      // A throwaway cluster that this file may stop: never the run's shared one.
      server = await acquirePostgres({
        ...process.env,
        TEST_DATABASE_URL: '',
        LESSONS_TEST_PG: '',
      });
    }, 60_000);
    afterAll(async () => {
      if (!('skipped' in server)) await server.stop();
    });

    const outageServer = () => {
      if ('skipped' in server) throw new Error(`no throwaway PostgreSQL: ${server.skipped}`);
      return server;
    };

    test('stopped: safe defaults within the bound, /ready 503, then recovery when it restarts', async () => {
      const own = outageServer();
      const database = await createTestDatabase(own.url);
      const s = await makeService({ backend: 'postgresql', databaseUrl: database.url });
      await s.journal.record({ lessonType: 'gate_failure', workItemId: 'BEFORE' });

      await own.pause?.();
      await expectSafeAndBounded(s, 4000);
      expect(
        await s.metric('lessons_faults_total', { operation: 'record', reason: 'db_unreachable' }),
      ).toBeGreaterThan(0);

      await own.resume?.();
      await expectRecovered(s, 'AFTER');
      const count = await withClient(database.url, (client) =>
        client
          .query<{ n: string }>('SELECT COUNT(*) AS n FROM lessons')
          .then((r) => Number(r.rows[0]?.n)),
      );
      expect(count).toBe(2);
      await s.db.close();
      await database.drop();
    });

    test('unreachable (packets vanish): safe defaults within the bound, then recovery', async () => {
      const own = outageServer();
      const database = await createTestDatabase(own.url);
      const proxy = await startProxy(database.url);
      try {
        const s = await makeService({ backend: 'postgresql', databaseUrl: proxy.url });
        await s.journal.record({ lessonType: 'gate_failure', workItemId: 'BEFORE' });
        proxy.partition();
        await expectSafeAndBounded(s, 4000);
        proxy.heal();
        await expectRecovered(s, 'AFTER');
        await s.db.close();
      } finally {
        await proxy.close();
        await database.drop();
      }
    });

    test('the table locked by another session: safe defaults within the bound, then recovery', async () => {
      const own = outageServer();
      const database = await createTestDatabase(own.url);
      const s = await makeService({ backend: 'postgresql', databaseUrl: database.url });
      await s.journal.record({ lessonType: 'gate_failure', workItemId: 'BEFORE' });
      await withClient(database.url, async (locker) => {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE lessons IN ACCESS EXCLUSIVE MODE');
        await expectSafeAndBounded(s, 4000);
        expect(
          await s.metric('lessons_faults_total', { operation: 'record', reason: 'busy' }),
        ).toBeGreaterThan(0);
        await locker.query('ROLLBACK');
      });
      await expectRecovered(s, 'AFTER');
      await s.db.close();
      await database.drop();
    });
  });
});
