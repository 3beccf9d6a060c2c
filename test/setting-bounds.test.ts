// Every numeric setting has a documented minimum and maximum (docs/settings.md): a value
// outside them is clamped to the nearest bound with a warning naming the variable (or the
// settings file's key), except PORT, which is refused at start; an unparsable one is the
// default, with a warning (PORT: refused). And what the bounds protect: a dedup window of
// 1e13 s, or an operation timeout past Node's largest timer, leave the journal working the
// same way on both backends.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  journalSettingsFromEnv,
  journalSettingsFromFile,
  NUMERIC_SETTINGS,
  serverSettingsFromEnv,
  staticSettings,
} from '../src/settings.ts';
import { describeEachBackend } from './backends.ts';
import { makeService, RECORD } from './helpers.ts';
import { runToExit } from './process.ts';

interface Bound {
  env: string;
  /** Where the value is in the settings read (a journal setting's path is its file key). */
  path: string;
  journal: boolean;
  default: number;
  min: number;
  max: number;
  outside: 'clamp' | 'refuse';
  /** Other variables the case needs (the default limit is never above the max). */
  beside?: Record<string, string>;
}

const DAY = 24 * 3600;
const MINUTE_MS = 60_000;
const MIB = 1024 * 1024;

/** The documented bounds, as docs/settings.md states them. */
const BOUNDS: Bound[] = [
  ['LESSONS_DEDUP_WINDOW_S', 'dedupWindowSeconds', true, 3600, 0, 3650 * DAY],
  ['LESSONS_REGRESSION_GRACE_S', 'regressionGraceSeconds', true, 300, 0, 3650 * DAY],
  ['LESSONS_BULK_MAX', 'bulkMax', true, 10_000, 1, 1_000_000],
  ['LESSONS_QUERY_LIMIT_DEFAULT', 'queryLimitDefault', true, 100, 1, 10_000],
  ['LESSONS_QUERY_LIMIT_MAX', 'queryLimitMax', true, 1000, 1, 10_000],
  ['LESSONS_MAX_TEXT_LENGTH', 'maxTextLength', true, 16_384, 1, MIB],
  ['LESSONS_MAX_DETAIL_BYTES', 'maxDetailBytes', true, 65_536, 1, 16 * MIB],
  ['LESSONS_OPERATION_TIMEOUT_MS', 'operationTimeoutMs', true, 2000, 1, MINUTE_MS],
  ['LESSONS_WRITE_RATE_PER_S', 'writeRatePerS', true, 0, 0, 1_000_000],
  ['LESSONS_WRITE_BURST', 'writeBurst', true, 100, 1, 1_000_000],
  ['PORT', 'port', false, 4000, 0, 65_535],
  ['LESSONS_SQLITE_BUSY_TIMEOUT_MS', 'sqliteBusyTimeoutMs', false, 5000, 0, MINUTE_MS],
  ['LESSONS_SQLITE_READERS', 'sqliteReaders', false, 2, 1, 8],
  ['LESSONS_PG_CONNECT_TIMEOUT_MS', 'postgres.connectTimeoutMs', false, 1500, 1, MINUTE_MS],
  ['LESSONS_PG_STATEMENT_TIMEOUT_MS', 'postgres.statementTimeoutMs', false, 1500, 1, MINUTE_MS],
  ['LESSONS_PG_LOCK_TIMEOUT_MS', 'postgres.lockTimeoutMs', false, 1000, 1, MINUTE_MS],
  ['LESSONS_PG_POOL_SIZE', 'postgres.poolSize', false, 10, 1, 100],
  ['LESSONS_SHUTDOWN_GRACE_MS', 'shutdownGraceMs', false, 10_000, 0, 10 * MINUTE_MS],
  ['LESSONS_MAX_DEPTH', 'limits.maxDepth', false, 10, 1, 1000],
  ['LESSONS_MAX_ALIASES', 'limits.maxAliases', false, 15, 1, 1000],
  ['LESSONS_MAX_DIRECTIVES', 'limits.maxDirectives', false, 10, 1, 1000],
  ['LESSONS_MAX_TOKENS', 'limits.maxTokens', false, 2000, 1, 1_000_000],
  ['LESSONS_MAX_COST', 'limits.maxCost', false, 70_000, 1, 1_000_000_000],
  ['LESSONS_MAX_RESPONSE_BYTES', 'limits.maxResponseBytes', false, 16 * MIB, 1, 256 * MIB],
  ['LESSONS_MAX_BODY_BYTES', 'limits.maxBodyBytes', false, MIB, 1, 64 * MIB],
].map(([env, path, journal, fallback, min, max]) => ({
  env: env as string,
  path: path as string,
  journal: journal as boolean,
  default: fallback as number,
  min: min as number,
  max: max as number,
  outside: env === 'PORT' ? 'refuse' : 'clamp',
  ...(env === 'LESSONS_QUERY_LIMIT_DEFAULT'
    ? { beside: { LESSONS_QUERY_LIMIT_MAX: '10000' } }
    : {}),
}));

interface Report {
  message: string;
  refused: boolean;
}

function valueAt(settings: unknown, path: string): unknown {
  return path.split('.').reduce((at, key) => (at as Record<string, unknown>)[key], settings);
}

/** The setting read from the environment (or, `fileValue` given, from the settings file). */
function readSetting(bound: Bound, raw: string, fileValue?: string | number) {
  const reports: Report[] = [];
  const report = (message: string, refused?: boolean) =>
    reports.push({ message, refused: refused === true });
  const viaFile = fileValue !== undefined;
  const env = { ...bound.beside, ...(viaFile ? {} : { [bound.env]: raw }) };
  let settings: unknown;
  if (!bound.journal) settings = serverSettingsFromEnv(env, report);
  else if (!viaFile) settings = journalSettingsFromEnv(env, report);
  else {
    const base = journalSettingsFromEnv(env, () => {});
    const text = JSON.stringify({ [bound.path]: fileValue });
    settings = journalSettingsFromFile(text, base, report);
  }
  return { value: valueAt(settings, bound.path), reports };
}

/** A case: the raw value, the outcome, and whether the file holds it as a JSON string
 * (NaN and infinities have no JSON number; "1e13" is text on purpose). */
type Case = [label: string, raw: (b: Bound) => string, outcome: Outcome, asText?: boolean];
type Outcome = 'min' | 'max' | 'default' | 'exact';
const CASES: Case[] = [
  ['the minimum', (b) => String(b.min), 'exact'],
  ['the maximum', (b) => String(b.max), 'exact'],
  ['min-1', (b) => String(b.min - 1), 'min'],
  ['max+1', (b) => String(b.max + 1), 'max'],
  ['a huge value', () => '1e300', 'max'],
  ['-Infinity', () => '-Infinity', 'min', true],
  ['"1e13"', () => '1e13', 'max', true],
  ['NaN', () => 'NaN', 'default', true],
];

describe.each(BOUNDS)('$env: $min to $max, $outside outside', (bound) => {
  const sources = bound.journal ? ['the environment', 'the settings file'] : ['the environment'];

  for (const source of sources) {
    test.each(CASES)(`%s in ${source}`, (_label, rawOf, outcome, asText) => {
      const raw = rawOf(bound);
      const viaFile = source === 'the settings file';
      const fileValue = asText ? raw : Number(raw);
      const { value, reports } = readSetting(bound, raw, viaFile ? fileValue : undefined);
      const shown = viaFile
        ? `settings file "${bound.path}"=${JSON.stringify(fileValue)}`
        : `${bound.env}=${JSON.stringify(raw)}`;
      if (outcome === 'exact') {
        expect({ value, reports }).toEqual({ value: Number(raw), reports: [] });
        return;
      }
      const problem =
        outcome === 'default'
          ? `${shown} is not a number`
          : outcome === 'min'
            ? `${shown} is below the minimum of ${bound.min}`
            : `${shown} is above the maximum of ${bound.max}`;
      if (bound.outside === 'refuse') {
        expect(reports).toEqual([{ message: problem, refused: true }]);
        return;
      }
      const used = outcome === 'default' ? bound.default : bound[outcome];
      expect({ value, reports }).toEqual({
        value: used,
        reports: [{ message: `${problem}; using ${used}`, refused: false }],
      });
    });
  }
});

describe('the bounds table', () => {
  test('covers every numeric setting the service has, with the same bounds', () => {
    type Shape = Pick<Bound, 'env' | 'default' | 'min' | 'max' | 'outside'>;
    const shape = (b: Shape): Shape => ({
      env: b.env,
      default: b.default,
      min: b.min,
      max: b.max,
      outside: b.outside,
    });
    const byName = (a: Shape, b: Shape) => a.env.localeCompare(b.env);
    expect(NUMERIC_SETTINGS.map(shape).sort(byName)).toEqual(BOUNDS.map(shape).sort(byName));
  });

  test('docs/settings.md states each bound and what a value outside it gets', () => {
    const doc = readFileSync(new URL('../docs/settings.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Bounds\n')).split('\n');
    for (const b of BOUNDS) {
      const row = section.find((line) => line.startsWith(`| \`${b.env}\` | `));
      expect(row, b.env).toBeDefined();
      const cells = (row as string).split('|').map((c) => c.trim());
      expect(cells.slice(2, 5), b.env).toEqual([
        b.min.toLocaleString('en'),
        b.max.toLocaleString('en'),
        b.outside === 'clamp' ? 'clamped' : 'refused at start',
      ]);
    }
  });

  test('a real server with PORT=70000 refuses to start, naming the variable and its range', async () => {
    const { code, lines } = await runToExit({ PORT: '70000', LESSONS_ENABLED: 'false' });
    expect(code).toBe(1);
    const fatal = lines.find((l) => l.json?.level === 60);
    expect(fatal?.json).toMatchObject({
      msg: 'invalid settings',
      reason: 'PORT="70000" is above the maximum of 65535',
    });
  });
});

describeEachBackend('absurd settings leave the journal working the same way', (backend) => {
  const AUTO = { lessonType: 'transient_retry', source: 'auto', workItemId: 'W-1', stage: 'build' };
  type Recorded = { recordLesson: { id: number; occurrences: number } | null };

  test('LESSONS_DEDUP_WINDOW_S=1e13: a 10-year window, auto records recorded and deduped', async () => {
    const warnings: string[] = [];
    const settings = journalSettingsFromEnv({ LESSONS_DEDUP_WINDOW_S: '1e13' }, (m) =>
      warnings.push(m),
    );
    const s = await makeService({ backend, settingsSource: staticSettings(settings) });
    const record = async () =>
      (await s.gql<Recorded>(RECORD, { input: AUTO })).data?.recordLesson ?? null;

    const first = await record();
    expect(first).toMatchObject({ id: 1, occurrences: 1 });
    s.clock.advance(3649 * 24 * 3600); // within the window: folded into the first
    expect(await record()).toBeNull();
    s.clock.advance(2 * 24 * 3600); // now 10 years and a day after the first: a new lesson
    expect(await record()).toMatchObject({ id: 2, occurrences: 1 });

    const occurrences = await s.gql<{ lessons: { id: number; occurrences: number }[] }>(
      '{ lessons { id occurrences } }',
    );
    expect(occurrences.data?.lessons).toEqual([
      { id: 2, occurrences: 1 },
      { id: 1, occurrences: 2 },
    ]);
    expect(await s.metric('lessons_faults_total')).toBe(0);
    expect(warnings).toEqual([
      'LESSONS_DEDUP_WINDOW_S="1e13" is above the maximum of 315360000; using 315360000',
    ]);
  });

  test('LESSONS_OPERATION_TIMEOUT_MS=2^31 (past the largest timer): records answer, no timeout', async () => {
    const settings = journalSettingsFromEnv(
      { LESSONS_OPERATION_TIMEOUT_MS: String(2 ** 31) },
      () => {},
    );
    const s = await makeService({ backend, settingsSource: staticSettings(settings) });
    for (let i = 1; i <= 3; i++) {
      const input = { lessonType: 'gate_failure', source: 'manual' };
      const r = await s.gql<Recorded>(RECORD, { input });
      expect(r.data?.recordLesson?.id).toBe(i);
    }
    expect(await s.metric('lessons_faults_total')).toBe(0);
    expect(settings.operationTimeoutMs).toBe(MINUTE_MS);
  });
});
