// Test harness: a whole service (journal, database handle, app) in-process on a temporary
// SQLite file, with a log that tests can read, a clock they can move, and GraphQL calls
// through `app.fetch` (no port).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pino from 'pino';
import { afterAll, afterEach } from 'vitest';
import type { Lesson } from '../src/client/calls.ts';
import {
  createDatabaseHandle,
  type DatabaseHandle,
  defaultOpener,
  type Opener,
  tuningOf,
} from '../src/db/database.ts';
import { parseDatabaseUrl } from '../src/db/url.ts';
import { Prisma, PrismaClient } from '../src/generated/prisma/client.ts';
import { PrismaClient as PostgresPrismaClient } from '../src/generated/prisma-pg/client.ts';
import { FIELD_NAMES, FIELDS, type FieldSpec } from '../src/journal/fields.ts';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
import { createJournal, type Journal } from '../src/journal/index.ts';
import { createMetrics, type JournalMetrics } from '../src/metrics.ts';
import { type App, createApp } from '../src/server/app.ts';
import { createAuthenticator, loadTokens } from '../src/server/auth.ts';
import {
  JOURNAL_DEFAULTS,
  type JournalSettings,
  type SettingsSource,
  serverSettingsFromEnv,
  staticSettings,
} from '../src/settings.ts';
import { type Backend, postgresUrl } from './backends.ts';
import { createTestDatabase, type TestDatabase, withClient } from './postgres/databases.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A migrated PostgreSQL database per test file, copied for each test (much faster than
 * migrating each one), dropped after the file.
 */
let template: Promise<TestDatabase> | undefined;
function migratedTemplate(): Promise<TestDatabase> {
  template ??= (async () => {
    const database = await createTestDatabase(postgresUrl());
    const log = captureLog();
    const open = defaultOpener(tuningOf(serverSettingsFromEnv({}, () => {})), log.log);
    await (await open(parseDatabaseUrl(database.url))).close();
    return database;
  })();
  return template;
}
afterAll(async () => {
  await (await template)?.drop();
});

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lessons-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function captureLog() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const warnings = () => lines.filter((l) => l.level === 40);
  return { log, lines, warnings };
}

export class Clock {
  constructor(public ms = Date.parse(T0)) {}
  now = () => new Date(this.ms);
  advance(seconds: number) {
    this.ms += seconds * 1000;
  }
  set(iso: string) {
    this.ms = Date.parse(iso);
  }
}

export interface Service {
  app: App;
  journal: Journal;
  db: DatabaseHandle;
  metrics: JournalMetrics;
  log: ReturnType<typeof captureLog>;
  clock: Clock;
  /** The SQLite file (SQLite backend). */
  dbPath: string;
  /** The database URL the service uses. */
  databaseUrl: string;
  backend: Backend;
  dir: string;
  /** Opens counted through the opener (a kill-switch test expects none). */
  opens: () => number;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => Promise<GqlResult<T>>;
  metric: (name: string, labels?: Record<string, string>) => Promise<number>;
}

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface ServiceOptions {
  /** Where the journal lives: a fresh SQLite file (default) or a fresh PostgreSQL database. */
  backend?: Backend;
  /** PostgreSQL: a database without the journal's tables (default: a migrated copy). */
  emptyDatabase?: boolean;
  settings?: Partial<JournalSettings>;
  settingsSource?: SettingsSource;
  databaseUrl?: string;
  /** Bearer tokens (`role:token,...` as in LESSONS_TOKENS); none: open. */
  tokens?: string;
  /** A tokens file (as LESSONS_TOKENS_FILE: JSON of {role, token, name}). */
  tokensFile?: string;
  /** Request limits (as in the LESSONS_MAX_* variables). */
  limitsEnv?: Record<string, string>;
  /** Replaces (or wraps) the real opener, to inject faults. */
  open?: (real: Opener) => Opener;
  clock?: Clock;
}

export async function makeService(options: ServiceOptions = {}): Promise<Service> {
  const dir = tempDir();
  const dbPath = options.databaseUrl?.startsWith('file:')
    ? options.databaseUrl.slice('file:'.length)
    : join(dir, 'data', 'lessons.db');
  const log = captureLog();
  const metrics = createMetrics();
  const clock = options.clock ?? new Clock();
  const tuning = tuningOf(
    serverSettingsFromEnv({ LESSONS_SQLITE_SYNCHRONOUS: 'NORMAL' }, () => {}),
  );
  const real = defaultOpener(tuning, log.log);
  let openCount = 0;
  const chosen = options.open ? options.open(real) : real;
  const backend = options.backend ?? 'sqlite';
  let databaseUrl = options.databaseUrl ?? `file:${dbPath}`;
  if (backend === 'postgresql' && !options.databaseUrl) {
    const database = await createTestDatabase(
      postgresUrl(),
      options.emptyDatabase ? undefined : (await migratedTemplate()).name,
    );
    cleanups.push(() => database.drop());
    databaseUrl = database.url;
  }
  const db = createDatabaseHandle({
    location: parseDatabaseUrl(databaseUrl),
    open: (location) => {
      openCount += 1;
      return chosen(location);
    },
    log: log.log,
    retryAfterMs: 0,
  });
  const settings =
    options.settingsSource ?? staticSettings({ ...JOURNAL_DEFAULTS, ...options.settings });
  const journal = createJournal({ db, settings, log: log.log, metrics, now: clock.now });
  const auth = createAuthenticator(
    loadTokens({ LESSONS_TOKENS: options.tokens, LESSONS_TOKENS_FILE: options.tokensFile }),
  );
  const limits = serverSettingsFromEnv(options.limitsEnv ?? {}, () => {}).limits;
  const app = createApp({ journal, db, settings, log: log.log, metrics, auth, limits });
  cleanups.push(() => db.close());
  const gql = async <T>(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    // What GqlResult says: the status, data and errors (a record's extensions.lessons is
    // asserted where it is the subject: test/record-outcome.test.ts).
    const { extensions: _, ...body } = await response.json();
    return { status: response.status, ...body } as GqlResult<T>;
  };
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const found = (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) =>
      Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want),
    );
    return found?.value ?? 0;
  };
  return {
    app,
    journal,
    db,
    metrics,
    log,
    clock,
    dbPath,
    databaseUrl,
    backend,
    dir,
    opens: () => openCount,
    gql,
    metric,
  };
}

/** Every field of the contract's Lesson type, for queries that want them all. */
export const LESSON_FIELDS = FIELD_NAMES.join(' ');

export const RECORD = `mutation Record($input: RecordLessonInput!) {
  recordLesson(input: $input) { ${LESSON_FIELDS} }
}`;

/** A lesson as the API answers it (JSON: timestamps as ISO strings). */
export type LessonJson = Lesson;

/** The clock's start (Clock's default), as the API shows it. */
export const T0 = '2026-03-02T10:00:00.000Z';

/**
 * A lesson as recorded at `at` with only `fields` given: every other field as the
 * registry says a record leaves it (null, or its default; one occurrence, version 1; the
 * default fingerprint of its type, stage and root cause; not closed).
 */
export function expectedLesson(
  fields: Partial<LessonJson> & Pick<LessonJson, 'id' | 'lessonType'>,
  at = T0,
): LessonJson {
  const lesson: Record<string, unknown> = {};
  for (const name of FIELD_NAMES) {
    const field: FieldSpec = FIELDS[name];
    lesson[name] =
      field.kind === 'timestamp'
        ? field.nullable
          ? null
          : at
        : name === 'occurrences' || name === 'version'
          ? 1
          : (field.record?.default ?? null);
  }
  const expected = { ...lesson, ...fields } as LessonJson;
  expected.fingerprint = fields.fingerprint ?? defaultFingerprint(expected);
  return expected;
}

/**
 * Whether anything of the journal exists in its database: the SQLite file's folder, or on
 * PostgreSQL its tables, or a connection of the service (application_name).
 */
export async function journalStorageTouched(s: Service): Promise<boolean> {
  if (s.backend === 'sqlite') return existsSync(join(s.dir, 'data'));
  return withClient(s.databaseUrl, async (client) => {
    const { rows } = await client.query<{ touched: boolean }>(
      `SELECT to_regclass('lessons') IS NOT NULL OR to_regclass('_prisma_migrations') IS NOT NULL
         OR EXISTS (SELECT 1 FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = 'lessons-journal')
         AS touched`,
    );
    return rows[0]?.touched === true;
  });
}

/**
 * Runs statements on the journal's database behind the journal's back: from another
 * session on PostgreSQL; on the service's own connection for SQLite (which it owns).
 */
export async function behindTheService(s: Service, ...statements: string[]): Promise<void> {
  if (s.backend === 'postgresql') {
    await withClient(s.databaseUrl, async (client) => {
      for (const sql of statements) await client.query(sql);
    });
    return;
  }
  const db = await s.db.get();
  await db.transaction(async (tx) => {
    for (const sql of statements) await tx.run(Prisma.raw(sql));
  }, new AbortController().signal);
}

/**
 * A Prisma client of the test's own on the service's database (a connection beside the
 * service's): an oracle independent of the journal's SQL. Closed after the test.
 */
export async function prismaOf(s: Service): Promise<PrismaClient> {
  await s.db.get(); // the database exists, migrated, as the service sees it
  const prisma =
    s.backend === 'sqlite'
      ? new PrismaClient({
          adapter: new PrismaBetterSqlite3({ url: s.dbPath }, { timestampFormat: 'unixepoch-ms' }),
        })
      : (new PostgresPrismaClient({
          adapter: new PrismaPg({ connectionString: s.databaseUrl }),
        }) as unknown as PrismaClient);
  cleanups.push(() => prisma.$disconnect());
  return prisma;
}
