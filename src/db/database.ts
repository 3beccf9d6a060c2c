// The journal's handle on its database: opened and migrated on first use, never before
// (with the journal off, no file is created and nothing is migrated). Concurrent first
// uses share one open. A failed open is remembered for `retryAfterMs`, so a broken
// database costs callers nothing while it lasts, then retried, so the service recovers
// by itself when the fault ends. Readiness (`ping`) proves the journal can do its job: a
// read and a write, where the write changes nothing.
import type { Logger } from 'pino';
import { withDeadline } from '../deadline.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { ServerSettings } from '../settings.ts';
import { type Backend, DatabaseFault } from './port.ts';
import { postgresFault } from './postgres/faults.ts';
import { openPostgres, type PostgresTimeouts } from './postgres/open.ts';
import { sqliteFault } from './sqlite/faults.ts';
import { openSqlite } from './sqlite/open.ts';
import type { DatabaseLocation } from './url.ts';

export interface DatabaseHandle {
  readonly location: DatabaseLocation;
  /** The open database; opens it on first use. Rejects while it can't be opened. */
  get(): Promise<Backend>;
  /** Whether the journal can read and write its table, found within `timeoutMs`. */
  ping(timeoutMs: number): Promise<DatabaseState>;
  close(): Promise<void>;
}

/**
 * What readiness found: `up` (a read and a write of the journal's table both passed), or
 * why not: `read-only` (the database refuses writes), `corrupt` (the SQLite file failed its
 * integrity check, or a statement found it corrupt), `down` (anything else).
 */
export type DatabaseState = 'up' | 'down' | 'read-only' | 'corrupt';

export type Opener = (location: DatabaseLocation) => Promise<Backend>;

export interface DatabaseTuning {
  sqlite: { synchronous: 'FULL' | 'NORMAL'; busyTimeoutMs: number; readers: number };
  postgres: PostgresTimeouts;
}

/** The database tuning a server's settings ask for. */
export function tuningOf(settings: ServerSettings): DatabaseTuning {
  return {
    sqlite: {
      synchronous: settings.sqliteSynchronous,
      busyTimeoutMs: settings.sqliteBusyTimeoutMs,
      readers: settings.sqliteReaders,
    },
    postgres: settings.postgres,
  };
}

const PRISMA_DIR = new URL('../../prisma/', import.meta.url);

/** Where each backend's model and migrations live. */
export const MIGRATIONS = {
  sqlite: {
    schemaPath: new URL('schema.prisma', PRISMA_DIR).pathname,
    migrationsDir: new URL('migrations', PRISMA_DIR).pathname,
  },
  postgresql: {
    schemaPath: new URL('postgresql/schema.prisma', PRISMA_DIR).pathname,
    migrationsDir: new URL('postgresql/migrations', PRISMA_DIR).pathname,
  },
} as const;

/** Opens a location with the project's schema and migrations for its backend. */
export function defaultOpener(tuning: DatabaseTuning, log: Logger): Opener {
  const onEngineLog = (line: string) => log.debug({ schemaEngine: line }, 'schema engine');
  return (location) =>
    location.provider === 'sqlite'
      ? openSqlite({
          path: location.path,
          ...tuning.sqlite,
          ...MIGRATIONS.sqlite,
          onEngineLog,
          onCorrupt: (fault) =>
            log.warn(
              { path: location.path, error: fault.message },
              'the database file is corrupt: writes are refused until it is recovered (docs/operations.md)',
            ),
        })
      : openPostgres({
          url: location.url,
          ...tuning.postgres,
          ...MIGRATIONS.postgresql,
          onEngineLog,
        });
}

const READ_PROBE = Prisma.sql`SELECT id FROM lessons LIMIT 1`;
/**
 * A write that changes nothing, so proves no more than it costs: it still takes the write
 * lock on the journal's table, which a read-only database refuses (SQLite: a read-only file
 * or connection, `query_only`; PostgreSQL: a read-only transaction, a standby, no UPDATE
 * grant, a table locked by another session) exactly as it would refuse a record. No row
 * matches, so no trigger runs and nothing reaches the log; a write that really commits
 * bytes would cost an fsync per probe to learn only what a record's own fault says.
 */
const WRITE_PROBE = Prisma.sql`UPDATE lessons SET id = id WHERE 1 = 0 RETURNING id`;

/** The state the probes' faults show, the most specific first. */
function stateOf(faults: unknown[]): DatabaseState {
  if (faults.length === 0) return 'up';
  const reasons = faults.map((f) => (f instanceof DatabaseFault ? f.reason : undefined));
  if (reasons.includes('corrupt')) return 'corrupt';
  if (reasons.includes('read_only')) return 'read-only';
  return 'down';
}

export function createDatabaseHandle(options: {
  location: DatabaseLocation;
  open: Opener;
  log: Logger;
  retryAfterMs?: number;
}): DatabaseHandle {
  const { location, open, log } = options;
  // Whatever an opener throws is classified by its backend, as the port's operations are.
  const faultOf = location.provider === 'sqlite' ? sqliteFault : postgresFault;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  let opening: Promise<Backend> | undefined;
  let opened: Backend | undefined;
  let failedAt = 0;
  let closed = false;

  const start = (after: Promise<unknown>): Promise<Backend> =>
    after
      .then(() => open(location))
      .then(
        (db) => {
          if (closed) {
            void db.close();
            throw new Error('the database handle is closed');
          }
          opened = db;
          failedAt = 0;
          log.info({ provider: db.provider }, 'database open');
          return db;
        },
        (error: unknown) => {
          failedAt = Date.now();
          throw faultOf(error);
        },
      );

  const get = (): Promise<Backend> => {
    if (closed) return Promise.reject(new Error('the database handle is closed'));
    if (opened?.lost()) {
      // Close the old connection first: closing removes the lost file's write-ahead log
      // and shared memory by name (sqlite/file.ts), which must not be the new file's.
      log.warn('the database file was deleted or replaced: opening a new one');
      const old = opened;
      opened = undefined;
      opening = start(old.close().catch(() => {}));
      return opening;
    }
    if (opened) return Promise.resolve(opened);
    if (opening && failedAt > 0 && Date.now() - failedAt >= retryAfterMs) opening = undefined;
    opening ??= start(Promise.resolve());
    return opening;
  };

  return {
    location,
    get,
    async ping(timeoutMs) {
      try {
        // The journal's own table: a dropped or locked table is not ready either.
        const outcomes = await withDeadline(timeoutMs, (signal) =>
          get().then((db) =>
            Promise.allSettled([db.read(READ_PROBE, { signal }), db.write(WRITE_PROBE, signal)]),
          ),
        );
        return stateOf(outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])));
      } catch (error) {
        return stateOf([error]);
      }
    },
    async close() {
      closed = true;
      const db = opened ?? (await opening?.catch(() => undefined));
      opened = undefined;
      await db?.close();
    },
  };
}
