// PostgreSQL: the production backend, a database shared with the orchestrator, possibly
// used by several replicas of this service at once.
//
// Promise: opening applies the pending migrations (Prisma's WebAssembly schema engine over
// one dedicated connection, so Prisma's migration advisory lock serialises replicas that
// start together) and returns a Prisma client, and the record path's raw writes
// (postgres-write.ts), on one pool whose every wait is bounded:
// connecting (connectTimeoutMs), each statement (statement_timeout, plus a client-side
// read timeout in case the server stops answering), each lock wait (lock_timeout). So an
// outage costs a caller at most about those bounds, never a hang, and the pool reconnects
// by itself when the database is back. Commits are synchronous (an acknowledged record
// survives a crash of the server). It creates nothing but its own objects (`lessons`,
// `lesson_counts`, `lesson_totals`, the trigger function and its triggers,
// `_prisma_migrations`), in the
// schema the URL names (`?schema=`, default `public`).
import { PrismaPg } from '@prisma/adapter-pg';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../generated/prisma-pg/client.ts';
import { writeInTransaction } from './postgres-write.ts';
import { applyMigrations, readPrismaSchema } from './schema-engine.ts';
import type { OpenDatabase } from './types.ts';

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

/** The connection settings of a URL, without its `schema` parameter (pg doesn't know it). */
function connectionConfig(url: string): { config: pg.ClientConfig; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') || 'public';
  parsed.searchParams.delete('schema');
  const config = parseIntoClientConfig(parsed.toString());
  return { config, schema };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
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

/**
 * A pool whose results report PostgreSQL's internal one-byte `"char"` type (OID 18) as text.
 * The schema engine reads catalogs with such columns (pg_constraint.contype, ...) and
 * @prisma/adapter-pg 7.10 rejects that type ("Unsupported column type char"); the values
 * are one-letter strings either way. Used for the schema engine's connections only.
 */
function charAsTextPool(config: pg.PoolConfig): pg.Pool {
  const asText = (result: pg.QueryResult | undefined) => {
    for (const field of result?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  const pool = new pg.Pool(config);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      // pool.query() calls client.query with a callback; the adapter's own calls use promises.
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: pg.QueryResult) =>
          callback(error, asText(result));
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(asText) : result;
    };
  });
  return pool;
}

/**
 * The schema engine's adapter: one connection to the database (so that Prisma's session
 * advisory lock and the statements it guards share it), and shadow databases made and
 * dropped on the same server by this factory (the adapter's own leaves its shadow behind:
 * it drops the database before closing the pool that uses it, and its connection-string
 * config ignores the shadow database's name).
 */
export function migrationAdapter(url: string): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Ends every connection the engine was given (it does not close them itself, and one may
   * hold Prisma's migration lock, which would keep other replicas waiting). */
  close(): Promise<void>;
} {
  const { config, schema } = connectionConfig(url);
  const pools = new Set<pg.Pool>();
  const adapterFor = async (poolConfig: pg.PoolConfig, schemaName?: string) => {
    const pool = charAsTextPool(poolConfig);
    pools.add(pool);
    pool.on('error', () => {}); // an idle connection's error: the next use reports it
    const adapter = await new PrismaPg(pool, {
      ...(schemaName ? { schema: schemaName } : {}),
      disposeExternalPool: true,
    }).connect();
    // The adapter splits a script on every ";", which cuts a function body ($$ ... $$) in
    // pieces; PostgreSQL runs a multi-statement script itself in one simple query.
    adapter.executeScript = async (script) => {
      await pool.query(script);
    };
    return adapter;
  };
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () =>
      adapterFor({ ...config, max: 1, options: `-c search_path=${quoteIdent(schema)}` }, schema),
    connectToShadowDb: async (): Promise<SqlDriverAdapter> => {
      const admin = new pg.Client(config);
      await admin.connect();
      const name = `lessons_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      await admin.end();
      const shadow = await adapterFor({ ...config, database: name, max: 1 });
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const dropper = new pg.Client(config);
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        await dropper.end();
      };
      return shadow;
    },
  };
  return {
    factory,
    close: async () => {
      const ending = [...pools].filter((pool) => !pool.ended).map((pool) => pool.end());
      pools.clear();
      await Promise.allSettled(ending);
    },
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

export async function openPostgres(options: PostgresOptions): Promise<OpenDatabase> {
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
  // One pool: Prisma's adapter reads through it, the record path writes on it directly.
  const pool = new pg.Pool(boundedPoolConfig(config, schema, options));
  pool.on('error', () => {}); // an idle connection lost: the pool replaces it on demand
  const adapter = new PrismaPg(pool, { schema });
  // One model, two generated clients (Prisma compiles queries per provider); the journal
  // uses the API they share, so the PostgreSQL one is typed as the source schema's.
  const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  return {
    provider: 'postgresql',
    prisma,
    writeRaw: (statements) => writeInTransaction(pool, statements),
    close: async () => {
      await prisma.$disconnect();
      if (!pool.ended) await pool.end();
    },
  };
}
