// Patterns: lessons of one fingerprint across work items and repos, with counters exact at
// every moment (after records, dedup bumps, concurrent records, re-classification and
// merges), read through patterns / pattern / Pattern.lessonsConnection / series /
// groupingInfo, on every backend. The oracle is a brute-force GROUP BY over the rows,
// read with the test's own Prisma client.
import { expect, test } from 'vitest';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
import { type Backend, describeEachBackend, describePostgres, postgresUrl } from './backends.ts';
import { behindTheService, makeService, prismaOf, RECORD, type Service, T0 } from './helpers.ts';
import { createTestDatabase, withClient } from './postgres/databases.ts';
import { post, startServer } from './process.ts';

const PATTERN_FIELDS =
  'id fingerprint lessonType stage title status lessons occurrences workItems repos firstSeenAt lastSeenAt suggestion';
const PATTERNS = `query ($filter: PatternFilter, $orderBy: PatternOrder, $first: Int, $after: String) {
  patterns(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor node { ${PATTERN_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PATTERN = `query ($id: Int!, $first: Int) {
  pattern(id: $id) {
    ${PATTERN_FIELDS}
    groupingInfo { version components { name value contributes } }
    lessonsConnection(first: $first) { totalCount edges { node { id workItemId rootCause } } }
  }
}`;
const MERGE = 'mutation ($into: Int!, $from: [Int!]!) { mergePatterns(into: $into, from: $from) }';
const UPDATE =
  'mutation ($id: Int!, $input: UpdateLessonInput!) { updateLesson(id: $id, input: $input) }';

interface PatternJson {
  id: number;
  fingerprint: string;
  lessonType: string;
  stage: string | null;
  title: string;
  status: string;
  lessons: number;
  occurrences: number;
  workItems: number;
  repos: number;
  firstSeenAt: string;
  lastSeenAt: string;
  suggestion: string | null;
}

async function patterns(s: Service, variables: Record<string, unknown> = {}) {
  const r = await s.gql<{ patterns: { edges: { cursor: string; node: PatternJson }[] } }>(
    PATTERNS,
    variables,
  );
  expect(r.errors).toBeUndefined();
  return r.data?.patterns.edges.map((e) => e.node) ?? [];
}

async function record(s: Service, input: Record<string, unknown>) {
  const r = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, { input });
  expect(r.errors).toBeUndefined();
  return r.data?.recordLesson ?? null;
}

/** Every pattern's counters recomputed from its lessons, keyed by pattern id. */
async function bruteForcePatterns(s: Service) {
  const prisma = await prismaOf(s);
  const lessons = await prisma.lesson.findMany({ orderBy: { id: 'asc' } });
  const byPattern = new Map<number, typeof lessons>();
  for (const lesson of lessons) {
    expect(lesson.patternId).not.toBeNull(); // nothing left ungrouped
    const list = byPattern.get(lesson.patternId as number) ?? [];
    list.push(lesson);
    byPattern.set(lesson.patternId as number, list);
  }
  const expected = new Map<number, Record<string, unknown>>();
  for (const [id, list] of byPattern) {
    const withSuggestion = list
      .filter((l) => l.suggestion !== null)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    expected.set(id, {
      lessons: list.length,
      occurrences: list.reduce((n, l) => n + l.occurrences, 0),
      workItems: new Set(list.map((l) => l.workItemId).filter((w) => w !== null)).size,
      repos: new Set(list.map((l) => l.repo).filter((r) => r !== null)).size,
      firstSeenAt: new Date(Math.min(...list.map((l) => l.createdAt.getTime()))),
      lastSeenAt: new Date(Math.max(...list.map((l) => l.lastSeenAt.getTime()))),
      suggestion: withSuggestion[0]?.suggestion ?? null,
    });
  }
  const stored = await prisma.pattern.findMany({ where: { mergedInto: null } });
  const actual = new Map<number, Record<string, unknown>>();
  for (const p of stored) {
    if (p.lessons === 0) continue;
    actual.set(p.id, {
      lessons: p.lessons,
      occurrences: p.occurrences,
      workItems: p.workItems,
      repos: p.repos,
      firstSeenAt: p.firstSeenAt,
      lastSeenAt: p.lastSeenAt,
      suggestion: p.suggestion,
    });
  }
  return { expected, actual };
}

async function expectPatternsExact(s: Service) {
  const { expected, actual } = await bruteForcePatterns(s);
  expect(actual).toEqual(expected);
}

describeEachBackend('patterns', (backend: Backend) => {
  test('one root cause with varying numbers and ids across 30 work items in 5 repos is one pattern', async () => {
    const s = await makeService({ backend });
    for (let i = 0; i < 30; i++) {
      const ms = 30000 + i * 1250;
      const run = i === 0 ? '7f3a9c21' : `f${(0x1000000 + i * 7919).toString(16)}`;
      await record(s, {
        lessonType: 'gate_failure',
        stage: 'e2e',
        workItemId: `W-${i}`,
        repo: `repo-${i % 5}`,
        rootCause: `${i % 2 ? 'Timeout' : 'timeout'} after ${ms}ms in run ${run}, checkout.spec.ts:${40 + i}`,
        suggestion: i === 29 ? 'quarantine checkout.spec.ts' : null,
      });
      s.clock.advance(60);
    }
    // Noise: another spec file, another stage.
    await record(s, {
      lessonType: 'gate_failure',
      stage: 'e2e',
      workItemId: 'W-100',
      rootCause: 'timeout after 30000ms in run 7f3a9c21, login.spec.ts:42',
    });
    await record(s, { lessonType: 'gate_failure', stage: 'qa', workItemId: 'W-1' });

    const [top, ...rest] = await patterns(s, { orderBy: 'WORK_ITEMS', first: 1 });
    expect(rest).toEqual([]);
    expect(top).toMatchObject({
      lessonType: 'gate_failure',
      stage: 'e2e',
      title: 'timeout after 30000ms in run 7f3a9c21, checkout.spec.ts:40',
      status: 'open',
      lessons: 30,
      occurrences: 30,
      workItems: 30,
      repos: 5,
      firstSeenAt: T0,
      lastSeenAt: new Date(Date.parse(T0) + 29 * 60_000).toISOString(),
      suggestion: 'quarantine checkout.spec.ts',
    });
    const one = await s.gql<{ pattern: Record<string, unknown> }>(PATTERN, {
      id: top?.id,
      first: 3,
    });
    const connection = one.data?.pattern.lessonsConnection as {
      totalCount: number;
      edges: { node: { workItemId: string } }[];
    };
    expect(connection.totalCount).toBe(30);
    expect(connection.edges.map((e) => e.node.workItemId)).toEqual(['W-29', 'W-28', 'W-27']);
    expect(one.data?.pattern.groupingInfo).toEqual({
      version: 1,
      components: [
        { name: 'version', value: '1', contributes: true },
        { name: 'lessonType', value: 'gate_failure', contributes: true },
        { name: 'stage', value: 'e2e', contributes: true },
        {
          name: 'rootCause',
          value: 'timeout after <duration> in run <hex>, checkout.spec.ts:<num>',
          contributes: true,
        },
      ],
    });
    expect((await patterns(s)).length).toBe(3);
    await expectPatternsExact(s);
  });

  test("a caller's own fingerprint is kept as given and groups across types and stages", async () => {
    const s = await makeService({ backend });
    const a = await record(s, { lessonType: 'gate_failure', stage: 'qa', fingerprint: 'flaky-1' });
    await record(s, { lessonType: 'merge_hold', stage: 'merge', fingerprint: 'flaky-1' });
    const lesson = await s.gql<{ lesson: { fingerprint: string; pattern: { id: number } } }>(
      `{ lesson(id: ${a?.id}) { fingerprint pattern { id lessons } } }`,
    );
    expect(lesson.data?.lesson).toEqual({
      fingerprint: 'flaky-1',
      pattern: { id: expect.any(Number), lessons: 2 },
    });
    const one = await s.gql<{ pattern: { groupingInfo: unknown; lessons: number } }>(PATTERN, {
      id: lesson.data?.lesson.pattern.id,
    });
    expect(one.data?.pattern.groupingInfo).toEqual({
      version: 1,
      components: [
        { name: 'fingerprint', value: 'flaky-1', contributes: true },
        { name: 'lessonType', value: 'gate_failure', contributes: false },
        { name: 'stage', value: 'qa', contributes: false },
        { name: 'rootCause', value: null, contributes: false },
      ],
    });
  });

  test('dedup bumps add occurrences to the pattern, not lessons or work items', async () => {
    const s = await makeService({ backend });
    const input = { lessonType: 'transient_retry', stage: 'build', workItemId: 'W-1' };
    for (let i = 0; i < 4; i++) {
      await record(s, input);
      s.clock.advance(10);
    }
    const [p] = await patterns(s);
    expect(p).toMatchObject({ lessons: 1, occurrences: 4, workItems: 1, repos: 0 });
    expect(p?.lastSeenAt).toBe(new Date(Date.parse(T0) + 30_000).toISOString());
    await expectPatternsExact(s);
  });

  test('50 concurrent records of one root cause from many work items: exact counters', async () => {
    const s = await makeService({ backend });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        record(s, {
          lessonType: 'gate_failure',
          stage: 'qa',
          source: 'manual',
          workItemId: `W-${i % 20}`,
          repo: `repo-${i % 7}`,
          rootCause: `coverage dropped to ${60 + i}%`,
        }),
      ),
    );
    expect(results.filter((r) => r !== null).length).toBe(50);
    const [p, ...others] = await patterns(s);
    expect(others).toEqual([]);
    expect(p).toMatchObject({ lessons: 50, occurrences: 50, workItems: 20, repos: 7 });
    await expectPatternsExact(s);
  });

  test('a new root cause moves a lesson to its pattern; its own fingerprint stays; suggestions follow', async () => {
    const s = await makeService({ backend });
    const a = await record(s, {
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId: 'W-1',
      rootCause: 'flaky test 1',
      repo: 'api',
    });
    s.clock.advance(60);
    await record(s, {
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId: 'W-2',
      rootCause: 'flaky test 2',
      repo: 'web',
      suggestion: 'retry',
    });
    s.clock.advance(60);
    const custom = await record(s, {
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId: 'W-3',
      rootCause: 'flaky test 3',
      fingerprint: 'mine',
    });
    expect(
      (await patterns(s, { orderBy: 'LESSONS' })).map((p) => [p.lessons, p.workItems]),
    ).toEqual([
      [2, 2],
      [1, 1],
    ]);

    s.clock.advance(60);
    expect((await s.gql(UPDATE, { id: a?.id, input: { rootCause: 'DNS failure' } })).data).toEqual({
      updateLesson: true,
    });
    const moved = await (await prismaOf(s)).lesson.findUniqueOrThrow({ where: { id: a?.id } });
    expect(moved.fingerprint).toBe(
      defaultFingerprint({ lessonType: 'gate_failure', stage: 'qa', rootCause: 'DNS failure' }),
    );
    const after = await patterns(s, { orderBy: 'FIRST_SEEN' });
    expect(after.map((p) => [p.title, p.lessons, p.workItems, p.repos, p.firstSeenAt])).toEqual([
      ['flaky test 3', 1, 1, 0, new Date(Date.parse(T0) + 120_000).toISOString()],
      ['flaky test 1', 1, 1, 1, new Date(Date.parse(T0) + 60_000).toISOString()],
      ['DNS failure', 1, 1, 1, T0],
    ]);

    // The caller's own fingerprint does not follow the root cause.
    await s.gql(UPDATE, { id: custom?.id, input: { rootCause: 'something else' } });
    const kept = await (await prismaOf(s)).lesson.findUniqueOrThrow({ where: { id: custom?.id } });
    expect(kept.fingerprint).toBe('mine');

    // The latest suggestion of a pattern follows its lessons' suggestions.
    await s.gql(UPDATE, { id: 2, input: { suggestion: null } });
    await expectPatternsExact(s);
    const titles = (await patterns(s)).map((p) => [p.title, p.suggestion]);
    expect(titles).toContainEqual(['flaky test 1', null]);
  });

  test('merging moves every lesson, later lessons of the merged fingerprint join, history of counts stays exact', async () => {
    const s = await makeService({ backend, tokens: 'admin:admin-token,reader:reader-token' });
    const admin = { authorization: 'Bearer admin-token' };
    const gql = (q: string, v?: Record<string, unknown>) => s.gql(q, v, admin);
    const rec = async (input: Record<string, unknown>) =>
      expect((await gql(RECORD, { input: { source: 'manual', ...input } })).data).toMatchObject({
        recordLesson: { id: expect.any(Number) },
      });
    await rec({
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId: 'W-1',
      rootCause: 'A',
      repo: 'api',
    });
    s.clock.advance(60);
    await rec({
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId: 'W-2',
      rootCause: 'B',
      repo: 'web',
    });
    s.clock.advance(60);
    await rec({ lessonType: 'gate_failure', stage: 'qa', workItemId: 'W-1', rootCause: 'C' });
    const prisma = await prismaOf(s);
    const id = async (cause: string) =>
      (
        await prisma.pattern.findUniqueOrThrow({
          where: {
            fingerprint: defaultFingerprint({
              lessonType: 'gate_failure',
              stage: 'qa',
              rootCause: cause,
            }),
          },
        })
      ).id;
    const [a, b, c] = [await id('A'), await id('B'), await id('C')];

    expect(
      (await s.gql(MERGE, { into: a, from: [b] }, { authorization: 'Bearer reader-token' })).status,
    ).toBe(403);
    expect((await gql(MERGE, { into: a, from: [a] })).data).toEqual({ mergePatterns: false });
    expect((await gql(MERGE, { into: a, from: [999] })).data).toEqual({ mergePatterns: false });
    expect((await gql(MERGE, { into: a, from: [b, c] })).data).toEqual({ mergePatterns: true });
    expect((await gql(MERGE, { into: b, from: [c] })).data).toEqual({ mergePatterns: false });

    const listed = (await gql(PATTERNS, {})).data as {
      patterns: { edges: { node: PatternJson }[] };
    };
    expect(
      listed.patterns.edges.map((e) => [e.node.id, e.node.lessons, e.node.workItems, e.node.repos]),
    ).toEqual([[a, 3, 2, 2]]);
    // A merged pattern answers with its survivor; a later lesson of its fingerprint joins it.
    const merged = (await gql(PATTERN, { id: b })).data as { pattern: PatternJson };
    expect(merged.pattern.id).toBe(a);
    s.clock.advance(60);
    await rec({ lessonType: 'gate_failure', stage: 'qa', workItemId: 'W-9', rootCause: 'B' });
    const after = (await gql(PATTERN, { id: a })).data as { pattern: PatternJson };
    expect([after.pattern.lessons, after.pattern.workItems]).toEqual([4, 3]);
    await expectPatternsExact(s);
  });

  test('orders, filters and pages: every pattern once, in order', async () => {
    const s = await makeService({ backend });
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j <= i; j++) {
        await record(s, {
          lessonType: i % 2 ? 'merge_hold' : 'gate_failure',
          stage: i % 3 ? 'qa' : 'merge',
          source: 'manual',
          workItemId: `W-${j}`,
          repo: j % 2 ? 'api' : 'web',
          rootCause: `cause ${String.fromCharCode(97 + i)}`,
        });
      }
      s.clock.advance(3600);
    }
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await s.gql<{
        patterns: {
          edges: { cursor: string; node: PatternJson }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(PATTERNS, { orderBy: 'OCCURRENCES', first: 3, after });
      const page = r.data?.patterns;
      seen.push(...(page?.edges.map((e) => e.node.occurrences) ?? []));
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const qa = await patterns(s, {
      filter: { stage: ['qa'], lessonType: ['gate_failure'] },
      orderBy: 'LESSONS',
    });
    expect(qa.map((p) => p.title)).toEqual(['cause e', 'cause c']);
    const api = await patterns(s, { filter: { repo: ['api'] }, orderBy: 'FIRST_SEEN' });
    expect(api.map((p) => p.title)).toEqual([
      'cause g',
      'cause f',
      'cause e',
      'cause d',
      'cause c',
      'cause b',
    ]);
    const text = await patterns(s, { filter: { text: 'CAUSE D' } });
    expect(text.map((p) => p.title)).toEqual(['cause d']);
    const since = await patterns(s, {
      filter: { since: new Date(Date.parse(T0) + 5 * 3600_000).toISOString() },
    });
    expect(since.map((p) => p.title)).toEqual(['cause g', 'cause f']);
    const bad = await s.gql(PATTERNS, { orderBy: 'LESSONS', after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.message).toBe('not a cursor of this orderBy');
  });

  test('series: whole UTC buckets, zero-filled, across midnight and a week boundary', async () => {
    const s = await makeService({ backend });
    const at = async (iso: string, workItemId: string) => {
      s.clock.set(iso);
      await record(s, {
        lessonType: 'gate_failure',
        stage: 'qa',
        source: 'manual',
        workItemId,
        rootCause: 'x',
      });
    };
    await at('2026-03-07T23:59:59.000Z', 'W-1'); // Saturday
    await at('2026-03-08T00:00:00.000Z', 'W-2'); // Sunday, just after midnight
    await at('2026-03-08T23:30:00.000Z', 'W-3');
    await at('2026-03-09T00:00:01.000Z', 'W-4'); // Monday: a new week
    await at('2026-03-11T12:00:00.000Z', 'W-5');
    await s.gql(RECORD, {
      input: { lessonType: 'gate_failure', stage: 'qa', workItemId: 'W-5', rootCause: 'x' },
    });
    const [p] = await patterns(s);
    const series = async (bucket: string, since: string, until: string) =>
      (
        await s.gql<{ pattern: { series: unknown[] } }>(
          `query ($id: Int!, $since: DateTime!, $until: DateTime) { pattern(id: $id) { series(bucket: ${bucket}, since: $since, until: $until) { bucketStart lessons occurrences } } }`,
          { id: p?.id, since, until },
        )
      ).data?.pattern.series;
    expect(await series('DAY', '2026-03-06T12:00:00.000Z', '2026-03-12T00:00:00.000Z')).toEqual([
      { bucketStart: '2026-03-06T00:00:00.000Z', lessons: 0, occurrences: 0 },
      { bucketStart: '2026-03-07T00:00:00.000Z', lessons: 1, occurrences: 1 },
      { bucketStart: '2026-03-08T00:00:00.000Z', lessons: 2, occurrences: 2 },
      { bucketStart: '2026-03-09T00:00:00.000Z', lessons: 1, occurrences: 1 },
      { bucketStart: '2026-03-10T00:00:00.000Z', lessons: 0, occurrences: 0 },
      { bucketStart: '2026-03-11T00:00:00.000Z', lessons: 2, occurrences: 2 },
    ]);
    expect(await series('WEEK', '2026-03-02T00:00:00.000Z', '2026-03-16T00:00:00.000Z')).toEqual([
      { bucketStart: '2026-03-02T00:00:00.000Z', lessons: 3, occurrences: 3 },
      { bucketStart: '2026-03-09T00:00:00.000Z', lessons: 3, occurrences: 3 },
    ]);
    expect(await series('HOUR', '2026-03-07T22:30:00.000Z', '2026-03-08T01:00:00.000Z')).toEqual([
      { bucketStart: '2026-03-07T22:00:00.000Z', lessons: 0, occurrences: 0 },
      { bucketStart: '2026-03-07T23:00:00.000Z', lessons: 1, occurrences: 1 },
      { bucketStart: '2026-03-08T00:00:00.000Z', lessons: 1, occurrences: 1 },
    ]);
    const wide = await s.gql(
      `query ($id: Int!) { pattern(id: $id) { series(bucket: HOUR, since: "2020-01-01T00:00:00Z") { lessons } } }`,
      { id: p?.id },
    );
    expect(wide.errors?.[0]?.message).toMatch(/^a series has at most 5000 points/);
  });

  test('faults: the patterns table gone answers the safe defaults, counted, then recovers', async () => {
    const s = await makeService({ backend });
    await record(s, { lessonType: 'gate_failure', stage: 'qa', rootCause: 'x' });
    await behindTheService(s, 'ALTER TABLE patterns RENAME TO patterns_gone');
    const reads = await s.gql(
      `{ patterns { edges { node { id } } } pattern(id: 1) { id } lessons { id pattern { id } } }`,
    );
    expect(reads).toEqual({
      status: 200,
      data: { patterns: { edges: [] }, pattern: null, lessons: [{ id: 1, pattern: null }] },
    });
    expect((await s.gql(MERGE, { into: 1, from: [2] })).data).toEqual({ mergePatterns: false });
    // A lesson is never acknowledged without its pattern: the record fails, safely.
    expect(await record(s, { lessonType: 'gate_failure', rootCause: 'y' })).toBeNull();
    for (const [operation, n] of [
      ['patterns', 3],
      ['merge', 1],
      ['record', 1],
    ] as const) {
      expect(await s.metric('lessons_faults_total', { operation, reason: 'table_missing' })).toBe(
        n,
      );
    }
    await behindTheService(s, 'ALTER TABLE patterns_gone RENAME TO patterns');
    expect((await patterns(s)).map((p) => p.lessons)).toEqual([1]);
    expect(
      await record(s, { lessonType: 'gate_failure', rootCause: 'y', source: 'manual' }),
    ).toMatchObject({
      id: expect.any(Number),
    });
  });
});

describePostgres('patterns across processes', () => {
  test('two service processes record one root cause from 40 work items at once: exact counters', async () => {
    const database = await createTestDatabase(postgresUrl());
    try {
      const env = { DATABASE_URL: database.url };
      const a = await startServer(env);
      const b = await startServer(env);
      const calls = Array.from({ length: 80 }, (_, i) =>
        post(i % 2 ? a.base : b.base, RECORD, {
          input: {
            lessonType: 'gate_failure',
            stage: 'qa',
            source: i % 4 === 0 ? 'manual' : 'auto',
            workItemId: `W-${i % 40}`,
            repo: `repo-${i % 6}`,
            rootCause: `timeout after ${1000 + i}ms`,
          },
        }),
      );
      const results = await Promise.all(calls);
      expect(results.every((r) => r.status === 200 && r.body.errors === undefined)).toBe(true);
      const [counts] = await withClient(
        database.url,
        async (client) =>
          (
            await client.query(
              `SELECT (SELECT COUNT(*)::int FROM patterns) AS patterns, p.lessons, p.occurrences, p.work_items, p.repos,
               (SELECT COUNT(*)::int FROM lessons) AS rows,
               (SELECT SUM(occurrences)::int FROM lessons) AS sum,
               (SELECT COUNT(DISTINCT work_item_id)::int FROM lessons) AS distinct_items,
               (SELECT COUNT(DISTINCT repo)::int FROM lessons) AS distinct_repos
             FROM patterns p`,
            )
          ).rows,
      );
      expect(counts).toEqual({
        patterns: 1,
        lessons: counts.rows,
        occurrences: 80,
        work_items: 40,
        repos: 6,
        rows: counts.rows,
        sum: 80,
        distinct_items: 40,
        distinct_repos: 6,
      });
    } finally {
      await database.drop();
    }
  });
});
