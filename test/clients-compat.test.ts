// The popular GraphQL clients on their default settings (the URL, and what a client cannot
// do without: urql's documented default exchanges, Apollo's link and cache) against one real
// server process on a temporary SQLite file. Each client, in turn and in a repo of its own,
// records three lessons (mutations), then reads the list, the snapshot and an aggregate of
// its repo (queries, with variables); every answer is compared with its exact value. urql
// sends its queries as GET (preferGetMethod 'within-url-limit'), Apollo and graphql-request
// POST everything: the methods are recorded by a spy on the global fetch that passes every
// call through unchanged.
import { join } from 'node:path';
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client/core';
import { cacheExchange, fetchExchange, Client as UrqlClient } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import { afterEach, expect, test, vi } from 'vitest';
import { tempDir } from './helpers.ts';
import { startServer } from './process.ts';

const LESSON = `id lessonType workItemId stage repo rootCause detail status source occurrences
  createdAt lastSeenAt`;
const RECORD = `mutation Record($input: RecordLessonInput!) { recordLesson(input: $input) { ${LESSON} } }`;
const LESSONS = `query Lessons($repo: String!) { lessons(filter: { repo: [$repo] }) { ${LESSON} } }`;
const SNAPSHOT = `query Snapshot($repo: String!) { lessonsSnapshot(repo: $repo) {
  enabled total open recorded24h lastRecordedAt byType { key count } byStatus { key count }
} }`;
const AGGREGATES = `query Aggregates($repo: String!) {
  lessonAggregates(groupBy: [LESSON_TYPE], filter: { repo: [$repo] }) {
    lessonType lessons occurrences workItems
  }
}`;

/** Three lessons in `repo`, of work items of its own (dedup keys never meet another's). */
const inputsFor = (repo: string) => [
  {
    lessonType: 'gate_failure',
    workItemId: `${repo}-1`,
    stage: 'qa',
    repo,
    rootCause: 'flaky e2e',
    detail: { attempts: [1, 2], verdict: 'FAIL' },
  },
  { lessonType: 'gate_failure', workItemId: `${repo}-2`, stage: 'qa', repo },
  { lessonType: 'merge_hold', workItemId: `${repo}-1`, stage: 'merge', repo },
];

type Data = Record<string, unknown>;

/** One client, by its own API: a mutation and a query, each resolving to `data`. */
interface Adapter {
  mutate(document: string, variables: Data): Promise<Data>;
  query(document: string, variables: Data): Promise<Data>;
  stop(): void;
}

const CLIENTS: { name: string; repo: string; make: (url: string) => Adapter; methods: string[] }[] =
  [
    {
      name: 'urql (@urql/core)',
      repo: 'urql',
      make: (url) => {
        const client = new UrqlClient({ url, exchanges: [cacheExchange, fetchExchange] });
        const data = ({ data, error }: { data?: Data; error?: Error }) => {
          if (error || !data) throw error ?? new Error('no data');
          return data;
        };
        return {
          mutate: async (document, variables) =>
            data(await client.mutation(document, variables).toPromise()),
          query: async (document, variables) =>
            data(await client.query(document, variables).toPromise()),
          stop: () => {},
        };
      },
      methods: ['POST', 'POST', 'POST', 'GET', 'GET', 'GET'],
    },
    {
      name: 'Apollo Client (@apollo/client/core)',
      repo: 'apollo',
      make: (url) => {
        const client = new ApolloClient({
          link: new HttpLink({ uri: url }),
          cache: new InMemoryCache(),
        });
        const data = ({ data, error }: { data?: unknown; error?: Error }) => {
          if (error || !data) throw error ?? new Error('no data');
          return data as Data;
        };
        return {
          mutate: async (document, variables) =>
            data(await client.mutate({ mutation: apolloGql(document), variables })),
          query: async (document, variables) =>
            data(await client.query({ query: apolloGql(document), variables })),
          stop: () => client.stop(),
        };
      },
      methods: ['POST', 'POST', 'POST', 'POST', 'POST', 'POST'],
    },
    {
      name: 'graphql-request',
      repo: 'graphql-request',
      make: (url) => {
        const client = new GraphQLClient(url);
        return {
          mutate: (document, variables) => client.request<Data>(document, variables),
          query: (document, variables) => client.request<Data>(document, variables),
          stop: () => {},
        };
      },
      methods: ['POST', 'POST', 'POST', 'POST', 'POST', 'POST'],
    },
  ];

/** `value` without the `__typename`s urql's and Apollo's caches add to every selection. */
function withoutTypename(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTypename);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '__typename')
      .map(([key, v]) => [key, withoutTypename(v)]),
  );
}

/** Every call to the global fetch, by method and URL, passed through unchanged. */
function recordFetches() {
  const calls: { method: string; url: URL }[] = [];
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const request = input instanceof Request ? input : undefined;
    calls.push({
      method: (init?.method ?? request?.method ?? 'GET').toUpperCase(),
      url: new URL(request?.url ?? String(input)),
    });
    return realFetch(input, init);
  });
  return calls;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** What a client gets, in its repo: its records, then the three reads (or its error). */
async function exercise(client: Adapter, repo: string) {
  const recorded: Data[] = [];
  for (const input of inputsFor(repo)) {
    recorded.push((await client.mutate(RECORD, { input })).recordLesson as Data);
  }
  return withoutTypename({
    recorded,
    lessons: await client.query(LESSONS, { repo }),
    snapshot: await client.query(SNAPSHOT, { repo }),
    aggregates: await client.query(AGGREGATES, { repo }),
  }) as { recorded: Data[] } & Data;
}

/** The answers `exercise` must get, the clients running in CLIENTS' order. */
function expected(index: number, repo: string, recorded: Data[]) {
  const createdAt = (i: number) => recorded[i]?.createdAt;
  const lessons = inputsFor(repo).map((input, i) => ({
    id: 3 * index + i + 1,
    rootCause: null,
    detail: null,
    ...input,
    status: 'new',
    source: 'auto',
    occurrences: 1,
    createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    lastSeenAt: createdAt(i),
  }));
  return {
    recorded: lessons,
    lessons: { lessons: [...recorded].reverse() }, // newest first
    snapshot: {
      lessonsSnapshot: {
        enabled: true,
        total: 3,
        open: 3,
        recorded24h: 3,
        lastRecordedAt: createdAt(2),
        byType: [
          { key: 'gate_failure', count: 2 },
          { key: 'merge_hold', count: 1 },
        ],
        byStatus: [{ key: 'new', count: 3 }],
      },
    },
    aggregates: {
      lessonAggregates: [
        { lessonType: 'gate_failure', lessons: 2, occurrences: 2, workItems: 2 },
        { lessonType: 'merge_hold', lessons: 1, occurrences: 1, workItems: 1 },
      ],
    },
  };
}

test('urql, Apollo Client and graphql-request on their defaults: exact answers', async () => {
  const server = await startServer({ DATABASE_URL: `file:${join(tempDir(), 'lessons.db')}` });
  const url = `${server.base}/graphql`;
  const got: Record<string, unknown> = {};
  const want: Record<string, unknown> = {};
  for (const [index, { name, repo, make, methods }] of CLIENTS.entries()) {
    const calls = recordFetches();
    const client = make(url);
    try {
      const answers = await exercise(client, repo);
      got[name] = answers;
      want[name] = expected(index, repo, answers.recorded);
    } catch (error) {
      got[name] = { error: String(error) };
      want[name] = expected(index, repo, []);
    } finally {
      client.stop();
      vi.restoreAllMocks();
    }
    const graphql = calls.filter((c) => c.url.pathname === '/graphql');
    got[`${name}: methods`] = graphql.map((c) => c.method);
    want[`${name}: methods`] = methods;
    // A GET carries its document and variables in the URL (and needed no CSRF header).
    got[`${name}: GET documents`] = graphql
      .filter((c) => c.method === 'GET')
      .map((c) => [
        c.url.searchParams.get('query')?.split('(')[0],
        JSON.parse(c.url.searchParams.get('variables') ?? 'null'),
      ]);
    want[`${name}: GET documents`] = methods.includes('GET')
      ? ['query Lessons', 'query Snapshot', 'query Aggregates'].map((q) => [q, { repo }])
      : [];
  }
  expect(got).toEqual(want);
});
