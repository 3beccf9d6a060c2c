// `npm run measure -- [--database-url file:./data/lessons.db] [--runs 20]`
//
// Times the read paths the retrospective agent and the RICE prioritiser use, through the
// whole service stack in-process (Yoga -> Pothos -> journal -> Prisma -> database; no
// network), on an existing journal such as one filled by `npm run seed`. Prints the
// median, p95 and max of each. A measurement tool, not a test: nothing here asserts a time.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createDatabaseHandle, defaultOpener, tuningOf } from '../src/db/database.ts';
import { parseDatabaseUrl } from '../src/db/url.ts';
import { createJournal } from '../src/journal/index.ts';
import { createMetrics } from '../src/metrics.ts';
import { createApp } from '../src/server/app.ts';
import { JOURNAL_DEFAULTS, serverSettingsFromEnv, staticSettings } from '../src/settings.ts';

const { values: args } = parseArgs({
  options: {
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'file:./data/lessons.db',
    },
    runs: { type: 'string', default: '20' },
  },
});
const runs = Number(args.runs);
const log = pino({ level: 'warn' });
const metrics = createMetrics();
const settings = staticSettings({ ...JOURNAL_DEFAULTS, operationTimeoutMs: 60_000 });
const db = createDatabaseHandle({
  location: parseDatabaseUrl(args['database-url']),
  open: defaultOpener(tuningOf(serverSettingsFromEnv(process.env, () => {})), log),
  log,
});
const journal = createJournal({ db, settings, log, metrics });
const app = createApp({ journal, db, settings, log, metrics });

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data ?? {};
}

const DAY_MS = 86_400_000;
const since30 = new Date(Date.now() - 30 * DAY_MS).toISOString();
// The rollup's worst window start: a minute after a UTC midnight, so that its partial
// first day, read from the table, is a whole day of lessons.
const worst30 = new Date(
  Math.floor(Date.now() / DAY_MS) * DAY_MS - 30 * DAY_MS + 60_000,
).toISOString();
const since7 = new Date(Date.now() - 7 * 86_400_000).toISOString();
const total = (await gql('{ lessonsSnapshot { total } }')).lessonsSnapshot as { total: number };
const top = (
  (await gql('{ patterns(first: 1, orderBy: OCCURRENCES) { edges { node { id } } } }'))
    .patterns as {
    edges: { node: { id: number } }[];
  }
).edges[0]?.node.id;

// A cursor deep into a filtered walk: after 10,000 lessons.
let deepCursor: string | null = null;
for (let i = 0; i < 10; i++) {
  const page = (
    await gql(
      'query ($after: String) { lessonsConnection(first: 1000, after: $after, filter: { status: ["new"] }) { pageInfo { endCursor } } }',
      { after: deepCursor },
    )
  ).lessonsConnection as { pageInfo: { endCursor: string } };
  deepCursor = page.pageInfo.endCursor;
}

const AGGREGATES: [string, string, string][] = [
  ['[LESSON_TYPE, STAGE]', 'groupBy: [LESSON_TYPE, STAGE]', 'lessonType stage'],
  [
    '[LESSON_TYPE, STAGE] by DAY',
    'groupBy: [LESSON_TYPE, STAGE], bucket: DAY',
    'lessonType stage bucketStart',
  ],
  ['[LESSON_TYPE, STAGE, REPO]', 'groupBy: [LESSON_TYPE, STAGE, REPO]', 'lessonType stage repo'],
];
const aggregateCases = AGGREGATES.flatMap(([name, args, keys]) =>
  (
    [
      ['30 days', since30],
      ['30 days from just after midnight', worst30],
    ] as const
  ).map(([window, since]): [string, string, Record<string, unknown>] => [
    `lessonAggregates ${window} ${name}`,
    `query ($since: DateTime) { lessonAggregates(${args}, filter: { since: $since }, limit: 1000) { ${keys} lessons occurrences workItems firstSeenAt lastSeenAt } }`,
    { since },
  ]),
);

const CASES: [string, string, Record<string, unknown>][] = [
  ...aggregateCases,
  [
    'patterns first 50 by OCCURRENCES',
    '{ patterns(first: 50, orderBy: OCCURRENCES) { edges { node { id title lessons occurrences workItems repos lastSeenAt } } } }',
    {},
  ],
  [
    'patterns first 50 by OCCURRENCES, stage qa',
    '{ patterns(first: 50, orderBy: OCCURRENCES, filter: { stage: ["qa"] }) { edges { node { id title lessons occurrences workItems repos lastSeenAt } } } }',
    {},
  ],
  [
    'pattern(id) series, 30 days by DAY',
    'query ($id: Int!, $since: DateTime!) { pattern(id: $id) { series(since: $since) { bucketStart lessons occurrences } } }',
    { id: top, since: since30 },
  ],
  [
    'lessonsSnapshot',
    '{ lessonsSnapshot { total open recorded24h lastRecordedAt byType { key count } byStatus { key count } byDomain { key count } byAttribution { key count } } }',
    {},
  ],
  [
    'lessonsSnapshot(repo)',
    'query ($repo: String) { lessonsSnapshot(repo: $repo) { total open recorded24h byType { key count } byStatus { key count } byDomain { key count } byAttribution { key count } } }',
    { repo: 'repo-07' },
  ],
  [
    'lessons first page (status, repo), 50',
    '{ lessons(filter: { status: ["new", "in_progress"], repo: ["repo-03"] }, limit: 50) { id lessonType stage rootCause occurrences createdAt } }',
    {},
  ],
  [
    'lessonsConnection first page (type, 7 days), 50',
    'query ($since: DateTime) { lessonsConnection(first: 50, filter: { lessonType: ["gate_failure"], since: $since }) { edges { cursor node { id stage rootCause createdAt } } pageInfo { hasNextPage endCursor } } }',
    { since: since7 },
  ],
  [
    'lessonsConnection page after 10,000 (status), 50',
    'query ($after: String) { lessonsConnection(first: 50, after: $after, filter: { status: ["new"] }) { edges { node { id createdAt } } pageInfo { hasNextPage } } }',
    { after: deepCursor },
  ],
  [
    'lessonsConnection totalCount (type, 7 days)',
    'query ($since: DateTime) { lessonsConnection(first: 1, filter: { lessonType: ["gate_failure"], since: $since }) { totalCount } }',
    { since: since7 },
  ],
  [
    'lessons text "timeout", 20',
    '{ lessons(filter: { text: "timeout" }, limit: 20) { id rootCause } }',
    {},
  ],
  [
    'lessons text with no match (full scan), 20',
    '{ lessons(filter: { text: "no such words" }, limit: 20) { id } }',
    {},
  ],
  ['lesson(id)', '{ lesson(id: 123456) { id lessonType detail } }', {}],
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

console.log(
  `journal: ${args['database-url']} (${total.total} lessons), ${runs} runs each after 2 warm-ups\n`,
);
console.log('| read | median ms | p95 ms | max ms |');
console.log('|---|---:|---:|---:|');
for (const [name, query, variables] of CASES) {
  for (let i = 0; i < 2; i++) await gql(query, variables);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await gql(query, variables);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  console.log(
    `| ${name} | ${f(quantile(times, 0.5))} | ${f(quantile(times, 0.95))} | ${f(times.at(-1) as number)} |`,
  );
}
await db.close();
