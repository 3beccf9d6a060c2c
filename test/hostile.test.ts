// Hostile requests are refused before any resolver runs, with a clear error: GraphQL Armor
// limits (depth, aliases, directives, tokens), the cost limit (its rule in detail:
// response-bounds.test.ts), request body size (413), batching off,
// CSRF prevention, masked unexpected errors, no field suggestions or introspection for
// strangers.
import { describe, expect, test } from 'vitest';
import { createDatabaseHandle } from '../src/db/database.ts';
import { parseDatabaseUrl } from '../src/db/url.ts';
import type { Journal } from '../src/journal/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { createApp } from '../src/server/app.ts';
import { createAuthenticator } from '../src/server/auth.ts';
import { JOURNAL_DEFAULTS, staticSettings } from '../src/settings.ts';
import { captureLog, type GqlResult, LESSON_FIELDS, makeService } from './helpers.ts';

const TOKENS = 'reader:reader-token-1,admin:admin-token-1';
const READER = { authorization: 'Bearer reader-token-1' };
const ADMIN = { authorization: 'Bearer admin-token-1' };

/** Refused before any resolver ran: a 400 whose first error says `message`. */
function expectRefused(r: GqlResult<unknown>, message: RegExp) {
  expect(r.status).toBe(400);
  expect(r.errors?.[0]?.message).toMatch(message);
}

function aliases(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `a${i}: lessonSlugs { statuses }`).join(' ')} }`;
}

describe('GraphQL Armor limits, defaults and settings', () => {
  test('depth: within the default; over a configured limit refused', async () => {
    const deep = '{ lessonsConnection(first: 1) { edges { node { id } } } }';
    expect((await (await makeService()).gql(deep)).errors).toBeUndefined();
    const s = await makeService({ limitsEnv: { LESSONS_MAX_DEPTH: '2' } });
    expectRefused(await s.gql(deep), /Query depth limit of 2 exceeded/);
  });

  test('aliases: 15 pass, 16 are refused by default', async () => {
    const s = await makeService();
    expect((await s.gql(aliases(15))).errors).toBeUndefined();
    expectRefused(await s.gql(aliases(16)), /Aliases limit of 15 exceeded/);
  });

  test('directives: 10 pass, 11 are refused by default', async () => {
    const s = await makeService();
    // @include may appear once per field: spread the directives over aliased fields.
    const directives = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `d${i}: lessonSlugs @include(if: true) { statuses }`).join(' ')} }`;
    expect((await s.gql(directives(10))).errors).toBeUndefined();
    expectRefused(await s.gql(directives(11)), /Directives limit of 10 exceeded/);
  });

  test('tokens: a document over 2000 tokens is refused by default', async () => {
    const s = await makeService();
    expectRefused(
      await s.gql(`{ lessonSlugs { ${'statuses '.repeat(2100)} } }`),
      /Token limit of 2000 exceeded/,
    );
  });

  test('cost: the largest legitimate page passes by default, two of them do not', async () => {
    const page = (alias: string) =>
      `${alias}: lessonsConnection(first: 1000) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${LESSON_FIELDS} } } }`;
    const s = await makeService();
    expect((await s.gql(`{ ${page('a')} }`)).errors).toBeUndefined();
    expectRefused(
      await s.gql(`{ ${page('a')} ${page('b')} }`),
      /^Query cost limit of 70000 exceeded: found 90046 /,
    );
  });

  test('cost: over a configured limit refused', async () => {
    const s = await makeService({ limitsEnv: { LESSONS_MAX_COST: '20' } });
    expectRefused(await s.gql(aliases(10)), /^Query cost limit of 20 exceeded: found 110 /);
  });
});

describe('requests', () => {
  test('a body over the limit gets 413, and nothing is recorded', async () => {
    const s = await makeService({ limitsEnv: { LESSONS_MAX_BODY_BYTES: '2048' } });
    const response = await s.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation ($r: String) { recordLesson(input: { lessonType: "x", rootCause: $r }) { id } }',
        variables: { r: 'z'.repeat(5000) },
      }),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].message).toBe('Request body too large');
    expect(s.opens()).toBe(0);
  });

  test('a body of undeclared length (chunked) is counted: over the limit 413, under it answered', async () => {
    const s = await makeService({ limitsEnv: { LESSONS_MAX_BODY_BYTES: '2048' } });
    const chunked = (rootCause: string) => {
      const text = JSON.stringify({
        query:
          'mutation ($r: String) { recordLesson(input: { lessonType: "x", rootCause: $r }) { id } }',
        variables: { r: rootCause },
      });
      const bytes = new TextEncoder().encode(text);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 500)
            controller.enqueue(bytes.slice(at, at + 500));
          controller.close();
        },
      });
      return s.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
    };
    const over = await chunked('z'.repeat(5000));
    expect(over.status).toBe(413);
    expect((await over.json()).errors[0].message).toBe('Request body too large');
    expect(s.opens()).toBe(0);
    const under = await chunked('fits');
    expect(under.status).toBe(200);
    expect((await under.json()).data.recordLesson.id).toBe(1);
  });

  test('a Content-Length that is not one integer gets 400, and nothing is recorded', async () => {
    const s = await makeService();
    const response = await s.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10, 10' },
      body: JSON.stringify({
        query: 'mutation { recordLesson(input: { lessonType: "x" }) { id } }',
      }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toBe('Content-Length header is invalid.');
    expect(s.opens()).toBe(0);
  });

  test('batching is off: an array of operations is refused', async () => {
    const s = await makeService();
    const response = await s.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { query: '{ lessonSlugs { statuses } }' },
        { query: '{ lessons { id } }' },
      ]),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(
      /Batching is not supported|POST body is expected to be object/,
    );
  });

  test('CSRF: a query over a bare GET is answered (urql and graphql-http send them)', async () => {
    const s = await makeService();
    const url = `http://localhost/graphql?query=${encodeURIComponent('{ lessonSlugs { sources } }')}`;
    const bare = await s.app.fetch(url, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ data: { lessonSlugs: { sources: ['auto', 'manual'] } } });
  });

  test('CSRF: a simple POST (a form, text/plain, no content type) needs a preflight-forcing header', async () => {
    const s = await makeService();
    const mutation = 'mutation { recordLesson(input: { lessonType: "csrf" }) { id } }';
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query: mutation }));
    multipart.set('map', '{}');
    const simple: [string, RequestInit][] = [
      ['form', { body: new URLSearchParams({ query: mutation }) }],
      ['multipart form', { body: multipart }],
      [
        'text/plain',
        { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: mutation }) },
      ],
      ['no content type', { body: new Blob([JSON.stringify({ query: mutation })]) }],
    ];
    for (const [name, init] of simple) {
      const r = await s.app.fetch('http://localhost/graphql', { method: 'POST', ...init });
      expect([name, r.status]).toEqual([name, 403]);
      expect((await r.json()).errors[0].message).toBe('Required CSRF header(s) not present');
    }
    expect(s.opens()).toBe(0);
    // With the header (a browser sends it only after a preflight), a form is a request.
    const withHeader = await s.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
      body: new URLSearchParams({ query: mutation }),
    });
    expect((await withHeader.json()).data).toEqual({ recordLesson: { id: 1 } });
  });

  test('CORS is off: no preflight passes, no answer is readable by another origin', async () => {
    const s = await makeService();
    const origin = { origin: 'https://evil.example' };
    const preflight = await s.app.fetch('http://localhost/graphql', {
      method: 'OPTIONS',
      headers: {
        ...origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-graphql-yoga-csrf',
      },
    });
    expect(preflight.ok).toBe(false); // a preflight passes only with a 2xx
    const url = `http://localhost/graphql?query=${encodeURIComponent('{ lessonSlugs { sources } }')}`;
    const get = await s.app.fetch(url, { headers: { ...origin, accept: 'application/json' } });
    expect(get.status).toBe(200);
    for (const r of [preflight, get]) {
      expect([...r.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
  });

  test('a mutation over GET is refused, with or without a CSRF header', async () => {
    const s = await makeService();
    const url = `http://localhost/graphql?query=${encodeURIComponent('mutation { recordLesson(input: { lessonType: "x" }) { id } }')}`;
    const csrfHeaders: Record<string, string>[] = [
      {},
      { 'x-graphql-yoga-csrf': '1' },
      { authorization: 'Bearer x' },
    ];
    for (const headers of csrfHeaders) {
      const r = await s.app.fetch(url, { headers: { accept: 'application/json', ...headers } });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('POST');
      expect((await r.json()).errors[0].message).toBe(
        'Can only perform a mutation operation from a POST request.',
      );
    }
    expect(s.opens()).toBe(0);
  });

  test('an unexpected error is masked', async () => {
    const log = captureLog();
    const journal = {
      slugs: () => {
        throw new Error('secret internal detail');
      },
    } as unknown as Journal;
    const db = createDatabaseHandle({
      location: parseDatabaseUrl('file:unused.db'),
      open: () => Promise.reject(new Error('unused')),
      log: log.log,
    });
    const settings = staticSettings(JOURNAL_DEFAULTS);
    const app = createApp({ journal, db, settings, log: log.log, metrics: createMetrics() });
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ lessonSlugs { statuses } }' }),
    });
    const body = await response.json();
    expect(body.errors[0].message).toBe('Unexpected error.');
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
  });
});

describe('strangers learn nothing of the schema', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';

  test('introspection (auto): on with no tokens configured and for admins, off for the others', async () => {
    expect((await (await makeService()).gql(INTROSPECT)).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    const s = await makeService({ tokens: TOKENS });
    expect((await s.gql(INTROSPECT, undefined, ADMIN)).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    expectRefused(await s.gql(INTROSPECT, undefined, READER), /introspection/i);
  });

  test('introspection on / off by setting', async () => {
    const on = await makeService({ tokens: TOKENS, limitsEnv: { LESSONS_INTROSPECTION: 'on' } });
    expect((await on.gql(INTROSPECT, undefined, READER)).errors).toBeUndefined();
    const off = await makeService({ limitsEnv: { LESSONS_INTROSPECTION: 'off' } });
    expect((await off.gql(INTROSPECT)).status).toBe(400);
  });

  test('no "Did you mean" once tokens are configured; suggestions in local development', async () => {
    const local = await makeService();
    expect((await local.gql('{ lesson(id: 1) { rootCaus } }')).errors?.[0]?.message).toMatch(
      /Did you mean "rootCause"/,
    );
    const s = await makeService({ tokens: TOKENS });
    for (const caller of [READER, ADMIN]) {
      const r = await s.gql('{ lesson(id: 1) { rootCaus } }', undefined, caller);
      expect(r.status).toBe(400);
      expect(r.errors?.[0]?.message).not.toMatch(/Did you mean/);
    }
  });

  test('an unknown token learns nothing either: 401 before validation', async () => {
    const s = await makeService({ tokens: TOKENS });
    const r = await s.gql('{ lesson(id: 1) { rootCaus } }', undefined, {
      authorization: 'Bearer guess-guess',
    });
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.errors)).not.toMatch(/rootCause/);
  });
});

// The authenticator is also usable on its own (see auth.test.ts); here: no token config
// means open, which main.ts allows only on loopback (server.process.test.ts).
test('an open authenticator makes everyone admin', () => {
  expect(createAuthenticator([]).identify(null)).toEqual({
    role: 'admin',
    name: 'open (no tokens configured)',
    actor: 'anonymous',
  });
});
