// Why recordLesson answered what it did: `extensions.lessons.<response key>` carries the
// journal's own decision (recorded or deduped with the lesson's id, rejected or a fault
// with the reason, off), while `data` stays the contract's (null unless recorded). Only
// requests that record carry it. The typed client logs the outcome of a null answer (debug
// for deduped and off, a warning for rejected and a fault) and still returns null.
import { expect, test } from 'vitest';
import { type ClientLogger, createLessonsClient } from '../src/client/index.ts';
import { describeEachBackend } from './backends.ts';
import { serveService } from './client/serve.ts';
import { behindTheService, makeService, type Service } from './helpers.ts';

const RECORD = `mutation ($input: RecordLessonInput!) { recordLesson(input: $input) { id } }`;

type Answer = {
  status: number;
  data?: { recordLesson: { id: number } | null };
  extensions?: Record<string, unknown>;
};

/** The whole answer, extensions included (the helpers' gql keeps status, data and errors). */
async function post(s: Service, query: string, variables?: Record<string, unknown>) {
  const response = await s.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...(await response.json()) };
}

const record = (s: Service, input: Record<string, unknown>) =>
  post(s, RECORD, { input }) as Promise<Answer>;

const answer = (recordLesson: { id: number } | null, outcome: Record<string, unknown>) => ({
  status: 200,
  data: { recordLesson },
  extensions: { lessons: { recordLesson: outcome } },
});

describeEachBackend('recordLesson says why in extensions.lessons', (backend) => {
  test('recorded with its id, deduped with the id of the lesson whose occurrences went up, rejected with the reason', async () => {
    const s = await makeService({ backend });
    const first = { lessonType: 'gate_failure', workItemId: 'W-1', stage: 'quality_gate' };
    const second = { ...first, workItemId: 'W-2' };
    expect(await record(s, first)).toEqual(answer({ id: 1 }, { outcome: 'recorded', id: 1 }));
    expect(await record(s, second)).toEqual(answer({ id: 2 }, { outcome: 'recorded', id: 2 }));
    s.clock.advance(10);
    expect(await record(s, second)).toEqual(answer(null, { outcome: 'deduped', id: 2 }));
    const lessons = await post(s, '{ lessons { id occurrences } }');
    expect(lessons).toEqual({
      status: 200,
      data: {
        lessons: [
          { id: 2, occurrences: 2 },
          { id: 1, occurrences: 1 },
        ],
      },
    });
    expect(await record(s, { lessonType: '   ' })).toEqual(
      answer(null, { outcome: 'rejected', reason: 'blank_lesson_type' }),
    );
    // A read says nothing of it.
    expect(lessons).not.toHaveProperty('extensions');
  });

  test('deduped on a key with null parts names the lesson bumped', async () => {
    const s = await makeService({ backend });
    await record(s, { lessonType: 'merge_hold' });
    await record(s, { lessonType: 'merge_hold', stage: 'merge' });
    expect(await record(s, { lessonType: 'merge_hold' })).toEqual(
      answer(null, { outcome: 'deduped', id: 1 }),
    );
  });

  test('a fault with its reason (the table gone), and the journal off', async () => {
    const s = await makeService({ backend });
    await record(s, { lessonType: 'gate_failure' });
    await behindTheService(s, 'ALTER TABLE lessons RENAME TO lessons_gone');
    expect(await record(s, { lessonType: 'gate_failure', workItemId: 'W-9' })).toEqual(
      answer(null, { outcome: 'fault', reason: 'table_missing' }),
    );
    await behindTheService(s, 'ALTER TABLE lessons_gone RENAME TO lessons');

    const off = await makeService({ backend, emptyDatabase: true, settings: { enabled: false } });
    expect(await record(off, { lessonType: 'gate_failure' })).toEqual(
      answer(null, { outcome: 'off' }),
    );
    expect(off.opens()).toBe(0);
  });

  test('several records in one request: each under its response key', async () => {
    const s = await makeService({ backend });
    const r = await post(
      s,
      `mutation { a: recordLesson(input: { lessonType: "x" }) { id }
        b: recordLesson(input: { lessonType: "x" }) { id }
        c: recordLesson(input: { lessonType: "" }) { id } }`,
    );
    expect(r).toEqual({
      status: 200,
      data: { a: { id: 1 }, b: null, c: null },
      extensions: {
        lessons: {
          a: { outcome: 'recorded', id: 1 },
          b: { outcome: 'deduped', id: 1 },
          c: { outcome: 'rejected', reason: 'blank_lesson_type' },
        },
      },
    });
  });
});

type Line = { level: 'debug' | 'warn'; details: Record<string, unknown>; message: string };

function recorder(): Required<ClientLogger> & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
    debug: (details, message) => lines.push({ level: 'debug', details, message }),
  };
}

test('the typed client logs why a record answered null (debug: deduped, off; warning: rejected, a fault), and returns null', async () => {
  const { service, url } = await serveService();
  const logger = recorder();
  const client = createLessonsClient({ url, logger });
  const lesson = { lessonType: 'gate_failure', workItemId: 'W-1', stage: 'quality_gate' };
  expect((await client.record(lesson))?.id).toBe(1);
  expect(logger.lines).toEqual([]);
  expect(await client.record(lesson)).toBeNull();
  expect(await client.record({ lessonType: ' ' })).toBeNull();
  await behindTheService(service, 'ALTER TABLE lessons RENAME TO lessons_gone');
  expect(await client.record({ ...lesson, workItemId: 'W-2' })).toBeNull();
  expect(logger.lines).toEqual([
    {
      level: 'debug',
      details: { operation: 'record', outcome: 'deduped', lessonId: 1, url },
      message: 'lessons-journal client: record answered null: deduplicated into lesson 1',
    },
    {
      level: 'warn',
      details: { operation: 'record', outcome: 'rejected', reason: 'blank_lesson_type', url },
      message:
        'lessons-journal client: record answered null: the service refused the lesson (blank_lesson_type)',
    },
    {
      level: 'warn',
      details: { operation: 'record', outcome: 'fault', reason: 'table_missing', url },
      message:
        'lessons-journal client: record answered null: the journal faulted (table_missing); the lesson was not recorded',
    },
  ]);

  const off = await serveService({ settings: { enabled: false } });
  const offLogger = recorder();
  const offClient = createLessonsClient({ url: off.url, logger: offLogger });
  expect(await offClient.record(lesson)).toBeNull();
  expect(offLogger.lines).toEqual([
    {
      level: 'debug',
      details: { operation: 'record', outcome: 'off', url: off.url },
      message: 'lessons-journal client: record answered null: the journal is off',
    },
  ]);
});
