// lessonsConnection: a Relay cursor walk, newest first (created_at desc, id desc), that
// visits every lesson exactly once even while new lessons arrive; bounded page sizes;
// the kill-switch and never-raise defaults.
import { expect, test } from 'vitest';
import { type Backend, describeEachBackend } from './backends.ts';
import { makeService, type Service } from './helpers.ts';

const PAGE = `query ($filter: LessonFilter, $first: Int, $after: String, $last: Int, $before: String) {
  lessonsConnection(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id lessonType } }
  }
}`;

type Page = {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  edges: { cursor: string; node: { id: number; lessonType: string } }[];
};

async function page(s: Service, variables: Record<string, unknown>): Promise<Page> {
  const r = await s.gql<{ lessonsConnection: Page }>(PAGE, variables);
  expect(r.errors).toBeUndefined();
  return r.data?.lessonsConnection as Page;
}

async function seeded(backend: Backend, n: number, settings = {}) {
  const s = await makeService({ backend, settings });
  for (let i = 1; i <= n; i++) {
    await s.journal.record({
      lessonType: i % 3 === 0 ? 'merge_hold' : 'gate_failure',
      source: 'manual',
    });
    s.clock.advance(1);
  }
  return s;
}

/** Walks forward `size` at a time; `between` runs after each page. */
async function walk(s: Service, size: number, filter?: unknown, between?: () => Promise<void>) {
  const seen: number[][] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const p: Page = await page(s, { first: size, after, filter });
    seen.push(p.edges.map((e) => e.node.id));
    if (!p.pageInfo.hasNextPage) break;
    after = p.pageInfo.endCursor;
    await between?.();
  }
  return seen;
}

describeEachBackend('lessonsConnection', (backend) => {
  test('pages newest first with exact pageInfo and totalCount', async () => {
    const s = await seeded(backend, 10);
    const first = await page(s, { first: 3 });
    expect(first.totalCount).toBe(10);
    expect(first.edges.map((e) => e.node.id)).toEqual([10, 9, 8]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.edges[0]?.cursor);
    expect(first.pageInfo.endCursor).toBe(first.edges[2]?.cursor);
    expect(await walk(s, 3)).toEqual([[10, 9, 8], [7, 6, 5], [4, 3, 2], [1]]);
    const last = await page(s, {
      first: 3,
      after: (await page(s, { first: 9 })).pageInfo.endCursor,
    });
    expect(last.edges.map((e) => e.node.id)).toEqual([1]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  test('the filter applies to the walk and to totalCount', async () => {
    const s = await seeded(backend, 10);
    expect(await walk(s, 2, { lessonType: ['merge_hold'] })).toEqual([[9, 6], [3]]);
    expect((await page(s, { first: 1, filter: { lessonType: 'gate_failure' } })).totalCount).toBe(
      7,
    );
  });

  test('a walk visits every lesson exactly once while new lessons arrive, even in the same millisecond', async () => {
    const s = await seeded(backend, 25);
    s.clock.advance(-1); // the clock now reads lesson 25's created_at
    let extra = 0;
    const pages = await walk(s, 4, undefined, async () => {
      // New lessons in the very millisecond of the newest one: they sort before it by id.
      await Promise.all(
        [1, 2, 3].map(() => s.journal.record({ lessonType: 'gate_failure', source: 'manual' })),
      );
      extra += 3;
    });
    const ids = pages.flat();
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(extra).toBeGreaterThan(0);
    expect((await page(s, { first: 1 })).totalCount).toBe(25 + extra);
  });

  test('equal timestamps are ordered by id, and the walk still covers them all', async () => {
    const s = await makeService({ backend });
    for (let i = 0; i < 7; i++) await s.journal.record({ lessonType: 'x', source: 'manual' });
    expect(await walk(s, 2)).toEqual([[7, 6], [5, 4], [3, 2], [1]]);
  });

  test('backwards with last/before', async () => {
    const s = await seeded(backend, 6);
    const all = await page(s, { first: 6 });
    const cursorOf3 = all.edges.find((e) => e.node.id === 3)?.cursor;
    const back = await page(s, { last: 2, before: cursorOf3 });
    expect(back.edges.map((e) => e.node.id)).toEqual([5, 4]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const oldest = await page(s, { last: 2 });
    expect(oldest.edges.map((e) => e.node.id)).toEqual([2, 1]);
  });

  test('page size: default and maximum from the settings', async () => {
    const s = await seeded(backend, 10, { queryLimitDefault: 4, queryLimitMax: 6 });
    expect((await page(s, {})).edges).toHaveLength(4);
    expect((await page(s, { first: 5000 })).edges).toHaveLength(6);
    expect((await page(s, { first: 0 })).edges).toEqual([]);
  });

  test('a negative page size or a malformed cursor is the caller’s bug', async () => {
    const s = await seeded(backend, 2);
    const negative = await s.gql(PAGE, { first: -1 });
    expect(negative.errors?.[0]?.message).toBe('Argument "first" must be a non-negative integer');
    const badCursor = await s.gql(PAGE, { first: 1, after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.message).toMatch(/Invalid cursor/i);
  });

  test('off: an empty connection without database access; a fault: the same, counted', async () => {
    const empty = {
      totalCount: 0,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    };
    const off = await makeService({
      settings: { enabled: false },
      open: () => () => {
        throw new Error('opened while off');
      },
    });
    expect(await page(off, { first: 3 })).toEqual(empty);
    expect(off.opens()).toBe(0);
    const broken = await makeService({
      backend,
      open: () => () => Promise.reject(new Error('down')),
    });
    expect(await page(broken, { first: 3 })).toEqual(empty);
    expect(await broken.metric('lessons_faults_total', { operation: 'connection' })).toBe(2);
  });
});
