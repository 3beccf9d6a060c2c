// lessons(filter, limit), lesson(id), updateLesson and lessonsSnapshot on a hand-made
// dataset, through the GraphQL API, with exact expected rows and counts.
import { expect, test } from 'vitest';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
import type { RecordInput } from '../src/journal/record.ts';
import { type Backend, describeEachBackend } from './backends.ts';
import { counts } from './fixtures.ts';
import { type LessonJson, makeService, prismaOf, type Service } from './helpers.ts';

/** Ten lessons, one per minute from 2026-03-02T10:00Z; ids 1..10 in this order. */
const DATASET: RecordInput[] = [
  {
    lessonType: 'gate_failure',
    repo: 'api',
    stage: 'qa',
    agent: 'coder',
    workItemId: 'W-1',
    taskId: 'T-1',
    rootCause: 'Flaky E2E test',
    suggestion: 'quarantine',
    attribution: 'platform',
    targetDomain: 'reliability',
    targetRepo: 'api',
  },
  {
    lessonType: 'merge_hold',
    repo: 'api',
    stage: 'merge',
    agent: 'merger',
    workItemId: 'W-1',
    taskId: 'T-2',
    rootCause: 'unverified merge',
    status: 'closed',
    attribution: 'project',
    targetDomain: 'quality',
  },
  {
    lessonType: 'transient_retry',
    repo: 'web',
    stage: 'build',
    agent: 'coder',
    workItemId: 'W-2',
    rootCause: 'registry timeout',
    suggestion: 'Cache the deps',
    status: 'in_progress',
    targetDomain: 'reliability',
  },
  {
    lessonType: 'deploy_degraded',
    repo: 'web',
    stage: 'deploy',
    agent: 'deployer',
    workItemId: 'W-3',
    rootCause: '50% error rate',
    suggestion: 'roll back faster',
    attribution: 'both',
    targetDomain: 'scale',
  },
  {
    lessonType: 'gate_failure',
    repo: 'web',
    stage: 'qa',
    agent: 'reviewer',
    workItemId: 'W-4',
    rootCause: 'coverage_drop',
    status: 'linked',
    relatedTask: 'T-99',
    source: 'manual',
  },
  {
    lessonType: 'gate_failure',
    repo: 'enduro',
    stage: 'qa',
    agent: 'coder',
    workItemId: 'W-5',
    suggestion: 'add a FLAKY tag',
    attribution: 'unknown',
  },
  {
    lessonType: 'merge_hold',
    repo: null,
    stage: null,
    agent: null,
    workItemId: null,
    rootCause: 'no repo at all',
    source: 'manual',
  },
  {
    lessonType: 'transient_retry',
    repo: 'api',
    stage: 'build',
    agent: 'coder',
    workItemId: 'W-6',
    status: 'closed',
    targetDomain: 'economy',
  },
  {
    lessonType: 'gate_failure',
    repo: 'api',
    stage: 'lint',
    agent: 'coder',
    workItemId: 'W-7',
    rootCause: 'style',
    targetRepo: 'shared-config',
    targetDomain: 'quality',
  },
  {
    lessonType: 'cost_overrun',
    repo: 'api',
    stage: 'plan',
    agent: 'planner',
    workItemId: 'W-8',
    status: 'new',
    source: 'retro',
  },
];

async function seeded(backend: Backend, settings = {}) {
  const s = await makeService({ backend, settings });
  for (const input of DATASET) {
    expect(await s.journal.record(input)).not.toBeNull();
    s.clock.advance(60);
  }
  return s;
}

async function ids(s: Service, filter: Record<string, unknown> | null, limit?: number) {
  const r = await s.gql<{ lessons: { id: number }[] }>(
    'query ($filter: LessonFilter, $limit: Int) { lessons(filter: $filter, limit: $limit) { id } }',
    { filter, limit },
  );
  expect(r.errors).toBeUndefined();
  return r.data?.lessons.map((l) => l.id);
}

describeEachBackend('lessons(filter, limit)', (backend) => {
  test('newest first, ties broken by id desc', async () => {
    const s = await seeded(backend);
    expect(await ids(s, null)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Two lessons in the same millisecond: the later id first.
    await s.journal.record({ lessonType: 'x', source: 'manual' });
    await s.journal.record({ lessonType: 'x', source: 'manual' });
    expect((await ids(s, null))?.slice(0, 3)).toEqual([12, 11, 10]);
  });

  test.each([
    ['lessonType', ['gate_failure'], [9, 6, 5, 1]],
    ['lessonType', ['merge_hold', 'cost_overrun'], [10, 7, 2]],
    ['status', ['closed'], [8, 2]],
    ['status', ['new'], [10, 9, 7, 6, 4, 1]],
    ['repo', ['web', 'enduro'], [6, 5, 4, 3]],
    ['workItemId', ['W-1'], [2, 1]],
    ['taskId', ['T-1', 'T-2'], [2, 1]],
    ['stage', ['qa'], [6, 5, 1]],
    ['agent', ['coder'], [9, 8, 6, 3, 1]],
    ['attribution', ['platform', 'both'], [4, 1]],
    ['targetRepo', ['shared-config'], [9]],
    ['targetDomain', ['reliability'], [3, 1]],
    ['source', ['manual'], [7, 5]],
    ['source', ['auto'], [9, 8, 6, 4, 3, 2, 1]],
    ['lessonType', [], []],
    ['repo', ['nowhere'], []],
  ])('%s any of %j', async (field, values, expected) => {
    const s = await seeded(backend);
    expect(await ids(s, { [field]: values })).toEqual(expected);
  });

  test('a single value is accepted where a list is expected', async () => {
    const s = await seeded(backend);
    const r = await s.gql<{ lessons: { id: number }[] }>(
      '{ lessons(filter: { lessonType: "gate_failure", repo: "api" }) { id } }',
    );
    expect(r.data?.lessons.map((l) => l.id)).toEqual([9, 1]);
  });

  test('since is inclusive, until exclusive; combined with other fields', async () => {
    const s = await seeded(backend);
    expect(await ids(s, { since: '2026-03-02T10:03:00.000Z' })).toEqual([10, 9, 8, 7, 6, 5, 4]);
    expect(await ids(s, { until: '2026-03-02T10:03:00.000Z' })).toEqual([3, 2, 1]);
    expect(
      await ids(s, {
        since: '2026-03-02T10:01:00Z',
        until: '2026-03-02T12:08:00+02:00',
        repo: ['api'],
      }),
    ).toEqual([8, 2]);
  });

  test('text: case-insensitive substring of rootCause or suggestion; % and _ are literal', async () => {
    const s = await seeded(backend);
    expect(await ids(s, { text: 'flaky' })).toEqual([6, 1]);
    expect(await ids(s, { text: 'CACHE' })).toEqual([3]);
    expect(await ids(s, { text: '50%' })).toEqual([4]);
    expect(await ids(s, { text: '%' })).toEqual([4]);
    expect(await ids(s, { text: 'coverage_' })).toEqual([5]);
    expect(await ids(s, { text: '_' })).toEqual([5]);
    expect(await ids(s, { text: 'flaky', repo: ['enduro'] })).toEqual([6]);
    expect(await ids(s, { text: '' })).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Case folding is Unicode, not ASCII only.
    await s.journal.record({
      lessonType: 'x',
      rootCause: 'Сборка упала: ФЛАКИ тест',
      source: 'manual',
    });
    expect(await ids(s, { text: 'флаки' })).toEqual([11]);
    expect(await ids(s, { text: 'ÉTÉ' })).toEqual([]);
  });

  test('limit: default and maximum from the settings, clamped to 1..max', async () => {
    const s = await seeded(backend, { queryLimitDefault: 4, queryLimitMax: 6 });
    expect(await ids(s, null)).toEqual([10, 9, 8, 7]);
    expect(await ids(s, null, 2)).toEqual([10, 9]);
    expect(await ids(s, null, 50)).toEqual([10, 9, 8, 7, 6, 5]);
    expect(await ids(s, null, 0)).toEqual([10]);
    expect(await ids(s, null, -3)).toEqual([10]);
    expect(await ids(s, null, 2147483647)).toEqual([10, 9, 8, 7, 6, 5]);
  });

  test('lesson(id): the lesson, or null when missing', async () => {
    const s = await seeded(backend);
    const r = await s.gql<{ a: LessonJson | null; b: LessonJson | null }>(
      '{ a: lesson(id: 4) { id lessonType rootCause createdAt } b: lesson(id: 404) { id } }',
    );
    expect(r.data).toEqual({
      a: {
        id: 4,
        lessonType: 'deploy_degraded',
        rootCause: '50% error rate',
        createdAt: '2026-03-02T10:03:00.000Z',
      },
      b: null,
    });
  });
});

describeEachBackend('updateLesson', (backend) => {
  const UPDATE =
    'mutation ($id: Int!, $input: UpdateLessonInput!) { updateLesson(id: $id, input: $input) }';

  async function row(s: Service, id: number) {
    const prisma = await prismaOf(s);
    return prisma.lesson.findUniqueOrThrow({ where: { id } });
  }

  test('sets the given fields, stamps updated_at, leaves the rest and created_at alone', async () => {
    const s = await seeded(backend);
    const before = await row(s, 1);
    s.clock.set('2026-03-05T08:00:00.000Z');
    const input = {
      status: 'in_progress',
      attribution: 'project',
      targetRepo: 'infra',
      targetDomain: 'economy',
      relatedTask: 'T-100',
      rootCause: 'really a slow runner',
      suggestion: 'bigger runners',
    };
    expect((await s.gql(UPDATE, { id: 1, input })).data).toEqual({ updateLesson: true });
    const after = await row(s, 1);
    // A new root cause re-groups the lesson: its default fingerprint and pattern follow.
    const fingerprint = defaultFingerprint({ ...before, rootCause: input.rootCause });
    const pattern = await (await prismaOf(s)).pattern.findUniqueOrThrow({ where: { fingerprint } });
    expect(pattern.id).not.toBe(before.patternId);
    expect(after).toEqual({
      ...before,
      ...input,
      fingerprint,
      patternId: pattern.id,
      updatedAt: new Date('2026-03-05T08:00:00.000Z'),
      version: 2,
    });
  });

  test('a null clears a nullable field; status cannot be cleared', async () => {
    const s = await seeded(backend);
    expect(
      (await s.gql(UPDATE, { id: 1, input: { attribution: null, suggestion: null, status: null } }))
        .data,
    ).toEqual({ updateLesson: true });
    const after = await row(s, 1);
    expect([after.attribution, after.suggestion, after.status]).toEqual([null, null, 'new']);
    expect((await s.gql(UPDATE, { id: 1, input: { status: '  ' } })).data).toEqual({
      updateLesson: false,
    });
    expect((await row(s, 1)).status).toBe('new');
  });

  test('false for an empty input, an unknown id; nothing changes', async () => {
    const s = await seeded(backend);
    const before = await row(s, 2);
    expect((await s.gql(UPDATE, { id: 2, input: {} })).data).toEqual({ updateLesson: false });
    expect((await s.gql(UPDATE, { id: 999, input: { status: 'closed' } })).data).toEqual({
      updateLesson: false,
    });
    expect(await row(s, 2)).toEqual(before);
    expect(
      await s.metric('lessons_rejected_total', { operation: 'update', reason: 'empty_input' }),
    ).toBe(1);
  });

  test('update text is capped like record text', async () => {
    const s = await seeded(backend, { maxTextLength: 50 });
    expect(await s.journal.update(3, { rootCause: 'z'.repeat(80) })).toBe(true);
    expect((await row(s, 3)).rootCause).toBe(`${'z'.repeat(28)} …[truncated 52 chars]`);
  });
});

describeEachBackend('lessonsSnapshot', (backend) => {
  const SNAPSHOT = `query ($repo: String) { lessonsSnapshot(repo: $repo) {
    enabled total open recorded24h lastRecordedAt
    byType { key count } byStatus { key count } byDomain { key count } byAttribution { key count }
  } }`;

  test('every count over the whole journal', async () => {
    const s = await seeded(backend);
    s.clock.set('2026-03-03T10:05:30.000Z'); // lessons 7..10 are within the last 24 hours
    const r = await s.gql(SNAPSHOT);
    expect(r.data).toEqual({
      lessonsSnapshot: {
        enabled: true,
        total: 10,
        open: 7,
        recorded24h: 4,
        lastRecordedAt: '2026-03-02T10:09:00.000Z',
        byType: counts(
          ['gate_failure', 4],
          ['merge_hold', 2],
          ['transient_retry', 2],
          ['cost_overrun', 1],
          ['deploy_degraded', 1],
        ),
        byStatus: counts(['new', 6], ['closed', 2], ['in_progress', 1], ['linked', 1]),
        byDomain: counts(
          [null, 4],
          ['quality', 2],
          ['reliability', 2],
          ['economy', 1],
          ['scale', 1],
        ),
        byAttribution: counts(
          [null, 6],
          ['both', 1],
          ['platform', 1],
          ['project', 1],
          ['unknown', 1],
        ),
      },
    });
  });

  test('the repo cut restricts every count', async () => {
    const s = await seeded(backend);
    s.clock.set('2026-03-03T10:05:30.000Z');
    const r = await s.gql(SNAPSHOT, { repo: 'web' });
    expect(r.data).toEqual({
      lessonsSnapshot: {
        enabled: true,
        total: 3,
        open: 2,
        recorded24h: 0,
        lastRecordedAt: '2026-03-02T10:04:00.000Z',
        byType: counts(['deploy_degraded', 1], ['gate_failure', 1], ['transient_retry', 1]),
        byStatus: counts(['in_progress', 1], ['linked', 1], ['new', 1]),
        byDomain: counts(['reliability', 1], ['scale', 1], [null, 1]),
        byAttribution: counts([null, 2], ['both', 1]),
      },
    });
  });

  test('an empty journal, and a repo with no lessons', async () => {
    const s = await makeService({ backend });
    const empty = {
      enabled: true,
      total: 0,
      open: 0,
      recorded24h: 0,
      lastRecordedAt: null,
      byType: [],
      byStatus: [],
      byDomain: [],
      byAttribution: [],
    };
    expect((await s.gql(SNAPSHOT)).data).toEqual({ lessonsSnapshot: empty });
    await s.journal.record({ lessonType: 'gate_failure', repo: 'api' });
    expect((await s.gql(SNAPSHOT, { repo: 'nowhere' })).data).toEqual({ lessonsSnapshot: empty });
  });
});

describeEachBackend('the snapshot’s rollup (lesson_counts) stays exact', (backend) => {
  test('through records, dedup hits, re-classifications and blanks, it equals counting the table', async () => {
    const s = await seeded(backend);
    const random = (() => {
      let x = 7;
      return () => {
        x = (x * 1103515245 + 12345) % 2147483648;
        return x / 2147483648;
      };
    })();
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
    for (let i = 0; i < 200; i++) {
      if (random() < 0.6) {
        await s.journal.record({
          lessonType: pick(['gate_failure', 'merge_hold', 'x']),
          workItemId: pick(['A', 'B', null]),
          stage: pick(['qa', null]),
          repo: pick(['api', 'web', '', '  ', null]),
          attribution: pick(['platform', '', null]),
          targetDomain: pick(['quality', ' ', null]),
          source: pick(['auto', 'auto', 'manual']),
        });
      } else {
        await s.journal.update(1 + Math.floor(random() * 20), {
          status: pick(['closed', 'in_progress', 'new']),
          attribution: pick(['both', '', null, undefined]),
          targetDomain: pick(['scale', null, undefined]),
        });
      }
    }
    const prisma = await prismaOf(s);
    for (const repo of [undefined, 'api', 'web']) {
      const where = repo ? { repo } : {};
      const snapshot = await s.journal.snapshot(repo);
      const count = async (by: 'lessonType' | 'status' | 'targetDomain' | 'attribution') =>
        (await prisma.lesson.groupBy({ by: [by], where, _count: { _all: true } }))
          .map((g) => ({ key: g[by] as string | null, count: g._count._all }))
          .sort(
            (a, b) =>
              b.count - a.count ||
              (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1),
          );
      expect(snapshot.total).toBe(await prisma.lesson.count({ where }));
      expect(snapshot.open).toBe(
        await prisma.lesson.count({ where: { ...where, status: { in: ['new', 'in_progress'] } } }),
      );
      expect(snapshot.byType).toEqual(await count('lessonType'));
      expect(snapshot.byStatus).toEqual(await count('status'));
      expect(snapshot.byDomain).toEqual(await count('targetDomain'));
      expect(snapshot.byAttribution).toEqual(await count('attribution'));
    }
    expect(
      await prisma.lesson.count({
        where: { OR: [{ repo: '' }, { attribution: '' }, { targetDomain: '' }] },
      }),
    ).toBe(0);
  });
});

describeEachBackend('lessonSlugs', (backend) => {
  test('serves the canonical slugs', async () => {
    const s = await makeService({ backend });
    const r = await s.gql('{ lessonSlugs { lessonTypes attributions domains statuses sources } }');
    expect(r.data).toEqual({
      lessonSlugs: {
        lessonTypes: ['gate_failure', 'merge_hold', 'transient_retry', 'deploy_degraded'],
        attributions: ['platform', 'project', 'both', 'unknown'],
        domains: ['reliability', 'quality', 'economy', 'features', 'scale'],
        statuses: ['new', 'in_progress', 'closed', 'linked'],
        sources: ['auto', 'manual'],
      },
    });
  });
});
