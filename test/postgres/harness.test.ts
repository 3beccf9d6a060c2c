// The PostgreSQL test harness itself: the run's server (if any) can create a database,
// serve it, and drop it even with clients connected; and the choice of source obeys
// LESSONS_TEST_PG without starting anything.
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { createTestDatabase, postgresAvailable, skipNote, type TestDatabase } from './databases.ts';
import { acquirePostgres } from './server.ts';

const postgres = postgresAvailable();
const baseUrl = 'url' in postgres ? postgres.url : '';

describe.skipIf('skipped' in postgres)(`PostgreSQL harness ${skipNote(postgres)}`, () => {
  const databases: TestDatabase[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => {});
    for (const database of databases.splice(0)) await database.drop();
  });

  async function fresh() {
    const database = await createTestDatabase(baseUrl);
    databases.push(database);
    const client = new pg.Client({ connectionString: database.url });
    // drop() ends the connections to the database: a client without an 'error' listener
    // would then throw an uncaught "terminating connection due to administrator command".
    const errors: (Error & { code?: string })[] = [];
    client.on('error', (error) => errors.push(error));
    clients.push(client);
    await client.connect();
    return { database, client, errors };
  }

  async function exists(name: string) {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        name,
      ]);
      return rowCount === 1;
    } finally {
      await admin.end();
    }
  }

  test('creates a fresh database that answers, takes a table, and is dropped', async () => {
    const { database, client, errors } = await fresh();
    expect(new URL(database.url).pathname).toBe(`/${database.name}`);

    const { rows } = await client.query<{ version: string; db: string }>(
      'SELECT version() AS version, current_database() AS db',
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(rows[0]?.db).toBe(database.name);

    const tables = await client.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.rowCount).toBe(0);
    await client.query('CREATE TABLE lesson (id serial PRIMARY KEY, root_cause text NOT NULL)');
    await client.query('INSERT INTO lesson (root_cause) VALUES ($1), ($2)', ['flaky', 'ФЛАКИ']);
    const count = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM lesson');
    expect(count.rows[0]?.n).toBe(2);

    // Dropped while this client is still connected.
    expect(await exists(database.name)).toBe(true);
    await database.drop();
    await database.drop();
    expect(await exists(database.name)).toBe(false);
    await expect.poll(() => errors.map((e) => e.code)).toContain('57P01'); // admin_shutdown
  });

  test('databases are separate from each other', async () => {
    const [a, b] = await Promise.all([fresh(), fresh()]);
    expect(a.database.name).not.toBe(b.database.name);
    await a.client.query('CREATE TABLE only_in_a (x int)');
    const inB = await b.client.query("SELECT to_regclass('only_in_a') IS NULL AS missing");
    expect(inB.rows[0]?.missing).toBe(true);
  });
});

describe('choosing a PostgreSQL source', () => {
  test('LESSONS_TEST_PG=none skips, whatever else is set', async () => {
    const got = await acquirePostgres({
      LESSONS_TEST_PG: 'none',
      TEST_DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/postgres',
    });
    expect(got).toEqual({ skipped: 'LESSONS_TEST_PG=none' });
  });

  test('an unknown LESSONS_TEST_PG is an error, not a silent skip', async () => {
    await expect(acquirePostgres({ LESSONS_TEST_PG: 'embeded' })).rejects.toThrow(
      'LESSONS_TEST_PG=embeded is not one of env, binaries, embedded, none',
    );
  });

  test('an unreachable TEST_DATABASE_URL is a skip with the reason, not a fallback', async () => {
    const got = await acquirePostgres({
      TEST_DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:1/postgres',
    });
    expect(got).toEqual({ skipped: expect.stringContaining('TEST_DATABASE_URL') });
    expect(JSON.stringify(got)).not.toContain('secret');
  });
});
