// For tests that need PostgreSQL: whether the run has a server (test/postgres/global-setup.ts
// decides, once per run), and a fresh, uniquely named database on it per test or file,
// dropped afterwards even while clients are still connected to it.
//
//   const postgres = postgresAvailable();
//   describe.skipIf('skipped' in postgres)(`on PostgreSQL ${skipNote(postgres)}`, () => {
//     ... const db = await createTestDatabase(postgres.url); ... await db.drop();
//   });
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export type PostgresAvailability = { url: string } | { skipped: string };

/** The run's PostgreSQL server (a database URL whose user may create databases), or why not. */
export function postgresAvailable(): PostgresAvailability {
  const url = inject('postgresUrl');
  if (url) return { url };
  return {
    skipped:
      inject('postgresSkipReason') ??
      'the PostgreSQL global setup (test/postgres/global-setup.ts) did not run',
  };
}

/** `(skipped: <reason>)` when PostgreSQL is unavailable, else '': for test names. */
export function skipNote(availability: PostgresAvailability): string {
  return 'skipped' in availability ? `(skipped: ${availability.skipped})` : '';
}

export interface TestDatabase {
  /** The new database's URL: the server's URL with its database name replaced. */
  url: string;
  name: string;
  /**
   * Drops the database, ending its connections first; safe to call more than once. A client
   * still connected gets an 'error' event (57P01): without a listener, an uncaught error.
   */
  drop(): Promise<void>;
}

/** A fresh database; a copy of `template` (a database with no open connection) when given. */
export async function createTestDatabase(
  baseUrl: string,
  template?: string,
): Promise<TestDatabase> {
  const name = `lessons_test_${Date.now().toString(36)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(baseUrl, async (client) => {
    // CREATE DATABASE copies template1 and fails while another session is in it (55006),
    // which concurrent CREATE DATABASEs can briefly cause: retry for a while.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.query(
          `CREATE DATABASE ${client.escapeIdentifier(name)}${template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : ''}`,
        );
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= withClient(baseUrl, async (client) => {
      const quoted = client.escapeIdentifier(name);
      const { rows } = await client.query<{ v: string }>(
        "SELECT current_setting('server_version_num') AS v",
      );
      if (Number(rows[0]?.v) >= 130000) {
        await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
        return;
      }
      // Before PostgreSQL 13: refuse new connections, end the open ones, then drop.
      await client.query(`ALTER DATABASE ${quoted} ALLOW_CONNECTIONS false`).catch(() => {});
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      await client.query(`DROP DATABASE IF EXISTS ${quoted}`);
    }).catch((error: unknown) => {
      dropped = undefined; // a failed drop may be retried
      throw error;
    });
    return dropped;
  };
  return { url: url.toString(), name, drop };
}

export async function withClient<T>(
  url: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
