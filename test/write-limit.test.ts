// The write rate limit (LESSONS_WRITE_RATE_PER_S, LESSONS_WRITE_BURST; off by default): per
// token, a write over it is answered with its safe default (null, false), counted as
// lessons_rejected_total{reason="rate_limited"} and told in extensions.lessons, never an
// error; each token has a bucket of its own; the kill-switch comes first.
import { afterEach, expect, test, vi } from 'vitest';
import { createWriteLimit } from '../src/journal/write-limit.ts';
import { JOURNAL_DEFAULTS } from '../src/settings.ts';
import { describeEachBackend } from './backends.ts';
import { makeService, type Service } from './helpers.ts';

const WRITER_A = 'writer-token-a';
const WRITER_B = 'writer-token-b';
const TOKENS = `writer:${WRITER_A},writer:${WRITER_B},admin:admin-token-1`;

async function post(s: Service, query: string, token: string) {
  const response = await s.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...(await response.json()) };
}

/** One request recording `n` distinct lessons under aliases r0..r(n-1). */
const records = (n: number, tag: string) =>
  `mutation { ${Array.from(
    { length: n },
    (_, i) =>
      `r${i}: recordLesson(input: { lessonType: "gate_failure", workItemId: "${tag}-${i}" }) { id }`,
  ).join(' ')} }`;

const limited = { outcome: 'rejected', reason: 'rate_limited' };

describeEachBackend('the write rate limit', (backend) => {
  test('over the burst: null, counted and told, per token; reads are not limited', async () => {
    // The buckets' clock stands still: nothing refills however slowly the machine runs.
    vi.useFakeTimers({ toFake: ['performance'] });
    const s = await makeService({
      backend,
      tokens: TOKENS,
      settings: { writeRatePerS: 1, writeBurst: 2 },
    });
    const a = await post(s, records(4, 'A'), WRITER_A);
    expect(a.status).toBe(200);
    expect(a.errors).toBeUndefined();
    expect(a.data).toEqual({ r0: { id: 1 }, r1: { id: 2 }, r2: null, r3: null });
    expect(a.extensions.lessons).toEqual({
      r0: { outcome: 'recorded', id: 1 },
      r1: { outcome: 'recorded', id: 2 },
      r2: limited,
      r3: limited,
    });
    // Another token has a bucket of its own.
    const b = await post(s, records(3, 'B'), WRITER_B);
    expect(b.data).toEqual({ r0: { id: 3 }, r1: { id: 4 }, r2: null });
    expect(
      await s.metric('lessons_rejected_total', { operation: 'record', reason: 'rate_limited' }),
    ).toBe(3);
    // Nothing refused was written; reads go on.
    const read = await post(s, '{ lessonsConnection { totalCount } }', 'admin-token-1');
    expect(read.data.lessonsConnection.totalCount).toBe(4);
    // Updates are writes too: the admin's bucket.
    const updates = await post(
      s,
      `mutation { u0: updateLesson(id: 1, input: { status: "closed" })
        u1: updateLesson(id: 2, input: { status: "closed" })
        u2: updateLesson(id: 3, input: { status: "closed" }) }`,
      'admin-token-1',
    );
    expect(updates.data).toEqual({ u0: true, u1: true, u2: false });
    expect(updates.extensions.lessons).toEqual({ u2: limited });
  });

  test('off by default: more writes than the default burst are all recorded', async () => {
    const s = await makeService({ backend, tokens: TOKENS });
    let recorded = 0;
    for (let k = 0; k < 9; k += 1) {
      const r = await post(s, records(12, `D${k}`), WRITER_A);
      recorded += Object.values(r.data).filter((v) => v !== null).length;
    }
    expect(recorded).toBe(108);
    expect(
      await s.metric('lessons_rejected_total', { operation: 'record', reason: 'rate_limited' }),
    ).toBe(0);
  });

  test('the kill-switch first: off answers off, and nothing is counted', async () => {
    const s = await makeService({
      backend,
      tokens: TOKENS,
      emptyDatabase: true,
      settings: { enabled: false, writeRatePerS: 1, writeBurst: 1 },
    });
    const r = await post(s, records(2, 'E'), WRITER_A);
    expect(r.extensions.lessons).toEqual({ r0: { outcome: 'off' }, r1: { outcome: 'off' } });
    expect(
      await s.metric('lessons_rejected_total', { operation: 'record', reason: 'rate_limited' }),
    ).toBe(0);
    expect(s.opens()).toBe(0);
  });
});

afterEach(() => {
  vi.useRealTimers();
});

test('a bucket refills at the rate, up to the burst; a new setting starts afresh', () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const admit = createWriteLimit();
  const settings = { ...JOURNAL_DEFAULTS, writeRatePerS: 2, writeBurst: 3 };
  const take = (n: number, actor = 'a') =>
    Array.from({ length: n }, () => admit(actor, settings)).filter(Boolean).length;
  expect(take(5)).toBe(3);
  vi.advanceTimersByTime(499);
  expect(take(1)).toBe(0);
  vi.advanceTimersByTime(1);
  expect(take(2)).toBe(1); // 0.5 s at 2 a second: one more
  vi.advanceTimersByTime(10_000);
  expect(take(5)).toBe(3); // never more than the burst
  expect(take(5, 'b')).toBe(3);
  expect(take(1)).toBe(0);
  expect(take(2, 'a')).toBe(0);
  // A new setting: every bucket full again, of the new size.
  const bigger = { ...settings, writeBurst: 4 };
  expect(Array.from({ length: 6 }, () => admit('a', bigger)).filter(Boolean)).toHaveLength(4);
  // Off: everything admitted.
  const off = { ...settings, writeRatePerS: 0 };
  expect(Array.from({ length: 1000 }, () => admit('a', off)).every(Boolean)).toBe(true);
});
