// recordLesson: the new lesson with every field, dedup of auto records (atomic under
// concurrency, null equal to null, the window from the settings), manual never deduped,
// oversized or odd input kept, never lost.
import { expect, test } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.ts';
import { TEXT_INPUTS } from '../src/journal/fields.ts';
import { newestDuplicateSql } from '../src/journal/record.ts';
import { SLUGS } from '../src/journal/slugs.ts';
import { describeEachBackend } from './backends.ts';
import { LESSON_FIELDS, type LessonJson, makeService, prismaOf, RECORD } from './helpers.ts';
import { withClient } from './postgres/databases.ts';

type Recorded = { recordLesson: LessonJson | null };

/** A value for every field a record sets (any the list below names is given its own). */
const FULL_INPUT = {
  ...Object.fromEntries(TEXT_INPUTS.map((field) => [field, `a ${field}`])),
  lessonType: 'gate_failure',
  workItemId: 'ORCH-98',
  taskId: 'T-7',
  stage: 'quality_gate',
  agent: 'reviewer',
  repo: 'orchestrator',
  rootCause: 'flaky e2e test',
  suggestion: 'quarantine it',
  status: 'in_progress',
  relatedTask: 'T-9',
  attribution: 'platform',
  targetRepo: 'orchestrator',
  targetDomain: 'reliability',
  source: 'auto',
  detail: { attempt: 3, checks: ['lint', 'e2e'], nested: { ok: false, ratio: 0.5 } },
};

async function rows(s: Awaited<ReturnType<typeof makeService>>) {
  const prisma = await prismaOf(s);
  return prisma.lesson.findMany({ orderBy: { id: 'asc' } });
}

describeEachBackend('recordLesson', (backend) => {
  test('returns the new lesson with every field of the contract', async () => {
    const s = await makeService({ backend });
    const r = await s.gql<Recorded>(RECORD, { input: FULL_INPUT });
    const at = s.clock.now().toISOString();
    expect(r).toEqual({
      status: 200,
      data: {
        recordLesson: {
          id: 1,
          ...FULL_INPUT,
          occurrences: 1,
          lastSeenAt: at,
          createdAt: at,
          updatedAt: at,
          recordedAt: at,
          version: 1,
          closedAt: null,
        },
      },
    });
    expect(await s.metric('lessons_recorded_total', { source: 'auto' })).toBe(1);
  });

  test('defaults: status "new", source "auto", nullable fields null; null status or source mean the default', async () => {
    const s = await makeService({ backend });
    const r = await s.gql<Recorded>(RECORD, { input: { lessonType: 'merge_hold' } });
    expect(r.data?.recordLesson).toMatchObject({
      lessonType: 'merge_hold',
      status: 'new',
      source: 'auto',
      workItemId: null,
      detail: null,
      occurrences: 1,
    });
    const nulls = await s.gql<Recorded>(RECORD, {
      input: { lessonType: 'merge_hold', status: null, source: null, workItemId: 'W' },
    });
    expect(nulls.data?.recordLesson).toMatchObject({ status: 'new', source: 'auto' });
  });

  test('a blank lessonType is refused with null, and nothing is stored', async () => {
    const s = await makeService({ backend });
    for (const lessonType of ['', '   ', '\t\n']) {
      expect((await s.gql<Recorded>(RECORD, { input: { lessonType } })).data).toEqual({
        recordLesson: null,
      });
    }
    expect(await rows(s)).toEqual([]);
    expect(
      await s.metric('lessons_rejected_total', {
        operation: 'record',
        reason: 'blank_lesson_type',
      }),
    ).toBe(3);
  });

  test('unknown slugs are stored as given (forward-compatible)', async () => {
    const s = await makeService({ backend });
    const input = {
      lessonType: 'cost_overrun',
      status: 'triaged',
      attribution: 'vendor',
      targetDomain: 'security',
      source: 'retro_agent',
    };
    expect((await s.gql<Recorded>(RECORD, { input })).data?.recordLesson).toMatchObject(input);
    expect(SLUGS.lessonTypes).not.toContain('cost_overrun');
  });

  test('the lesson survives a reopen of the database', async () => {
    const s = await makeService({ backend });
    const r = await s.gql<Recorded>(RECORD, { input: FULL_INPUT });
    await s.db.close();
    const again = await makeService({ backend, databaseUrl: s.databaseUrl });
    const stored = await again.gql<{ lessons: LessonJson[] }>(`{ lessons { ${LESSON_FIELDS} } }`);
    expect(again.log.warnings()).toEqual([]);
    expect(stored.data?.lessons).toEqual([r.data?.recordLesson]);
  });
});

describeEachBackend('timestamps', (backend) => {
  test('are UTC instants whatever the process time zone, written and read back', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const s = await makeService({ backend });
      const at = s.clock.now().toISOString();
      const r = await s.gql<Recorded>(RECORD, { input: { lessonType: 'gate_failure' } });
      expect(r.data?.recordLesson).toMatchObject({ createdAt: at, lastSeenAt: at, updatedAt: at });
      const read = await s.gql<{ lesson: LessonJson }>(
        '{ lesson(id: 1) { createdAt lastSeenAt } }',
      );
      expect(read.data?.lesson).toEqual({ createdAt: at, lastSeenAt: at });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describeEachBackend('dedup of auto records', (backend) => {
  test('a repeat within the window bumps occurrences and last_seen_at of the earlier lesson and returns null', async () => {
    const s = await makeService({ backend });
    const key = { lessonType: 'transient_retry', workItemId: 'W-1', stage: 'deploy' };
    const first = await s.gql<Recorded>(RECORD, { input: key });
    expect(first.data?.recordLesson?.id).toBe(1);
    s.clock.advance(600);
    const second = await s.gql<Recorded>(RECORD, { input: { ...key, rootCause: 'other words' } });
    expect(second).toEqual({ status: 200, data: { recordLesson: null } });
    const [row, ...rest] = await rows(s);
    expect(rest).toEqual([]);
    expect(row?.occurrences).toBe(2);
    expect(row?.lastSeenAt.toISOString()).toBe(s.clock.now().toISOString());
    expect(row?.createdAt.toISOString()).toBe(first.data?.recordLesson?.createdAt);
    expect(row?.updatedAt.toISOString()).toBe(first.data?.recordLesson?.updatedAt);
    expect(row?.rootCause).toBeNull();
    expect(await s.metric('lessons_deduped_total')).toBe(1);
  });

  test('the window: at its edge still a repeat, past it a new lesson', async () => {
    const s = await makeService({ backend, settings: { dedupWindowSeconds: 60 } });
    const key = { lessonType: 'merge_hold', workItemId: 'W-2', stage: 'merge' };
    await s.journal.record(key);
    s.clock.advance(60);
    expect(await s.journal.record(key)).toBeNull();
    s.clock.advance(0.001);
    const third = await s.journal.record(key);
    expect(third?.id).toBe(2);
    expect((await rows(s)).map((r) => r.occurrences)).toEqual([2, 1]);
    // The newest lesson of the key absorbs what follows.
    expect(await s.journal.record(key)).toBeNull();
    expect((await rows(s)).map((r) => r.occurrences)).toEqual([2, 2]);
  });

  test('null equals null in the key; a different value is a different key', async () => {
    const s = await makeService({ backend });
    expect(await s.journal.record({ lessonType: 'gate_failure' })).not.toBeNull();
    expect(
      await s.journal.record({ lessonType: 'gate_failure', workItemId: null, stage: null }),
    ).toBeNull();
    expect(await s.journal.record({ lessonType: 'gate_failure', workItemId: 'W' })).not.toBeNull();
    expect(await s.journal.record({ lessonType: 'gate_failure', stage: 'qa' })).not.toBeNull();
    expect(await s.journal.record({ lessonType: 'merge_hold' })).not.toBeNull();
    expect(
      await s.journal.record({ lessonType: 'gate_failure', workItemId: 'W', stage: 'qa' }),
    ).not.toBeNull();
    expect(
      (await rows(s)).map((r) => [r.workItemId, r.stage, r.lessonType, r.occurrences]),
    ).toEqual([
      [null, null, 'gate_failure', 2],
      ['W', null, 'gate_failure', 1],
      [null, 'qa', 'gate_failure', 1],
      [null, null, 'merge_hold', 1],
      ['W', 'qa', 'gate_failure', 1],
    ]);
  });

  test('manual records are never deduped, and never absorb auto ones', async () => {
    const s = await makeService({ backend });
    const key = { lessonType: 'gate_failure', workItemId: 'W-3', stage: 'qa' };
    for (let i = 0; i < 3; i++) {
      expect(await s.journal.record({ ...key, source: 'manual' })).not.toBeNull();
    }
    const auto = await s.journal.record(key);
    expect(auto?.id).toBe(4);
    expect(await s.journal.record({ ...key, source: 'manual' })).not.toBeNull();
    expect(await s.journal.record(key)).toBeNull();
    expect((await rows(s)).map((r) => [r.source, r.occurrences])).toEqual([
      ['manual', 1],
      ['manual', 1],
      ['manual', 1],
      ['auto', 2],
      ['manual', 1],
    ]);
    expect(await s.metric('lessons_recorded_total', { source: 'manual' })).toBe(4);
  });

  test.each([
    [0, 'zero'],
    [-5, 'negative'],
  ])('a window of %i (%s) disables dedup', async (dedupWindowSeconds) => {
    const s = await makeService({ backend, settings: { dedupWindowSeconds } });
    for (let i = 0; i < 3; i++) {
      expect(
        await s.journal.record({ lessonType: 'gate_failure', workItemId: 'W' }),
      ).not.toBeNull();
    }
    expect((await rows(s)).map((r) => r.occurrences)).toEqual([1, 1, 1]);
  });

  test('50 concurrent identical auto records leave exactly one row with occurrences = 50', async () => {
    const s = await makeService({ backend });
    const input = { lessonType: 'transient_retry', workItemId: 'STORM', stage: 'build' };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => s.gql<Recorded>(RECORD, { input })),
    );
    expect(results.every((r) => r.status === 200 && r.errors === undefined)).toBe(true);
    const created = results.filter((r) => r.data?.recordLesson !== null);
    expect(created).toHaveLength(1);
    const all = await rows(s);
    expect(all.map((r) => [r.workItemId, r.occurrences])).toEqual([['STORM', 50]]);
    expect(await s.metric('lessons_deduped_total')).toBe(49);
  });

  test('several keys recorded concurrently: one row per key, each with its own count', async () => {
    const s = await makeService({ backend });
    const keys = [
      { lessonType: 'gate_failure', workItemId: 'A', stage: 'qa', n: 20 },
      { lessonType: 'gate_failure', workItemId: 'A', stage: null, n: 15 },
      { lessonType: 'merge_hold', workItemId: 'A', stage: 'qa', n: 12 },
      { lessonType: 'gate_failure', workItemId: null, stage: null, n: 9 },
      { lessonType: 'deploy_degraded', workItemId: 'B', stage: 'prod', n: 1 },
    ];
    const calls = keys.flatMap(({ n, ...key }) => Array.from({ length: n }, () => key));
    // Interleave the keys so that they really race.
    calls.sort(
      (a, b) => (a.workItemId ?? '').localeCompare(b.workItemId ?? '') || Math.random() - 0.5,
    );
    await Promise.all(calls.map((input) => s.journal.record(input)));
    const counts = (await rows(s)).map((r) => [r.lessonType, r.workItemId, r.stage, r.occurrences]);
    expect(counts).toHaveLength(keys.length);
    expect(counts).toEqual(
      expect.arrayContaining(keys.map((k) => [k.lessonType, k.workItemId, k.stage, k.n])),
    );
  });

  // A retry storm on a young table: thousands of lessons of one type and stage, no
  // statistics yet. The lookup must seek the dedup index, not scan the type and stage.
  test('the dedup lookup seeks the dedup index on a table without statistics', async () => {
    const s = await makeService({ backend });
    await s.journal.record({ lessonType: 'transient_retry', workItemId: 'W-0', stage: 'build' });
    const prisma = await prismaOf(s);
    const now = s.clock.now();
    await prisma.$executeRawUnsafe(
      backend === 'postgresql'
        ? `INSERT INTO lessons (lesson_type, work_item_id, stage, source, created_at, last_seen_at, updated_at)
           SELECT 'transient_retry', 'W-' || n, 'build', 'auto', $1::timestamp, $1::timestamp, $1::timestamp
           FROM generate_series(1, 5000) AS n`
        : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
           INSERT INTO lessons (lesson_type, work_item_id, stage, source, created_at, last_seen_at, updated_at)
           SELECT 'transient_retry', 'W-' || i, 'build', 'auto', ${now.getTime()}, ${now.getTime()}, ${now.getTime()} FROM n`,
      ...(backend === 'postgresql' ? [now.toISOString()] : []),
    );
    const key = {
      workItemId: 'W-42',
      lessonType: 'transient_retry',
      stage: 'build',
      since: new Date(now.getTime() - 3600_000),
    };
    if (backend === 'postgresql') {
      // The lookup runs inside lessons_bump_duplicate: its plans, as auto_explain reports
      // them, for the usual key and one with a null part, past the plan cache's first five.
      for (const nulls of [{}, { stage: null }, { workItemId: null }]) {
        const probe = { ...key, ...nulls };
        const plans = await nestedPlans(
          s.databaseUrl,
          'SELECT lessons_bump_duplicate($1, $2, $3, $4, $5, $6)',
          ['k', probe.workItemId, probe.lessonType, probe.stage, probe.since, now],
        );
        const lookups = plans.filter((plan) => plan.includes('"created_at" DESC'));
        expect(lookups).toHaveLength(8);
        for (const plan of lookups) {
          expect(plan).toContain('lessons_dedup_key_idx');
          expect(plan).not.toMatch(/Sort|Seq Scan/);
        }
      }
      return;
    }
    for (const nulls of [{}, { stage: null }, { workItemId: null }]) {
      const plan = (
        await prisma.$queryRaw<Record<string, unknown>[]>(
          Prisma.sql`EXPLAIN QUERY PLAN ${newestDuplicateSql({ ...key, ...nulls })}`,
        )
      )
        .map((row) => String(row.detail))
        .join('\n');
      expect(plan).toContain('lessons_dedup_key_idx');
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });
});

/** The plans of the statements `sql` runs inside functions, each of 8 runs (auto_explain). */
async function nestedPlans(url: string, sql: string, values: unknown[]): Promise<string[]> {
  return withClient(url, async (client) => {
    const plans: string[] = [];
    client.on('notice', (notice) => plans.push(notice.message ?? ''));
    for (const setting of [
      "LOAD 'auto_explain'",
      'SET auto_explain.log_min_duration = 0',
      'SET auto_explain.log_nested_statements = on',
      'SET auto_explain.log_level = notice',
    ])
      await client.query(setting);
    for (let run = 0; run < 8; run++) await client.query(sql, values);
    return plans;
  });
}

describeEachBackend('input that is too big or odd never loses the lesson', (backend) => {
  test('a text field over the cap is cut to the cap and ends with a visible marker', async () => {
    const s = await makeService({ backend, settings: { maxTextLength: 100 } });
    const long = 'é'.repeat(250);
    const r = await s.gql<Recorded>(RECORD, {
      input: { lessonType: 'gate_failure', rootCause: long, suggestion: 'short' },
    });
    const rootCause = r.data?.recordLesson?.rootCause ?? '';
    expect(rootCause).toHaveLength(100);
    expect(rootCause).toBe(`${'é'.repeat(77)} …[truncated 173 chars]`);
    expect(r.data?.recordLesson?.suggestion).toBe('short');
    expect(await s.metric('lessons_input_truncated_total', { field: 'rootCause' })).toBe(1);
  });

  test('a cut never splits an emoji (a surrogate pair)', async () => {
    const s = await makeService({ backend, settings: { maxTextLength: 40 } });
    const lesson = await s.journal.record({ lessonType: 'x', rootCause: '😀'.repeat(40) });
    const text = lesson?.rootCause ?? '';
    expect(text.isWellFormed()).toBe(true);
    expect(text.length).toBeLessThanOrEqual(40);
    expect(text).toMatch(/^(😀)+ …\[truncated \d+ chars\]$/);
  });

  test('an oversized detail becomes a marker object with its original size', async () => {
    const s = await makeService({ backend, settings: { maxDetailBytes: 1024 } });
    const detail = { log: 'y'.repeat(5000) };
    const r = await s.gql<Recorded>(RECORD, { input: { lessonType: 'gate_failure', detail } });
    const stored = r.data?.recordLesson?.detail as Record<string, unknown>;
    expect(stored).toEqual({
      _truncated: true,
      reason: 'too_large',
      originalBytes: JSON.stringify(detail).length,
      preview: JSON.stringify(detail).slice(0, 512),
    });
    expect(await s.metric('lessons_input_truncated_total', { field: 'detail' })).toBe(1);
  });

  test('a detail nested too deep becomes a marker object', async () => {
    const s = await makeService({ backend });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const lesson = await s.journal.record({ lessonType: 'gate_failure', detail: deep });
    expect(lesson?.detail).toMatchObject({ _truncated: true, reason: 'too_deep' });
  });

  test('emoji, right-to-left text and __proto__ keys round-trip; NUL and lone surrogates become U+FFFD', async () => {
    const s = await makeService({ backend });
    const detail = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": "c", "rtl": "שלום", "nul": "a\\u0000b"}',
    );
    const r = await s.gql<Recorded>(RECORD, {
      input: {
        lessonType: 'gate_failure',
        rootCause: 'مرحبا 👋🏽 hello',
        suggestion: 'a\u0000b\ud800c',
        detail,
      },
    });
    const lesson = r.data?.recordLesson;
    expect(lesson?.rootCause).toBe('مرحبا 👋🏽 hello');
    expect(lesson?.suggestion).toBe('a\uFFFDb\uFFFDc');
    // Compared as values: PostgreSQL's jsonb does not keep the order of keys.
    expect(lesson?.detail).toEqual(
      JSON.parse('{"__proto__":{"polluted":true},"constructor":"c","rtl":"שלום","nul":"a\uFFFDb"}'),
    );
    expect(Object.keys(lesson?.detail as object).sort()).toEqual([
      '__proto__',
      'constructor',
      'nul',
      'rtl',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const again = await s.gql<{ lesson: LessonJson }>('{ lesson(id: 1) { rootCause detail } }');
    expect(again.data?.lesson.rootCause).toBe('مرحبا 👋🏽 hello');
    expect(again.data?.lesson.detail).toEqual(lesson?.detail);
  });
});
