// `npm start`: reads the settings, opens the app, listens; stops gracefully on SIGTERM or
// SIGINT (stop accepting, finish in-flight requests, close the database, exit 0).
//
// With the journal on at start, the database is opened (created, migrated) before the
// server listens, so that a second server on the same SQLite file exits at once with a
// clear message. Any other database fault is logged and the service starts anyway,
// answering with safe defaults until the database can be opened (never-raise).
import { createDatabaseHandle, defaultOpener, tuningOf } from './db/database.ts';
import { DatabaseOwnedElsewhere } from './db/sqlite/open.ts';
import { parseDatabaseUrl } from './db/url.ts';
import { createJournal } from './journal/index.ts';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { createApp } from './server/app.ts';
import { createAuthenticator, isLoopback, loadTokens } from './server/auth.ts';
import { listen } from './server/http.ts';
import { createSettingsSource, serverSettingsFromEnv } from './settings.ts';

const bootWarnings: string[] = [];
const refusals: string[] = [];
const config = serverSettingsFromEnv(process.env, (m, refused) =>
  (refused ? refusals : bootWarnings).push(m),
);
const log = createLogger(config.logLevel);
for (const warning of bootWarnings) log.warn(warning);
if (refusals.length > 0) fail('invalid settings', refusals.join('; '));

function fail(message: string, error?: unknown): never {
  log.fatal({ reason: error instanceof Error ? error.message : error }, message);
  log.flush();
  process.exit(1);
}

let location: ReturnType<typeof parseDatabaseUrl>;
try {
  location = parseDatabaseUrl(config.databaseUrl);
} catch (error) {
  fail('invalid DATABASE_URL', error);
}

let tokens: ReturnType<typeof loadTokens>;
try {
  tokens = loadTokens(process.env, (warning) => log.warn(warning));
} catch (error) {
  fail('invalid token configuration', error);
}
if (tokens.length === 0 && !isLoopback(config.host)) {
  fail(
    `refusing to listen on ${config.host} without tokens: anyone who can reach it could read ` +
      'and change the journal. Configure LESSONS_TOKENS or LESSONS_TOKENS_FILE, or listen on ' +
      'a loopback HOST such as 127.0.0.1',
  );
}
const auth = createAuthenticator(tokens);
log.info(
  auth.required ? { tokens: tokens.length } : {},
  auth.required ? 'bearer tokens required' : 'no tokens configured: open on loopback only',
);

const settings = createSettingsSource({ env: process.env, file: config.settingsFile, log });
const metrics = createMetrics({ processMetrics: true });
const db = createDatabaseHandle({
  location,
  open: defaultOpener(tuningOf(config), log),
  log,
});
const journal = createJournal({ db, settings, log, metrics });

if (settings.current().enabled) {
  try {
    await db.get();
  } catch (error) {
    if (error instanceof DatabaseOwnedElsewhere) fail('cannot start', error);
    log.error(
      { reason: error instanceof Error ? error.message : String(error) },
      'database unavailable at start; answering with safe defaults until it can be opened',
    );
  }
} else {
  log.info('the journal is off: the database will be opened when it is switched on');
}

const app = createApp({ journal, db, settings, log, metrics, auth, limits: config.limits });
const running = await listen(app, config.host, config.port).catch((error: NodeJS.ErrnoException) =>
  fail(
    error.code === 'EADDRINUSE'
      ? `${config.host}:${config.port} is already in use (set PORT or HOST)`
      : 'cannot listen',
    error,
  ),
);
log.info({ url: running.url }, 'lessons-journal listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: finishing in-flight requests');
  await running.stop(config.shutdownGraceMs);
  await db
    .close()
    .catch((error: unknown) => log.error({ reason: String(error) }, 'database close failed'));
  settings.close();
  log.info('stopped');
  log.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
