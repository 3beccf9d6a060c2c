// The journal's handle on its database: opened and migrated on first use, never before
// (with the journal off, no file is created and nothing is migrated). Concurrent first
// uses share one open. A failed open is remembered for `retryAfterMs`, so a broken
// database costs callers nothing while it lasts, then retried, so the service recovers
// by itself when the fault ends.
import type { Logger } from 'pino';
import { deadline, untilAborted } from '../deadline.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { ServerSettings } from '../settings.ts';
import type { Backend } from './port.ts';
import { postgresFault } from './postgres/faults.ts';
import { openPostgres, type PostgresTimeouts } from './postgres/open.ts';
import { sqliteFault } from './sqlite/faults.ts';
import { openSqlite } from './sqlite/open.ts';
import type { DatabaseLocation } from './url.ts';

export interface DatabaseHandle {
  readonly location: DatabaseLocation;
  /** The open database; opens it on first use. Rejects while it can't be opened. */
  get(): Promise<Backend>;
  /** True when the journal's table answers a trivial query within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export type Opener = (location: DatabaseLocation) => Promise<Backend>;

export interface DatabaseTuning {
  sqlite: { synchronous: 'FULL' | 'NORMAL'; busyTimeoutMs: number };
  postgres: PostgresTimeouts;
}

/** The database tuning a server's settings ask for. */
export function tuningOf(settings: ServerSettings): DatabaseTuning {
  return {
    sqlite: {
      synchronous: settings.sqliteSynchronous,
      busyTimeoutMs: settings.sqliteBusyTimeoutMs,
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
      ? openSqlite({ path: location.path, ...tuning.sqlite, ...MIGRATIONS.sqlite, onEngineLog })
      : openPostgres({
          url: location.url,
          ...tuning.postgres,
          ...MIGRATIONS.postgresql,
          onEngineLog,
        });
}

const PROBE = Prisma.sql`SELECT id FROM lessons LIMIT 1`;

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
      // Close the old connection first: closing checkpoints and removes its write-ahead
      // log by name, which must not be the new file's.
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
      const bound = deadline(timeoutMs);
      try {
        // The journal's own table: a dropped or locked table is not ready either.
        const probe = get().then((db) => db.read(PROBE, { signal: bound.signal }));
        await untilAborted(probe, bound.signal);
        return true;
      } catch {
        return false;
      } finally {
        bound.clear();
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
