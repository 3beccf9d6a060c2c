// The embedded SQLite database: one file, owned by one process through one connection.
//
// Promise: opening creates the file (and its folder) when missing, takes an exclusive lock
// on it for the life of the process, applies the pending migrations, and returns a Prisma
// client on that same connection. A second process opening the same file fails at once
// with DatabaseOwnedElsewhere instead of waiting, corrupting or wedging it (a SQLITE_BUSY
// at COMMIT wedges @prisma/adapter-better-sqlite3: prisma issue 29933).
//
// Durability: WAL with synchronous=FULL by default, so an acknowledged write has been
// fsynced and survives a killed process and a power cut; NORMAL (configurable) survives a
// killed process but may lose the last commits on a power cut.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createGroupCommit } from './group-commit.ts';
import { applyMigrations, readPrismaSchema } from './schema-engine.ts';
import type { OpenDatabase } from './types.ts';

export class DatabaseOwnedElsewhere extends Error {
  constructor(readonly path: string) {
    super(
      `the database file ${path} is in use by another process (another lessons-journal ` +
        'server?). One process owns an SQLite journal: stop the other one, or give this ' +
        'one its own DATABASE_URL.',
    );
    this.name = 'DatabaseOwnedElsewhere';
  }
}

export interface SqliteOptions {
  /** Filesystem path of the database file (`:memory:` for a private in-memory one). */
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  schemaPath: string;
  migrationsDir: string;
  onEngineLog?: (line: string) => void;
}

function isBusy(error: unknown): boolean {
  if (!(error instanceof DriverAdapterError)) return false;
  const cause = error.cause as { kind: string; originalCode?: string };
  return (
    cause.kind === 'SocketTimeout' || String(cause.originalCode ?? '').startsWith('SQLITE_BUSY')
  );
}

/**
 * A factory that hands out the one open connection. The schema engine gets a borrowed
 * view (its dispose() must not close our connection); the Prisma client gets the owner's
 * (its dispose() closes it).
 */
function connectionFactory(
  connection: SqlDriverAdapter,
  shadow: () => Promise<SqlDriverAdapter>,
  owned: boolean,
): SqlMigrationAwareDriverAdapterFactory {
  const view: SqlDriverAdapter = {
    provider: connection.provider,
    adapterName: connection.adapterName,
    queryRaw: (query) => connection.queryRaw(query),
    executeRaw: (query) => connection.executeRaw(query),
    executeScript: (script) => connection.executeScript(script),
    startTransaction: (level) => connection.startTransaction(level),
    dispose: () => (owned ? connection.dispose() : Promise.resolve()),
  };
  return {
    provider: 'sqlite',
    adapterName: connection.adapterName,
    connect: () => Promise.resolve(view),
    connectToShadowDb: shadow,
  };
}

/**
 * The better-sqlite3 Database under the adapter, for what Prisma can't do on it: register
 * the journal's SQL functions and run the group commit. PrismaBetterSqlite3 opens it
 * privately and keeps it as `client`; checked, so that an adapter upgrade that moves it
 * fails loudly at open (and in the tests) instead of at the first query.
 */
function rawConnection(connection: SqlDriverAdapter): BetterSqlite3.Database {
  const client = (connection as unknown as { client?: BetterSqlite3.Database }).client;
  if (typeof client?.function !== 'function') {
    throw new Error('@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`');
  }
  return client;
}

function registerFunctions(client: BetterSqlite3.Database): void {
  // Unicode case folding for the `text` filter (SQLite's own lower() folds ASCII only).
  client.function('lessons_fold', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? text.toLowerCase() : text,
  );
}

/**
 * A write-ahead log left beside a database file that is gone belongs to that deleted
 * database; replayed into a new file it would resurrect pages of another database, so it
 * is moved aside (kept, for forensics).
 */
function setAsideOrphanedWal(path: string): string | undefined {
  const wal = `${path}-wal`;
  if (existsSync(path) || !existsSync(wal)) return undefined;
  const aside = `${wal}.orphaned-${Date.now()}`;
  renameSync(wal, aside);
  return aside;
}

/** The file's identity, to notice it deleted or replaced under a live connection. */
function identity(path: string): string | undefined {
  try {
    const { dev, ino } = statSync(path);
    return `${dev}:${ino}`;
  } catch {
    return undefined;
  }
}

export async function openSqlite(options: SqliteOptions): Promise<OpenDatabase> {
  if (options.path !== ':memory:') {
    mkdirSync(dirname(options.path), { recursive: true });
    const aside = setAsideOrphanedWal(options.path);
    if (aside) options.onEngineLog?.(`moved an orphaned write-ahead log to ${aside}`);
  }
  // Dates are stored as integer milliseconds since the epoch (UTC): exact to the
  // millisecond, compact, and compared and bucketed with integer arithmetic.
  const factory = new PrismaBetterSqlite3(
    { url: options.path, timeout: 0 },
    { timestampFormat: 'unixepoch-ms' },
  );
  const connection = await factory.connect();
  try {
    // The lock is taken with no busy wait, so a second owner is refused at once; in
    // EXCLUSIVE mode the first write transaction's lock is then held until close (WAL then
    // also needs no shared-memory file).
    await connection.executeScript(
      'PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; BEGIN IMMEDIATE; COMMIT;',
    );
  } catch (error) {
    await connection.dispose();
    if (isBusy(error)) throw new DatabaseOwnedElsewhere(options.path);
    throw error;
  }
  try {
    const client = rawConnection(connection);
    registerFunctions(client);
    await connection.executeScript(
      `PRAGMA synchronous = ${options.synchronous}; PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)};`,
    );
    const schema = await readPrismaSchema(options.schemaPath);
    const shadow = () => factory.connectToShadowDb();
    await applyMigrations(
      connectionFactory(connection, shadow, false),
      schema,
      options.migrationsDir,
      options.onEngineLog,
    );
    // Refresh the planner's statistics when they are stale (cheap; SQLite's advice for
    // long-lived connections).
    await connection.executeScript('PRAGMA optimize = 0x10002;');
    const prisma = new PrismaClient({ adapter: connectionFactory(connection, shadow, true) });
    await prisma.$connect();
    const opened = options.path === ':memory:' ? undefined : identity(options.path);
    return {
      provider: 'sqlite',
      prisma,
      close: () => prisma.$disconnect(),
      // Writes through an open descriptor of a deleted file would be acknowledged and lost.
      lost: () => opened !== undefined && identity(options.path) !== opened,
      write: createGroupCommit(client).write,
    };
  } catch (error) {
    await connection.dispose();
    throw error;
  }
}
