// The embedded SQLite backend: one file, owned by one process, written through one
// connection, read by it and by a reader thread.
//
// Promise: opening creates the file (and its folder) when missing, takes ownership of it
// for the life of the process (an exclusive lock on a file beside it), applies the pending
// migrations, and returns the port (../port.ts) over the one writing connection (the group
// commit for writes, short reads between batches) and the reader threads for long reads. A
// second process opening the same file fails at once with DatabaseOwnedElsewhere instead
// of waiting, corrupting or wedging it.
//
// The file itself (file.ts): an existing one is checked before anything writes into it; a
// corrupt file (found so then, or by any statement later) is kept for reads only, every
// write refused with reason `corrupt`. A write is acknowledged only if the file it went into
// is still the one at the path: one deleted or replaced meanwhile fails the write, and the
// handle (../database.ts) opens the file now there.
//
// Durability: WAL with synchronous=FULL by default, so an acknowledged write has been
// fsynced and survives a killed process and a power cut; NORMAL (configurable) survives a
// killed process but may lose the last commits on a power cut.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import Database from 'better-sqlite3';
import { delegate } from '../migrate/delegate.ts';
import { applyMigrations, readPrismaSchema } from '../migrate/engine.ts';
import { type Backend, DatabaseFault, type Row, type Sql } from '../port.ts';
import { sqliteDialect } from './dialect.ts';
import { sqliteFault } from './faults.ts';
import { corruption, fileIdentity, setAsideOrphanedWal, watchFiles } from './file.ts';
import { createGroupCommit } from './group-commit.ts';
import { createSqliteReader, type SqliteReader } from './reader.ts';
import { refreshStatistics } from './statistics.ts';

export class DatabaseOwnedElsewhere extends DatabaseFault {
  constructor(readonly path: string) {
    super(
      'db_in_use',
      `the database file ${path} is in use by another process (another lessons-journal ` +
        'server?). One process owns an SQLite journal: stop the other one, or give this ' +
        'one its own DATABASE_URL.',
    );
    this.name = 'DatabaseOwnedElsewhere';
  }
}

export interface SqliteOptions {
  /** Filesystem path of the database file. */
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  /** Reader threads: how many long reads may run at once (default 1). */
  readers?: number;
  schemaPath: string;
  migrationsDir: string;
  onEngineLog?: (line: string) => void;
  /** Told once when the file is found corrupt (at the open, or by a statement later). */
  onCorrupt?: (fault: DatabaseFault) => void;
}

/**
 * The schema engine's view of one migration connection: its dispose() must not close the
 * connection, which is closed here once the engine is done (the engine leaves the file
 * locked with `locking_mode=EXCLUSIVE` on it).
 */
function borrowed(
  connection: SqlDriverAdapter,
  shadow: () => Promise<SqlDriverAdapter>,
): SqlMigrationAwareDriverAdapterFactory {
  const view = delegate(connection, { dispose: () => Promise.resolve() });
  return {
    provider: 'sqlite',
    adapterName: connection.adapterName,
    connect: () => Promise.resolve(view),
    connectToShadowDb: shadow,
  };
}

/** Applies the pending migrations on a connection of Prisma's adapter, closed afterwards. */
async function migrate(options: SqliteOptions): Promise<void> {
  // Timestamps are integer milliseconds since the epoch (UTC): exact to the millisecond,
  // compact, compared and bucketed with integer arithmetic.
  const factory = new PrismaBetterSqlite3(
    { url: options.path, timeout: options.busyTimeoutMs },
    { timestampFormat: 'unixepoch-ms' },
  );
  const connection = await factory.connect();
  try {
    await connection.executeScript('PRAGMA journal_mode = WAL;');
    await applyMigrations(
      borrowed(connection, () => factory.connectToShadowDb()),
      await readPrismaSchema(options.schemaPath),
      options.migrationsDir,
      options.onEngineLog,
    );
  } finally {
    await connection.dispose();
  }
}

/**
 * Ownership of a journal file: an exclusive lock on `<file>-owner`, a tiny SQLite file
 * beside it, taken with no busy wait (so a second server is refused at once) and held
 * until the journal closes or the process ends (the OS releases it even on SIGKILL). A
 * file of its own, so the journal itself can have a reader connection besides the writer.
 */
function takeOwnership(path: string): Database.Database {
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

/** How values bind: a Date as its epoch milliseconds (the stored form), a boolean as 0/1. */
function bind(sql: Sql): unknown[] {
  return sql.values.map((value) => {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value === undefined ? null : value;
  });
}

/** Prepared statements kept, by SQL text (the journal has a bounded set of shapes). */
const MAX_STATEMENTS = 256;

export async function openSqlite(options: SqliteOptions): Promise<Backend> {
  const { path } = options;
  let owner: Database.Database | undefined;
  let db: Database.Database | undefined;
  let reader: SqliteReader | undefined;
  let corrupt: DatabaseFault | undefined;
  let migrated: string;
  // The writer's count of commits, for the readers (reader.ts: which reads may be shared).
  let commits = () => 0;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const aside = setAsideOrphanedWal(path);
    if (aside) options.onEngineLog?.(`moved an orphaned write-ahead log to ${aside}`);
    owner = takeOwnership(path);
    // Before anything writes into it: a corrupt file is opened for reads only, unmigrated.
    // The check has a reader thread of its own, closed before the migration: the schema
    // engine takes the file in exclusive locking mode, which no other open connection allows.
    const checker = createSqliteReader(path, options.busyTimeoutMs);
    try {
      corrupt = await corruption(path, checker);
    } finally {
      await checker.close();
    }
    if (!corrupt) await migrate(options);
    reader = createSqliteReader(path, options.busyTimeoutMs, {
      threads: options.readers ?? 1,
      commits: () => commits(),
    });
    // The file as migrated: one replaced before the connection below opened it is lost.
    migrated = fileIdentity(path);
    db = new Database(path, { timeout: options.busyTimeoutMs });
    db.exec(`PRAGMA synchronous = ${options.synchronous}`);
    if (!corrupt) refreshStatistics(db, 'stale');
  } catch (error) {
    await reader?.close();
    db?.close();
    owner?.close();
    throw error;
  }
  if (corrupt) options.onCorrupt?.(corrupt);
  const lock = owner;
  const connection = db;
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: Sql) => {
    let statement = statements.get(sql.sql);
    if (!statement) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statement = connection.prepare(sql.sql);
      statements.set(sql.sql, statement);
    }
    return statement;
  };
  // Taken once this connection has its write-ahead log and shared memory open.
  const files = watchFiles(path, migrated);
  // Nothing is written into a corrupt file, and nothing acknowledged that went into a lost one.
  const writable = () => {
    if (corrupt) throw corrupt;
    if (files.lost())
      throw new DatabaseFault(
        'db_unavailable',
        `the database file ${path} (or its -wal or -shm) was deleted or replaced: ` +
          'the write is not acknowledged',
      );
  };
  const writer = createGroupCommit(connection, prepare, bind, writable);
  commits = writer.commits;
  const fail = (error: unknown): never => {
    const fault = sqliteFault(error);
    if (!corrupt && fault instanceof DatabaseFault && fault.reason === 'corrupt') {
      corrupt = fault;
      options.onCorrupt?.(fault);
    }
    throw fault;
  };
  return {
    provider: 'sqlite',
    dialect: sqliteDialect,
    read: async (sql, { signal, long }) => {
      if (long) return reader.all(sql.sql, bind(sql), signal).catch(fail);
      // A short read on the writing connection: after any batch in progress (a bounded wait),
      // never inside it; not started once its caller has stopped waiting.
      await writer.idle();
      if (signal.aborted) throw signal.reason;
      try {
        return prepare(sql).all(...bind(sql)) as Row[];
      } catch (error) {
        return fail(error);
      }
    },
    // Every write is a job of the group commit, one statement or several.
    write: (sql, signal) => writer.write((tx) => tx.all(sql), signal).catch(fail),
    transaction: (job, signal) => writer.write(job, signal).catch(fail),
    // Writes through an open descriptor of a deleted file would be acknowledged and lost:
    // the group commit asks before and after each batch, the handle (more cheaply: file.ts)
    // before each operation.
    lost: files.seenLost,
    close: async () => {
      await reader.close();
      await writer.idle();
      connection.close();
      files.removeLeftovers();
      lock.close();
    },
  };
}
