// Fault warnings are rate-limited per (operation, reason): in a window the first fault is
// logged, the rest are counted and reported in one summary when the window ends ("...and
// N more like it in the last Xs"); lessons_faults_total stays exact. No warning has an
// empty `error`.
import { expect, test } from 'vitest';
import { DatabaseFault } from '../src/db/port.ts';
import { postgresFault } from '../src/db/postgres/faults.ts';
import { sqliteFault } from '../src/db/sqlite/faults.ts';
import { createGuard } from '../src/journal/guard.ts';
import { createJournal } from '../src/journal/index.ts';
import { createMetrics, type JournalMetrics } from '../src/metrics.ts';
import { JOURNAL_DEFAULTS, staticSettings } from '../src/settings.ts';
import { describeEachBackend } from './backends.ts';
import { behindTheService, captureLog, type LogLine, makeService } from './helpers.ts';

const FIRST = 'journal fault: answered with the safe default';

async function faultCount(metrics: JournalMetrics, labels: Record<string, string>) {
  const found = (await metrics.faults.get()).values.find((v) =>
    Object.entries(labels).every(([k, want]) => v.labels[k as 'operation'] === want),
  );
  return found?.value ?? 0;
}

/** Waits (up to 10 s: a bound that proves it comes at all) until `lines` has a summary. */
async function summaries(lines: LogLine[]): Promise<LogLine[]> {
  const found = () => lines.filter((l) => l.level === 40 && String(l.msg).includes('more like it'));
  for (let waited = 0; found().length === 0 && waited < 10_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return found();
}

describeEachBackend('fault warnings in a burst', (backend) => {
  test('100 faults: one warning, then one summary with the exact count of the others; lessons_faults_total counts 100', async () => {
    const s = await makeService({ backend });
    await s.journal.record({ lessonType: 'gate_failure' });
    const log = captureLog();
    const metrics = createMetrics();
    const journal = createJournal({
      db: s.db,
      settings: staticSettings(JOURNAL_DEFAULTS),
      log: log.log,
      metrics,
      faultLogWindowMs: 1000,
    });
    await behindTheService(s, 'ALTER TABLE lessons RENAME TO lessons_gone');

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        journal.record({ lessonType: 'gate_failure', workItemId: `W-${i}` }),
      ),
    );
    expect(answers).toEqual(Array(100).fill(null));
    expect(await faultCount(metrics, { operation: 'record', reason: 'table_missing' })).toBe(100);
    const first = log.warnings().filter((l) => l.msg === FIRST);
    expect(first.map(({ operation, reason }) => ({ operation, reason }))).toEqual([
      { operation: 'record', reason: 'table_missing' },
    ]);
    expect(String(first[0]?.error)).toMatch(/lessons/);

    const [summary, ...more] = await summaries(log.lines);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({
      operation: 'record',
      reason: 'table_missing',
      suppressed: 99,
      msg: 'journal fault: ...and 99 more like it in the last 1s',
    });
    expect(String(summary?.error)).toMatch(/lessons/);
    // Another operation's faults are a window of their own; after the window, the next
    // fault of the same kind is logged again.
    expect(await journal.list()).toEqual([]);
    expect(await journal.record({ lessonType: 'gate_failure' })).toBeNull();
    expect(log.warnings().filter((l) => l.msg === FIRST)).toHaveLength(3);
    expect(await faultCount(metrics, { operation: 'record', reason: 'table_missing' })).toBe(101);
  });
});

test('a fault whose message is empty still logs a non-empty error: the reason, and the names and codes it carries', async () => {
  const log = captureLog();
  const metrics = createMetrics();
  const guard = createGuard({ settings: staticSettings(JOURNAL_DEFAULTS), log: log.log, metrics });
  const empty = (code?: string) => Object.assign(new Error(''), code ? { code } : {});
  const throwing = (error: unknown) => () => Promise.reject(error);
  await guard('record', { off: null, fault: null }, throwing(postgresFault(empty('ECONNRESET'))));
  await guard('get', { off: null, fault: null }, throwing(sqliteFault(empty('SQLITE_IOERR'))));
  await guard('list', { off: [], fault: [] }, throwing(empty()));
  await guard(
    'update',
    { off: false, fault: false },
    throwing(new DatabaseFault('db_unreachable', '')),
  );
  expect(
    log.warnings().map(({ operation, reason, error }) => ({ operation, reason, error })),
  ).toEqual([
    {
      operation: 'record',
      reason: 'db_unreachable',
      error: 'db_unreachable: DatabaseFault < Error ECONNRESET, without a message',
    },
    {
      operation: 'get',
      reason: 'io_error',
      error: 'io_error: DatabaseFault < Error SQLITE_IOERR, without a message',
    },
    { operation: 'list', reason: 'internal', error: 'internal: Error, without a message' },
    {
      operation: 'update',
      reason: 'db_unreachable',
      error: 'db_unreachable: DatabaseFault, without a message',
    },
  ]);
});
