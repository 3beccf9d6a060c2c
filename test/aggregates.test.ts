// lessonAggregates on a hand-made journal whose every number is worked out by hand:
// buckets across midnight and a week boundary (2026-03-02 is a Monday), null values as
// their own group, filters with grouping, ordering, limits, the empty journal.
import { expect, test } from 'vitest';
import { GROUP_FIELDS } from '../src/client/fragments.ts';
import type { RecordInput } from '../src/journal/record.ts';
import { type Backend, describeEachBackend } from './backends.ts';
import { group } from './fixtures.ts';
import { makeService, prismaOf, type Service } from './helpers.ts';

/** The seven lessons EVENTS records (L1 three times, L4 twice). */
const L = {
  L1: { lessonType: 'gate_failure', stage: 'qa', repo: 'api', workItemId: 'W-1' },
  L2: { lessonType: 'gate_failure', stage: 'qa', repo: 'web', workItemId: 'W-2' },
  L3: { lessonType: 'gate_failure', stage: null, repo: 'api', workItemId: 'W-1' },
  L4: { lessonType: 'merge_hold', stage: 'merge', repo: 'api', workItemId: 'W-3' },
  L5: { lessonType: 'merge_hold', stage: 'merge', repo: null, workItemId: null },
  L6: { lessonType: 'deploy_degraded', stage: 'deploy', repo: 'web', workItemId: 'W-2' },
  L7: { lessonType: 'gate_failure', stage: 'qa', repo: 'api', workItemId: 'W-4', source: 'manual' },
} satisfies Record<string, RecordInput>;

/** [when, input]; repeats of an auto key within the hour are dedup hits. */
const EVENTS: [string, RecordInput][] = [
  ['2026-03-01T23:30:00.000Z', L.L1],
  ['2026-03-01T23:40:00.000Z', L.L1], // L1 x2
  ['2026-03-01T23:50:00.000Z', L.L1], // L1 x3
  ['2026-03-02T00:10:00.000Z', L.L2],
  ['2026-03-02T00:20:00.000Z', L.L3],
  ['2026-03-02T00:30:00.000Z', L.L7],
  ['2026-03-02T09:00:00.000Z', L.L4],
  ['2026-03-02T10:00:00.000Z', L.L4], // L4 x2
  ['2026-03-08T23:59:59.999Z', L.L5],
  ['2026-03-09T00:00:00.000Z', L.L6],
];

/** Records EVENTS, each at its time. */
async function recordEvents(s: Service): Promise<void> {
  for (const [at, input] of EVENTS) {
    s.clock.set(at);
    await s.journal.record(input);
  }
}

async function journal(backend: Backend): Promise<Service> {
  const s = await makeService({ backend });
  await recordEvents(s);
  const prisma = await prismaOf(s);
  expect(await prisma.lesson.count()).toBe(7);
  return s;
}

const AGG = `query ($groupBy: [LessonDimension!]!, $bucket: TimeBucket, $filter: LessonFilter, $limit: Int) {
  lessonAggregates(groupBy: $groupBy, bucket: $bucket, filter: $filter, limit: $limit) {
    ${GROUP_FIELDS.join(' ')}
  }
}`;

type Group = Record<string, unknown>;

async function aggregate(s: Service, variables: Record<string, unknown>): Promise<Group[]> {
  const r = await s.gql<{ lessonAggregates: Group[] }>(AGG, variables);
  expect(r.errors).toBeUndefined();
  return r.data?.lessonAggregates ?? [];
}

describeEachBackend('lessonAggregates', (backend) => {
  test('by (type, stage): counts, sums, distinct work items, first and last seen; ordered', async () => {
    const s = await journal(backend);
    expect(await aggregate(s, { groupBy: ['LESSON_TYPE', 'STAGE'] })).toEqual([
      group(
        { lessonType: 'gate_failure', stage: 'qa' },
        { lessons: 3, occurrences: 5, workItems: 3 },
        { firstSeenAt: '2026-03-01T23:30:00.000Z', lastSeenAt: '2026-03-02T00:30:00.000Z' },
      ),
      group(
        { lessonType: 'merge_hold', stage: 'merge' },
        { lessons: 2, occurrences: 3, workItems: 1 },
        { firstSeenAt: '2026-03-02T09:00:00.000Z', lastSeenAt: '2026-03-08T23:59:59.999Z' },
      ),
      group(
        { lessonType: 'deploy_degraded', stage: 'deploy' },
        { lessons: 1, occurrences: 1, workItems: 1 },
        { firstSeenAt: '2026-03-09T00:00:00.000Z', lastSeenAt: '2026-03-09T00:00:00.000Z' },
      ),
      group(
        { lessonType: 'gate_failure', stage: null },
        { lessons: 1, occurrences: 1, workItems: 1 },
        { firstSeenAt: '2026-03-02T00:20:00.000Z', lastSeenAt: '2026-03-02T00:20:00.000Z' },
      ),
    ]);
  });

  test('daily buckets across midnight (UTC)', async () => {
    const s = await journal(backend);
    const groups = await aggregate(s, { groupBy: ['LESSON_TYPE'], bucket: 'DAY' });
    expect(
      groups.map((g) => [g.lessonType, g.bucketStart, g.lessons, g.occurrences, g.workItems]),
    ).toEqual([
      ['gate_failure', '2026-03-02T00:00:00.000Z', 3, 3, 3],
      ['gate_failure', '2026-03-01T00:00:00.000Z', 1, 3, 1],
      ['merge_hold', '2026-03-02T00:00:00.000Z', 1, 2, 1],
      ['deploy_degraded', '2026-03-09T00:00:00.000Z', 1, 1, 1],
      ['merge_hold', '2026-03-08T00:00:00.000Z', 1, 1, 0],
    ]);
  });

  test('weekly buckets start on Monday; no dimension means one group per bucket', async () => {
    const s = await journal(backend);
    expect(await aggregate(s, { groupBy: [], bucket: 'WEEK' })).toEqual([
      group(
        { bucketStart: '2026-03-02T00:00:00.000Z' },
        { lessons: 5, occurrences: 6, workItems: 4 },
        { firstSeenAt: '2026-03-02T00:10:00.000Z', lastSeenAt: '2026-03-08T23:59:59.999Z' },
      ),
      group(
        { bucketStart: '2026-02-23T00:00:00.000Z' },
        { lessons: 1, occurrences: 3, workItems: 1 },
        { firstSeenAt: '2026-03-01T23:30:00.000Z', lastSeenAt: '2026-03-01T23:50:00.000Z' },
      ),
      group(
        { bucketStart: '2026-03-09T00:00:00.000Z' },
        { lessons: 1, occurrences: 1, workItems: 1 },
        { firstSeenAt: '2026-03-09T00:00:00.000Z', lastSeenAt: '2026-03-09T00:00:00.000Z' },
      ),
    ]);
    expect(await aggregate(s, { groupBy: [] })).toEqual([
      group(
        {},
        { lessons: 7, occurrences: 10, workItems: 4 },
        { firstSeenAt: '2026-03-01T23:30:00.000Z', lastSeenAt: '2026-03-09T00:00:00.000Z' },
      ),
    ]);
  });

  test('hourly buckets with a filter', async () => {
    const s = await journal(backend);
    const groups = await aggregate(s, {
      groupBy: ['REPO'],
      bucket: 'HOUR',
      filter: { lessonType: 'gate_failure' },
    });
    expect(
      groups.map((g) => [g.repo, g.bucketStart, g.lessons, g.occurrences, g.workItems]),
    ).toEqual([
      ['api', '2026-03-01T23:00:00.000Z', 1, 3, 1],
      ['api', '2026-03-02T00:00:00.000Z', 2, 2, 2],
      ['web', '2026-03-02T00:00:00.000Z', 1, 1, 1],
    ]);
  });

  test('a null value is a group of its own', async () => {
    const s = await journal(backend);
    const groups = await aggregate(s, { groupBy: ['REPO'] });
    expect(groups.map((g) => [g.repo, g.lessons, g.occurrences])).toEqual([
      ['api', 4, 7],
      ['web', 2, 2],
      [null, 1, 1],
    ]);
    const byWorkItem = await aggregate(s, { groupBy: ['WORK_ITEM'] });
    expect(byWorkItem.map((g) => [g.workItemId, g.lessons, g.workItems])).toEqual([
      ['W-1', 2, 1],
      ['W-2', 2, 1],
      ['W-3', 1, 1],
      ['W-4', 1, 1],
      [null, 1, 0],
    ]);
  });

  test('filters combine with grouping; ties are ordered by value, null last', async () => {
    const s = await journal(backend);
    const groups = await aggregate(s, {
      groupBy: ['STAGE'],
      filter: { since: '2026-03-02T00:00:00Z', until: '2026-03-09T00:00:00Z', source: ['auto'] },
    });
    expect(groups.map((g) => [g.stage, g.lessons, g.occurrences])).toEqual([
      ['merge', 2, 3],
      ['qa', 1, 1],
      [null, 1, 1],
    ]);
  });

  test('every dimension, and a repeated one counts once', async () => {
    const s = await journal(backend);
    const groups = await aggregate(s, {
      groupBy: [
        'SOURCE',
        'STATUS',
        'AGENT',
        'ATTRIBUTION',
        'TARGET_REPO',
        'TARGET_DOMAIN',
        'SOURCE',
      ],
    });
    expect(groups).toEqual([
      group(
        { source: 'auto', status: 'new' },
        { lessons: 6, occurrences: 9, workItems: 3 },
        { firstSeenAt: '2026-03-01T23:30:00.000Z', lastSeenAt: '2026-03-09T00:00:00.000Z' },
      ),
      group(
        { source: 'manual', status: 'new' },
        { lessons: 1, occurrences: 1, workItems: 1 },
        { firstSeenAt: '2026-03-02T00:30:00.000Z', lastSeenAt: '2026-03-02T00:30:00.000Z' },
      ),
    ]);
  });

  test('the retrospective question: which (type, stage) pairs recurred most in the last 30 days, in which repos', async () => {
    const s = await journal(backend);
    // 30 days before 2026-03-31T00:00Z is 2026-03-01T00:00Z: everything but nothing older.
    s.clock.set('2026-02-01T00:00:00.000Z');
    await s.journal.record({
      lessonType: 'gate_failure',
      stage: 'qa',
      repo: 'api',
      workItemId: 'OLD',
    });
    const groups = await aggregate(s, {
      groupBy: ['LESSON_TYPE', 'STAGE', 'REPO'],
      filter: { since: '2026-03-01T00:00:00.000Z' },
      limit: 3,
    });
    expect(
      groups.map((g) => [g.lessonType, g.stage, g.repo, g.lessons, g.occurrences, g.workItems]),
    ).toEqual([
      ['gate_failure', 'qa', 'api', 2, 4, 2],
      ['merge_hold', 'merge', 'api', 1, 2, 1],
      ['deploy_degraded', 'deploy', 'web', 1, 1, 1],
    ]);
  });

  test('limit: default and maximum from the settings, clamped', async () => {
    const s = await makeService({ backend, settings: { queryLimitDefault: 2, queryLimitMax: 3 } });
    await recordEvents(s);
    expect(await aggregate(s, { groupBy: ['WORK_ITEM'] })).toHaveLength(2);
    expect(await aggregate(s, { groupBy: ['WORK_ITEM'], limit: 100 })).toHaveLength(3);
    expect(await aggregate(s, { groupBy: ['WORK_ITEM'], limit: 0 })).toHaveLength(1);
  });

  test('the empty journal has no groups', async () => {
    const s = await makeService({ backend });
    expect(await aggregate(s, { groupBy: [] })).toEqual([]);
    expect(await aggregate(s, { groupBy: ['REPO'], bucket: 'WEEK' })).toEqual([]);
  });

  test('off: [] without database access; a fault: [] and a counted warning', async () => {
    const off = await makeService({
      settings: { enabled: false },
      open: () => () => {
        throw new Error('opened while off');
      },
    });
    expect(await aggregate(off, { groupBy: ['REPO'] })).toEqual([]);
    expect(off.opens()).toBe(0);
    const broken = await makeService({
      backend,
      open: () => () => Promise.reject(new Error('down')),
    });
    expect(await aggregate(broken, { groupBy: ['REPO'] })).toEqual([]);
    expect(await broken.metric('lessons_faults_total', { operation: 'aggregate' })).toBe(1);
  });

  test('an unknown dimension is the caller’s bug: a GraphQL error', async () => {
    const s = await makeService({ backend });
    const r = await s.gql(AGG, { groupBy: ['COLOR'] });
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.message).toMatch(
      /Value "COLOR" does not exist in "LessonDimension" enum/,
    );
  });
});
