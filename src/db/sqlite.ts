// The embedded SQLite database: one file, owned by one process, written through one connection.
//
// Promise: opening creates the file (and its folder) when missing, takes ownership of it
// for the life of the process (an exclusive lock on a file beside it), applies the pending
// migrations, and returns a Prisma client on the one writing connection, the group commit
// on that same connection, and a reader thread for long reads. A second process opening
// the same file fails at once with DatabaseOwnedElsewhere instead of waiting, corrupting
// or wedging it (a SQLITE_BUSY at COMMIT wedges @prisma/adapter-better-sqlite3: prisma
// issue 29933).
//
// Durability: WAL with synchronous=FULL by default, so an acknowledged write has been
// fsynced and survives a killed process and a power cut; NORMAL (configurable) survives a
// killed process but may lose the last commits on a power cut.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';
import Database from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { createGroupCommit } from './group-commit.ts';
import { applyMigrations, readPrismaSchema } from './schema-engine.ts';
import { createSqliteReader } from './sqlite-reader.ts';
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

/**
 * Ownership of a journal file: an exclusive lock on `<file>-owner`, a tiny SQLite file
 * beside it, taken with no busy wait (so a second server is refused at once) and held
 * until the journal closes or the process ends (the OS releases it even on SIGKILL). A
 * file of its own, so the journal itself can have a reader connection besides the writer.
 */
function takeOwnership(path: string): BetterSqlite3.Database {
  const lock = new Database(`${path}-owner`, { timeout: 0 });
  try {
    lock.exec(
      'PRAGMA locking_mode = EXCLUSIVE; BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS owner (pid INTEGER); ' +
        `DELETE FROM owner; INSERT INTO owner VALUES (${process.pid}); COMMIT;`,
    );
    return lock;
  } catch (error) {
    lock.close();
    if (String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) {
      throw new DatabaseOwnedElsewhere(path);
    }
    throw error;
  }
}

export async function openSqlite(options: SqliteOptions): Promise<OpenDatabase> {
  const inMemory = options.path === ':memory:';
  if (!inMemory) {
    mkdirSync(dirname(options.path), { recursive: true });
    const aside = setAsideOrphanedWal(options.path);
    if (aside) options.onEngineLog?.(`moved an orphaned write-ahead log to ${aside}`);
  }
  const owner = inMemory ? undefined : takeOwnership(options.path);
  // Dates are stored as integer milliseconds since the epoch (UTC): exact to the
  // millisecond, compact, and compared and bucketed with integer arithmetic.
  const factory = new PrismaBetterSqlite3(
    { url: options.path, timeout: options.busyTimeoutMs },
    { timestampFormat: 'unixepoch-ms' },
  );
  let connection: SqlDriverAdapter;
  try {
    connection = await factory.connect();
    // Migrations run on a connection of their own, closed afterwards: the schema engine
    // locks the file (`PRAGMA main.locking_mode=EXCLUSIVE`) and leaves it locked. (An
    // in-memory database exists only on its one connection.)
    const migrating = inMemory ? connection : await factory.connect();
    try {
      await migrating.executeScript('PRAGMA journal_mode = WAL;');
      await applyMigrations(
        connectionFactory(migrating, () => factory.connectToShadowDb(), false),
        await readPrismaSchema(options.schemaPath),
        options.migrationsDir,
        options.onEngineLog,
      );
    } finally {
      if (migrating !== connection) await migrating.dispose();
    }
  } catch (error) {
    owner?.close();
    throw error;
  }
  try {
    const client = rawConnection(connection);
    registerFunctions(client);
    // Refresh the planner's statistics when they are stale (cheap; SQLite's advice for
    // long-lived connections).
    await connection.executeScript(
      `PRAGMA synchronous = ${options.synchronous}; PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)}; PRAGMA optimize = 0x10002;`,
    );
    const shadow = () => factory.connectToShadowDb();
    const prisma = new PrismaClient({ adapter: connectionFactory(connection, shadow, true) });
    await prisma.$connect();
    const opened = inMemory ? undefined : identity(options.path);
    const reader = inMemory ? undefined : createSqliteReader(options.path, options.busyTimeoutMs);
    return {
      provider: 'sqlite',
      prisma,
      close: async () => {
        await reader?.close();
        await prisma.$disconnect();
        owner?.close();
      },
      ...(reader ? { readOffThread: reader.all } : {}),
      // Writes through an open descriptor of a deleted file would be acknowledged and lost.
      lost: () => opened !== undefined && identity(options.path) !== opened,
      write: createGroupCommit(client).write,
    };
  } catch (error) {
    await connection.dispose();
    owner?.close();
    throw error;
  }
}
