// Settings: the server's (read once from the environment) and the journal's (the
// environment, overridden by an optional JSON file that is re-read when it changes, so the
// kill-switch flips without a restart).
//
// Promise: nothing here ever throws at a caller. An unparsable value falls back to its
// documented default with one warning; a settings file that can't be read or parsed turns
// the journal OFF (the safe side of the kill-switch), with one warning per change of state,
// never one per request.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Logger } from 'pino';

export interface JournalSettings {
  enabled: boolean;
  dedupWindowSeconds: number;
  queryLimitDefault: number;
  queryLimitMax: number;
  /** Longest text field kept, in characters; longer ones are truncated with a marker. */
  maxTextLength: number;
  /** Largest `detail` kept, in bytes of JSON; larger ones become a marker object. */
  maxDetailBytes: number;
  /** Upper bound on one journal operation before it returns its safe default. */
  operationTimeoutMs: number;
}

/** What a request may ask of the server (GraphQL Armor limits, body size, introspection). */
export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxBodyBytes: number;
  /** on: for everyone; off: for no one; auto: for admins, and for all when no token is configured. */
  introspection: 'on' | 'off' | 'auto';
}

export interface ServerSettings {
  databaseUrl: string;
  host: string;
  port: number;
  settingsFile: string | undefined;
  logLevel: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  sqliteBusyTimeoutMs: number;
  postgres: {
    connectTimeoutMs: number;
    statementTimeoutMs: number;
    lockTimeoutMs: number;
    poolSize: number;
  };
  shutdownGraceMs: number;
  limits: Limits;
}

export const JOURNAL_DEFAULTS: JournalSettings = {
  enabled: true,
  dedupWindowSeconds: 3600,
  queryLimitDefault: 100,
  queryLimitMax: 1000,
  maxTextLength: 16 * 1024,
  maxDetailBytes: 64 * 1024,
  operationTimeoutMs: 2000,
};

type Env = Record<string, string | undefined>;
type Warn = (message: string) => void;

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** `true/false/1/0/yes/no/on/off` (any case); anything else means off, with a warning. */
function parseSwitch(raw: unknown, name: string, warn: Warn): boolean {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  warn(`${name}=${JSON.stringify(raw)} is not a switch value; the journal is off`);
  return false;
}

/** An integer; anything unparsable gives the fallback, with a warning. */
function parseInteger(raw: unknown, name: string, fallback: number, warn: Warn): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (typeof raw === 'string' && raw.trim() === '') {
    warn(`${name} is empty; using ${fallback}`);
    return fallback;
  }
  if (!Number.isFinite(value)) {
    warn(`${name}=${JSON.stringify(raw)} is not a number; using ${fallback}`);
    return fallback;
  }
  return Math.trunc(value);
}

function atLeastOne(value: number, name: string, fallback: number, warn: Warn): number {
  if (value >= 1) return value;
  warn(`${name}=${value} must be at least 1; using ${fallback}`);
  return fallback;
}

/** Journal settings from a flat source of raw values (environment names or file keys). */
function journalSettingsFrom(
  raw: Partial<Record<keyof JournalSettings, unknown>>,
  names: Record<keyof JournalSettings, string>,
  base: JournalSettings,
  warn: Warn,
): JournalSettings {
  const int = (key: keyof JournalSettings, fallback: number) =>
    raw[key] === undefined
      ? (base[key] as number)
      : parseInteger(raw[key], names[key], fallback, warn);
  const queryLimitMax = atLeastOne(
    int('queryLimitMax', JOURNAL_DEFAULTS.queryLimitMax),
    names.queryLimitMax,
    JOURNAL_DEFAULTS.queryLimitMax,
    warn,
  );
  const queryLimitDefault = Math.min(
    atLeastOne(
      int('queryLimitDefault', JOURNAL_DEFAULTS.queryLimitDefault),
      names.queryLimitDefault,
      JOURNAL_DEFAULTS.queryLimitDefault,
      warn,
    ),
    queryLimitMax,
  );
  return {
    enabled:
      raw.enabled === undefined ? base.enabled : parseSwitch(raw.enabled, names.enabled, warn),
    // `0` or less disables dedup; unparsable means the default window.
    dedupWindowSeconds: int('dedupWindowSeconds', JOURNAL_DEFAULTS.dedupWindowSeconds),
    queryLimitDefault,
    queryLimitMax,
    maxTextLength: atLeastOne(
      int('maxTextLength', JOURNAL_DEFAULTS.maxTextLength),
      names.maxTextLength,
      JOURNAL_DEFAULTS.maxTextLength,
      warn,
    ),
    maxDetailBytes: atLeastOne(
      int('maxDetailBytes', JOURNAL_DEFAULTS.maxDetailBytes),
      names.maxDetailBytes,
      JOURNAL_DEFAULTS.maxDetailBytes,
      warn,
    ),
    operationTimeoutMs: atLeastOne(
      int('operationTimeoutMs', JOURNAL_DEFAULTS.operationTimeoutMs),
      names.operationTimeoutMs,
      JOURNAL_DEFAULTS.operationTimeoutMs,
      warn,
    ),
  };
}

const ENV_NAMES: Record<keyof JournalSettings, string> = {
  enabled: 'LESSONS_ENABLED',
  dedupWindowSeconds: 'LESSONS_DEDUP_WINDOW_S',
  queryLimitDefault: 'LESSONS_QUERY_LIMIT_DEFAULT',
  queryLimitMax: 'LESSONS_QUERY_LIMIT_MAX',
  maxTextLength: 'LESSONS_MAX_TEXT_LENGTH',
  maxDetailBytes: 'LESSONS_MAX_DETAIL_BYTES',
  operationTimeoutMs: 'LESSONS_OPERATION_TIMEOUT_MS',
};

const FILE_KEYS = Object.fromEntries(
  Object.keys(ENV_NAMES).map((key) => [key, `settings file "${key}"`]),
) as Record<keyof JournalSettings, string>;

/** The journal's settings from the environment alone. */
export function journalSettingsFromEnv(env: Env, warn: Warn): JournalSettings {
  const raw = Object.fromEntries(
    Object.entries(ENV_NAMES).map(([key, name]) => [key, env[name]]),
  ) as Partial<Record<keyof JournalSettings, unknown>>;
  return journalSettingsFrom(raw, ENV_NAMES, JOURNAL_DEFAULTS, warn);
}

/** The journal's settings: the file's values over the environment's. Throws on a bad file. */
export function journalSettingsFromFile(
  text: string,
  fromEnv: JournalSettings,
  warn: Warn,
): JournalSettings {
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('the settings file must hold a JSON object');
  }
  const known = new Set(Object.keys(ENV_NAMES));
  for (const key of Object.keys(parsed)) {
    if (!known.has(key)) warn(`settings file: unknown key "${key}" ignored`);
  }
  return journalSettingsFrom(
    parsed as Partial<Record<keyof JournalSettings, unknown>>,
    FILE_KEYS,
    fromEnv,
    warn,
  );
}

export function serverSettingsFromEnv(env: Env, warn: Warn): ServerSettings {
  const int = (name: string, fallback: number) =>
    parseInteger(env[name] ?? String(fallback), name, fallback, warn);
  const positive = (name: string, fallback: number) =>
    atLeastOne(int(name, fallback), name, fallback, warn);
  const port = int('PORT', 4000);
  const synchronous = (env.LESSONS_SQLITE_SYNCHRONOUS ?? 'FULL').trim().toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    warn(
      `LESSONS_SQLITE_SYNCHRONOUS=${JSON.stringify(synchronous)} is not FULL or NORMAL; using FULL`,
    );
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || 'file:./data/lessons.db',
    host: env.HOST?.trim() || '127.0.0.1',
    port: port >= 0 && port <= 65535 ? port : 4000,
    settingsFile: env.LESSONS_SETTINGS_FILE?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    sqliteSynchronous: synchronous === 'NORMAL' ? 'NORMAL' : 'FULL',
    sqliteBusyTimeoutMs: Math.max(0, int('LESSONS_SQLITE_BUSY_TIMEOUT_MS', 5000)),
    postgres: {
      connectTimeoutMs: positive('LESSONS_PG_CONNECT_TIMEOUT_MS', 1500),
      statementTimeoutMs: positive('LESSONS_PG_STATEMENT_TIMEOUT_MS', 1500),
      lockTimeoutMs: positive('LESSONS_PG_LOCK_TIMEOUT_MS', 1000),
      poolSize: positive('LESSONS_PG_POOL_SIZE', 10),
    },
    shutdownGraceMs: Math.max(0, int('LESSONS_SHUTDOWN_GRACE_MS', 10000)),
    limits: {
      maxDepth: positive('LESSONS_MAX_DEPTH', 10),
      maxAliases: positive('LESSONS_MAX_ALIASES', 15),
      maxDirectives: positive('LESSONS_MAX_DIRECTIVES', 10),
      maxTokens: positive('LESSONS_MAX_TOKENS', 2000),
      // One page of the largest size (1000 lessons, every field) costs 88,250 to Armor, which
      // multiplies by `first`: that passes; two of them in one document do not.
      maxCost: positive('LESSONS_MAX_COST', 100_000),
      maxBodyBytes: positive('LESSONS_MAX_BODY_BYTES', 1024 * 1024),
      introspection: introspection(env.LESSONS_INTROSPECTION, warn),
    },
  };
}

function introspection(raw: string | undefined, warn: Warn): Limits['introspection'] {
  const value = (raw ?? 'auto').trim().toLowerCase();
  if (value === 'on' || value === 'off' || value === 'auto') return value;
  warn(`LESSONS_INTROSPECTION=${JSON.stringify(raw)} is not on, off or auto; using auto`);
  return 'auto';
}

/** Where the journal reads its settings on every operation. */
export interface SettingsSource {
  /** The settings now. Cheap (no I/O): a file is re-read only when it changes. */
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
 * the file is good again, with one warning per distinct fault.
 */
export function createSettingsSource(options: FileSettingsOptions): SettingsSource {
  const { env, file, log } = options;
  const warn: Warn = (message) => log.warn({ settings: true }, message);
  const fromEnv = journalSettingsFromEnv(env, warn);
  if (!file) return staticSettings(fromEnv);

  let settings: JournalSettings = { ...fromEnv, enabled: false };
  // Starts as a fault so that the first good load is logged too.
  let lastFault: string | undefined = 'not loaded yet';

  const load = () => {
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
  };

  load();
  const onChange = () => load();
  watchFile(file, { interval: options.pollMs ?? 500, persistent: false }, onChange);
  return {
    current: () => settings,
    close: () => unwatchFile(file, onChange),
  };
}
