// The journal's handle on its database: opened and migrated on first use, never before
// (with the journal off, no file is created and nothing is migrated). Concurrent first
// uses share one open. A failed open is remembered for `retryAfterMs`, so a broken
// database costs callers nothing while it lasts, then retried, so the service recovers
// by itself when the fault ends.
import type { Logger } from 'pino';
import type { ServerSettings } from '../settings.ts';
import { openPostgres, type PostgresTimeouts } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { OpenDatabase } from './types.ts';
import type { DatabaseLocation } from './url.ts';

export interface DatabaseHandle {
  readonly location: DatabaseLocation;
  /** The open database; opens it on first use. Rejects while it can't be opened. */
  get(): Promise<OpenDatabase>;
  /** True when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs: number): Promise<boolean>;
  /** Whether a database connection is open now (no open is attempted). */
  isOpen(): boolean;
  close(): Promise<void>;
}

export type Opener = (location: DatabaseLocation) => Promise<OpenDatabase>;

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

/** Opens a location with the project's schema and migrations for its backend. */
export function defaultOpener(tuning: DatabaseTuning, log: Logger): Opener {
  const onEngineLog = (line: string) => log.debug({ schemaEngine: line }, 'schema engine');
  return async (location) => {
    if (location.provider === 'sqlite') {
      return openSqlite({
        path: location.path,
        ...tuning.sqlite,
        schemaPath: new URL('schema.prisma', PRISMA_DIR).pathname,
        migrationsDir: new URL('migrations', PRISMA_DIR).pathname,
        onEngineLog,
      });
    }
    return openPostgres({
      url: location.url,
      ...tuning.postgres,
      schemaPath: new URL('postgresql/schema.prisma', PRISMA_DIR).pathname,
      migrationsDir: new URL('postgresql/migrations', PRISMA_DIR).pathname,
      onEngineLog,
    });
  };
}

export function createDatabaseHandle(options: {
  location: DatabaseLocation;
  open: Opener;
  log: Logger;
  retryAfterMs?: number;
}): DatabaseHandle {
  const { location, open, log } = options;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  let opening: Promise<OpenDatabase> | undefined;
  let opened: OpenDatabase | undefined;
  let failedAt = 0;
  let closed = false;

  const start = (after: Promise<unknown>): Promise<OpenDatabase> =>
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
          throw error;
        },
      );

  const get = (): Promise<OpenDatabase> => {
    if (closed) return Promise.reject(new Error('the database handle is closed'));
    if (opened?.lost?.()) {
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
    isOpen: () => opened !== undefined,
    async ping(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const probe = get()
        // The journal's own table: a dropped or locked table is not ready either.
        .then((db) => db.prisma.$queryRawUnsafe('SELECT id FROM lessons LIMIT 1'))
        .then(
          () => true,
          () => false,
        );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
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
