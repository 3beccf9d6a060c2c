// Lists in arguments are capped: a filter's list (LessonFilter, PatternFilter) or
// mergePatterns' `from` over MAX_LIST_VALUES is refused with BAD_USER_INPUT naming the
// argument and the cap, before the journal is called (nothing is opened); at the cap, with
// every list of a filter full at once, the answers are exact on every backend. And a
// statement over PostgreSQL's bind-parameter limit is classified as what it is (the
// server refused the statement), not as an unreachable database.
import { expect, test } from 'vitest';
import { DatabaseFault } from '../src/db/port.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { FILTERABLE } from '../src/journal/fields.ts';
import { describeEachBackend, describePostgres } from './backends.ts';
import { makeService, type Service } from './helpers.ts';

/** The documented cap (docs/api.md): values a list in an argument may hold. */
const MAX_LIST_VALUES = 1000;

const decoys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const LESSONS = 'query ($f: LessonFilter) { lessons(filter: $f, limit: 1000) { id } }';
const TOTAL = 'query ($f: LessonFilter) { lessonsConnection(filter: $f) { totalCount } }';
const AGGREGATES =
  'query ($f: LessonFilter) { lessonAggregates(groupBy: [LESSON_TYPE, STAGE], filter: $f) { lessonType stage lessons } }';
const PATTERNS =
  'query ($f: PatternFilter) { patterns(filter: $f) { edges { node { lessonType lessons } } } }';
const MERGE = 'mutation ($from: [Int!]!) { mergePatterns(into: 1, from: $from) }';

function refusal(argument: string, given: number) {
  return {
    message: `${argument} has ${given} values; a list may hold at most ${MAX_LIST_VALUES}`,
    extensions: { code: 'BAD_USER_INPUT' },
  };
}

describeEachBackend('lists over the cap', (backend) => {
  test('every operation that takes a list refuses one over the cap, naming it, without opening the database', async () => {
    // An empty database the refusals must never open.
    const s = await makeService({ backend, emptyDatabase: true });
    const over = decoys('W-', MAX_LIST_VALUES + 1);
    const cases: [string, Record<string, unknown>, string][] = [
      [LESSONS, { f: { workItemId: over } }, 'filter.workItemId'],
      [TOTAL, { f: { repo: over } }, 'filter.repo'],
      [AGGREGATES, { f: { lessonType: over } }, 'filter.lessonType'],
      [PATTERNS, { f: { stage: over } }, 'filter.stage'],
      [MERGE, { from: over.map((_, i) => i + 2) }, 'from'],
    ];
    for (const [query, variables, argument] of cases) {
      const r = await s.gql(query, variables);
      expect(
        r.errors?.map(({ message, extensions }) => ({ message, extensions })),
        query,
      ).toEqual([refusal(argument, MAX_LIST_VALUES + 1)]);
      expect(r.data, query).toBeNull();
    }
    // The report's case: 33,000 work items (over SQLite's bind-parameter limit).
    const report = await s.gql(LESSONS, { f: { workItemId: decoys('W-', 33_000) } });
    expect(report.errors?.[0]?.message).toBe(refusal('filter.workItemId', 33_000).message);
    expect(s.opens()).toBe(0);
    expect(await s.metric('lessons_faults_total', { operation: 'list', reason: 'database' })).toBe(
      0,
    );
  });
});

describeEachBackend('lists over the cap, from a caller who may not ask', (backend) => {
  test('are refused as FORBIDDEN first: who may call a field is decided before its arguments', async () => {
    const s = await makeService({ backend, emptyDatabase: true, tokens: 'writer:writer-token-1' });
    const r = await s.gql(
      LESSONS,
      { f: { workItemId: decoys('W-', MAX_LIST_VALUES + 1) } },
      { authorization: 'Bearer writer-token-1' },
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(s.opens()).toBe(0);
  });
});

/** One lesson to find (work item W-1) among others that every filter below must leave out. */
async function journalWithOneToFind(s: Service) {
  const lesson = {
    lessonType: 'gate_failure',
    workItemId: 'W-1',
    taskId: 'T-1',
    stage: 'quality_gate',
    agent: 'qa',
    repo: 'orchestrator',
    status: 'new',
    attribution: 'platform',
    targetRepo: 'orchestrator',
    targetDomain: 'reliability',
    source: 'auto',
  } as const;
  const found = await s.journal.record(lesson);
  await s.journal.record({ ...lesson, workItemId: 'W-2' });
  await s.journal.record({ ...lesson, workItemId: 'W-3', stage: 'build' });
  return { id: found?.id, lesson };
}

describeEachBackend('lists at the cap', (backend) => {
  test('one list at the cap with one match: lessons, totalCount, aggregates and patterns answer exactly', async () => {
    const s = await makeService({ backend });
    const { id } = await journalWithOneToFind(s);
    const workItems = [...decoys('X-', MAX_LIST_VALUES - 1), 'W-1'];
    expect(await s.gql(LESSONS, { f: { workItemId: workItems } })).toEqual({
      status: 200,
      data: { lessons: [{ id }] },
    });
    expect(await s.gql(TOTAL, { f: { workItemId: workItems } })).toEqual({
      status: 200,
      data: { lessonsConnection: { totalCount: 1 } },
    });
    expect(await s.gql(AGGREGATES, { f: { workItemId: workItems } })).toEqual({
      status: 200,
      data: {
        lessonAggregates: [{ lessonType: 'gate_failure', stage: 'quality_gate', lessons: 1 }],
      },
    });
    const stages = [...decoys('s-', MAX_LIST_VALUES - 1), 'build'];
    expect(await s.gql(PATTERNS, { f: { stage: stages } })).toEqual({
      status: 200,
      data: { patterns: { edges: [{ node: { lessonType: 'gate_failure', lessons: 1 } }] } },
    });
    expect(await s.metric('lessons_faults_total', { operation: 'list', reason: 'database' })).toBe(
      0,
    );
  });

  test('every list of a filter at the cap at once: still exact (the largest statements stay under the bind limits)', async () => {
    const s = await makeService({ backend });
    const { id, lesson } = await journalWithOneToFind(s);
    const full = Object.fromEntries(
      FILTERABLE.map((field) => [
        field,
        [...decoys(`${field}-`, MAX_LIST_VALUES - 1), lesson[field as keyof typeof lesson]],
      ]),
    );
    expect(await s.gql(LESSONS, { f: full })).toEqual({ status: 200, data: { lessons: [{ id }] } });
    expect(await s.gql(TOTAL, { f: full })).toEqual({
      status: 200,
      data: { lessonsConnection: { totalCount: 1 } },
    });
    expect(await s.gql(AGGREGATES, { f: full })).toEqual({
      status: 200,
      data: {
        lessonAggregates: [{ lessonType: 'gate_failure', stage: 'quality_gate', lessons: 1 }],
      },
    });
    // The aggregate's fast path repeats its lists in each part of one statement (the cells,
    // the partial first and last days, the members): all three lists full, a window that
    // starts and ends inside a day (an hour later, so that its end is in the past). W-1 and
    // W-2 share the type, stage and repo.
    const recordedAt = s.clock.now().getTime();
    s.clock.advance(3600);
    const rollup = {
      lessonType: full.lessonType,
      stage: full.stage,
      repo: full.repo,
      since: new Date(recordedAt - 36 * 3600_000).toISOString(),
      until: new Date(recordedAt + 1).toISOString(),
    };
    expect(
      await s.gql(
        'query ($f: LessonFilter) { lessonAggregates(groupBy: [LESSON_TYPE, STAGE, REPO], filter: $f) { repo lessons } }',
        { f: rollup },
      ),
    ).toEqual({ status: 200, data: { lessonAggregates: [{ repo: 'orchestrator', lessons: 2 }] } });
    const patterns = {
      lessonType: [...decoys('t-', MAX_LIST_VALUES - 1), 'gate_failure'],
      stage: [...decoys('s-', MAX_LIST_VALUES - 1), 'build'],
      status: [...decoys('u-', MAX_LIST_VALUES - 1), 'open'],
      repo: [...decoys('r-', MAX_LIST_VALUES - 1), 'orchestrator'],
    };
    expect(await s.gql(PATTERNS, { f: patterns })).toEqual({
      status: 200,
      data: { patterns: { edges: [{ node: { lessonType: 'gate_failure', lessons: 1 } }] } },
    });
    expect(s.log.warnings()).toEqual([]);
  });
});

describePostgres('a statement over PostgreSQL’s bind-parameter limit', () => {
  test('is refused by the server as a statement ("database"), not "db_unreachable", with its message; the connection goes on', async () => {
    const s = await makeService({ backend: 'postgresql' });
    const db = await s.db.get();
    const signal = new AbortController().signal;
    for (const n of [65_536, 66_000]) {
      const values = decoys('v', n);
      const failure = await db
        .read(Prisma.sql`SELECT 1 AS one WHERE 'x' IN (${Prisma.join(values)})`, { signal })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(failure).toBeInstanceOf(DatabaseFault);
      expect({
        reason: (failure as DatabaseFault).reason,
        message: (failure as DatabaseFault).message,
      }).toEqual({ reason: 'database', message: expect.stringMatching(/^bind message /) });
    }
    expect(await db.read(Prisma.sql`SELECT 1 AS one`, { signal })).toEqual([{ one: 1 }]);
  });
});
