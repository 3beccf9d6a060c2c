// riceInputs against a brute-force computation over random journals, on every backend
// (fast-check): for random lessons (times around two windows, random keys with nulls,
// duplicates folded by dedup) and a random grouping, window and end, every group and
// every figure equals what this file computes from the rows themselves, read with the
// test's own Prisma client: counts exactly, the p-value from exact binomial sums.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { RiceDimension } from '../src/journal/index.ts';
import { describeEachBackend } from './backends.ts';
import { makeService, prismaOf } from './helpers.ts';

const DAY = 86_400_000;
/** Each run's journal lives in a span of its own, far from the others' windows. */
const SPAN = 400 * DAY;
const BASE = Date.parse('2030-01-01T00:00:00.000Z');

const DIMENSIONS: RiceDimension[] = [
  'attribution',
  'targetRepo',
  'targetDomain',
  'lessonType',
  'stage',
  'repo',
  'pattern',
];

const maybe = <T>(values: T[]) => fc.option(fc.constantFrom(...values), { nil: null });
const lessonArb = fc.record({
  lessonType: fc.constantFrom('gate_failure', 'merge_hold', 'deploy_degraded'),
  stage: maybe(['qa', 'e2e']),
  rootCause: fc.constantFrom('timeout', 'flaky test', null),
  attribution: maybe(['platform', 'project', 'unknown']),
  targetRepo: maybe(['svc', 'web']),
  targetDomain: maybe(['reliability', 'quality']),
  repo: maybe(['a', 'b', 'c']),
  workItemId: maybe(['W-1', 'W-2', 'W-3', 'W-4']),
  source: fc.constantFrom('auto', 'manual'),
  /** Hours before the window's end: -24 (after it) to 70 days before. */
  hoursBack: fc.integer({ min: -24, max: 70 * 24 }),
});
const caseArb = fc.record({
  lessons: fc.array(lessonArb, { maxLength: 40 }),
  groupBy: fc.subarray(DIMENSIONS, { maxLength: 3 }),
  windowDays: fc.integer({ min: 1, max: 30 }),
});

/** Both tails of Binomial(n, 1/2) at k, from exact integer sums. */
function twoSided(k: number, n: number): number {
  let c = 1n;
  let lower = 0n;
  let upper = 0n;
  for (let i = 0; i <= n; i++) {
    if (i <= k) lower += c;
    if (i >= k) upper += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  const total = Number(2n ** BigInt(n));
  return Math.min(1, (2 * Math.min(Number(lower), Number(upper))) / total);
}

type Row = {
  attribution: string | null;
  targetRepo: string | null;
  targetDomain: string | null;
  lessonType: string;
  stage: string | null;
  repo: string | null;
  patternId: number | null;
  workItemId: string | null;
  occurrences: number;
  createdAt: Date;
  lastSeenAt: Date;
};

function bruteForce(rows: Row[], groupBy: RiceDimension[], windowDays: number, asOf: number) {
  const start = asOf - windowDays * DAY;
  const previous = start - windowDays * DAY;
  const keyOf = (r: Row) => groupBy.map((d) => (d === 'pattern' ? r.patternId : r[d]));
  const groups = new Map<string, { key: (string | number | null)[]; rows: Row[]; prev: number }>();
  for (const r of rows) {
    const t = r.createdAt.getTime();
    if (t < previous || t >= asOf) continue;
    const key = keyOf(r);
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, rows: [], prev: 0 };
    if (t >= start) group.rows.push(r);
    else group.prev += 1;
    groups.set(id, group);
  }
  const out = [...groups.values()].map(({ key, rows: current, prev }) => {
    const lessons = current.length;
    const unknown = current.filter((r) => r.attribution === null || r.attribution === 'unknown');
    const last = current.length ? Math.max(...current.map((r) => r.lastSeenAt.getTime())) : null;
    const share = lessons === 0 ? 0 : unknown.length / lessons;
    const group: Record<string, unknown> = {
      reach: new Set(current.map((r) => r.workItemId).filter((w) => w !== null)).size,
      lessons,
      occurrences: current.reduce((sum, r) => sum + r.occurrences, 0),
      frequencyPerDay: lessons / windowDays,
      lastSeenAt: last === null ? null : new Date(last),
      recencyDays: last === null ? null : (asOf - last) / DAY,
      repos: new Set(current.map((r) => r.repo).filter((v) => v !== null)).size,
      previousLessons: prev,
      trendRatio: prev === 0 ? null : lessons / prev,
      trendPValue: lessons + prev === 0 ? null : twoSided(lessons, lessons + prev),
      unknownAttributionShare: share,
      confidence: lessons >= 20 && share <= 0.2 ? 1 : lessons >= 5 ? 0.8 : 0.5,
    };
    groupBy.forEach((d, i) => {
      group[d === 'pattern' ? 'patternId' : d] = key[i];
    });
    return { key, group };
  });
  const compareKey = (a: (string | number | null)[], b: (string | number | null)[]) => {
    for (let i = 0; i < a.length; i++) {
      const [x, y] = [a[i], b[i]];
      if (x === y) continue;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x as string | number) < (y as string | number) ? -1 : 1;
    }
    return 0;
  };
  out.sort(
    (a, b) =>
      (b.group.reach as number) - (a.group.reach as number) ||
      (b.group.lessons as number) - (a.group.lessons as number) ||
      compareKey(a.key, b.key),
  );
  return out.map((o) => o.group);
}

/** The service's answer with float figures rounded to 12 significant digits (the brute force's sums are exact). */
const rounded = (groups: Record<string, unknown>[]) =>
  groups.map((g) =>
    Object.fromEntries(
      Object.entries(g).map(([k, v]) => [
        k,
        typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
      ]),
    ),
  );

describeEachBackend('riceInputs equals a brute force over random journals', (backend) => {
  test('every group and figure', { timeout: 120_000 }, async () => {
    const s = await makeService({ backend, settings: { dedupWindowSeconds: 3600 } });
    // Far in the future of every lesson, so that no occurredAt is taken as now.
    s.clock.ms = BASE + 100 * SPAN;
    const prisma = await prismaOf(s);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ lessons, groupBy, windowDays }) => {
        const asOf = BASE + run++ * SPAN;
        for (const { hoursBack, ...lesson } of lessons) {
          await s.journal.record({ ...lesson, occurredAt: new Date(asOf - hoursBack * 3_600_000) });
        }
        const rows = (await prisma.lesson.findMany({
          where: { createdAt: { gte: new Date(asOf - 80 * DAY), lt: new Date(asOf + 2 * DAY) } },
        })) as Row[];
        const answer = await s.journal.riceInputs(
          groupBy,
          { windowDays, asOf: new Date(asOf) },
          null,
          1000,
        );
        const expected = bruteForce(rows, groupBy, windowDays, asOf);
        expect(rounded(answer as unknown as Record<string, unknown>[])).toEqual(rounded(expected));
      }),
      { numRuns: 60 },
    );
  });
});
