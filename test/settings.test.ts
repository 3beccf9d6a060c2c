// Settings: every documented value and fallback, that nothing here throws, and the log
// line of each flip of the kill-switch at run time. (The numeric bounds:
// setting-bounds.test.ts.)
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  createSettingsSource,
  JOURNAL_DEFAULTS,
  journalSettingsFromEnv,
  journalSettingsFromFile,
  serverSettingsFromEnv,
} from '../src/settings.ts';
import { captureLog, tempDir } from './helpers.ts';

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
    ['-1', 0],
    ['abc', 3600],
    ['', 3600],
    ['12.7', 12],
  ])('LESSONS_DEDUP_WINDOW_S=%j -> %i', (raw, window) => {
    expect(fromEnv({ LESSONS_DEDUP_WINDOW_S: raw }).settings.dedupWindowSeconds).toBe(window);
  });

  test('query limits: unparsable falls back, below 1 is 1; the default never exceeds the max', () => {
    expect(
      fromEnv({ LESSONS_QUERY_LIMIT_DEFAULT: '20', LESSONS_QUERY_LIMIT_MAX: '50' }).settings,
    ).toMatchObject({
      queryLimitDefault: 20,
      queryLimitMax: 50,
    });
    expect(
      fromEnv({ LESSONS_QUERY_LIMIT_DEFAULT: 'x', LESSONS_QUERY_LIMIT_MAX: '-3' }).settings,
    ).toMatchObject({
      queryLimitDefault: 1,
      queryLimitMax: 1,
    });
    expect(fromEnv({ LESSONS_QUERY_LIMIT_MAX: 'x' }).settings).toMatchObject({
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
      sqliteReaders: 2,
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
        maxCost: 70000,
        maxResponseBytes: 16 * 1024 * 1024,
        metricsToken: undefined,
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

  test('bad values fall back with a warning; a bad PORT is refused', () => {
    const reports: [string, boolean | undefined][] = [];
    const settings = serverSettingsFromEnv(
      { PORT: 'http', LESSONS_SQLITE_SYNCHRONOUS: 'OFF' },
      (m, refused) => reports.push([m, refused]),
    );
    expect(settings).toMatchObject({ sqliteSynchronous: 'FULL' });
    expect(reports).toEqual([
      ['PORT="http" is not a number', true],
      ['LESSONS_SQLITE_SYNCHRONOUS="OFF" is not FULL or NORMAL; using FULL', false],
    ]);
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
    expect(fromEnv({ LESSONS_OPERATION_TIMEOUT_MS: '0.5' })).toEqual({
      settings: { ...JOURNAL_DEFAULTS, operationTimeoutMs: 1 },
      warnings: ['LESSONS_OPERATION_TIMEOUT_MS="0.5" is below the minimum of 1; using 1'],
    });
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
    expect(journalSettingsFromFile('{"queryLimitMax": "x"}', env, () => {}).queryLimitMax).toBe(
      1000,
    );
    expect(journalSettingsFromFile('{"queryLimitMax": 0}', env, () => {}).queryLimitMax).toBe(1);
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
      settingsFile: '/etc/lessons.json',
      sqliteBusyTimeoutMs: 0,
      shutdownGraceMs: 0,
      postgres: { poolSize: 1 },
      limits: { introspection: 'auto' },
    });
    expect(warnings).toEqual([
      'PORT="70000" is above the maximum of 65535',
      'LESSONS_SQLITE_BUSY_TIMEOUT_MS="-5" is below the minimum of 0; using 0',
      'LESSONS_PG_POOL_SIZE="0" is below the minimum of 1; using 1',
      'LESSONS_SHUTDOWN_GRACE_MS="-1" is below the minimum of 0; using 0',
      'LESSONS_INTROSPECTION="Maybe" is not on, off or auto; using auto',
    ]);
    expect(serverSettingsFromEnv({ LESSONS_INTROSPECTION: ' ON ' }, () => {}).limits).toMatchObject(
      {
        introspection: 'on',
      },
    );
  });
});

describe('the kill-switch flipping at run time', () => {
  const waitFor = async (check: () => boolean, ms = 4000) => {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    return check();
  };

  test('each flip is one info line: from what, to what, and why; nothing else is a flip', async () => {
    const file = join(tempDir(), 'settings.json');
    writeFileSync(file, '{"enabled": true}');
    const log = captureLog();
    const settings = createSettingsSource({ env: {}, file, log: log.log, pollMs: 20 });
    const flips = () =>
      log.lines
        .filter((l) => String(l.msg).startsWith('the journal was switched'))
        .map(({ level, msg, settingsFile, from, to, why }) => ({
          level,
          msg,
          settingsFile,
          from,
          to,
          why,
        }));
    const flip = (from: string, to: string, why: string) => ({
      level: 30,
      msg: `the journal was switched ${to}`,
      settingsFile: file,
      from,
      to,
      why,
    });
    const step = async (write: () => void, expected: ReturnType<typeof flip>[]) => {
      write();
      expect(await waitFor(() => flips().length === expected.length)).toBe(true);
      expect(flips()).toEqual(expected);
    };
    try {
      expect(settings.current().enabled).toBe(true);
      expect(flips()).toEqual([]); // loading at start is not a flip
      // fs.watchFile takes the file's first status asynchronously: a change before that is
      // only seen with the next one. Give it a few polls.
      await new Promise((r) => setTimeout(r, 100));

      const changed = 'the settings file changed';
      const invalid = 'the settings file became unreadable or invalid';
      const valid = 'the settings file became readable and valid';
      const expected = [flip('on', 'off', changed)];
      await step(() => writeFileSync(file, '{"enabled": false}'), expected);
      expected.push(flip('off', 'on', changed));
      await step(
        () => writeFileSync(file, '{"enabled": "yes", "dedupWindowSeconds": 60}'),
        expected,
      );
      expected.push(flip('on', 'off', invalid));
      await step(() => writeFileSync(file, '{"enabled": true,'), expected);
      expected.push(flip('off', 'on', valid));
      await step(() => writeFileSync(file, '{"enabled": true}'), expected);
      expected.push(flip('on', 'off', invalid));
      await step(() => rmSync(file), expected);

      // Changes that leave the switch where it was are no flip.
      const loaded = () => log.lines.filter((l) => l.msg === 'settings file loaded').length;
      const before = loaded();
      writeFileSync(file, '{"enabled": false}'); // absent -> present, still off
      expect(await waitFor(() => loaded() === before + 1)).toBe(true);
      writeFileSync(file, '{"enabled": "off", "queryLimitMax": 50}');
      expect(await waitFor(() => settings.current().queryLimitMax === 50)).toBe(true);
      expect(flips()).toEqual(expected);
      // The invalid file's flip says why in words that quote nothing of it.
      const offLines = log.lines.filter((l) => l.why === invalid);
      expect(offLines.map((l) => l.reason)).toEqual([
        'not valid JSON at line 1, column 18',
        expect.stringMatching(/^ENOENT/),
      ]);
    } finally {
      settings.close();
    }
  });
});
