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

describe('fallbacks, with the warning naming the variable or the file key', () => {
  const fromFile = (text: string) => {
    const warnings: string[] = [];
    return {
      settings: journalSettingsFromFile(text, JOURNAL_DEFAULTS, (m) => warnings.push(m)),
      warnings,
    };
  };

  test('an empty, unparsable or too small integer', () => {
    expect(fromEnv({ LESSONS_MAX_TEXT_LENGTH: ' ' })).toEqual({
      settings: JOURNAL_DEFAULTS,
      warnings: ['LESSONS_MAX_TEXT_LENGTH is empty; using 16384'],
    });
    expect(fromEnv({ LESSONS_QUERY_LIMIT_MAX: ' x ' }).warnings).toEqual([
      'LESSONS_QUERY_LIMIT_MAX=" x " is not a number; using 1000',
    ]);
    expect(fromEnv({ LESSONS_OPERATION_TIMEOUT_MS: '0.5' }).warnings).toEqual([
      'LESSONS_OPERATION_TIMEOUT_MS=0 must be at least 1; using 2000',
    ]);
    expect(fromFile('{"maxDetailBytes": true, "enabled": "perhaps"}')).toEqual({
      settings: { ...JOURNAL_DEFAULTS, enabled: false },
      warnings: [
        'settings file "enabled"="perhaps" is not a switch value; the journal is off',
        'settings file "maxDetailBytes"=true is not a number; using 65536',
      ],
    });
  });

  test('a bad file value falls back to the default, not to the environment', () => {
    const env = journalSettingsFromEnv({ LESSONS_QUERY_LIMIT_MAX: '10' }, () => {});
    expect(journalSettingsFromFile('{"queryLimitMax": 0}', env, () => {}).queryLimitMax).toBe(1000);
    expect(fromFile('{}')).toEqual({ settings: JOURNAL_DEFAULTS, warnings: [] });
  });

  test('server values', () => {
    const warnings: string[] = [];
    const settings = serverSettingsFromEnv(
      {
        HOST: '  ',
        PORT: '70000',
        LESSONS_SETTINGS_FILE: ' /etc/lessons.json ',
        LESSONS_SQLITE_BUSY_TIMEOUT_MS: '-5',
        LESSONS_SHUTDOWN_GRACE_MS: '-1',
        LESSONS_PG_POOL_SIZE: '0',
        LESSONS_INTROSPECTION: 'Maybe',
      },
      (m) => warnings.push(m),
    );
    expect(settings).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      settingsFile: '/etc/lessons.json',
      sqliteBusyTimeoutMs: 0,
      shutdownGraceMs: 0,
      postgres: { poolSize: 10 },
      limits: { introspection: 'auto' },
    });
    expect(warnings).toEqual([
      'LESSONS_PG_POOL_SIZE=0 must be at least 1; using 10',
      'LESSONS_INTROSPECTION="Maybe" is not on, off or auto; using auto',
    ]);
    expect(serverSettingsFromEnv({ LESSONS_INTROSPECTION: ' ON ' }, () => {}).limits).toMatchObject(
      {
        introspection: 'on',
      },
    );
  });
});
