// Settings: the server's (read once from the environment) and the journal's (the
// environment, overridden by an optional JSON file that is re-read when it changes, so the
// kill-switch flips without a restart). Each setting is declared once, in JOURNAL or SERVER
// below: its environment variable, default and bounds; the types and defaults derive from it.
//
// Promise: nothing here ever throws at a caller. An unparsable value falls back to its
// documented default with one warning. Every number has a minimum and a maximum that keep
// each Date and timer derived from it valid: a value outside them is clamped to the nearest
// bound, with one warning, except PORT (an address, not a quantity), which is reported as
// refused so that the server does not start. A settings file that can't be read or parsed
// turns the journal OFF (the safe side of the kill-switch), with one warning per change of
// state, never one per request, and no text of the file in it (../config-file.ts); each
// flip of the switch at run time is logged at info: from what, to what, and why.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';
import { z } from 'zod';
import { parseConfigJson } from './config-file.ts';

type Env = Record<string, string | undefined>;
type Warn = (message: string) => void;
/** A warning, or with `refused` a value the service must not start with. */
type Report = (message: string, refused?: boolean) => void;

/**
 * One setting. A set value goes through `schema`; a bad one is `fallback`, with one warning
 * per issue. An issue's message is the warning's text after the value's name, so that one
 * schema serves both the environment variable and the settings file's key.
 */
interface Setting<T> {
  env: string;
  default: T;
  fallback: T;
  schema: z.ZodType<T>;
  /** A number's bounds (inclusive) and what a value outside them gets. */
  range?: Range;
}
interface Range {
  min: number;
  max: number;
  /** clamp: the nearest bound, with a warning; refuse: reported as refused. */
  outside: 'clamp' | 'refuse';
}
interface Table {
  [key: string]: Setting<unknown> | Table;
}
/** What a table of settings reads to. */
type Values<T> = { [K in keyof T]: T[K] extends Setting<infer V> ? V : Values<T[K]> };

/** A set value as text: the environment gives strings, a settings file any JSON. */
const trimmed = z.unknown().transform((raw) => String(raw).trim());

/** `true/false/1/0/yes/no/on/off` (any case); anything else means off, with a warning. */
const onOff = (env: string, unset: boolean): Setting<boolean> => ({
  env,
  default: unset,
  fallback: false,
  schema: z.union(
    [
      z.boolean(),
      trimmed.pipe(
        z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] }),
      ),
    ],
    { error: (i) => `=${JSON.stringify(i.input)} is not a switch value; the journal is off` },
  ),
});

/**
 * A whole number (`12.7` is 12; `1e13` and `Infinity` are numbers, then clamped) within
 * `min..max`; blank or unparsable is the default, with a warning. `refuse`: a value that is
 * unparsable or out of range is refused instead.
 */
const integer = (
  env: string,
  fallback: number,
  { min, max, refuse = false }: { min: number; max: number; refuse?: boolean },
): Setting<number> => {
  const using = refuse ? '' : `; using ${fallback}`;
  const schema = z
    .unknown()
    .refine((raw) => typeof raw !== 'string' || raw.trim() !== '', {
      abort: true,
      error: ` is empty${using}`,
    })
    .refine((raw) => !Number.isNaN(Number(String(raw))), {
      abort: true,
      error: (i) => `=${JSON.stringify(i.input)} is not a number${using}`,
    })
    .transform((raw) => Math.trunc(Number(String(raw))));
  const range: Range = { min, max, outside: refuse ? 'refuse' : 'clamp' };
  return { env, default: fallback, fallback, schema, range };
};

const MINUTE_MS = 60_000;
const MIB = 1024 * 1024;

/** Trimmed; blank is the default. */
const text = <T extends string | undefined>(env: string, fallback: T): Setting<string | T> => ({
  env,
  default: fallback,
  fallback,
  schema: trimmed.transform((value) => value || fallback),
});

/** One of `values`, in any case; anything else is `fallback`, with a warning. */
const oneOf = <const V extends string>(
  env: string,
  values: [V, ...V[]],
  fallback: V,
): Setting<V> => {
  const list = `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
  const schema = z.preprocess(
    (raw) => values.find((v) => v.toLowerCase() === String(raw).trim().toLowerCase()) ?? raw,
    z.enum(values, {
      error: (i) => `=${JSON.stringify(i.input)} is not ${list}; using ${fallback}`,
    }),
  );
  return { env, default: fallback, fallback, schema };
};

/** The journal's settings; each key is also its key in the settings file. */
const JOURNAL = {
  enabled: onOff('LESSONS_ENABLED', true),
  /** `0` disables dedup; at most 10 years, so that `now - window` is a valid Date. */
  dedupWindowSeconds: integer('LESSONS_DEDUP_WINDOW_S', 3600, { min: 0, max: 3650 * 86_400 }),
  /** Never more than queryLimitMax. */
  queryLimitDefault: integer('LESSONS_QUERY_LIMIT_DEFAULT', 100, { min: 1, max: 10_000 }),
  queryLimitMax: integer('LESSONS_QUERY_LIMIT_MAX', 1000, { min: 1, max: 10_000 }),
  /** Longest text field kept, in characters; longer ones are truncated with a marker. */
  maxTextLength: integer('LESSONS_MAX_TEXT_LENGTH', 16 * 1024, { min: 1, max: MIB }),
  /** Largest `detail` kept, in bytes of JSON; larger ones become a marker object. */
  maxDetailBytes: integer('LESSONS_MAX_DETAIL_BYTES', 64 * 1024, { min: 1, max: 16 * MIB }),
  /** Upper bound on one journal operation before it returns its safe default. */
  operationTimeoutMs: integer('LESSONS_OPERATION_TIMEOUT_MS', 2000, { min: 1, max: MINUTE_MS }),
  /** An occurrence this long after a closed pattern's fix or later regresses it. */
  regressionGraceSeconds: integer('LESSONS_REGRESSION_GRACE_S', 300, {
    min: 0,
    max: 3650 * 86_400,
  }),
  /** The most lessons one bulk update (updateLessons) may match; more is refused. */
  bulkMax: integer('LESSONS_BULK_MAX', 10_000, { min: 1, max: 1_000_000 }),
  /** Writes a second one caller may make (journal/write-limit.ts); 0: no limit. */
  writeRatePerS: integer('LESSONS_WRITE_RATE_PER_S', 0, { min: 0, max: 1_000_000 }),
  /** How many writes above that rate one caller may make at once. */
  writeBurst: integer('LESSONS_WRITE_BURST', 100, { min: 1, max: 1_000_000 }),
} satisfies Table;

/** The server's settings, from the environment only. */
const SERVER = {
  databaseUrl: text('DATABASE_URL', 'file:./data/lessons.db'),
  host: text('HOST', '127.0.0.1'),
  port: integer('PORT', 4000, { min: 0, max: 65_535, refuse: true }),
  settingsFile: text('LESSONS_SETTINGS_FILE', undefined),
  logLevel: text('LOG_LEVEL', 'info'),
  sqliteSynchronous: oneOf('LESSONS_SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'], 'FULL'),
  sqliteBusyTimeoutMs: integer('LESSONS_SQLITE_BUSY_TIMEOUT_MS', 5000, { min: 0, max: MINUTE_MS }),
  /** Reader threads of the SQLite journal: how many long reads run at once. */
  sqliteReaders: integer('LESSONS_SQLITE_READERS', 2, { min: 1, max: 8 }),
  postgres: {
    connectTimeoutMs: integer('LESSONS_PG_CONNECT_TIMEOUT_MS', 1500, { min: 1, max: MINUTE_MS }),
    statementTimeoutMs: integer('LESSONS_PG_STATEMENT_TIMEOUT_MS', 1500, {
      min: 1,
      max: MINUTE_MS,
    }),
    lockTimeoutMs: integer('LESSONS_PG_LOCK_TIMEOUT_MS', 1000, { min: 1, max: MINUTE_MS }),
    poolSize: integer('LESSONS_PG_POOL_SIZE', 10, { min: 1, max: 100 }),
  },
  shutdownGraceMs: integer('LESSONS_SHUTDOWN_GRACE_MS', 10000, { min: 0, max: 10 * MINUTE_MS }),
  /** What a request may ask of the server (GraphQL Armor limits, cost, body and answer size,
   * introspection, the /metrics token). */
  limits: {
    maxDepth: integer('LESSONS_MAX_DEPTH', 10, { min: 1, max: 1000 }),
    maxAliases: integer('LESSONS_MAX_ALIASES', 15, { min: 1, max: 1000 }),
    maxDirectives: integer('LESSONS_MAX_DIRECTIVES', 10, { min: 1, max: 1000 }),
    maxTokens: integer('LESSONS_MAX_TOKENS', 2000, { min: 1, max: 1_000_000 }),
    // The cost of a document (src/server/cost.ts): the largest page (1000 lessons, every
    // field) costs 45,023 and passes; two of them, or 7 lists of 1000 lessons, do not.
    maxCost: integer('LESSONS_MAX_COST', 70_000, { min: 1, max: 1_000_000_000 }),
    /** The largest answer (its JSON, in bytes) a query or subscription gets. */
    maxResponseBytes: integer('LESSONS_MAX_RESPONSE_BYTES', 16 * 1024 * 1024, {
      min: 1,
      max: 256 * MIB,
    }),
    /** A bearer token that may read /metrics and nothing else (a scraper's). */
    metricsToken: {
      env: 'LESSONS_METRICS_TOKEN',
      default: undefined,
      // Unusable, never open: /metrics then takes an admin token only.
      fallback: '',
      schema: trimmed.pipe(
        z
          .string()
          .refine((token) => token === '' || token.length >= 8, {
            error: ' must be at least 8 characters; /metrics takes admin tokens only',
          })
          .transform((token) => token || undefined),
      ),
    } satisfies Setting<string | undefined>,
    maxBodyBytes: integer('LESSONS_MAX_BODY_BYTES', 1024 * 1024, { min: 1, max: 64 * MIB }),
    /** on: for everyone; off: for no one; auto: for admins, and for all when no token is
     * configured. */
    introspection: oneOf('LESSONS_INTROSPECTION', ['on', 'off', 'auto'], 'auto'),
  },
} satisfies Table;

export type JournalSettings = Values<typeof JOURNAL>;
export type ServerSettings = Values<typeof SERVER>;
export type Limits = ServerSettings['limits'];

/** `table` with each setting replaced by `value(setting, key)`. */
function mapSettings<T extends Table>(
  table: T,
  value: (setting: Setting<unknown>, key: string) => unknown,
): Values<T> {
  return Object.fromEntries(
    Object.entries(table).map(([key, entry]) => [
      key,
      'env' in entry ? value(entry as Setting<unknown>, key) : mapSettings(entry as Table, value),
    ]),
  ) as Values<T>;
}

/** A setting's value from `raw` (named `name` in reports), or `unset` when there is none. */
function read(
  setting: Setting<unknown>,
  raw: unknown,
  name: string,
  unset: unknown,
  report: Report,
) {
  if (raw === undefined) return unset;
  const { range } = setting;
  const refused = range?.outside === 'refuse';
  const result = setting.schema.safeParse(raw);
  if (!result.success) {
    for (const { message } of result.error.issues) report(name + message, refused);
    return setting.fallback;
  }
  const value = result.data;
  if (!range || typeof value !== 'number' || (value >= range.min && value <= range.max)) {
    return value;
  }
  const [bound, side] =
    value < range.min ? [range.min, 'below the minimum'] : [range.max, 'above the maximum'];
  const problem = `${name}=${JSON.stringify(raw)} is ${side} of ${bound}`;
  if (refused) {
    report(problem, true);
    return setting.fallback;
  }
  report(`${problem}; using ${bound}`);
  return bound;
}

/** Every setting of `table`, nested tables included. */
function settingsOf(table: Table): Setting<unknown>[] {
  return Object.values(table).flatMap((entry) =>
    'env' in entry ? [entry as Setting<unknown>] : settingsOf(entry as Table),
  );
}

/** Every numeric setting, with its bounds (docs/settings.md lists them). */
export const NUMERIC_SETTINGS = [...settingsOf(JOURNAL), ...settingsOf(SERVER)].flatMap(
  ({ env, default: fallback, range }) =>
    range ? [{ env, default: fallback as number, ...range }] : [],
);

export const JOURNAL_DEFAULTS: JournalSettings = mapSettings(JOURNAL, (s) => s.default);

/** Journal settings from raw values and their names in warnings; unset ones are `base`'s. */
function journalSettingsFrom(
  source: (setting: Setting<unknown>, key: string) => [raw: unknown, name: string],
  base: JournalSettings,
  warn: Warn,
): JournalSettings {
  const settings = mapSettings(JOURNAL, (setting, key) =>
    read(setting, ...source(setting, key), base[key as keyof JournalSettings], warn),
  );
  return {
    ...settings,
    queryLimitDefault: Math.min(settings.queryLimitDefault, settings.queryLimitMax),
  };
}

/** The journal's settings from the environment alone. */
export function journalSettingsFromEnv(env: Env, warn: Warn): JournalSettings {
  return journalSettingsFrom((s) => [env[s.env], s.env], JOURNAL_DEFAULTS, warn);
}

/** The journal's settings: the file's values over the environment's. Throws on a bad file. */
export function journalSettingsFromFile(
  text: string,
  fromEnv: JournalSettings,
  warn: Warn,
): JournalSettings {
  const parsed = parseConfigJson(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('the settings file must hold a JSON object');
  }
  for (const key of Object.keys(parsed)) {
    if (!Object.hasOwn(JOURNAL, key)) warn(`settings file: unknown key "${key}" ignored`);
  }
  const values = parsed as Record<string, unknown>;
  return journalSettingsFrom((_, key) => [values[key], `settings file "${key}"`], fromEnv, warn);
}

/** The server's settings; a value it must not start with is reported with `refused`. */
export function serverSettingsFromEnv(env: Env, report: Report): ServerSettings {
  return mapSettings(SERVER, (s) => read(s, env[s.env], s.env, s.default, report));
}

/** Where the journal reads its settings on every operation. */
export interface SettingsSource {
  /** The settings now: a value computed in advance (a file is re-read only when it changes),
   * so it is cheap and never throws: a bad file is already folded into enabled=false. */
  current(): JournalSettings;
  close(): void;
}

/** A fixed set of settings (tests, and a service started without a settings file). */
export function staticSettings(settings: JournalSettings): SettingsSource {
  return { current: () => settings, close: () => {} };
}

export interface FileSettingsOptions {
  env: Env;
  file: string | undefined;
  log: Logger;
  /** How often the file's status is polled, in ms (`fs.watchFile`, which also sees a file
   * that is created, replaced or deleted). */
  pollMs?: number;
}

/**
 * The environment's settings, overridden by `file` when given. The file is polled; a
 * change is picked up within `pollMs`. Any read or parse fault turns the journal off until
 * the file is good again, with one warning per distinct fault. Each flip of `enabled` after
 * the first load is one info line: from, to, and why.
 */
export function createSettingsSource(options: FileSettingsOptions): SettingsSource {
  const { env, file, log } = options;
  const warn: Warn = (message) => log.warn({ settings: true }, message);
  const fromEnv = journalSettingsFromEnv(env, warn);
  if (!file) return staticSettings(fromEnv);

  let settings: JournalSettings = { ...fromEnv, enabled: false };
  // Starts as a fault so that the first good load is logged too.
  let lastFault: string | undefined = 'not loaded yet';
  // The first load is not a flip of the switch.
  let loaded = false;

  const load = () => {
    const was = settings.enabled;
    const faultBefore = lastFault;
    try {
      const fileWarnings: string[] = [];
      settings = journalSettingsFromFile(readFileSync(file, 'utf8'), fromEnv, (m) =>
        fileWarnings.push(m),
      );
      if (lastFault !== undefined || fileWarnings.length > 0) {
        for (const m of fileWarnings) warn(m);
        log.info({ settingsFile: file, enabled: settings.enabled }, 'settings file loaded');
      }
      lastFault = undefined;
    } catch (error) {
      const fault = error instanceof Error ? error.message : String(error);
      settings = { ...fromEnv, enabled: false };
      if (fault !== lastFault) {
        log.warn(
          { settingsFile: file, reason: fault },
          'settings file unreadable: the journal is off until it is fixed',
        );
      }
      lastFault = fault;
    }
    if (loaded && settings.enabled !== was) {
      const [from, to] = [was, settings.enabled].map((on) => (on ? 'on' : 'off'));
      const why =
        lastFault !== undefined
          ? 'the settings file became unreadable or invalid'
          : faultBefore !== undefined
            ? 'the settings file became readable and valid'
            : 'the settings file changed';
      log.info(
        { settingsFile: file, from, to, why, ...(lastFault && { reason: lastFault }) },
        `the journal was switched ${to}`,
      );
    }
    loaded = true;
  };

  load();
  watchFile(file, { interval: options.pollMs ?? 500, persistent: false }, load);
  return { current: () => settings, close: () => unwatchFile(file, load) };
}
