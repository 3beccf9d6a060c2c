// The backends every contract test runs on: SQLite always; PostgreSQL when the run has a
// server (test/postgres/), else visibly skipped with the reason in the suite's name.
import { describe } from 'vitest';
import { postgresAvailable, skipNote } from './postgres/databases.ts';

export type Backend = 'sqlite' | 'postgresql';

export const BACKENDS: Backend[] = ['sqlite', 'postgresql'];

/** `body` as one suite per backend, named for it. */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const postgres = backend === 'postgresql' ? postgresAvailable() : undefined;
    const skipped = postgres !== undefined && 'skipped' in postgres;
    const note = postgres ? skipNote(postgres) : '';
    describe.skipIf(skipped)(`${title} [${backend}]${note ? ` ${note}` : ''}`, () => body(backend));
  }
}

/** `body` as a suite that needs PostgreSQL: skipped, with the reason in its name, without one. */
export function describePostgres(title: string, body: () => void): void {
  const postgres = postgresAvailable();
  describe.skipIf('skipped' in postgres)(`${title} ${skipNote(postgres)}`, body);
}

/** The PostgreSQL server's URL (only inside a PostgreSQL suite that was not skipped). */
export function postgresUrl(): string {
  const postgres = postgresAvailable();
  if ('skipped' in postgres) throw new Error(`no PostgreSQL: ${postgres.skipped}`);
  return postgres.url;
}
