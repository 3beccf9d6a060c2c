// Who may call what, call by call: every operation x (no token, unknown token, writer,
// reader, admin), with the journal on, off, and with its database unusable. Refusals are
// explicit (401 UNAUTHENTICATED, 403 FORBIDDEN) and never reach the database.
import { describe, expect, test } from 'vitest';
import {
  createAuthenticator,
  isLoopback,
  loadTokens,
  TokenConfigError,
} from '../src/server/auth.ts';
import { makeService, type Service } from './helpers.ts';

const TOKENS = 'writer:writer-token-1,reader:reader-token-1,admin:admin-token-1';
const CALLERS = {
  none: undefined,
  unknown: 'not-a-configured-token',
  writer: 'writer-token-1',
  reader: 'reader-token-1',
  admin: 'admin-token-1',
} as const;
type CallerName = keyof typeof CALLERS;

const OPERATIONS: Record<string, string> = {
  lessons: '{ lessons { id } }',
  lesson: '{ lesson(id: 1) { id } }',
  lessonsConnection: '{ lessonsConnection(first: 1) { totalCount } }',
  lessonAggregates: '{ lessonAggregates(groupBy: [LESSON_TYPE]) { lessons } }',
  lessonsSnapshot: '{ lessonsSnapshot { enabled } }',
  lessonSlugs: '{ lessonSlugs { statuses } }',
  recordLesson:
    'mutation { recordLesson(input: { lessonType: "gate_failure", source: "manual" }) { id } }',
  updateLesson: 'mutation { updateLesson(id: 1, input: { status: "closed" }) }',
  riceInputs: '{ riceInputs(groupBy: [ATTRIBUTION]) { reach } }',
  escapes: '{ escapes { repo } }',
  advisories: '{ advisories(stage: "e2e") { id } }',
  adviceFeedback: 'mutation { adviceFeedback(advisoryId: "1", verdict: "helped") }',
};

/** Which roles may call each operation. */
const ALLOWED: Record<string, CallerName[]> = {
  lessons: ['reader', 'admin'],
  lesson: ['reader', 'admin'],
  lessonsConnection: ['reader', 'admin'],
  lessonAggregates: ['reader', 'admin'],
  lessonsSnapshot: ['writer', 'reader', 'admin'],
  lessonSlugs: ['writer', 'reader', 'admin'],
  recordLesson: ['writer', 'admin'],
  updateLesson: ['admin'],
  riceInputs: ['reader', 'admin'],
  escapes: ['reader', 'admin'],
  advisories: ['writer', 'reader', 'admin'],
  adviceFeedback: ['writer', 'admin'],
};

async function call(s: Service, operation: string, caller: CallerName) {
  const token = CALLERS[caller];
  return s.gql(
    OPERATIONS[operation] as string,
    undefined,
    token ? { authorization: `Bearer ${token}` } : {},
  );
}

const MODES = {
  'journal on': { settings: {} },
  'journal off': { settings: { enabled: false } },
  'database unusable': {
    settings: {},
    open: () => () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
  },
};

describe.each(Object.entries(MODES))('the role matrix with the %s', (_mode, options) => {
  for (const operation of Object.keys(OPERATIONS)) {
    for (const caller of Object.keys(CALLERS) as CallerName[]) {
      const allowed = (ALLOWED[operation] as CallerName[]).includes(caller);
      const expected =
        caller === 'none' || caller === 'unknown'
          ? '401 UNAUTHENTICATED'
          : allowed
            ? '200'
            : '403 FORBIDDEN';
      test(`${operation} as ${caller}: ${expected}`, async () => {
        const s = await makeService({ tokens: TOKENS, ...options });
        const r = await call(s, operation, caller);
        if (expected === '200') {
          expect(r.status).toBe(200);
          expect(r.errors).toBeUndefined();
          expect(r.data).toHaveProperty(operation);
          return;
        }
        const [status, code] = expected.split(' ');
        expect(r.status).toBe(Number(status));
        expect(r.errors?.map((e) => e.extensions?.code)).toEqual([code]);
        // Refused before the journal: nothing opened, nothing counted as a journal call.
        expect(s.opens()).toBe(0);
        expect(await s.metric('lessons_noop_total')).toBe(0);
        expect(await s.metric('lessons_faults_total')).toBe(0);
        // A refused non-null root field nulls the whole data, as GraphQL prescribes.
        if (status === '403') expect([null, { [operation]: null }]).toContainEqual(r.data ?? null);
      });
    }
  }
});

describe('authentication details', () => {
  test('a 401 names the scheme, and says whether the token was missing or unknown', async () => {
    const s = await makeService({ tokens: TOKENS });
    const response = await s.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ lessonSlugs { statuses } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await response.json()).errors[0].message).toBe(
      'a bearer token is required (Authorization: Bearer <token>)',
    );
    const unknown = await call(s, 'lessonSlugs', 'unknown');
    expect(unknown.errors?.[0]?.message).toBe('unknown bearer token');
    const malformed = await s.gql('{ lessonSlugs { statuses } }', undefined, {
      authorization: 'Basic YWRtaW46YWRtaW4=',
    });
    expect(malformed.status).toBe(401);
  });

  test('a forbidden field in a mixed request is refused alone; the allowed one answers', async () => {
    const s = await makeService({ tokens: TOKENS });
    const r = await s.gql('{ lessonsSnapshot { enabled } lesson(id: 1) { id } }', undefined, {
      authorization: 'Bearer writer-token-1',
    });
    expect(r.status).toBe(403);
    expect(r.data).toEqual({ lessonsSnapshot: { enabled: true }, lesson: null });
    expect(r.errors?.[0]).toMatchObject({
      message: 'writer may not use query lesson',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  test('no tokens configured: everyone is admin', async () => {
    const s = await makeService();
    expect((await s.gql(OPERATIONS.updateLesson as string)).data).toEqual({ updateLesson: false });
  });

  // /metrics takes the metrics token or an admin token: metrics-labels.test.ts.
  test('health and readiness need no token', async () => {
    const s = await makeService({ tokens: TOKENS });
    for (const path of ['/health', '/ready']) {
      expect((await s.app.fetch(`http://localhost${path}`)).status).toBe(200);
    }
  });
});

describe('token configuration', () => {
  test('LESSONS_TOKENS pairs and a LESSONS_TOKENS_FILE are read; tokens are matched exactly', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('./helpers.ts');
    const file = join(tempDir(), 'tokens.json');
    writeFileSync(
      file,
      JSON.stringify([{ role: 'reader', token: 'file-reader-token', name: 'retro agent' }]),
    );
    const auth = createAuthenticator(
      loadTokens({ LESSONS_TOKENS: 'writer: orchestrator-token ', LESSONS_TOKENS_FILE: file }),
    );
    expect(auth.required).toBe(true);
    expect(auth.identify('Bearer orchestrator-token')).toEqual({
      role: 'writer',
      name: 'writer #LESSONS_TOKENS entry 1',
      actor: 'writer',
    });
    expect(auth.identify('bearer file-reader-token')).toEqual({
      role: 'reader',
      name: 'retro agent',
      actor: 'retro agent',
    });
    expect(auth.identify('Bearer orchestrator-toke')).toEqual({ role: null, reason: 'unknown' });
    expect(auth.identify('Bearer orchestrator-tokenX')).toEqual({ role: null, reason: 'unknown' });
    expect(auth.identify(null)).toEqual({ role: null, reason: 'missing' });
  });

  test.each([
    [
      { LESSONS_TOKENS: 'root:secret-token-1' },
      'LESSONS_TOKENS entry 1: role must be one of writer, reader, admin',
    ],
    [{ LESSONS_TOKENS: 'secret-token-1' }, 'LESSONS_TOKENS entry 1: expected role:token'],
    [
      { LESSONS_TOKENS: 'admin:short' },
      'LESSONS_TOKENS entry 1: a token must be at least 8 characters',
    ],
    [
      { LESSONS_TOKENS: 'admin:same-token-1,reader:same-token-1' },
      'the same token is configured twice',
    ],
    [
      { LESSONS_TOKENS_FILE: '/nonexistent/tokens.json' },
      /LESSONS_TOKENS_FILE \/nonexistent\/tokens.json: ENOENT/,
    ],
  ])('%j is refused: %s', (env, message) => {
    expect(() => loadTokens(env)).toThrow(TokenConfigError);
    expect(() => loadTokens(env)).toThrow(message);
  });

  test('error messages never contain the token', () => {
    try {
      loadTokens({ LESSONS_TOKENS: 'root:my-precious-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('my-precious-secret');
    }
  });

  test.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});
