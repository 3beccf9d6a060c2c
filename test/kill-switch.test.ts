// Kill-switch: with the journal off, every operation is an immediate no-op with the
// contract's default, and the database is never touched: no open, no file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createSettingsSource } from '../src/settings.ts';
import { describeEachBackend } from './backends.ts';
import { OFF_SNAPSHOT } from './fixtures.ts';
import {
  captureLog,
  journalStorageTouched,
  LESSON_FIELDS,
  makeService,
  RECORD,
  tempDir,
} from './helpers.ts';

const ALL_OPERATIONS = `
  query All {
    lessons { id }
    lesson(id: 1) { id }
    lessonsSnapshot { enabled total open recorded24h lastRecordedAt byType { key count }
      byStatus { key count } byDomain { key count } byAttribution { key count } }
    lessonSlugs { lessonTypes }
    patterns(first: 5) { edges { node { id } } pageInfo { hasNextPage } }
    pattern(id: 1) { id }
  }`;

const OFF_ANSWERS = {
  lessons: [],
  lesson: null,
  lessonsSnapshot: OFF_SNAPSHOT,
  lessonSlugs: {
    lessonTypes: ['gate_failure', 'merge_hold', 'transient_retry', 'deploy_degraded'],
  },
  patterns: { edges: [], pageInfo: { hasNextPage: false } },
  pattern: null,
};

/** An opener that fails the test if it is ever called. */
const forbidden = () => () => {
  throw new Error('the database was opened while the journal is off');
};

describeEachBackend('kill-switch off', (backend) => {
  /** A service with the journal off, on an empty database it must never open. */
  const offService = () =>
    makeService({ backend, emptyDatabase: true, settings: { enabled: false }, open: forbidden });

  test('every operation answers its off default without opening the database', async () => {
    const s = await offService();
    const reads = await s.gql(ALL_OPERATIONS);
    expect(reads).toEqual({ status: 200, data: OFF_ANSWERS });
    const record = await s.gql(RECORD, { input: { lessonType: 'gate_failure' } });
    expect(record).toEqual({ status: 200, data: { recordLesson: null } });
    const update = await s.gql('mutation { updateLesson(id: 1, input: { status: "closed" }) }');
    expect(update).toEqual({ status: 200, data: { updateLesson: false } });
    const merge = await s.gql('mutation { mergePatterns(into: 1, from: [2]) }');
    expect(merge).toEqual({ status: 200, data: { mergePatterns: false } });
    const triage = await s.gql(`mutation {
      updatePattern(id: 1, input: { status: "closed", fixRef: "PR #1" })
      updateLessons(ids: [1, 2], input: { status: "closed" }) { matched updated }
    }`);
    expect(triage).toEqual({
      status: 200,
      data: { updatePattern: false, updateLessons: { matched: 0, updated: 0 } },
    });

    expect(s.opens()).toBe(0);
    expect(await journalStorageTouched(s)).toBe(false);
    expect(s.log.warnings()).toEqual([]);
    for (const operation of [
      'list',
      'get',
      'snapshot',
      'record',
      'update',
      'merge',
      'update_pattern',
      'bulk_update',
    ]) {
      expect(await s.metric('lessons_noop_total', { operation })).toBe(1);
    }
    expect(await s.metric('lessons_noop_total', { operation: 'patterns' })).toBe(2);
  });

  test('/ready is 200 with the journal off, /health says off, and neither opens anything', async () => {
    const s = await offService();
    const ready = await s.app.fetch('http://localhost/ready');
    expect({ status: ready.status, body: await ready.json() }).toEqual({
      status: 200,
      body: { status: 'ok', journal: 'off', database: 'not opened' },
    });
    const health = await s.app.fetch('http://localhost/health');
    expect(await health.json()).toEqual({ status: 'ok', journal: 'off', database: 'not checked' });
    expect(s.opens()).toBe(0);
  });

  test('the journal API itself returns the seed module defaults', async () => {
    const s = await offService();
    expect(await s.journal.record({ lessonType: 'gate_failure' })).toBeNull();
    expect(await s.journal.list()).toEqual([]);
    expect(await s.journal.get(1)).toBeNull();
    expect(await s.journal.update(1, { status: 'closed' })).toBe(false);
    expect(await s.journal.snapshot()).toEqual({ enabled: false });
    expect(await s.journal.patterns(null, { order: 'OCCURRENCES', limit: 5 })).toEqual([]);
    expect(await s.journal.pattern(1)).toBeNull();
    expect(await s.journal.patternsOfLessons([1])).toEqual(new Map());
    expect(await s.journal.series(1, 'day', new Date(0))).toEqual([]);
    expect(await s.journal.merge(1, [2])).toBe(false);
    expect(await s.journal.updatePattern(1, { status: 'closed' })).toBe(false);
    expect(await s.journal.updateMany({ ids: [1] }, { status: 'closed' }, false)).toEqual({
      matched: 0,
      updated: 0,
    });
    expect(await s.journal.history('lesson', [1])).toEqual(new Map());
    expect(await s.journal.history('pattern', [1])).toEqual(new Map());
    expect(s.opens()).toBe(0);
  });
});

describeEachBackend('the settings file flips the switch without a restart', (backend) => {
  const waitFor = async (check: () => Promise<boolean>, ms = 4000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  test('off -> on opens and migrates the database on first use; on -> off stops using it', async () => {
    const file = join(tempDir(), 'settings.json');
    writeFileSync(file, JSON.stringify({ enabled: false }));
    const log = captureLog();
    const settings = createSettingsSource({ env: {}, file, log: log.log, pollMs: 50 });
    try {
      const s = await makeService({ backend, emptyDatabase: true, settingsSource: settings });
      expect((await s.gql(RECORD, { input: { lessonType: 'gate_failure' } })).data).toEqual({
        recordLesson: null,
      });
      expect(s.opens()).toBe(0);
      expect(await journalStorageTouched(s)).toBe(false);

      const start = Date.now();
      writeFileSync(file, JSON.stringify({ enabled: true }));
      expect(await waitFor(async () => settings.current().enabled)).toBe(true);
      expect(Date.now() - start).toBeLessThan(2000);
      const on = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, {
        input: { lessonType: 'gate_failure' },
      });
      expect(on.data?.recordLesson?.id).toBe(1);
      expect(await journalStorageTouched(s)).toBe(true);
      expect(s.opens()).toBe(1);

      writeFileSync(file, JSON.stringify({ enabled: false }));
      expect(await waitFor(async () => !settings.current().enabled)).toBe(true);
      expect((await s.gql(`{ lessons { ${LESSON_FIELDS} } }`)).data).toEqual({ lessons: [] });
      expect(await s.metric('lessons_noop_total', { operation: 'list' })).toBe(1);
    } finally {
      settings.close();
    }
  });

  test('an unreadable or unparsable file means off, with one warning per fault, not per request', async () => {
    const file = join(tempDir(), 'settings.json');
    writeFileSync(file, '{"enabled": true');
    const log = captureLog();
    const settings = createSettingsSource({
      env: { LESSONS_ENABLED: 'true' },
      file,
      log: log.log,
      pollMs: 50,
    });
    try {
      const s = await makeService({
        backend,
        emptyDatabase: true,
        settingsSource: settings,
        open: forbidden,
      });
      for (let i = 0; i < 20; i++) {
        expect((await s.gql('{ lessons { id } }')).data).toEqual({ lessons: [] });
      }
      const faults = () =>
        log.warnings().filter((l) => String(l.msg).includes('settings file unreadable'));
      expect(faults()).toHaveLength(1);
      expect(String(faults()[0]?.reason)).toMatch(/JSON/);

      writeFileSync(file, '[1, 2]');
      expect(await waitFor(async () => faults().length === 2)).toBe(true);
      expect(String(faults()[1]?.reason)).toBe('the settings file must hold a JSON object');
      expect(settings.current().enabled).toBe(false);
      expect(s.opens()).toBe(0);
    } finally {
      settings.close();
    }
  });

  test('a missing settings file means off', async () => {
    const log = captureLog();
    const settings = createSettingsSource({
      env: { LESSONS_ENABLED: 'true' },
      file: join(tempDir(), 'absent.json'),
      log: log.log,
      pollMs: 50,
    });
    try {
      expect(settings.current().enabled).toBe(false);
      expect(log.warnings()).toHaveLength(1);
    } finally {
      settings.close();
    }
  });
});
