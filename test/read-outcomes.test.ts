// An answer that is a safe default says so: every operation, not only recordLesson, tells
// `extensions.lessons.<response path>` when it answered with the journal off
// (`{"outcome":"off"}`) or on a fault (`{"outcome":"fault","reason":...}`), so that a
// caller can tell "nothing matched" from "the journal could not answer" (a timed-out
// aggregate's [] looked like "no patterns"). A read that answered says nothing.
import { expect, test } from 'vitest';
import { createLessonsClient } from '../src/client/index.ts';
import { describeEachBackend } from './backends.ts';
import { serveService } from './client/serve.ts';
import { behindTheService, makeService, type Service } from './helpers.ts';

async function post(s: Service, query: string) {
  const response = await s.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...(await response.json()) };
}

const READS = `{
  lessons { id }
  lesson(id: 1) { id }
  lessonsConnection(first: 5) { totalCount edges { node { id } } }
  lessonAggregates(groupBy: [STAGE]) { lessons }
  lessonsSnapshot { enabled }
}`;

const EMPTY = {
  lessons: [],
  lesson: null,
  lessonsConnection: { totalCount: 0, edges: [] },
  lessonAggregates: [],
};

const every = (outcome: Record<string, unknown>) => ({
  lessons: outcome,
  lesson: outcome,
  lessonsConnection: outcome,
  'lessonsConnection.totalCount': outcome,
  lessonAggregates: outcome,
  lessonsSnapshot: outcome,
});

describeEachBackend('reads say when their answer is a safe default', (backend) => {
  test('answered: no extensions', async () => {
    const s = await makeService({ backend });
    await s.gql('mutation { recordLesson(input: { lessonType: "gate_failure" }) { id } }');
    const r = await post(s, READS);
    expect(r.data.lessons).toEqual([{ id: 1 }]);
    expect(r.data.lessonsConnection.totalCount).toBe(1);
    expect(r).not.toHaveProperty('extensions');
  });

  test('off: every read says off, and nothing opened the database', async () => {
    const s = await makeService({ backend, emptyDatabase: true, settings: { enabled: false } });
    expect(await post(s, READS)).toEqual({
      status: 200,
      data: { ...EMPTY, lessonsSnapshot: { enabled: false } },
      extensions: { lessons: every({ outcome: 'off' }) },
    });
    expect(s.opens()).toBe(0);
  });

  test("a fault: every read says it with the fault's reason", async () => {
    const s = await makeService({ backend });
    await s.gql('mutation { recordLesson(input: { lessonType: "gate_failure" }) { id } }');
    await behindTheService(s, 'ALTER TABLE lessons RENAME TO lessons_gone');
    // The aggregate with a text filter reads the table (without one, the rollups answer).
    const r = await post(
      s,
      READS.replace('groupBy: [STAGE]', 'groupBy: [STAGE], filter: { text: "x" }'),
    );
    expect(r.data).toMatchObject(EMPTY);
    const { lessonsSnapshot: _, ...lessonReads } = every({
      outcome: 'fault',
      reason: 'table_missing',
    });
    expect(r.extensions.lessons).toMatchObject(lessonReads);
    await behindTheService(s, 'ALTER TABLE lessons_gone RENAME TO lessons');
    expect(await post(s, READS)).not.toHaveProperty('extensions');
  });

  test("a nested field says it under its path: each lesson's pattern", async () => {
    const s = await makeService({ backend });
    await s.gql('mutation { a: recordLesson(input: { lessonType: "x" }) { id } }');
    await s.gql('mutation { a: recordLesson(input: { lessonType: "y" }) { id } }');
    await behindTheService(s, 'ALTER TABLE patterns RENAME TO patterns_gone');
    const r = await post(s, '{ lessons { id pattern { id } } }');
    expect(r.data.lessons).toEqual([
      { id: 2, pattern: null },
      { id: 1, pattern: null },
    ]);
    const fault = { outcome: 'fault', reason: 'table_missing' };
    expect(r.extensions.lessons).toEqual({
      'lessons.0.pattern': fault,
      'lessons.1.pattern': fault,
    });
    await behindTheService(s, 'ALTER TABLE patterns_gone RENAME TO patterns');
  });
});

test('updateLesson says why it answered false: off, or an input with nothing to change', async () => {
  const s = await makeService();
  await s.gql('mutation { recordLesson(input: { lessonType: "x" }) { id } }');
  expect(await post(s, 'mutation { updateLesson(id: 1, input: {}) }')).toEqual({
    status: 200,
    data: { updateLesson: false },
    extensions: { lessons: { updateLesson: { outcome: 'rejected', reason: 'empty_input' } } },
  });
  expect(await post(s, 'mutation { updateLesson(id: 1, input: { status: "closed" }) }')).toEqual({
    status: 200,
    data: { updateLesson: true },
  });
  const off = await makeService({ emptyDatabase: true, settings: { enabled: false } });
  expect(await post(off, 'mutation { updateLesson(id: 1, input: { status: "closed" }) }')).toEqual({
    status: 200,
    data: { updateLesson: false },
    extensions: { lessons: { updateLesson: { outcome: 'off' } } },
  });
});

test('the typed client logs why a read answered its safe default: a fault as a warning, off at debug', async () => {
  const { service, url } = await serveService();
  const lines: { level: string; details: Record<string, unknown>; message: string }[] = [];
  const logger = {
    warn: (details: Record<string, unknown>, message: string) =>
      lines.push({ level: 'warn', details, message }),
    debug: (details: Record<string, unknown>, message: string) =>
      lines.push({ level: 'debug', details, message }),
  };
  const client = createLessonsClient({ url, logger });
  expect((await client.record({ lessonType: 'gate_failure' }))?.id).toBe(1);
  expect(await client.list()).toHaveLength(1);
  expect(lines).toEqual([]);
  await behindTheService(service, 'ALTER TABLE lessons RENAME TO lessons_gone');
  expect(await client.list()).toEqual([]);
  const page = await client.getPage();
  expect(page.nodes).toEqual([]);
  expect(lines).toEqual([
    {
      level: 'warn',
      details: { operation: 'list', outcome: 'fault', reason: 'table_missing', url },
      message:
        'lessons-journal client: list answered its safe default: the journal faulted (table_missing)',
    },
    {
      level: 'warn',
      details: {
        operation: 'getPage',
        outcome: 'fault',
        reason: 'table_missing',
        url,
        paths: ['lessonsConnection.totalCount'],
      },
      message:
        'lessons-journal client: getPage answered its safe default: the journal faulted (table_missing)',
    },
  ]);
  await behindTheService(service, 'ALTER TABLE lessons_gone RENAME TO lessons');

  const off = await serveService({ settings: { enabled: false } });
  const offLines: typeof lines = [];
  const offClient = createLessonsClient({
    url: off.url,
    logger: {
      warn: () => {},
      debug: (details, message) => offLines.push({ level: 'debug', details, message }),
    },
  });
  expect(await offClient.aggregates({ groupBy: ['STAGE'] })).toEqual([]);
  expect(offLines).toEqual([
    {
      level: 'debug',
      details: { operation: 'aggregates', outcome: 'off', url: off.url },
      message: 'lessons-journal client: aggregates answered its safe default: the journal is off',
    },
  ]);
});
