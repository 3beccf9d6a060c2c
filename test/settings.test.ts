// Settings: every documented value and fallback, and that nothing here throws.
import { describe, expect, test } from 'vitest';
import {
  JOURNAL_DEFAULTS,
  journalSettingsFromEnv,
  journalSettingsFromFile,
  serverSettingsFromEnv,
} from '../src/settings.ts';

function fromEnv(env: Record<string, string>) {
  const warnings: string[] = [];
  return { settings: journalSettingsFromEnv(env, (m) => warnings.push(m)), warnings };
}

describe('journal settings from the environment', () => {
  test('defaults', () => {
    expect(fromEnv({})).toEqual({ settings: JOURNAL_DEFAULTS, warnings: [] });
    expect(JOURNAL_DEFAULTS).toMatchObject({
      enabled: true,
      dedupWindowSeconds: 3600,
      queryLimitDefault: 100,
      queryLimitMax: 1000,
    });
  });

  test.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    [' on ', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
  ])('LESSONS_ENABLED=%j -> %s, silently', (raw, enabled) => {
    expect(fromEnv({ LESSONS_ENABLED: raw })).toEqual({
      settings: { ...JOURNAL_DEFAULTS, enabled },
      warnings: [],
    });
  });

  test.each(['', 'maybe', 'enabled', '2'])('LESSONS_ENABLED=%j is off, with a warning', (raw) => {
    const { settings, warnings } = fromEnv({ LESSONS_ENABLED: raw });
    expect(settings.enabled).toBe(false);
    expect(warnings).toEqual([
      `LESSONS_ENABLED=${JSON.stringify(raw)} is not a switch value; the journal is off`,
    ]);
  });

  test.each([
    ['600', 600],
    ['0', 0],
    ['-1', -1],
    ['abc', 3600],
    ['', 3600],
    ['12.7', 12],
  ])('LESSONS_DEDUP_WINDOW_S=%j -> %i', (raw, window) => {
    expect(fromEnv({ LESSONS_DEDUP_WINDOW_S: raw }).settings.dedupWindowSeconds).toBe(window);
  });

  test('query limits: unparsable or below 1 fall back; the default never exceeds the max', () => {
    expect(
      fromEnv({ LESSONS_QUERY_LIMIT_DEFAULT: '20', LESSONS_QUERY_LIMIT_MAX: '50' }).settings,
    ).toMatchObject({
      queryLimitDefault: 20,
      queryLimitMax: 50,
    });
    expect(
      fromEnv({ LESSONS_QUERY_LIMIT_DEFAULT: 'x', LESSONS_QUERY_LIMIT_MAX: '0' }).settings,
    ).toMatchObject({
      queryLimitDefault: 100,
      queryLimitMax: 1000,
    });
    expect(
      fromEnv({ LESSONS_QUERY_LIMIT_DEFAULT: '500', LESSONS_QUERY_LIMIT_MAX: '200' }).settings,
    ).toMatchObject({
      queryLimitDefault: 200,
      queryLimitMax: 200,
    });
  });
});

describe('the settings file', () => {
  test('overrides the environment key by key', () => {
    const env = journalSettingsFromEnv(
      { LESSONS_DEDUP_WINDOW_S: '60', LESSONS_QUERY_LIMIT_MAX: '10' },
      () => {},
    );
    const warnings: string[] = [];
    const settings = journalSettingsFromFile(
      '{"enabled": false, "dedupWindowSeconds": 600, "color": "blue"}',
      env,
      (m) => warnings.push(m),
    );
    expect(settings).toEqual({
      ...env,
      enabled: false,
      dedupWindowSeconds: 600,
      queryLimitMax: 10,
      queryLimitDefault: 10,
    });
    expect(warnings).toEqual(['settings file: unknown key "color" ignored']);
  });

  test.each([
    ['{', /JSON/],
    ['null', /must hold a JSON object/],
    ['[]', /must hold a JSON object/],
    ['"on"', /must hold a JSON object/],
  ])('%j is refused (the caller then turns the journal off)', (text, message) => {
    expect(() => journalSettingsFromFile(text, JOURNAL_DEFAULTS, () => {})).toThrow(message);
  });

  test('switch values in the file follow the same rules as the environment', () => {
    expect(journalSettingsFromFile('{"enabled": "off"}', JOURNAL_DEFAULTS, () => {}).enabled).toBe(
      false,
    );
    expect(journalSettingsFromFile('{"enabled": 1}', JOURNAL_DEFAULTS, () => {}).enabled).toBe(
      true,
    );
    expect(
      journalSettingsFromFile('{"enabled": "perhaps"}', JOURNAL_DEFAULTS, () => {}).enabled,
    ).toBe(false);
  });
});

describe('server settings', () => {
  test('defaults and overrides', () => {
    expect(serverSettingsFromEnv({}, () => {})).toEqual({
      databaseUrl: 'file:./data/lessons.db',
      host: '127.0.0.1',
      port: 4000,
      settingsFile: undefined,
      logLevel: 'info',
      sqliteSynchronous: 'FULL',
      sqliteBusyTimeoutMs: 5000,
      postgres: {
        connectTimeoutMs: 1500,
        statementTimeoutMs: 1500,
        lockTimeoutMs: 1000,
        poolSize: 10,
      },
      shutdownGraceMs: 10000,
      limits: {
        maxDepth: 10,
        maxAliases: 15,
        maxDirectives: 10,
        maxTokens: 2000,
        maxCost: 100000,
        maxBodyBytes: 1048576,
        introspection: 'auto',
      },
    });
    expect(
      serverSettingsFromEnv(
        {
          DATABASE_URL: 'file:/x.db',
          HOST: '0.0.0.0',
          PORT: '8080',
          LESSONS_SQLITE_SYNCHRONOUS: 'normal',
        },
        () => {},
      ),
    ).toMatchObject({
      databaseUrl: 'file:/x.db',
      host: '0.0.0.0',
      port: 8080,
      sqliteSynchronous: 'NORMAL',
    });
  });

  test('bad values fall back with a warning', () => {
    const warnings: string[] = [];
    const settings = serverSettingsFromEnv(
      { PORT: 'http', LESSONS_SQLITE_SYNCHRONOUS: 'OFF' },
      (m) => warnings.push(m),
    );
    expect(settings).toMatchObject({ port: 4000, sqliteSynchronous: 'FULL' });
    expect(warnings).toHaveLength(2);
  });
});
