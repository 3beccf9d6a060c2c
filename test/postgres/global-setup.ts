// Vitest global setup: one PostgreSQL server for the whole run (see ./server.ts for where it
// comes from), given to the tests as inject('postgresUrl'), or the reason there is none as
// inject('postgresSkipReason'): tests read both through postgresAvailable() in
// ./databases.ts. Without a server the PostgreSQL tests are skipped and the reason printed
// on stderr, unless LESSONS_REQUIRE_POSTGRES=1 (CI), where the run fails with it instead.
// The teardown stops the server and removes its files.
import type { TestProject } from 'vitest/node';
import { acquirePostgres } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    postgresSkipReason: string | null;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const postgres = await acquirePostgres();
  if ('skipped' in postgres) {
    if (/^(1|true|yes|on)$/i.test(process.env.LESSONS_REQUIRE_POSTGRES?.trim() ?? '')) {
      throw new Error(
        `PostgreSQL is required (LESSONS_REQUIRE_POSTGRES=1) but unavailable: ${postgres.skipped}`,
      );
    }
    process.stderr.write(`PostgreSQL tests skipped: ${postgres.skipped}\n`);
    project.provide('postgresUrl', null);
    project.provide('postgresSkipReason', postgres.skipped);
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `PostgreSQL for tests: ${postgres.source}, ${new URL(postgres.url).host} (ready in ${seconds} s)\n`,
  );
  project.provide('postgresUrl', postgres.url);
  project.provide('postgresSkipReason', null);
  return () => postgres.stop();
}
