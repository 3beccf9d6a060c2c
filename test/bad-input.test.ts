// The bad-input catalogue, on every backend: each odd or hostile input gets a clear answer,
// never a 500, and never a lost or corrupted lesson; then properties over arbitrary valid
// input (fast-check): a recorded lesson reads back exactly as documented, and no valid
// request errs.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { cleanText } from '../src/journal/input.ts';
import { describeEachBackend } from './backends.ts';
import { LESSON_FIELDS, type LessonJson, makeService, RECORD, type Service } from './helpers.ts';

type Recorded = { recordLesson: LessonJson | null };

async function raw(s: Service, init: RequestInit & { path?: string }) {
  const response = await s.app.fetch(`http://localhost${init.path ?? '/graphql'}`, init);
  const text = await response.text();
  let body: { data?: unknown; errors?: { message: string }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

async function storedLessons(s: Service) {
  const r = await s.gql<{ lessons: LessonJson[] }>(`{ lessons(limit: 1000) { ${LESSON_FIELDS} } }`);
  return r.data?.lessons ?? [];
}

describeEachBackend('the bad-input catalogue', (backend) => {
  test('each odd input gets a clear answer, never a 500, and the journal holds exactly what was acknowledged', async () => {
    const s = await makeService({
      backend,
      settings: { maxTextLength: 1000, maxDetailBytes: 2000 },
    });
    const acknowledged: LessonJson[] = [];
    const record = async (input: Record<string, unknown>) => {
      const r = await s.gql<Recorded>(RECORD, { input });
      expect(r.status).toBeLessThan(500);
      if (r.data?.recordLesson) acknowledged.push(r.data.recordLesson);
      return r;
    };

    // Huge strings: kept, cut to the cap with a marker.
    const huge = await record({
      lessonType: 'x',
      source: 'manual',
      rootCause: 'h'.repeat(200_000),
    });
    expect(huge.data?.recordLesson?.rootCause).toMatch(/^h+ …\[truncated 199\d{3} chars\]$/);
    expect(huge.data?.recordLesson?.rootCause).toHaveLength(1000);
    // Deeply nested and huge detail: a marker object.
    let deep: unknown = 0;
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(
      (await record({ lessonType: 'x', source: 'manual', detail: deep })).data?.recordLesson
        ?.detail,
    ).toMatchObject({
      _truncated: true,
      reason: 'too_deep',
    });
    expect(
      (await record({ lessonType: 'x', source: 'manual', detail: { blob: 'b'.repeat(10_000) } }))
        .data?.recordLesson?.detail,
    ).toMatchObject({ _truncated: true, reason: 'too_large', originalBytes: 10_011 });
    // NUL, lone surrogates, emoji, right-to-left, prototype keys.
    const odd = await record({
      lessonType: 'gate\u0000failure',
      source: 'manual',
      stage: '\ud800',
      rootCause: 'emoji 🧪🔥 and RTL עברית العربية',
      detail: JSON.parse('{"__proto__": {"x": 1}, "constructor": {"prototype": 2}}'),
    });
    expect(odd.data?.recordLesson).toMatchObject({
      lessonType: 'gate\uFFFDfailure',
      stage: '\uFFFD',
      rootCause: 'emoji 🧪🔥 and RTL עברית العربية',
    });
    expect(Object.keys(odd.data?.recordLesson?.detail as object).sort()).toEqual([
      '__proto__',
      'constructor',
    ]);
    // Unknown slugs: stored as given.
    expect(
      (await record({ lessonType: 'brand_new_type', status: 'snoozed', source: 'manual' })).data
        ?.recordLesson,
    ).toMatchObject({
      lessonType: 'brand_new_type',
      status: 'snoozed',
    });

    // Limits out of range: clamped, or refused when not an Int at all.
    for (const limit of [-5, 0, 2147483647]) {
      const r = await s.gql('query ($n: Int) { lessons(limit: $n) { id } }', { n: limit });
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
    }
    const tooBig = await s.gql('query ($n: Int) { lessons(limit: $n) { id } }', {
      n: 9_999_999_999,
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.errors?.[0]?.message).toMatch(
      /Int cannot represent non 32-bit signed integer value/,
    );
    // Invalid dates.
    for (const since of ['yesterday', '2026-13-01T00:00:00Z', '2026-02-30T10:00:00Z', 12345]) {
      const r = await s.gql('query ($f: LessonFilter) { lessons(filter: $f) { id } }', {
        f: { since },
      });
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.message).toMatch(/DateTime cannot represent/);
    }
    // Wrong variable types, missing required input.
    expect((await s.gql(RECORD, { input: { lessonType: 42 } })).status).toBe(400);
    expect((await s.gql(RECORD, { input: {} })).status).toBe(400);
    expect((await s.gql(RECORD, {})).status).toBe(400);

    // Transport: invalid JSON, wrong content types, a mutation over GET, an empty body.
    // A POST of `body` as `contentType`, straight to the app.
    const post = (contentType: string, body: string, headers: Record<string, string> = {}) =>
      raw(s, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    const badJson = await post('application/json', '{"query": ');
    expect(badJson.status).toBe(400);
    expect(badJson.body?.errors?.[0]?.message).toMatch(/POST body sent invalid JSON/);
    const textPlain = await post('text/plain', '{ lessons { id } }');
    expect(textPlain.status).toBe(403);
    const xml = await post('application/xml', '<query/>', { 'x-graphql-yoga-csrf': '1' });
    expect(xml.status).toBe(415);
    const empty = await post('application/json', '');
    expect(empty.status).toBe(400);
    const getMutation = await raw(s, {
      path: `/graphql?query=${encodeURIComponent('mutation { recordLesson(input: { lessonType: "x" }) { id } }')}`,
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(getMutation.status).toBe(405);

    // Nothing lost, nothing corrupted, nothing extra.
    const stored = await storedLessons(s);
    expect(stored.map((l) => l.id).sort((a, b) => a - b)).toEqual(
      acknowledged.map((l) => l.id).sort((a, b) => a - b),
    );
    for (const lesson of acknowledged)
      expect(stored.find((l) => l.id === lesson.id)).toEqual(lesson);
  });
});

/** Text as the journal keeps it (within the caps used here). */
const kept = (text: string | null | undefined) =>
  text === null || text === undefined ? null : cleanText(text);

/** A JSON value as the journal keeps it: strings and keys cleaned, as JSON would store it. */
function keptJson(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(keptJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, cleanText(k), {
        value: keptJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return JSON.parse(JSON.stringify(value ?? null));
}

const text = fc.string({ unit: 'binary', maxLength: 60 });
const optionalText = fc.option(text, { nil: null });
const nonBlank = text.filter((t) => t.trim() !== '');
const slugLike = fc.option(nonBlank, { nil: null });

describeEachBackend('properties over arbitrary valid input', (backend) => {
  test('a recorded lesson reads back exactly as documented', async () => {
    const s = await makeService({ backend });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          lessonType: nonBlank,
          workItemId: optionalText,
          taskId: optionalText,
          stage: optionalText,
          agent: optionalText,
          repo: slugLike,
          rootCause: optionalText,
          suggestion: optionalText,
          status: slugLike,
          relatedTask: optionalText,
          attribution: slugLike,
          targetRepo: optionalText,
          targetDomain: slugLike,
          detail: fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: null }),
        }),
        async (input) => {
          const r = await s.gql<Recorded>(RECORD, { input: { ...input, source: 'manual' } });
          expect(r.errors).toBeUndefined();
          const lesson = r.data?.recordLesson as LessonJson;
          expect(lesson).toMatchObject({
            lessonType: kept(input.lessonType),
            workItemId: kept(input.workItemId),
            taskId: kept(input.taskId),
            stage: kept(input.stage),
            agent: kept(input.agent),
            repo: kept(input.repo),
            rootCause: kept(input.rootCause),
            suggestion: kept(input.suggestion),
            status: input.status === null ? 'new' : kept(input.status),
            relatedTask: kept(input.relatedTask),
            attribution: kept(input.attribution),
            targetRepo: kept(input.targetRepo),
            targetDomain: kept(input.targetDomain),
            source: 'manual',
            occurrences: 1,
          });
          expect(lesson.detail).toEqual(input.detail === null ? null : keptJson(input.detail));
          const again = await s.gql<{ lesson: LessonJson }>(
            `query ($id: Int!) { lesson(id: $id) { ${LESSON_FIELDS} } }`,
            { id: lesson.id },
          );
          expect(again.data?.lesson).toEqual(lesson);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('any valid filter answers without error, and every lesson it returns matches it', async () => {
    const s = await makeService({ backend });
    const types = ['gate_failure', 'merge_hold', 'Ünïcode', '%_'];
    for (let i = 0; i < 30; i++) {
      await s.journal.record({
        lessonType: types[i % 4] as string,
        repo: i % 3 ? `repo-${i % 3}` : null,
        rootCause: `cause ${i} ${types[i % 4]}`,
        source: 'manual',
      });
      s.clock.advance(60);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            lessonType: fc.array(fc.oneof(fc.constantFrom(...types), text), { maxLength: 3 }),
            repo: fc.array(fc.constantFrom('repo-1', 'repo-2', 'none'), { maxLength: 2 }),
            text: fc.oneof(fc.constantFrom('CAUSE 1', 'ünï', '%', '_'), text),
            since: fc.date({
              min: new Date('2026-03-02T09:00:00Z'),
              max: new Date('2026-03-02T11:00:00Z'),
              noInvalidDate: true,
            }),
          },
          { requiredKeys: [] },
        ),
        fc.option(fc.integer({ min: -10, max: 5000 }), { nil: undefined }),
        async (filter, limit) => {
          const r = await s.gql<{ lessons: LessonJson[] }>(
            `query ($f: LessonFilter, $n: Int) { lessons(filter: $f, limit: $n) { ${LESSON_FIELDS} } }`,
            { f: { ...filter, since: filter.since?.toISOString() }, n: limit },
          );
          expect(r.errors).toBeUndefined();
          for (const l of r.data?.lessons ?? []) {
            if (filter.lessonType) expect(filter.lessonType).toContain(l.lessonType);
            if (filter.repo) expect(filter.repo).toContain(l.repo);
            if (filter.since)
              expect(Date.parse(l.createdAt)).toBeGreaterThanOrEqual(filter.since.getTime());
            if (filter.text) {
              const needle = filter.text.toLowerCase();
              expect(`${l.rootCause ?? ''}\n${l.suggestion ?? ''}`.toLowerCase()).toContain(needle);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
