// The client (lessons-journal/client): never-raise against real local HTTP servers that
// misbehave in every way we know (each call returns its safe default within the timeout,
// never throws, and logs exactly one warning), and exact values from the real service,
// patterns included (one root cause quoting other numbers and ids is one pattern).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { print } from 'graphql';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  LessonsDocument,
  PatternDocument,
  PatternsDocument,
} from '../src/client/generated/graphql.ts';
import {
  type ClientLogger,
  createLessonsClient,
  type Lesson,
  type LessonsClient,
  LessonType,
  type Pattern,
  type PatternsPage,
  SLUGS,
  Status,
} from '../src/client/index.ts';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
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

const NO_PAGES = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
const EMPTY_PAGE = { nodes: [], pageInfo: NO_PAGES, totalCount: 0 };
const NO_PATTERNS: PatternsPage = { nodes: [], pageInfo: NO_PAGES };

/** Every method, a call of it, and its safe default. */
const CALLS: [string, (client: LessonsClient) => Promise<unknown>, unknown][] = [
  ['record', (c) => c.record({ lessonType: 'gate_failure', workItemId: 'ORCH-1' }), null],
  ['get', (c) => c.get(1), null],
  ['list', (c) => c.list({ status: Status.NEW, limit: 5 }), []],
  ['getPage', (c) => c.getPage({ first: 10 }), EMPTY_PAGE],
  ['update', (c) => c.update(1, { status: 'closed' }), false],
  ['snapshot', (c) => c.snapshot('orchestrator'), { enabled: false, reachable: false }],
  ['aggregates', (c) => c.aggregates({ groupBy: ['LESSON_TYPE', 'STAGE'] }), []],
  [
    'patterns',
    (c) => c.patterns({ status: 'open' }, { orderBy: 'WORK_ITEMS', first: 5 }),
    NO_PATTERNS,
  ],
  ['pattern', (c) => c.pattern(1, { lessons: 3 }), null],
  ['updatePattern', (c) => c.updatePattern(1, { status: 'closed', fixRef: 'PR #1' }), false],
  ['mergePatterns', (c) => c.mergePatterns(1, [2], 'same problem'), false],
  [
    'updateLessons',
    (c) => c.updateLessons({ filter: { repo: 'api' } }, { status: 'closed' }, { dryRun: true }),
    { matched: 0, updated: 0 },
  ],
  ['history', (c) => c.history({ pattern: 1 }), []],
  ['riceInputs', (c) => c.riceInputs({ groupBy: ['ATTRIBUTION', 'TARGET_REPO'] }), []],
  ['escapes', (c) => c.escapes({ windowDays: 7 }), []],
  ['efficacy', (c) => c.efficacy(1), null],
  ['advisories', (c) => c.advisories({ stage: 'e2e', repo: 'api' }), []],
  ['adviceFeedback', (c) => c.adviceFeedback('1', 'helped'), false],
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
    expect(await client.patterns({ until: new Date(Number.NaN) })).toEqual(NO_PATTERNS);
    expect(logger.warnings.map((w) => w.details.reason)).toEqual([
      'invalid_input',
      'invalid_input',
      'invalid_input',
      'invalid_input',
    ]);
    expect(logger.warnings[2]?.details.error).toBe('filter.since is an invalid Date');
    expect(logger.warnings[3]?.details.error).toBe('filter.until is an invalid Date');
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

  test('patterns and pattern: the order and lessons left out unless given (the service decides)', async () => {
    const { url, received } = await fakeServer(
      json(200, { data: { patterns: { edges: [], pageInfo: NO_PAGES }, pattern: null } }),
    );
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    expect(
      await client.patterns(
        { status: 'open', since: new Date('2026-03-01T00:00:00Z') },
        { first: 5 },
      ),
    ).toEqual(NO_PATTERNS);
    expect(await client.patterns(undefined, { orderBy: null, after: 'abc' })).toEqual(NO_PATTERNS);
    expect(await client.pattern(7)).toBeNull();
    expect(await client.pattern(7, { lessons: 3 })).toBeNull();
    expect(logger.warnings).toEqual([]);
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      {
        query: print(PatternsDocument),
        variables: { filter: { status: 'open', since: '2026-03-01T00:00:00.000Z' }, first: 5 },
      },
      { query: print(PatternsDocument), variables: { after: 'abc' } },
      { query: print(PatternDocument), variables: { id: 7, withLessons: false } },
      { query: print(PatternDocument), variables: { id: 7, lessons: 3, withLessons: true } },
    ]);
  });

  test('the slug constants are the journal’s own', () => {
    expect(SLUGS).toBe(JOURNAL_SLUGS);
  });
});

describe('against the real service', () => {
  const T0 = '2026-03-02T10:00:00.000Z';
  const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  /** A lesson as recorded: the registry's defaults, these fields, the default fingerprint. */
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
      recordedAt: at(120),
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
    expect(await client.get(1)).toEqual({ ...bumped, ...triage, updatedAt: at(180), version: 2 });
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
    expect(await writer.client.patterns()).toEqual(NO_PATTERNS); // the safe default
    expect(await writer.client.snapshot()).toMatchObject({ reachable: true, total: 1 });
    expect(await writer.client.list()).toEqual([]);
    expect(writer.logger.warnings.map((w) => w.details)).toMatchObject([
      { operation: 'patterns', reason: 'auth', status: 403, codes: ['FORBIDDEN'] },
      { operation: 'list', reason: 'auth', status: 403, codes: ['FORBIDDEN'] },
    ]);

    const reader = as('reader-token-1');
    expect(await reader.client.list()).toMatchObject([{ id: 1 }]);
    expect(await reader.client.patterns()).toMatchObject({ nodes: [{ id: 1, lessons: 1 }] });
    expect(await reader.client.pattern(1)).toMatchObject({ id: 1, latestLessons: [] });
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
    // (Its empty page's cursors: see 'an empty page of patterns' below.)
    expect(await client.patterns({ status: 'open' }, { orderBy: 'OCCURRENCES' })).toMatchObject({
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false },
    });
    expect(await client.pattern(1, { lessons: 5 })).toBeNull();
    expect(logger.warnings).toEqual([]);
  });
});

describe('triage against the real service', () => {
  test('updatePattern, updateLessons, mergePatterns and history: exact values; a refusal is the default and a warning', async () => {
    const { service, url } = await serveService();
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    const T0 = service.clock.now().toISOString();
    const gate = { lessonType: LessonType.GATE_FAILURE, stage: 'e2e', repo: 'api' };
    const a = await client.record({ ...gate, workItemId: 'W-1', rootCause: 'flaky login' });
    const b = await client.record({ ...gate, workItemId: 'W-2', rootCause: 'login flakes' });
    const [pa, pb] = [
      (await client.patterns()).nodes[1]?.id,
      (await client.patterns()).nodes[0]?.id,
    ];
    expect([a?.id, b?.id, pa, pb]).toEqual([1, 2, 1, 2]);

    expect(
      await client.updatePattern(1, { status: 'closed', fixRef: 'PR #7', reason: 'fixed' }),
    ).toBe(true);
    expect(await client.history({ pattern: 1 })).toEqual([
      {
        at: T0,
        kind: 'closed',
        actor: 'anonymous',
        reason: 'fixed',
        version: 2,
        changes: [
          { field: 'status', from: 'open', to: 'closed' },
          { field: 'fixedAt', from: null, to: T0 },
          { field: 'fixRef', from: null, to: 'PR #7' },
        ],
      },
    ]);
    expect((await client.history({ lesson: 1 })).map((e) => e.kind)).toEqual([
      'recorded',
      'closed',
    ]);
    expect(
      await client.updateLessons(
        { filter: { repo: 'api', status: 'new' } },
        { status: 'linked' },
        { dryRun: true },
      ),
    ).toEqual({ matched: 1, updated: 1 });
    expect(
      await client.updateLessons({ ids: [1, 2] }, { attribution: 'platform' }, { reason: 'sweep' }),
    ).toEqual({
      matched: 2,
      updated: 2,
    });
    expect(await client.mergePatterns(1, [2], 'one problem')).toBe(true);
    expect(logger.warnings).toEqual([]);

    // A future fix is refused by the service: the default, and one warning that says why.
    const future = new Date(Date.parse(T0) + 3_600_000);
    expect(await client.updatePattern(1, { status: 'closed', fixedAt: future.toISOString() })).toBe(
      false,
    );
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.details).toMatchObject({
      operation: 'updatePattern',
      reason: 'graphql',
    });
    expect(await client.history({ lesson: 99 })).toEqual([]);
  });
});

describe('analytics and advisories against the real service', () => {
  test('riceInputs, escapes, efficacy, advisories and adviceFeedback: exact values, no warning', async () => {
    const { service, url } = await serveService();
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    const now = service.clock.now().getTime();
    const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const gate = {
      lessonType: LessonType.GATE_FAILURE,
      stage: 'e2e',
      repo: 'api',
      source: 'manual',
    };
    await client.record({
      ...gate,
      workItemId: 'W-1',
      rootCause: 'flaky',
      attribution: 'platform',
      targetRepo: 'ci',
      occurredAt: hoursAgo(30),
    });
    await client.record({
      ...gate,
      workItemId: 'W-2',
      rootCause: 'flaky',
      targetRepo: 'ci',
      suggestion: 'retry once',
      occurredAt: hoursAgo(5),
    });
    await client.record({
      lessonType: LessonType.DEPLOY_DEGRADED,
      stage: 'canary',
      repo: 'api',
      workItemId: 'W-3',
      occurredAt: hoursAgo(2),
    });

    const rice = await client.riceInputs({ groupBy: ['TARGET_REPO'], windowDays: 7 });
    expect(
      rice.map(
        ({ targetRepo, reach, lessons, unknownAttributionShare, confidence, trendRatio }) => ({
          targetRepo,
          reach,
          lessons,
          unknownAttributionShare,
          confidence,
          trendRatio,
        }),
      ),
    ).toEqual([
      {
        targetRepo: 'ci',
        reach: 2,
        lessons: 2,
        unknownAttributionShare: 0.5,
        confidence: 0.5,
        trendRatio: null,
      },
      {
        targetRepo: null,
        reach: 1,
        lessons: 1,
        unknownAttributionShare: 1,
        confidence: 0.5,
        trendRatio: null,
      },
    ]);
    expect(await client.escapes()).toEqual([
      { repo: 'api', degradedWorkItems: 1, escapedWorkItems: 1, escapeRate: 1 },
    ]);
    const flaky = (await client.patterns({ stage: 'e2e' })).nodes[0]?.id as number;
    expect(await client.efficacy(flaky)).toMatchObject({ id: flaky, efficacy: null });

    const advised = await client.advisories({ stage: 'e2e', repo: 'api', workItemId: 'W-9' });
    expect(advised.map((a) => [a.pattern.id, a.suggestion, a.pattern.workItems])).toEqual([
      [flaky, 'retry once', 2],
    ]);
    expect(await client.adviceFeedback(advised[0]?.id as string, 'helped')).toBe(true);
    expect(await client.adviceFeedback('424242', 'helped')).toBe(false);
    expect(await client.advisories({ stage: 'deploy' })).toEqual([]);
    expect(logger.warnings).toEqual([]);
  });
});

describe('patterns against the real service', () => {
  const T0 = '2026-03-02T10:00:00.000Z';
  const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  const TIMEOUT = { lessonType: LessonType.GATE_FAILURE, stage: 'quality_gate' };
  const FIRST_CAUSE = 'timeout after 30000ms in run 7f3a9c21';

  test('one root cause with other numbers and ids, across work items and repos, is one pattern', async () => {
    const { service, url } = await serveService();
    const logger = recorder();
    const client = createLessonsClient({ url, logger });
    const tick = (seconds: number) => service.clock.advance(seconds);
    // Pattern 1: a timeout in three work items and two repos, quoting other durations and
    // run ids each time, in other cases.
    const first = await client.record({
      ...TIMEOUT,
      workItemId: 'W-1',
      repo: 'api',
      rootCause: FIRST_CAUSE,
    });
    tick(60);
    // Pattern 2: a merge hold, met once and seen three times more (deduplicated).
    const hold = {
      lessonType: LessonType.MERGE_HOLD,
      workItemId: 'W-4',
      stage: 'merge',
      repo: 'api',
      rootCause: 'merge queue stuck behind #4411',
    };
    expect(await client.record(hold)).toMatchObject({ id: 2 });
    tick(60);
    const second = await client.record({
      ...TIMEOUT,
      workItemId: 'W-2',
      repo: 'web',
      rootCause: 'Timeout after 31250ms in run 0b1d2e3f',
      suggestion: 'raise the e2e timeout',
    });
    for (const seconds of [60, 60, 30]) {
      tick(seconds);
      expect(await client.record(hold)).toBeNull();
    }
    tick(30);
    const third = await client.record({
      ...TIMEOUT,
      workItemId: 'W-3',
      repo: 'api',
      rootCause: 'TIMEOUT after 29000ms in run 5c6d7e8f',
    });
    tick(60);
    // Pattern 3: a slow deploy, once.
    expect(
      await client.record({
        lessonType: LessonType.DEPLOY_DEGRADED,
        workItemId: 'W-5',
        stage: 'deploy',
        repo: 'web',
        rootCause: 'p99 latency 2300 ms over budget',
      }),
    ).toMatchObject({ id: 5 });

    const fingerprint = defaultFingerprint({ ...TIMEOUT, rootCause: FIRST_CAUSE });
    expect([first, second, third].map((l) => [l?.id, l?.fingerprint])).toEqual([
      [1, fingerprint],
      [3, fingerprint],
      [4, fingerprint],
    ]);
    // Never closed, never regressed, never changed.
    const UNTRIAGED = {
      fixedAt: null,
      fixRef: null,
      regressedAt: null,
      regressionCount: 0,
      lateOccurrences: 0,
      version: 1,
    };
    const timeouts: Pattern = {
      id: 1,
      fingerprint,
      ...TIMEOUT,
      title: FIRST_CAUSE,
      status: 'open',
      lessons: 3,
      occurrences: 3,
      workItems: 3,
      repos: 2,
      firstSeenAt: T0,
      lastSeenAt: at(300),
      suggestion: 'raise the e2e timeout',
      ...UNTRIAGED,
    };
    const holds: Pattern = {
      id: 2,
      fingerprint: defaultFingerprint(hold),
      lessonType: 'merge_hold',
      stage: 'merge',
      title: 'merge queue stuck behind #4411',
      status: 'open',
      lessons: 1,
      occurrences: 4,
      workItems: 1,
      repos: 1,
      firstSeenAt: at(60),
      lastSeenAt: at(270),
      suggestion: null,
      ...UNTRIAGED,
    };
    const deploys: Pattern = {
      ...holds,
      id: 3,
      fingerprint: defaultFingerprint({
        lessonType: 'deploy_degraded',
        stage: 'deploy',
        rootCause: 'p99 latency 2300 ms over budget',
      }),
      lessonType: 'deploy_degraded',
      stage: 'deploy',
      title: 'p99 latency 2300 ms over budget',
      occurrences: 1,
      firstSeenAt: at(360),
      lastSeenAt: at(360),
    };
    const page = (
      nodes: Pattern[],
      more: { hasNextPage?: boolean; hasPreviousPage?: boolean } = {},
    ) => ({
      nodes,
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
        ...more,
      },
    });

    // Every order, largest first (id breaks ties: pattern 3 before 2 by work items).
    expect(await client.patterns()).toEqual(page([deploys, timeouts, holds]));
    expect(await client.patterns({}, { orderBy: 'LAST_SEEN' })).toEqual(
      page([deploys, timeouts, holds]),
    );
    expect(await client.patterns({}, { orderBy: 'FIRST_SEEN' })).toEqual(
      page([deploys, holds, timeouts]),
    );
    expect(await client.patterns({}, { orderBy: 'OCCURRENCES' })).toEqual(
      page([holds, timeouts, deploys]),
    );
    expect(await client.patterns({}, { orderBy: 'LESSONS' })).toEqual(
      page([timeouts, deploys, holds]),
    );
    expect(await client.patterns({}, { orderBy: 'WORK_ITEMS' })).toEqual(
      page([timeouts, deploys, holds]),
    );

    // Paging: each pattern once, in the order's cursor.
    const page1 = await client.patterns(undefined, { orderBy: 'WORK_ITEMS', first: 2 });
    expect(page1).toEqual(page([timeouts, deploys], { hasNextPage: true }));
    const page2 = await client.patterns(undefined, {
      orderBy: 'WORK_ITEMS',
      first: 2,
      after: page1.pageInfo.endCursor,
    });
    expect(page2).toEqual(page([holds], { hasPreviousPage: true }));

    // Filters: a repo any lesson is in, type and status, text of the title, last seen.
    expect(await client.patterns({ repo: 'web' })).toEqual(page([deploys, timeouts]));
    expect((await client.patterns({ repo: ['nowhere'] })).nodes).toEqual([]);
    expect(
      await client.patterns({ lessonType: [LessonType.GATE_FAILURE, 'x'], status: 'open' }),
    ).toEqual(page([timeouts]));
    expect((await client.patterns({ status: 'closed' })).nodes).toEqual([]);
    expect(await client.patterns({ text: 'MERGE QUEUE' })).toEqual(page([holds]));
    expect(
      await client.patterns({ stage: 'deploy', since: at(300), until: new Date(at(361)) }),
    ).toEqual(page([deploys]));

    // One pattern: why it groups, and its newest lessons when asked.
    const grouping = {
      version: 1,
      components: [
        { name: 'version', value: '1', contributes: true },
        { name: 'lessonType', value: 'gate_failure', contributes: true },
        { name: 'stage', value: 'quality_gate', contributes: true },
        { name: 'rootCause', value: 'timeout after <duration> in run <hex>', contributes: true },
      ],
    };
    expect(await client.pattern(1)).toEqual({
      ...timeouts,
      groupingInfo: grouping,
      latestLessons: [],
    });
    expect(await client.pattern(1, { lessons: 2 })).toEqual({
      ...timeouts,
      groupingInfo: grouping,
      latestLessons: [third, second],
    });
    expect((await client.pattern(1, { lessons: 10 }))?.latestLessons).toEqual([
      third,
      second,
      first,
    ]);
    expect(await client.pattern(404)).toBeNull();
    expect(logger.warnings).toEqual([]);
  });

  // Like lessonsConnection's, and like the client's safe default: an answer of "nothing" is
  // the same whether the journal is off, nothing matches, or the service can't be reached.
  test('an empty page of patterns has null cursors (the journal off, nothing matching)', async () => {
    const off = await serveService({ settings: { enabled: false } });
    const on = await serveService();
    const logger = recorder();
    expect(await createLessonsClient({ url: off.url, logger }).patterns()).toEqual(NO_PATTERNS);
    expect(await createLessonsClient({ url: on.url, logger }).patterns()).toEqual(NO_PATTERNS);
    expect(await createLessonsClient({ url: on.url, logger }).getPage()).toEqual(EMPTY_PAGE);
    expect(logger.warnings).toEqual([]);
  });

  test("a caller's own fingerprint groups alone: the grouping says so", async () => {
    const { url } = await serveService();
    const client = createLessonsClient({ url, logger: recorder() });
    for (const [workItemId, rootCause] of [
      ['W-1', 'connection reset by peer'],
      ['W-2', 'the runner lost its network'],
    ]) {
      expect(
        await client.record({ ...TIMEOUT, workItemId, rootCause, fingerprint: 'runner-network' }),
      ).toMatchObject({ fingerprint: 'runner-network' });
    }
    expect(await client.pattern(1)).toMatchObject({
      fingerprint: 'runner-network',
      title: 'connection reset by peer',
      lessons: 2,
      workItems: 2,
      repos: 0,
      groupingInfo: {
        version: 1,
        components: [
          { name: 'fingerprint', value: 'runner-network', contributes: true },
          { name: 'lessonType', value: 'gate_failure', contributes: false },
          { name: 'stage', value: 'quality_gate', contributes: false },
          { name: 'rootCause', value: 'connection reset by peer', contributes: false },
        ],
      },
    });
  });
});
