// The migration history and prisma/schema.prisma describe the same database, so SQL can
// never drift from the model; migrations are applied by the service itself, idempotently,
// with Prisma's own bookkeeping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { pendingSql, readMigrations, readPrismaSchema } from '../src/db/migrate/engine.ts';
import { migrationAdapter } from '../src/db/migrate/postgres-adapter.ts';
import { postgresSchemaText } from '../src/db/migrate/postgres-schema.ts';
import { openPostgres } from '../src/db/postgres/open.ts';
import { openSqlite } from '../src/db/sqlite/open.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { COLUMNS, MANAGED_COLUMNS } from '../src/journal/fields.ts';
import { describePostgres, postgresUrl } from './backends.ts';
import { tempDir } from './helpers.ts';
import { createTestDatabase, withClient } from './postgres/databases.ts';

/** How the service opens a PostgreSQL journal, for the database at `url`. */
function postgresOptions(url: string) {
  return {
    url,
    connectTimeoutMs: 2000,
    statementTimeoutMs: 2000,
    lockTimeoutMs: 1000,
    poolSize: 2,
    schemaPath: 'prisma/postgresql/schema.prisma',
    migrationsDir: 'prisma/postgresql/migrations',
  };
}

const schemaPath = 'prisma/schema.prisma';
const migrationsDir = 'prisma/migrations';
const shadow = () => new PrismaBetterSqlite3({ url: ':memory:' });

describe('one model for both backends', () => {
  test('prisma/postgresql/schema.prisma is prisma/schema.prisma for PostgreSQL (npm run schema:postgres)', () => {
    expect(readFileSync('prisma/postgresql/schema.prisma', 'utf8')).toBe(postgresSchemaText());
  });

  test('the PostgreSQL copy differs from the source in provider and client only', () => {
    const source = readFileSync('prisma/schema.prisma', 'utf8');
    const models = (text: string) => text.slice(text.indexOf('model Lesson'));
    expect(models(postgresSchemaText())).toBe(models(source));
  });
});

describePostgres('PostgreSQL migrations and model', () => {
  test('replaying prisma/postgresql/migrations gives exactly the database the model describes', async () => {
    const database = await createTestDatabase(postgresUrl());
    const engine = migrationAdapter(database.url);
    try {
      const schema = await readPrismaSchema('prisma/postgresql/schema.prisma');
      expect(await pendingSql(engine.factory, schema, 'prisma/postgresql/migrations')).toBe('');
    } finally {
      await engine.close();
      await database.drop();
    }
  });

  test('migrating twice applies nothing the second time, and leaves only the journal’s objects', async () => {
    const database = await createTestDatabase(postgresUrl());
    try {
      const open = () => openPostgres(postgresOptions(database.url));
      await (await open()).close();
      await (await open()).close();
      const objects = await withClient(database.url, async (client) => {
        const tables = await client.query<{ name: string }>(
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
        );
        const functions = await client.query<{ name: string }>(
          "SELECT proname AS name FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1",
        );
        const applied = await client.query<{ n: string }>(
          'SELECT COUNT(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
        );
        return {
          tables: tables.rows.map((r) => r.name),
          functions: functions.rows.map((r) => r.name),
          applied: Number(applied.rows[0]?.n),
        };
      });
      expect(objects).toEqual({
        tables: [
          '_prisma_migrations',
          'advisories',
          'history',
          'lesson_counts',
          'lesson_days',
          'lesson_members',
          'lesson_totals',
          'lessons',
          'pattern_days',
          'patterns',
        ],
        functions: [
          'lessons_bump_duplicate',
          'lessons_count_change',
          'lessons_occurred',
          'lessons_pattern_assign',
          'lessons_rollup_change',
        ],
        applied: (await readMigrations('prisma/postgresql/migrations')).migrationDirectories.length,
      });
    } finally {
      await database.drop();
    }
  });
});

describePostgres('a database shared with the orchestrator', () => {
  test('the journal migrates beside the orchestrator’s tables, view and enum, and leaves them as they were', async () => {
    const database = await createTestDatabase(postgresUrl());
    try {
      const orchestrator = [
        "CREATE TYPE task_state AS ENUM ('todo', 'done')",
        'CREATE TABLE tasks (id serial PRIMARY KEY, title text NOT NULL, state task_state)',
        "INSERT INTO tasks (title, state) VALUES ('ship it', 'todo')",
        "CREATE VIEW open_tasks AS SELECT * FROM tasks WHERE state = 'todo'",
      ];
      await withClient(database.url, async (client) => {
        for (const sql of orchestrator) await client.query(sql);
      });
      const options = postgresOptions(database.url);
      const db = await openPostgres(options);
      await db.transaction(
        (tx) =>
          tx.run(
            Prisma.sql`INSERT INTO lessons (lesson_type, created_at, updated_at, last_seen_at) VALUES ('x', now(), now(), now())`,
          ),
        new AbortController().signal,
      );
      await db.close();
      await (await openPostgres(options)).close(); // and again: nothing to apply
      const after = await withClient(database.url, async (client) => ({
        tables: (
          await client.query<{ t: string }>(
            "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
          )
        ).rows.map((r) => r.t),
        tasks: (await client.query('SELECT id, title, state FROM open_tasks')).rows,
        lessons: Number(
          (await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM lessons')).rows[0]?.n,
        ),
      }));
      expect(after).toEqual({
        tables: [
          '_prisma_migrations',
          'advisories',
          'history',
          'lesson_counts',
          'lesson_days',
          'lesson_members',
          'lesson_totals',
          'lessons',
          'pattern_days',
          'patterns',
          'tasks',
        ],
        tasks: [{ id: 1, title: 'ship it', state: 'todo' }],
        lessons: 1,
      });
    } finally {
      await database.drop();
    }
  });
});

describe('migrations and model', () => {
  /** The service's SQLite options on a file of the test's own. */
  const sqliteOptions = (path: string) => ({
    path,
    synchronous: 'FULL' as const,
    busyTimeoutMs: 1000,
    schemaPath,
    migrationsDir,
  });

  test('replaying prisma/migrations gives exactly the database schema.prisma describes', async () => {
    const schema = await readPrismaSchema(schemaPath);
    expect(await pendingSql(shadow(), schema, migrationsDir)).toBe('');
  });

  test('the check sees a model change that has no migration', async () => {
    const schema = await readPrismaSchema(schemaPath);
    const changed = {
      ...schema,
      content: schema.content.replace(
        'occurrences  Int      @default(1)',
        'occurrences  Int      @default(1)\n  owner        String?',
      ),
    };
    expect(changed.content).not.toBe(schema.content);
    expect(await pendingSql(shadow(), changed, migrationsDir)).toContain('ADD COLUMN "owner" TEXT');
  });

  test('the service migrates a new file once, records it as Prisma does, and applies nothing twice', async () => {
    const path = join(tempDir(), 'nested', 'dir', 'lessons.db');
    const options = sqliteOptions(path);
    for (let i = 0; i < 2; i++) {
      const db = await openSqlite(options);
      await db.close();
    }
    const raw = new Database(path, { readonly: true });
    const applied = raw
      .prepare(
        'SELECT migration_name, finished_at IS NOT NULL AS done, rolled_back_at FROM _prisma_migrations',
      )
      .all();
    const names = (await readMigrations(migrationsDir)).migrationDirectories.map((d) => d.path);
    expect(applied).toEqual(
      names.map((name) => ({ migration_name: name, done: 1, rolled_back_at: null })),
    );
    /** The `name` of each row `sql` selects. */
    const namesOf = (sql: string) =>
      raw
        .prepare(sql)
        .all()
        .map((r) => (r as { name: string }).name);
    const columns = namesOf("SELECT name FROM pragma_table_info('lessons') ORDER BY cid");
    // The field registry's columns, in the table's order, and the journal's own.
    expect(columns.filter((c) => !MANAGED_COLUMNS.includes(c))).toEqual(COLUMNS);
    expect(columns).toEqual(expect.arrayContaining([...MANAGED_COLUMNS]));
    const indexes = namesOf(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lessons' AND sql IS NOT NULL ORDER BY name",
    );
    expect(indexes).toEqual([
      'lessons_created_idx',
      'lessons_dedup_key_idx',
      'lessons_fingerprint_idx',
      'lessons_pattern_created_idx',
      'lessons_pattern_repo_idx',
      'lessons_pattern_work_item_idx',
      'lessons_repo_created_idx',
      'lessons_status_created_idx',
      'lessons_type_created_idx',
      'lessons_type_stage_created_idx',
    ]);
    const triggers = namesOf("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
    expect(triggers).toEqual([
      'lessons_count_delete',
      'lessons_count_insert',
      'lessons_count_update',
      'lessons_rollup_bump',
      'lessons_rollup_insert',
    ]);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });
  test('opening keeps the planner statistics and drops STAT4 samples, which made every statement re-prepare', async () => {
    const path = join(tempDir(), 'lessons.db');
    const options = sqliteOptions(path);
    await (await openSqlite(options)).close();
    const raw = new Database(path);
    const insert = raw.prepare(
      "INSERT INTO lessons (lesson_type, work_item_id, stage, created_at) VALUES ('ci_failure', ?, ?, ?)",
    );
    for (let i = 0; i < 300; i++)
      insert.run(`W-${i % 40}`, i % 3 === 0 ? null : 'build', 1_700_000_000_000 + i);
    // What `PRAGMA optimize` does on a table it finds unanalysed: a full ANALYZE.
    raw.exec('ANALYZE');
    const samples = () =>
      (raw.prepare('SELECT COUNT(*) AS n FROM sqlite_stat4').get() as { n: number }).n;
    expect(samples()).toBeGreaterThan(0);
    raw.close();
    await (await openSqlite(options)).close();
    const reopened = new Database(path, { readonly: true });
    expect(
      (reopened.prepare('SELECT COUNT(*) AS n FROM sqlite_stat4').get() as { n: number }).n,
    ).toBe(0);
    const stat1 = reopened
      .prepare("SELECT idx FROM sqlite_stat1 WHERE tbl = 'lessons' ORDER BY idx")
      .all()
      .map((r) => (r as { idx: string }).idx);
    expect(stat1).toContain('lessons_dedup_key_idx');
    reopened.close();
  });
});
