// The consumers' analytics on every backend, against hand computations: riceInputs (every
// figure, the p-values against known values, groups only in the previous window),
// Pattern.efficacy (the contract's examples and each verdict), escapes (which degradations
// no gate caught), advisories (a journal where the right order is obvious, closed and muted
// patterns never shown, feedback and the advice counts), bad windows refused in words, and
// both invariants for each new operation (off: no database; a fault: the safe default,
// counted, and answers again once it ends).
import { expect, test } from 'vitest';
import type { RecordInput } from '../src/journal/index.ts';
import { type Backend, describeEachBackend } from './backends.ts';
import { behindTheService, makeService, type Service } from './helpers.ts';

const DAY = 86_400_000;
/** The service's clock: every lesson below happened before it. */
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const day = (n: number, hours = 12) => new Date(NOW + n * DAY + hours * 3_600_000);
const iso = (at: Date) => at.toISOString();

async function journalAt(backend: Backend, options: Parameters<typeof makeService>[0] = {}) {
  const s = await makeService({ backend, ...options });
  s.clock.ms = NOW;
  return s;
}

/** Records each lesson as manual (never deduplicated), at its occurredAt. */
async function recordAll(s: Service, lessons: RecordInput[]): Promise<number[]> {
  const ids: number[] = [];
  for (const lesson of lessons) {
    const recorded = await s.journal.record({ source: 'manual', ...lesson });
    expect(recorded, JSON.stringify(lesson)).not.toBeNull();
    ids.push(recorded?.id as number);
  }
  return ids;
}

/** P(K <= k) and P(K >= k) for K ~ Binomial(n, 1/2), exactly, by summing C(n, i) / 2^n. */
function halfTails(k: number, n: number) {
  const c: bigint[] = [1n];
  for (let i = 1; i <= n; i++) c.push(((c[i - 1] as bigint) * BigInt(n - i + 1)) / BigInt(i));
  const total = 2n ** BigInt(n);
  const sum = (from: number, to: number) => c.slice(from, to + 1).reduce((a, b) => a + b, 0n);
  return { lower: Number(sum(0, k)) / Number(total), upper: Number(sum(k, n)) / Number(total) };
}

const RICE = `query ($groupBy: [RiceDimension!]!, $windowDays: Int, $asOf: DateTime, $filter: LessonFilter) {
  riceInputs(groupBy: $groupBy, windowDays: $windowDays, asOf: $asOf, filter: $filter) {
    attribution targetRepo targetDomain lessonType stage repo patternId reach lessons occurrences
    frequencyPerDay lastSeenAt recencyDays repos previousLessons trendRatio trendPValue
    unknownAttributionShare confidence } }`;

const nulls = {
  targetRepo: null,
  targetDomain: null,
  lessonType: null,
  stage: null,
  repo: null,
  patternId: null,
};

describeEachBackend('riceInputs', (backend) => {
  test('every figure of each group, as computed by hand', async () => {
    const s = await journalAt(backend);
    const gate = { lessonType: 'gate_failure', stage: 'e2e' };
    await recordAll(s, [
      // platform, in the window [day -10, day 0): 3 lessons, 2 work items, 2 repos.
      { ...gate, attribution: 'platform', workItemId: 'W-1', repo: 'a', occurredAt: day(-9) },
      { ...gate, attribution: 'platform', workItemId: 'W-1', repo: 'b', occurredAt: day(-5) },
      { ...gate, attribution: 'platform', workItemId: 'W-2', repo: 'a', occurredAt: day(-2, 6) },
      // platform, the window before [day -20, day -10): 1 lesson.
      { ...gate, attribution: 'platform', workItemId: 'W-3', repo: 'a', occurredAt: day(-15) },
      // platform, older than both windows: not counted.
      { ...gate, attribution: 'platform', workItemId: 'W-4', repo: 'c', occurredAt: day(-25) },
      // no attribution: 1 lesson in the window, no work item, no repo.
      { ...gate, occurredAt: day(-1) },
      // project: only in the previous window.
      { ...gate, attribution: 'project', workItemId: 'W-5', occurredAt: day(-11) },
      { ...gate, attribution: 'project', workItemId: 'W-6', occurredAt: day(-19) },
    ]);
    const asOf = iso(new Date(NOW));
    const r = await s.gql(RICE, { groupBy: ['ATTRIBUTION'], windowDays: 10, asOf });
    expect(r.errors).toBeUndefined();
    const p4 = halfTails(3, 4); // 3 of 4 at 1/2
    expect(r.data?.riceInputs).toEqual([
      {
        ...nulls,
        attribution: 'platform',
        reach: 2,
        lessons: 3,
        occurrences: 3,
        frequencyPerDay: 0.3,
        lastSeenAt: iso(day(-2, 6)),
        recencyDays: 1.75,
        repos: 2,
        previousLessons: 1,
        trendRatio: 3,
        trendPValue: Math.min(1, 2 * Math.min(p4.lower, p4.upper)),
        unknownAttributionShare: 0,
        confidence: 0.5,
      },
      {
        ...nulls,
        attribution: null,
        reach: 0,
        lessons: 1,
        occurrences: 1,
        frequencyPerDay: 0.1,
        lastSeenAt: iso(day(-1)),
        recencyDays: 0.5,
        repos: 0,
        previousLessons: 0,
        trendRatio: null,
        trendPValue: 1, // 1 of 1: both tails are 1/2
        unknownAttributionShare: 1,
        confidence: 0.5,
      },
      {
        ...nulls,
        attribution: 'project',
        reach: 0,
        lessons: 0,
        occurrences: 0,
        frequencyPerDay: 0,
        lastSeenAt: null,
        recencyDays: null,
        repos: 0,
        previousLessons: 2,
        trendRatio: 0,
        trendPValue: 0.5, // 0 of 2: 2 * 1/4
        unknownAttributionShare: 0,
        confidence: 0.5,
      },
    ]);
    expect(p4).toEqual({ lower: 15 / 16, upper: 5 / 16 });
  });

  test('20 lessons against none before: p = 2 * 0.5^20, confidence 1.0; the bands and the unknown share', async () => {
    const s = await journalAt(backend);
    const lessons: RecordInput[] = [];
    for (let i = 0; i < 20; i++) {
      lessons.push({
        lessonType: 'merge_hold',
        stage: 'merge',
        attribution: i < 4 ? 'unknown' : 'platform',
        targetRepo: 'svc',
        targetDomain: 'reliability',
        workItemId: `W-${i % 7}`,
        occurredAt: day(-1 - (i % 25) / 10),
      });
    }
    // Five more with a fifth of them unknown, in another target repo: 0.8.
    for (let i = 0; i < 5; i++) {
      lessons.push({
        lessonType: 'merge_hold',
        targetRepo: 'web',
        targetDomain: 'reliability',
        attribution: i === 0 ? null : 'project',
        workItemId: `V-${i}`,
        occurredAt: day(-3),
      });
    }
    await recordAll(s, lessons);
    const r = await s.gql<{
      riceInputs: {
        targetRepo: string;
        lessons: number;
        trendPValue: number;
        confidence: number;
        unknownAttributionShare: number;
        reach: number;
        trendRatio: number | null;
      }[];
    }>(RICE, { groupBy: ['TARGET_REPO', 'TARGET_DOMAIN'], windowDays: 30 });
    expect(r.errors).toBeUndefined();
    expect(
      r.data?.riceInputs.map(
        ({
          targetRepo,
          lessons,
          reach,
          trendRatio,
          trendPValue,
          confidence,
          unknownAttributionShare,
        }) => ({
          targetRepo,
          lessons,
          reach,
          trendRatio,
          trendPValue,
          confidence,
          unknownAttributionShare,
        }),
      ),
    ).toEqual([
      {
        targetRepo: 'svc',
        lessons: 20,
        reach: 7,
        trendRatio: null,
        trendPValue: 2 * 0.5 ** 20,
        confidence: 1,
        unknownAttributionShare: 0.2,
      },
      {
        targetRepo: 'web',
        lessons: 5,
        reach: 5,
        trendRatio: null,
        trendPValue: 2 * 0.5 ** 5,
        confidence: 0.8,
        unknownAttributionShare: 0.2,
      },
    ]);
  });

  test('by pattern, with a filter, and a window it cannot take refused in words', async () => {
    const s = await journalAt(backend);
    const [a, , c] = await recordAll(s, [
      {
        lessonType: 'gate_failure',
        stage: 'e2e',
        rootCause: 'flaky checkout.spec.ts:42',
        repo: 'x',
        workItemId: 'W-1',
        occurredAt: day(-2),
      },
      {
        lessonType: 'gate_failure',
        stage: 'e2e',
        rootCause: 'flaky checkout.spec.ts:57',
        repo: 'y',
        workItemId: 'W-2',
        occurredAt: day(-3),
      },
      {
        lessonType: 'gate_failure',
        stage: 'lint',
        rootCause: 'lint errors',
        repo: 'x',
        workItemId: 'W-1',
        occurredAt: day(-4),
      },
    ]);
    const patternOf = async (id: number) =>
      (await s.journal.patternsOfLessons([id])).get(id)?.id as number;
    const [pa, pc] = [await patternOf(a as number), await patternOf(c as number)];
    const r = await s.gql<{
      riceInputs: { patternId: number; lessons: number; reach: number; repos: number }[];
    }>('query { riceInputs(groupBy: [PATTERN], windowDays: 7) { patternId lessons reach repos } }');
    expect(r.data?.riceInputs).toEqual([
      { patternId: pa, lessons: 2, reach: 2, repos: 2 },
      { patternId: pc, lessons: 1, reach: 1, repos: 1 },
    ]);
    const filtered = await s.gql<{ riceInputs: unknown[] }>(
      'query { riceInputs(groupBy: [PATTERN], windowDays: 7, filter: { repo: ["y"] }) { patternId lessons } }',
    );
    expect(filtered.data?.riceInputs).toEqual([{ patternId: pa, lessons: 1 }]);
    for (const windowDays of [0, -3, 3651]) {
      const bad = await s.gql(
        `query { riceInputs(groupBy: [PATTERN], windowDays: ${windowDays}) { lessons } }`,
      );
      expect(bad.errors?.[0]?.message).toBe(
        'windowDays must be a whole number of days from 1 to 3650',
      );
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

const EFFICACY = `query ($id: Int!, $windowDays: Int, $asOf: DateTime) { pattern(id: $id) {
  efficacy(windowDays: $windowDays, asOf: $asOf) { fixedAt windowDays before after afterDays
    rateBefore rateAfter rateRatio pValue verdict } } }`;

describeEachBackend('Pattern.efficacy', (backend) => {
  /** A pattern with lessons at the given days (relative to the fix at day -30), closed at the fix. */
  async function fixedPattern(s: Service, days: number[], fixed = day(-30, 0)) {
    const ids = await recordAll(
      s,
      days.map((d, i) => ({
        lessonType: 'transient_retry',
        stage: 'build',
        rootCause: 'registry timeout',
        workItemId: `W-${i}`,
        occurredAt: new Date(fixed.getTime() + d * DAY),
      })),
    );
    const pattern = (await s.journal.patternsOfLessons([ids[0] as number])).get(ids[0] as number);
    expect(
      await s.journal.updatePattern(pattern?.id as number, { status: 'closed', fixedAt: fixed }),
    ).toBe(true);
    return pattern?.id as number;
  }
  const efficacy = async (s: Service, id: number, vars: Record<string, unknown> = {}) => {
    const r = await s.gql<{ pattern: { efficacy: Record<string, unknown> | null } }>(EFFICACY, {
      id,
      ...vars,
    });
    expect(r.errors).toBeUndefined();
    return r.data?.pattern.efficacy;
  };

  test('20 before and none in an equal window after: p = 0.5^20, EFFECTIVE', async () => {
    const s = await journalAt(backend);
    const before = Array.from({ length: 20 }, (_, i) => -13 + i * 0.6);
    const id = await fixedPattern(s, before);
    expect(await efficacy(s, id)).toEqual({
      fixedAt: iso(day(-30, 0)),
      windowDays: 14,
      before: 20,
      after: 0,
      afterDays: 14,
      rateBefore: 20 / 14,
      rateAfter: 0,
      rateRatio: 0,
      pValue: 0.5 ** 20,
      verdict: 'EFFECTIVE',
    });
  });

  test('each verdict by the contract, the after window cut at asOf, and none without a fix', async () => {
    const s = await journalAt(backend);
    // 3 before, 1 after: 4 < 5, INSUFFICIENT_DATA (p = P(K <= 1), K ~ Bin(4, 1/2) = 5/16).
    const few = await fixedPattern(s, [-3, -2, -1, 2], day(-30, 0));
    expect(await efficacy(s, few)).toMatchObject({
      before: 3,
      after: 1,
      pValue: 5 / 16,
      verdict: 'INSUFFICIENT_DATA',
    });

    const s2 = await journalAt(backend);
    // 3 before, 2 after in an equal window: n = 5 is not < 5, so the test decides:
    // P(K <= 2) = 1/2 and P(K >= 2) = 13/16: INCONCLUSIVE.
    const five = await fixedPattern(s2, [-3, -2, -1, 1, 2]);
    expect(await efficacy(s2, five)).toMatchObject({
      before: 3,
      after: 2,
      pValue: 0.5,
      verdict: 'INCONCLUSIVE',
    });
    // The same lessons with only 12 hours after the fix: afterDays < 1, INSUFFICIENT_DATA.
    const early = await efficacy(s2, five, {
      asOf: iso(new Date(day(-30, 0).getTime() + DAY / 2)),
    });
    expect(early).toMatchObject({
      before: 3,
      after: 0,
      afterDays: 0.5,
      rateRatio: 0,
      verdict: 'INSUFFICIENT_DATA',
    });
    // p = afterDays / (windowDays + afterDays) = 0.5 / 14.5; P(K <= 0) = (1 - p)^3.
    expect(early?.pValue).toBeCloseTo((14 / 14.5) ** 3, 14);

    const s3 = await journalAt(backend);
    // 2 before, 10 after: the upper tail P(K >= 10), K ~ Bin(12, 1/2) = 79/4096 < 0.05: REGRESSED.
    const worse = await fixedPattern(s3, [-5, -4, ...Array.from({ length: 10 }, (_, i) => 1 + i)]);
    const regressed = await efficacy(s3, worse);
    expect(regressed).toMatchObject({ before: 2, after: 10, rateRatio: 5, verdict: 'REGRESSED' });
    expect(regressed?.pValue).toBeCloseTo(halfTails(10, 12).lower, 14);
    expect(halfTails(10, 12).upper).toBe(79 / 4096);

    // Windows of 7 days: only the lessons within a week of the fix count.
    const week = await efficacy(s3, worse, { windowDays: 7 });
    expect(week).toMatchObject({ windowDays: 7, before: 2, after: 6, afterDays: 7 });

    // A pattern without a fix has no efficacy.
    const [open] = await recordAll(s3, [
      { lessonType: 'merge_hold', rootCause: 'never fixed', occurredAt: day(-1) },
    ]);
    const pattern = (await s3.journal.patternsOfLessons([open as number])).get(open as number);
    expect(await efficacy(s3, pattern?.id as number)).toBeNull();
  });
});

describeEachBackend('escapes', (backend) => {
  test('per repo: degraded work items in the window, and those no gate caught first', async () => {
    const s = await journalAt(backend);
    const gate = (workItemId: string, repo: string | null, at: Date): RecordInput => ({
      lessonType: 'gate_failure',
      stage: 'qa',
      workItemId,
      repo,
      occurredAt: at,
    });
    const degraded = (workItemId: string | null, repo: string | null, at: Date): RecordInput => ({
      lessonType: 'deploy_degraded',
      stage: 'post_deploy',
      workItemId,
      repo,
      occurredAt: at,
    });
    await recordAll(s, [
      gate('W-1', 'a', day(-40)), // caught long ago: still before
      degraded('W-1', 'a', day(-5)),
      degraded('W-2', 'a', day(-4)), // no gate at all: escaped
      degraded('W-3', 'a', day(-6)),
      gate('W-3', 'a', day(-3)), // after the degradation: escaped
      degraded('W-3', 'a', day(-2)), // the same work item again: one work item
      degraded('W-4', 'a', day(-45)), // outside the window
      gate('W-5', 'elsewhere', day(-10)), // a gate in another repo caught it
      degraded('W-5', 'b', day(-1)),
      degraded(null, 'b', day(-1)), // no work item: counts in neither
      degraded('W-6', null, day(-1)), // no repo: a group of its own
    ]);
    const r = await s.gql(
      'query { escapes { repo degradedWorkItems escapedWorkItems escapeRate } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.escapes).toEqual([
      { repo: 'a', degradedWorkItems: 3, escapedWorkItems: 2, escapeRate: 2 / 3 },
      { repo: null, degradedWorkItems: 1, escapedWorkItems: 1, escapeRate: 1 },
      { repo: 'b', degradedWorkItems: 1, escapedWorkItems: 0, escapeRate: 0 },
    ]);
    const one = await s.gql(
      'query { escapes(repo: "b", windowDays: 3) { repo degradedWorkItems escapedWorkItems } }',
    );
    expect(one.data?.escapes).toEqual([{ repo: 'b', degradedWorkItems: 1, escapedWorkItems: 0 }]);
    const longer = await s.gql(
      'query { escapes(windowDays: 60, asOf: "2026-06-01T00:00:00Z") { repo degradedWorkItems escapedWorkItems } }',
    );
    expect(longer.data?.escapes).toEqual([
      { repo: 'a', degradedWorkItems: 4, escapedWorkItems: 3 },
      { repo: null, degradedWorkItems: 1, escapedWorkItems: 1 },
      { repo: 'b', degradedWorkItems: 1, escapedWorkItems: 0 },
    ]);
  });
});

const ADVISE = `query ($stage: String!, $repo: String, $workItemId: String, $limit: Int) {
  advisories(stage: $stage, repo: $repo, agent: "coder", workItemId: $workItemId, limit: $limit) {
    id suggestion score why pattern { id title status } } }`;

describeEachBackend('advisories', (backend) => {
  test('the right patterns in the obvious order; feedback and the advice counts', async () => {
    const s = await journalAt(backend);
    const e2e = (
      rootCause: string,
      n: number,
      at: (i: number) => Date,
      extra: Partial<RecordInput> = {},
    ) =>
      Array.from({ length: n }, (_, i) => ({
        lessonType: 'gate_failure',
        stage: 'e2e',
        rootCause,
        repo: 'shop',
        workItemId: `${rootCause}-${i}`,
        suggestion: `fix ${rootCause}`,
        occurredAt: at(i),
        ...extra,
      }));
    const ids = await recordAll(s, [
      ...e2e('busy', 10, (i) => day(-1 - (i % 5), 3)), // 10 this week, 10 work items
      ...e2e('came back', 3, (i) => day(-20 - i)), // regressed below
      ...e2e('quiet', 1, () => day(-60)), // long ago
      ...e2e('closed', 8, (i) => day(-1 - i)),
      ...e2e('muted', 8, (i) => day(-1 - i)),
      ...e2e('platform', 2, () => day(-2), { repo: 'other', attribution: 'platform' }),
      ...e2e('other repo', 5, () => day(-2), { repo: 'other' }),
      {
        lessonType: 'gate_failure',
        stage: 'lint',
        rootCause: 'another stage',
        repo: 'shop',
        occurredAt: day(-1),
      },
    ]);
    const patternIds = await s.journal.patternsOfLessons(ids);
    const idOf = (rootCause: string) =>
      [...patternIds.values()].find((p) => p.rootCause === rootCause)?.id as number;
    await s.journal.updatePattern(idOf('closed'), { status: 'closed' });
    await s.journal.updatePattern(idOf('muted'), { status: 'muted' });
    await s.journal.updatePattern(idOf('came back'), { status: 'closed', fixedAt: day(-10) });
    // An occurrence well after the fix regresses it.
    await recordAll(
      s,
      e2e('came back', 1, () => day(-1, 0), { workItemId: 'back-again' }),
    );
    expect((await s.journal.pattern(idOf('came back')))?.status).toBe('regressed');

    const r = await s.gql<{
      advisories: {
        id: string;
        suggestion: string;
        score: number;
        why: string;
        pattern: { id: number; title: string; status: string };
      }[];
    }>(ADVISE, { stage: 'e2e', repo: 'shop', workItemId: 'W-now', limit: 10 });
    expect(r.errors).toBeUndefined();
    const shown = r.data?.advisories ?? [];
    expect(shown.map((a) => a.pattern.title)).toEqual(['busy', 'came back', 'platform', 'quiet']);
    // The score by the README's formula, by hand: (frequency + recency) * reach * regression.
    const score = (recent7: number, daysSince: number, workItems: number, regressed: boolean) =>
      (recent7 / 7 + 1 / (1 + daysSince)) * Math.log2(2 + workItems) * (regressed ? 2 : 1);
    const expected = [
      score(10, 1 - 3 / 24, 10, false),
      score(1, 1, 4, true),
      score(2, 1.5, 2, false),
      score(0, 59.5, 1, false),
    ];
    // Computed by the database (ln(x) / ln(2)): equal to 12 significant digits.
    expect(shown.map((a) => Number(a.score.toPrecision(12)))).toEqual(
      expected.map((x) => Number(x.toPrecision(12))),
    );
    expect(shown[0]?.why).toBe(
      '10 lessons in the last 7 days; 10 work items in all; last seen 21 h ago',
    );
    expect(shown[1]?.why).toMatch(
      /^regressed after its fix; 1 lesson in the last 7 days; 4 work items in all/,
    );
    expect(shown[0]?.suggestion).toBe('fix busy');
    expect(new Set(shown.map((a) => a.id)).size).toBe(4);

    // limit (default 3), and without a repo every pattern of the stage that is open or regressed.
    const top = await s.gql<{ advisories: { pattern: { title: string } }[] }>(ADVISE, {
      stage: 'e2e',
    });
    expect(top.data?.advisories.map((a) => a.pattern.title)).toEqual([
      'busy',
      'came back',
      'other repo',
    ]);

    // Feedback: the latest answer counts; an unknown id is false; a verdict it doesn't know is refused.
    const FEEDBACK =
      'mutation ($id: ID!, $v: String!) { adviceFeedback(advisoryId: $id, verdict: $v) }';
    const busy = shown[0] as (typeof shown)[number];
    expect((await s.gql(FEEDBACK, { id: busy.id, v: 'wrong' })).data).toEqual({
      adviceFeedback: true,
    });
    expect((await s.gql(FEEDBACK, { id: busy.id, v: 'helped' })).data).toEqual({
      adviceFeedback: true,
    });
    expect((await s.gql(FEEDBACK, { id: shown[1]?.id, v: 'not_relevant' })).data).toEqual({
      adviceFeedback: true,
    });
    expect((await s.gql(FEEDBACK, { id: '999999', v: 'helped' })).data).toEqual({
      adviceFeedback: false,
    });
    expect((await s.gql(FEEDBACK, { id: 'nope', v: 'helped' })).data).toEqual({
      adviceFeedback: false,
    });
    const bad = await s.gql(FEEDBACK, { id: busy.id, v: 'great' });
    expect(bad.errors?.[0]).toMatchObject({
      message: 'verdict must be one of helped, not_relevant, wrong',
      extensions: { code: 'BAD_USER_INPUT' },
    });

    // The work item it was shown for got a lesson of "busy" 2 hours later: it recurred.
    s.clock.ms = NOW + 2 * 3_600_000;
    await recordAll(
      s,
      e2e('busy', 1, () => new Date(NOW + 3_600_000), { workItemId: 'W-now' }),
    );
    // One 25 hours after "came back" was shown is not a recurrence of that impression.
    s.clock.ms = NOW + 26 * 3_600_000;
    await recordAll(
      s,
      e2e('came back', 1, () => new Date(NOW + 25 * 3_600_000), { workItemId: 'W-now' }),
    );
    const ADVICE =
      'query ($id: Int!) { pattern(id: $id) { advice { shown helped notRelevant wrong recurredAfterShown } } }';
    const advice = async (title: string) =>
      (await s.gql<{ pattern: { advice: unknown } }>(ADVICE, { id: idOf(title) })).data?.pattern
        .advice;
    expect(await advice('busy')).toEqual({
      shown: 2,
      helped: 1,
      notRelevant: 0,
      wrong: 0,
      recurredAfterShown: 1,
    });
    expect(await advice('came back')).toEqual({
      shown: 2,
      helped: 0,
      notRelevant: 1,
      wrong: 0,
      recurredAfterShown: 0,
    });
    expect(await advice('closed')).toEqual({
      shown: 0,
      helped: 0,
      notRelevant: 0,
      wrong: 0,
      recurredAfterShown: 0,
    });
  });
});

const EVERY_READ = `query {
  riceInputs(groupBy: [ATTRIBUTION]) { lessons }
  escapes { repo }
  advisories(stage: "e2e") { id }
  pattern(id: 1) { efficacy { verdict } advice { shown } }
}`;

describeEachBackend('analytics under both invariants', (backend) => {
  test('off: every new operation answers its default without opening the database', async () => {
    const s = await makeService({
      backend,
      emptyDatabase: true,
      settings: { enabled: false },
      open: () => () => {
        throw new Error('the database was opened while the journal is off');
      },
    });
    expect(await s.gql(EVERY_READ)).toEqual({
      status: 200,
      data: { riceInputs: [], escapes: [], advisories: [], pattern: null },
    });
    expect(await s.gql('mutation { adviceFeedback(advisoryId: "1", verdict: "helped") }')).toEqual({
      status: 200,
      data: { adviceFeedback: false },
    });
    expect(await s.journal.efficacy([1], {})).toEqual(new Map());
    expect(await s.journal.adviceStats([1])).toEqual(new Map());
    expect(s.opens()).toBe(0);
    for (const operation of [
      'rice_inputs',
      'escapes',
      'advisories',
      'advice_feedback',
      'efficacy',
      'advice',
    ]) {
      expect(await s.metric('lessons_noop_total', { operation })).toBeGreaterThanOrEqual(1);
    }
  });

  test('a fault: the safe defaults, counted and warned; answers again once it ends', async () => {
    const s = await journalAt(backend);
    const [id, fixedId] = await recordAll(s, [
      { lessonType: 'gate_failure', stage: 'e2e', rootCause: 'x', occurredAt: day(-1) },
      { lessonType: 'gate_failure', stage: 'build', rootCause: 'y', occurredAt: day(-2) },
    ]);
    const patterns = await s.journal.patternsOfLessons([id as number, fixedId as number]);
    const pattern = patterns.get(id as number)?.id as number;
    const fixed = patterns.get(fixedId as number)?.id as number;
    await s.journal.updatePattern(fixed, { status: 'closed', fixedAt: day(-1, 0) });
    await behindTheService(
      s,
      'ALTER TABLE lessons RENAME TO lessons_gone',
      'ALTER TABLE advisories RENAME TO advisories_gone',
    );
    expect(await s.journal.riceInputs(['attribution'], {})).toEqual([]);
    expect(await s.journal.escapes({})).toEqual([]);
    expect(await s.journal.efficacy([fixed], {})).toEqual(new Map());
    expect(await s.journal.advisories({ stage: 'e2e', limit: 3 })).toEqual([]);
    expect(await s.journal.adviceFeedback('1', 'helped')).toBe(false);
    expect(await s.journal.adviceStats([pattern])).toEqual(new Map());
    for (const operation of [
      'rice_inputs',
      'escapes',
      'efficacy',
      'advisories',
      'advice_feedback',
      'advice',
    ]) {
      expect(await s.metric('lessons_faults_total', { operation, reason: 'table_missing' })).toBe(
        1,
      );
    }
    const warned = s.log
      .warnings()
      .filter((l) => l.msg === 'journal fault: answered with the safe default');
    expect(warned.map((w) => w.operation).sort()).toEqual([
      'advice',
      'advice_feedback',
      'advisories',
      'efficacy',
      'escapes',
      'rice_inputs',
    ]);
    await behindTheService(
      s,
      'ALTER TABLE lessons_gone RENAME TO lessons',
      'ALTER TABLE advisories_gone RENAME TO advisories',
    );
    expect((await s.journal.riceInputs(['attribution'], {})).map((g) => g.lessons)).toEqual([2]);
    expect((await s.journal.efficacy([fixed], {})).get(fixed)?.before).toBe(1);
    const advised = await s.journal.advisories({ stage: 'e2e', limit: 3 });
    expect(advised.map((a) => a.pattern.id)).toEqual([pattern]);
    expect(await s.journal.adviceFeedback(advised[0]?.id as string, 'helped')).toBe(true);
    expect((await s.journal.adviceStats([pattern])).get(pattern)?.helped).toBe(1);
  });
});
