// The PostgreSQL backend: the production database, shared with the orchestrator, possibly
// used by several replicas of this service at once.
//
// Promise: opening applies the pending migrations (Prisma's WebAssembly schema engine over
// one dedicated connection, so Prisma's migration advisory lock serialises replicas that
// start together) and returns the port (../port.ts) over one pool whose every wait is
// bounded: connecting (connectTimeoutMs), each statement (statement_timeout, plus a
// client-side read timeout in case the server stops answering), each lock wait
// (lock_timeout). So an outage costs a caller at most about those bounds, never a hang,
// and the pool reconnects by itself when the database is back. Commits are synchronous (an
// acknowledged record survives a crash of the server). It creates nothing but its own
// objects (`lessons`, `lesson_counts`, `lesson_totals`, the trigger function and its
// triggers, `_prisma_migrations`), in the schema the URL names (`?schema=`, default
// `public`).
import pg from 'pg';
import { applyMigrations, readPrismaSchema } from '../migrate/engine.ts';
import { migrationAdapter } from '../migrate/postgres-adapter.ts';
import type { Backend } from '../port.ts';
import { connectionConfig, quoteIdent } from './connection.ts';
import { postgresDialect } from './dialect.ts';
import { statement, transaction } from './driver.ts';
import { postgresFault } from './faults.ts';

export interface PostgresTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  poolSize: number;
}

export interface PostgresOptions extends PostgresTimeouts {
  url: string;
  schemaPath: string;
  migrationsDir: string;
  onEngineLog?: (line: string) => void;
}

function boundedPoolConfig(
  config: pg.ClientConfig,
  schema: string,
  timeouts: PostgresTimeouts,
): pg.PoolConfig {
  return {
    ...config,
    max: timeouts.poolSize,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    lock_timeout: timeouts.lockTimeoutMs,
    idle_in_transaction_session_timeout: Math.max(1000, timeouts.statementTimeoutMs * 2),
    // A server that stops answering mid-query: give up a little after statement_timeout.
    query_timeout: timeouts.statementTimeoutMs + 500,
    keepAlive: true,
    application_name: 'lessons-journal',
    // synchronous_commit on whatever the server's default: an acknowledged record has
    // reached PostgreSQL's write-ahead log on disk, so it survives a crash of the server.
    options: `-c search_path=${quoteIdent(schema)} -c synchronous_commit=on`,
  };
}

const OWN_RELATIONS = ['lessons', 'lesson_counts', 'lesson_totals', '_prisma_migrations'];

/**
 * The journal's schema, created if missing, and what else lives there (the orchestrator's
 * tables, views and enums in a shared database), as `schema.name` for the schema engine.
 */
async function neighbours(
  config: pg.ClientConfig,
  schema: string,
  connectTimeoutMs: number,
): Promise<{ tables: string[]; enums: string[] }> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => {});
  await client.connect();
  try {
    if (schema !== 'public')
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    const relations = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT (c.relname = ANY($2))`,
      [schema, OWN_RELATIONS],
    );
    const enums = await client.query<{ name: string }>(
      `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = $1 AND t.typtype = 'e'`,
      [schema],
    );
    const qualified = (rows: { name: string }[]) => rows.map((r) => `${schema}.${r.name}`);
    return { tables: qualified(relations.rows), enums: qualified(enums.rows) };
  } finally {
    await client.end();
  }
}

export async function openPostgres(options: PostgresOptions): Promise<Backend> {
  const { config, schema } = connectionConfig(options.url);
  // In a shared database the orchestrator's objects are "external" to the schema engine:
  // left alone, and not counted when it checks that a database without history is empty.
  const external = await neighbours(config, schema, options.connectTimeoutMs);
  const engine = migrationAdapter(options.url);
  try {
    await applyMigrations(
      engine.factory,
      await readPrismaSchema(options.schemaPath),
      options.migrationsDir,
      options.onEngineLog,
      external,
    );
  } finally {
    await engine.close();
  }
  const pool = new pg.Pool(boundedPoolConfig(config, schema, options));
  pool.on('error', () => {}); // an idle connection lost: the pool replaces it on demand
  const fail = (error: unknown): never => {
    throw postgresFault(error);
  };
  return {
    provider: 'postgresql',
    dialect: postgresDialect,
    read: (sql, { signal }) => statement(pool, sql, signal).catch(fail),
    write: (sql, signal) => statement(pool, sql, signal).catch(fail),
    transaction: (job, signal) => transaction(pool, job, signal).catch(fail),
    lost: () => false,
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
