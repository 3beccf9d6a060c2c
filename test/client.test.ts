// The client (lessons-journal/client): never-raise against real local HTTP servers that
// misbehave in every way we know (each call returns its safe default within the timeout,
// never throws, and logs exactly one warning), and exact values from the real service.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { print } from 'graphql';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { LessonsDocument } from '../src/client/generated/graphql.ts';
import {
  type ClientLogger,
  createLessonsClient,
  type Lesson,
  type LessonsClient,
  LessonType,
  SLUGS,
  Status,
} from '../src/client/index.ts';
import { SLUGS as JOURNAL_SLUGS } from '../src/journal/slugs.ts';
import { closedPortUrl, serveService } from './client/serve.ts';
import { counts, group, OFF_SNAPSHOT } from './fixtures.ts';
import { expectedLesson } from './helpers.ts';

interface Warning {
  details: Record<string, unknown>;
  message: string;
}

function recorder(): ClientLogger & { warnings: Warning[] } {
  const warnings: Warning[] = [];
  return { warnings, warn: (details, message) => warnings.push({ details, message }) };
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local HTTP server that answers every request with `answer` (after reading its body). */
async function fakeServer(
  answer: (res: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      answer(res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, received };
}

const json = (status: number, body: unknown) => (res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** A fake service that refuses every request: `status` and one GraphQL error with `code`. */
const refusing = (status: number, message: string, code: string) =>
  fakeServer(json(status, { errors: [{ message, extensions: { code } }] }));

const EMPTY_PAGE = {
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  totalCount: 0,
};

/** Every method, a call of it, and its safe default. */
const CALLS: [string, (client: LessonsClient) => Promise<unknown>, unknown][] = [
  ['record', (c) => c.record({ lessonType: 'gate_failure', workItemId: 'ORCH-1' }), null],
  ['get', (c) => c.get(1), null],
  ['list', (c) => c.list({ status: Status.NEW, limit: 5 }), []],
  ['getPage', (c) => c.getPage({ first: 10 }), EMPTY_PAGE],
  ['update', (c) => c.update(1, { status: 'closed' }), false],
  ['snapshot', (c) => c.snapshot('orchestrator'), { enabled: false, reachable: false }],
  ['aggregates', (c) => c.aggregates({ groupBy: ['LESSON_TYPE', 'STAGE'] }), []],
];

const TIMEOUT_MS = 300;
/** A bound on a call that must give up at TIMEOUT_MS, with room for a loaded machine. */
const BOUND_MS = 1500;

/** Calls every method (each with its own client and logger) and checks the contract. */
async function expectSafeDefaults(url: string, reason: string, token?: string) {
  await Promise.all(
    CALLS.map(async ([operation, call, safe]) => {
      const logger = recorder();
      const client = createLessonsClient({ url, token, timeoutMs: TIMEOUT_MS, logger });
      const started = performance.now();
      const result = await call(client);
      const elapsed = performance.now() - started;
      expect(result, operation).toStrictEqual(safe);
      expect(elapsed, operation).toBeLessThan(BOUND_MS);
      expect(logger.warnings, operation).toHaveLength(1);
      expect(logger.warnings[0]?.details, operation).toMatchObject({ operation, reason, url });
      expect(logger.warnings[0]?.message, operation).toContain(`client: ${operation} `);
    }),
  );
}

describe('never-raise against a misbehaving service', () => {
  test('a closed port', async () => {
    await expectSafeDefaults(await closedPortUrl(), 'unreachable');
  });

  // [the test's name, how the server answers, the reason the warning gives]
  test.each<[string, (res: ServerResponse) => void, string]>([
    ['a server that never answers: the timeout', () => {}, 'timeout'],
    [
      'a server that sends headers, then never finishes the body: the timeout',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
      },
      'timeout',
    ],
    ['a server that resets the connection', (res) => res.socket?.resetAndDestroy(), 'unreachable'],
    [
      'a 500',
      (res) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal Server Error');
      },
      'http',
    ],
    [
      'a 503 with a GraphQL error body',
      json(503, { errors: [{ message: 'Unexpected error.' }] }),
      'http',
    ],
    [
      'an HTML page with status 200 (a proxy, a login page)',
      (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Welcome</h1></body></html>');
      },
      'not_graphql',
    ],
    ['invalid JSON', json(200, '{"data": {"recordLesson": '), 'not_graphql'],
    ['JSON of the wrong shape', json(200, { data: { somethingElse: 1 } }), 'not_graphql'],
    [
      'a GraphQL errors response',
      json(200, {
        errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        data: null,
      }),
      'graphql',
    ],
  ])('%s', async (_name, answer, reason) => {
    const { url } = await fakeServer(answer);
    await expectSafeDefaults(url, reason);
  });

  test('a 401 UNAUTHENTICATED: the warning says it is an auth problem', async () => {
    const { url } = await refusing(401, 'unknown bearer token', 'UNAUTHENTICATED');
    await expectSafeDefaults(url, 'auth', 'wrong-token');
    const logger = recorder();
    await createLessonsClient({ url, token: 'wrong-token', logger }).record({
      lessonType: 'merge_hold',
    });
    expect(logger.warnings).toEqual([
      {
        details: {
          operation: 'record',
          reason: 'auth',
          url,
          status: 401,
          codes: ['UNAUTHENTICATED'],
          error: `${url} refused the request: not authenticated (a missing or unknown token): HTTP 401 Unauthorized: unknown bearer token (UNAUTHENTICATED)`,
        },
        message:
          'lessons-journal client: record refused: an auth problem (check the token); returned the safe default',
      },
    ]);
  });

  test('a 403 FORBIDDEN: the warning says it is an auth problem', async () => {
    const { url } = await refusing(403, 'not allowed for role reader', 'FORBIDDEN');
    await expectSafeDefaults(url, 'auth', 'reader-token');
    const logger = recorder();
    await createLessonsClient({ url, token: 'reader-token', logger }).update(3, {
      status: 'closed',
    });
    expect(logger.warnings[0]?.details.error).toBe(
      `${url} refused the request: not authorized (the token may not do this): HTTP 403 Forbidden: not allowed for role reader (FORBIDDEN)`,
    );
    expect(logger.warnings[0]?.message).toContain('an auth problem (check the token)');
  });

  test('a URL that is not one: no request, the default, one warning', async () => {
    await expectSafeDefaults('127.0.0.1:4000/graphql', 'config');
  });

  test('input that cannot be sent: nothing is sent, the default, one warning', async () => {
    const { url, received } = await fakeServer(json(200, { data: {} }));
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(await client.record({ lessonType: 'gate_failure', detail: circular })).toBeNull();
    expect(await client.record({ lessonType: 'gate_failure', detail: { n: 1n } })).toBeNull();
    expect(await client.list({ since: new Date('not a date') })).toEqual([]);
    expect(logger.warnings.map((w) => w.details.reason)).toEqual([
      'invalid_input',
      'invalid_input',
      'invalid_input',
    ]);
    expect(logger.warnings[2]?.details.error).toBe('filter.since is an invalid Date');
    expect(received).toEqual([]);
  });

  test('a logger that throws does not make the client throw', async () => {
    const client = createLessonsClient({
      url: await closedPortUrl(),
      logger: {
        warn: () => {
          throw new Error('logger down');
        },
      },
    });
    expect(await client.update(1, { status: 'closed' })).toBe(false);
  });

  test('without a logger, the warning goes to console.warn', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const url = await closedPortUrl();
      expect(await createLessonsClient({ url }).get(7)).toBeNull();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toBe(
        'lessons-journal client: get failed; returned the safe default',
      );
    } finally {
      warn.mockRestore();
    }
  });

  test('the default timeout is about 2 s (a hot path); a bad timeoutMs means the default', async () => {
    const { url } = await fakeServer(() => {});
    const calls = [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY].map(
      async (timeoutMs) => {
        const logger = recorder();
        const started = performance.now();
        await createLessonsClient({ url, timeoutMs, logger }).get(1);
        return { elapsed: performance.now() - started, error: logger.warnings[0]?.details.error };
      },
    );
    for (const { elapsed, error } of await Promise.all(calls)) {
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(3500);
      expect(error).toBe(`no answer from ${url} within 2000 ms`);
    }
  });
});

describe('what the client sends', () => {
  test('a POST of the printed document and the variables, the bearer token when given', async () => {
    const { url, received } = await fakeServer(json(200, { data: { lessons: [] } }));
    const logger = recorder();
    await createLessonsClient({ url, token: 's3cret-token', logger }).list({
      lessonType: LessonType.GATE_FAILURE,
      status: [Status.NEW, Status.IN_PROGRESS],
      since: new Date('2026-03-01T00:00:00Z'),
      limit: 20,
    });
    await createLessonsClient({ url, logger }).list();
    expect(logger.warnings).toEqual([]);
    expect(received[0]?.headers).toMatchObject({
      authorization: 'Bearer s3cret-token',
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    });
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({
      query: print(LessonsDocument),
      variables: {
        filter: {
          lessonType: 'gate_failure',
          status: ['new', 'in_progress'],
          since: '2026-03-01T00:00:00.000Z',
        },
        limit: 20,
      },
    });
    expect(received[1]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(received[1]?.body ?? '')).toEqual({
      query: print(LessonsDocument),
      variables: { filter: {} },
    });
  });

  test('the slug constants are the journal’s own', () => {
    expect(SLUGS).toBe(JOURNAL_SLUGS);
  });
});

describe('against the real service', () => {
  const T0 = '2026-03-02T10:00:00.000Z';
  const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  const lesson = (fields: Partial<Lesson> & Pick<Lesson, 'id' | 'lessonType'>): Lesson =>
    expectedLesson(fields);

  test('every method, exact values, no warning', async () => {
    const { service, url } = await serveService();
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    const hold = {
      lessonType: LessonType.GATE_FAILURE,
      workItemId: 'ORCH-98',
      taskId: 'T-1',
      stage: 'quality_gate',
      agent: 'qa',
      repo: 'orchestrator',
      rootCause: 'flaky e2e test',
      detail: { attempt: 3 },
    };
    const first = lesson({ id: 1, ...hold });
    expect(await client.record(hold)).toEqual(first);
    service.clock.advance(60);
    // Deduped: null from the service is an answer, not a failure (no warning).
    expect(await client.record(hold)).toBeNull();
    service.clock.advance(60);
    const manual = lesson({
      id: 2,
      lessonType: LessonType.MERGE_HOLD,
      workItemId: 'ORCH-99',
      repo: 'api',
      suggestion: 'verify merges before deploy',
      source: 'manual',
      createdAt: at(120),
      lastSeenAt: at(120),
      updatedAt: at(120),
    });
    expect(
      await client.record({
        lessonType: LessonType.MERGE_HOLD,
        workItemId: 'ORCH-99',
        repo: 'api',
        suggestion: 'verify merges before deploy',
        source: 'manual',
      }),
    ).toEqual(manual);
    const bumped = { ...first, occurrences: 2, lastSeenAt: at(60) };

    expect(await client.get(1)).toEqual(bumped);
    expect(await client.get(404)).toBeNull();

    expect(await client.list()).toEqual([manual, bumped]);
    expect(await client.list({ lessonType: 'gate_failure' })).toEqual([bumped]);
    expect(await client.list({ status: ['new', 'in_progress'], repo: 'api', limit: 1 })).toEqual([
      manual,
    ]);
    expect(await client.list({ text: 'FLAKY', since: new Date(T0), until: at(1) })).toEqual([
      bumped,
    ]);

    const page1 = await client.getPage({ first: 1 });
    expect(page1).toEqual({
      nodes: [manual],
      pageInfo: {
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
      },
      totalCount: 2,
    });
    const page2 = await client.getPage({
      first: 1,
      after: page1.pageInfo.endCursor,
      totalCount: false,
    });
    expect(page2).toEqual({
      nodes: [bumped],
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
      },
      totalCount: null,
    });
    expect(await client.getPage({ filter: { repo: 'nowhere' } })).toEqual({
      ...EMPTY_PAGE,
      totalCount: 0,
    });

    service.clock.advance(60);
    const triage = {
      status: Status.IN_PROGRESS,
      attribution: 'platform',
      targetDomain: 'reliability',
      relatedTask: 'ORCH-120',
    };
    expect(await client.update(1, triage)).toBe(true);
    expect(await client.get(1)).toEqual({ ...bumped, ...triage, updatedAt: at(180) });
    expect(await client.update(404, { status: 'closed' })).toBe(false);

    expect(await client.snapshot()).toEqual({
      reachable: true,
      enabled: true,
      total: 2,
      open: 2,
      recorded24h: 2,
      lastRecordedAt: at(120),
      byType: counts(['gate_failure', 1], ['merge_hold', 1]),
      byStatus: counts(['in_progress', 1], ['new', 1]),
      byDomain: counts(['reliability', 1], [null, 1]),
      byAttribution: counts(['platform', 1], [null, 1]),
    });
    expect(await client.snapshot('api')).toMatchObject({ reachable: true, total: 1, open: 1 });

    expect(await client.aggregates({ groupBy: ['LESSON_TYPE', 'STAGE'] })).toEqual([
      group(
        { lessonType: 'gate_failure', stage: 'quality_gate' },
        { lessons: 1, occurrences: 2, workItems: 1 },
        { firstSeenAt: T0, lastSeenAt: at(60) },
      ),
      group(
        { lessonType: 'merge_hold', stage: null },
        { lessons: 1, occurrences: 1, workItems: 1 },
        { firstSeenAt: at(120), lastSeenAt: at(120) },
      ),
    ]);
    expect(
      await client.aggregates({
        groupBy: ['REPO'],
        bucket: 'DAY',
        filter: { since: new Date(T0), source: 'auto' },
        limit: 10,
      }),
    ).toEqual([
      group(
        { repo: 'orchestrator', bucketStart: '2026-03-02T00:00:00.000Z' },
        { lessons: 1, occurrences: 2, workItems: 1 },
        { firstSeenAt: T0, lastSeenAt: at(60) },
      ),
    ]);
    expect(logger.warnings).toEqual([]);
  });

  test('with tokens: each role gets its calls; a refusal is the default and an auth warning', async () => {
    const { url } = await serveService({
      tokens: 'writer:writer-token-1,reader:reader-token-1,admin:admin-token-1',
    });
    const as = (token?: string) => {
      const logger = recorder();
      return { logger, client: createLessonsClient({ url, token, logger }) };
    };
    const anonymous = as();
    expect(await anonymous.client.record({ lessonType: 'gate_failure' })).toBeNull();
    expect(anonymous.logger.warnings).toHaveLength(1);
    expect(anonymous.logger.warnings[0]?.details).toMatchObject({
      operation: 'record',
      reason: 'auth',
      status: 401,
      codes: ['UNAUTHENTICATED'],
    });
    expect(anonymous.logger.warnings[0]?.message).toBe(
      'lessons-journal client: record refused: an auth problem (check the token); returned the safe default',
    );

    const writer = as('writer-token-1');
    expect(await writer.client.record({ lessonType: 'gate_failure' })).toMatchObject({ id: 1 });
    expect(await writer.client.snapshot()).toMatchObject({ reachable: true, total: 1 });
    expect(await writer.client.list()).toEqual([]);
    expect(writer.logger.warnings.map((w) => w.details)).toMatchObject([
      { operation: 'list', reason: 'auth', status: 403, codes: ['FORBIDDEN'] },
    ]);

    const reader = as('reader-token-1');
    expect(await reader.client.list()).toMatchObject([{ id: 1 }]);
    expect(await reader.client.update(1, { status: 'closed' })).toBe(false);
    expect(reader.logger.warnings.map((w) => w.details)).toMatchObject([
      { operation: 'update', reason: 'auth', status: 403, codes: ['FORBIDDEN'] },
    ]);

    const admin = as('admin-token-1');
    expect(await admin.client.update(1, { status: 'closed' })).toBe(true);
    expect(admin.logger.warnings).toEqual([]);
  });

  test('the journal off: the service answers its no-ops, which are not failures', async () => {
    const { url } = await serveService({ settings: { enabled: false } });
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    expect(await client.record({ lessonType: 'gate_failure' })).toBeNull();
    expect(await client.list()).toEqual([]);
    expect(await client.getPage()).toEqual(EMPTY_PAGE);
    expect(await client.update(1, { status: 'closed' })).toBe(false);
    expect(await client.aggregates({ groupBy: [] })).toEqual([]);
    expect(await client.snapshot()).toEqual({ reachable: true, ...OFF_SNAPSHOT });
    expect(logger.warnings).toEqual([]);
  });
});
