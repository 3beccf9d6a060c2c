// journal: the journal's backend port (src/db/port.ts) over a bench store's raw connection,
// so that S7's raw baseline runs the journal's own functions (riceInputs, advisories): the
// service's SQL and its post-processing exactly, without HTTP, GraphQL or the service's
// backend (no reader thread, no group commit, no guard).
//
// Promise: read and write run the Prisma.Sql they are given as one statement on the store's
// connection (SQLite: `.sql`, `?` placeholders; PostgreSQL: `.text`, `$1..$n`), bound as
// the service binds (store.ts' `statement`), with the backend's own dialect; a statement
// whose signal has aborted is not started. A transaction's statements run one after
// another, each committing by itself (advisories' read and insert): the same statements
// and the same one write, without the BEGIN/COMMIT round trips, as a floor should be.
import type { Backend } from '../src/db/port.ts';
import { postgresDialect } from '../src/db/postgres/dialect.ts';
import { sqliteDialect } from '../src/db/sqlite/dialect.ts';
import type { Store } from './store.ts';

export function journalBackend(store: Store): Backend {
  const sqlite = store.provider === 'sqlite';
  const run: Backend['write'] = async (sql, signal) => {
    if (signal.aborted) throw signal.reason;
    return store.statement(sqlite ? sql.sql : sql.text, sql.values);
  };
  return {
    provider: store.provider,
    dialect: sqlite ? sqliteDialect : postgresDialect,
    read: (sql, { signal }) => run(sql, signal),
    write: run,
    transaction: async (job, signal) => {
      const all = (sql: Parameters<typeof run>[0]) => run(sql, signal);
      // `run` counts returned rows: advisories, the one caller, uses `all` only.
      return job({ all, run: async (sql) => (await all(sql)).length });
    },
    lost: () => false,
    // The store owns the connection and closes it.
    close: async () => {},
  };
}
