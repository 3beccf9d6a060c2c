// One request can neither ask for more than the server will build nor get an answer larger
// than LESSONS_MAX_RESPONSE_BYTES: a document's cost counts each list by how many items it
// can have (limit, first, last; the default page when absent) and is refused at
// validation, before any resolver runs; an answer over the size bound is refused whole with
// RESPONSE_TOO_LARGE (never truncated), mutations excepted; and the writer's recordLesson
// is answered while such a request is in flight.
import fc from 'fast-check';
import { parse, validate } from 'graphql';
import { describe, expect, test } from 'vitest';
import type { Backend as DatabaseBackend } from '../src/db/port.ts';
import { schema } from '../src/schema/index.ts';
import { costRule } from '../src/server/cost.ts';
import { jsonBytes } from '../src/server/response-size.ts';
import { describeEachBackend } from './backends.ts';
import { LESSON_FIELDS, makeService, RECORD, type Service } from './helpers.ts';

/** 16 KiB, the longest text a lesson keeps (LESSONS_MAX_TEXT_LENGTH). */
const LONG = 'r'.repeat(16 * 1024);

const aliases = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** The largest page a reader may ask for: 1000 lessons, every field, with its count. */
const LARGEST_PAGE = `{ lessonsConnection(first: 1000) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${LESSON_FIELDS} } } } }`;

/** A service whose database reads are counted. */
async function countingReads(backend: 'sqlite' | 'postgresql', limitsEnv = {}) {
  const reads = { count: 0, sql: [] as string[] };
  const s = await makeService({
    backend,
    limitsEnv,
    open: (real) => async (location) => {
      const db: DatabaseBackend = await real(location);
      const read = db.read.bind(db);
      db.read = (...args) => {
        reads.count += 1;
        reads.sql.push(args[0].sql);
        return read(...args);
      };
      return db;
    },
  });
  return { s, reads };
}

async function seed(s: Service, n: number, rootCause = LONG) {
  for (let i = 0; i < n; i++) {
    await s.journal.record({ lessonType: 'gate_failure', source: 'manual', rootCause });
  }
}

describeEachBackend('cost', (backend) => {
  test('15 aliases of lessons(limit: 1000) are refused at validation, before the database is read', async () => {
    const { s, reads } = await countingReads(backend);
    await seed(s, 3);
    reads.count = 0;
    const r = await s.gql(aliases(15, 'lessons(limit: 1000) { id rootCause }'));
    expect(r.status).toBe(400);
    expect(r.errors).toEqual([
      {
        message:
          'Query cost limit of 70000 exceeded: found 180000 (a list counts as many items as its limit, first or last allows)',
        locations: [{ line: 1, column: 1 }],
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 180000, maxCost: 70000 },
      },
    ]);
    expect(reads.count).toBe(0);
  });

  test('a limit given as a variable counts as the largest it can be; an absent one as the default page', async () => {
    const { s, reads } = await countingReads(backend);
    await seed(s, 3);
    reads.count = 0;
    const variable = await s.gql(`query ($n: Int) ${aliases(7, 'lessons(limit: $n) { id }')}`, {
      n: 1,
    });
    expect(variable.status).toBe(400);
    expect(variable.errors?.[0]?.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      cost: 77000,
      maxCost: 70000,
    });
    // The default page is 100: 15 of them pass, as do 6 of the largest.
    const byDefault = await s.gql<Record<string, unknown[]>>(aliases(15, 'lessons { id }'));
    expect(byDefault.errors).toBeUndefined();
    expect(Object.values(byDefault.data ?? {}).map((list) => list.length)).toEqual(
      Array(15).fill(3),
    );
    expect((await s.gql(aliases(6, 'lessons(limit: 1000) { id }'))).errors).toBeUndefined();
    expect(reads.count).toBe(21);
  });

  test('lists nested in lists multiply: a pattern page per lesson is refused', async () => {
    const s = await makeService({ backend });
    const r = await s.gql(
      '{ lessons(limit: 100) { id pattern { lessonsConnection(first: 100) { edges { node { id } } } } } }',
    );
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.cost).toBe(213_100);
    expect(s.opens()).toBe(0);
  });

  test('realistic queries pass: the largest page, a pattern with its series and lessons, a dashboard', async () => {
    const s = await makeService({ backend });
    await seed(s, 3, 'flaky test');
    const page = await s.gql<{ lessonsConnection: { totalCount: number } }>(LARGEST_PAGE);
    expect(page.errors).toBeUndefined();
    expect(page.data?.lessonsConnection.totalCount).toBe(3);
    const pattern = await s.gql<{ pattern: { series: unknown[] } }>(
      `{ pattern(id: 1) { id title series(bucket: HOUR, since: "2026-03-02T00:00:00Z", until: "2026-03-03T00:00:00Z") { bucketStart lessons occurrences } lessonsConnection(first: 50) { edges { node { ${LESSON_FIELDS} } } } } }`,
    );
    expect(pattern.errors).toBeUndefined();
    expect(pattern.data?.pattern.series).toHaveLength(24);
    const dashboard = await s.gql(
      '{ lessonsSnapshot { total byType { key count } } lessons(limit: 100) { id rootCause pattern { id title } } lessonAggregates(groupBy: [LESSON_TYPE]) { lessonType lessons } patterns(first: 50) { edges { node { id title lessons } } } }',
    );
    expect(dashboard.errors).toBeUndefined();
  });

  test('the cost follows the page limits in force: a settings change is not answered from a cached verdict', async () => {
    let settings = { ...(await import('../src/settings.ts')).JOURNAL_DEFAULTS };
    const s = await makeService({
      backend,
      settingsSource: { current: () => settings, close: () => {} },
    });
    const document = aliases(7, 'lessons { id }');
    expect((await s.gql(document)).errors).toBeUndefined();
    settings = { ...settings, queryLimitDefault: 1000 };
    expect((await s.gql(document)).errors?.[0]?.extensions?.cost).toBe(77000);
  });
});

describeEachBackend('response size', (backend) => {
  test('an answer over LESSONS_MAX_RESPONSE_BYTES is refused whole, never truncated', async () => {
    const s = await makeService({ backend, limitsEnv: { LESSONS_MAX_RESPONSE_BYTES: '65536' } });
    // 5 x 12 Ki characters of 2 bytes each: under the bound in characters (counted before
    // the rows are read), over it in JSON bytes (measured once the answer is built).
    const wide = 'é'.repeat(12 * 1024);
    await seed(s, 5, wide);
    const r = await s.gql('{ lessons { id rootCause } }');
    expect(r).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message:
            'the answer is larger than LESSONS_MAX_RESPONSE_BYTES (65536 bytes): ask for fewer items (limit, first, last) or fewer fields',
          extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: 65536 },
        },
      ],
    });
    // Under the bound, the answer is whole.
    const three = await s.gql<{ lessons: { id: number; rootCause: string }[] }>(
      '{ lessons(limit: 2) { id rootCause } }',
    );
    expect(three.errors).toBeUndefined();
    expect(three.data?.lessons).toEqual([5, 4].map((id) => ({ id, rootCause: wide })));
  });

  test('a list whose rows are over the bound is refused before they are read, in a query or a page', async () => {
    const { s, reads } = await countingReads(backend, { LESSONS_MAX_RESPONSE_BYTES: '65536' });
    await seed(s, 5); // 5 x 16 KiB of rootCause: 81,920 characters
    reads.sql = [];
    const tooLarge = {
      message:
        'the answer is larger than LESSONS_MAX_RESPONSE_BYTES (65536 bytes): ask for fewer items (limit, first, last) or fewer fields',
      extensions: { code: 'RESPONSE_TOO_LARGE', maxBytes: 65536 },
    };
    const list = await s.gql('{ lessons { id rootCause } }');
    expect(list).toEqual({
      status: 200,
      data: null,
      errors: [{ ...tooLarge, locations: [{ line: 1, column: 3 }], path: ['lessons'] }],
    });
    // Its size was counted by the database; no row of it was read.
    expect(reads.sql).toHaveLength(1);
    expect(reads.sql[0]).toContain('AS characters');
    const page = await s.gql('{ lessonsConnection(first: 5) { edges { node { rootCause } } } }');
    expect(page.errors).toEqual([
      { ...tooLarge, locations: [{ line: 1, column: 3 }], path: ['lessonsConnection'] },
    ]);
    expect(reads.sql.filter((sql) => sql.includes('root_cause FROM lessons'))).toEqual([]);
    expect(
      await s.metric('lessons_rejected_total', { operation: 'list', reason: 'too_large' }),
    ).toBe(1);
    expect(
      await s.metric('lessons_rejected_total', { operation: 'connection', reason: 'too_large' }),
    ).toBe(1);
    // Four of them fit: counted, then read.
    const four = await s.gql<{ lessons: { id: number }[] }>(
      '{ lessons(limit: 3) { id rootCause } }',
    );
    expect(four.errors).toBeUndefined();
    expect(four.data?.lessons.map((l) => l.id)).toEqual([5, 4, 3]);
    // Rows that can't be large are not counted first.
    reads.sql = [];
    expect((await s.gql('{ lessons { id occurrences createdAt } }')).errors).toBeUndefined();
    expect(reads.sql.filter((sql) => sql.includes('AS characters'))).toEqual([]);
  });

  test('a mutation is answered whatever its size: its effect is durable before its answer exists', async () => {
    const s = await makeService({ backend, limitsEnv: { LESSONS_MAX_RESPONSE_BYTES: '65536' } });
    const five = Array.from(
      { length: 5 },
      (_, i) => `r${i}: recordLesson(input: $input) { id rootCause }`,
    ).join(' ');
    const r = await s.gql<Record<string, { id: number; rootCause: string }>>(
      `mutation ($input: RecordLessonInput!) { ${five} }`,
      { input: { lessonType: 'gate_failure', source: 'manual', rootCause: LONG } },
    );
    expect(r.errors).toBeUndefined();
    expect(Object.values(r.data ?? {}).map((l) => l.id)).toEqual([1, 2, 3, 4, 5]);
  });

  test('a recordLesson sent while an oversized read is in flight is answered', async () => {
    const s = await makeService({ backend, limitsEnv: { LESSONS_MAX_RESPONSE_BYTES: '65536' } });
    await seed(s, 40);
    const read = s.gql(aliases(5, 'lessons(limit: 1000) { id rootCause }'));
    const write = s.gql<{ recordLesson: { id: number } | null }>(RECORD, {
      input: { lessonType: 'merge_hold', source: 'manual' },
    });
    const answered = await Promise.race([
      Promise.all([read, write]),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 5000)),
    ]);
    expect(answered).not.toBe('no answer');
    const [refused, written] = answered as [Awaited<typeof read>, Awaited<typeof write>];
    expect(refused.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
    expect(written.data?.recordLesson?.id).toBe(41);
  });
});

describe('the measures themselves', () => {
  test('jsonBytes is the UTF-8 length of JSON.stringify, and stops counting past its budget', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonBytes(value, Infinity)).toBe(Buffer.byteLength(JSON.stringify(value)));
      }),
    );
    expect(jsonBytes({ a: 'é"\n' }, Infinity)).toBe(
      Buffer.byteLength(JSON.stringify({ a: 'é"\n' })),
    );
    expect(jsonBytes(['x'.repeat(100), 'y'.repeat(100)], 50)).toBeGreaterThan(50);
  });

  test('the cost rule survives a fragment cycle (which another rule refuses) and counts a fragment once per spread', () => {
    const limits = { queryLimitDefault: 100, queryLimitMax: 1000 };
    const cyclic = parse('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(validate(schema, cyclic, [costRule(70000, limits)])).toEqual([]);
    // 2^20 spreads if each were walked again: counted once per fragment, it is instant.
    const fragments = Array.from(
      { length: 20 },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join(' ');
    const doubling = parse(
      `{ ...F0 } ${fragments} fragment F20 on Query { lessonSlugs { sources } }`,
    );
    const [error] = validate(schema, doubling, [costRule(70000, limits)]);
    expect(error?.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      cost: 11 * 2 ** 20,
      maxCost: 70000,
    });
  });
});
