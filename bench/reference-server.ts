// reference-server: the minimal GraphQL server the service is compared with: graphql-yoga
// over the raw driver (store.ts), no Prisma, no Pothos, no plugins beyond Yoga's defaults
// (which include its parse and validate caches).
//
// Promise: it answers the bench's documents (scenarios.ts) with the service's field names
// and arguments (a subset of schema.graphql: recordLesson, lessons, lessonsConnection with
// an opaque `after` cursor, lessonAggregates [LESSON_TYPE, STAGE] by DAY, lessonsSnapshot),
// running the service's SQL. GET /metrics serves prom-client's default process metrics
// (event-loop lag included), as the service does. Run as a process like the service:
//   DATABASE_URL=file:... PORT=... node --import tsx bench/reference-server.ts
// and it prints `{"msg":"reference listening","url":...}` once it listens.
import { createServer } from 'node:http';
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { createSchema, createYoga } from 'graphql-yoga';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Filter, openStore, type Row } from './store.ts';

const typeDefs = /* GraphQL */ `
  scalar DateTime
  scalar JSON
  type Lesson {
    id: Int!
    lessonType: String!
    workItemId: String
    taskId: String
    stage: String
    agent: String
    repo: String
    rootCause: String
    suggestion: String
    status: String!
    relatedTask: String
    attribution: String
    targetRepo: String
    targetDomain: String
    source: String!
    detail: JSON
    occurrences: Int!
    lastSeenAt: DateTime!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
  input LessonFilter {
    lessonType: [String!]
    status: [String!]
    repo: [String!]
    since: DateTime
  }
  input RecordLessonInput {
    lessonType: String!
    workItemId: String!
    stage: String!
    repo: String
    rootCause: String
    detail: JSON
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type LessonEdge {
    cursor: String!
    node: Lesson!
  }
  type LessonConnection {
    edges: [LessonEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  enum LessonDimension {
    LESSON_TYPE
    STAGE
  }
  enum TimeBucket {
    DAY
  }
  type LessonGroup {
    lessonType: String
    stage: String
    bucketStart: DateTime
    lessons: Int!
    occurrences: Int!
    workItems: Int!
    firstSeenAt: DateTime!
    lastSeenAt: DateTime!
  }
  type CountBucket {
    key: String
    count: Int!
  }
  type LessonsSnapshot {
    enabled: Boolean!
    total: Int
    open: Int
    recorded24h: Int
    lastRecordedAt: DateTime
    byType: [CountBucket!]
    byStatus: [CountBucket!]
    byDomain: [CountBucket!]
    byAttribution: [CountBucket!]
  }
  type Query {
    lessons(filter: LessonFilter, limit: Int): [Lesson!]!
    lessonsConnection(first: Int, after: String, filter: LessonFilter): LessonConnection!
    lessonAggregates(
      groupBy: [LessonDimension!]!
      bucket: TimeBucket
      filter: LessonFilter
      limit: Int
    ): [LessonGroup!]!
    lessonsSnapshot: LessonsSnapshot!
  }
  type Mutation {
    recordLesson(input: RecordLessonInput!): Lesson
  }
`;

const COLUMN: Record<string, string> = {
  id: 'id',
  lessonType: 'lesson_type',
  workItemId: 'work_item_id',
  taskId: 'task_id',
  stage: 'stage',
  agent: 'agent',
  repo: 'repo',
  rootCause: 'root_cause',
  suggestion: 'suggestion',
  status: 'status',
  relatedTask: 'related_task',
  attribution: 'attribution',
  targetRepo: 'target_repo',
  targetDomain: 'target_domain',
  source: 'source',
  detail: 'detail',
  occurrences: 'occurrences',
  lastSeenAt: 'last_seen_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const FIELD = Object.fromEntries(Object.entries(COLUMN).map(([f, c]) => [c, f]));

/** The columns a Lesson selection needs (id always), in the table's order. */
function columnsOf(selection: SelectionSetNode | undefined): string[] {
  const wanted = new Set(['id']);
  for (const node of selection?.selections ?? []) {
    if (node.kind === 'Field' && COLUMN[node.name.value]) wanted.add(node.name.value);
  }
  return Object.keys(COLUMN)
    .filter((f) => wanted.has(f))
    .map((f) => COLUMN[f] as string);
}

/** The selection set under a path of field names (e.g. edges > node). */
function under(info: GraphQLResolveInfo, path: string[]): SelectionSetNode | undefined {
  let set = info.fieldNodes[0]?.selectionSet;
  for (const name of path) {
    const field = set?.selections.find((s) => s.kind === 'Field' && s.name.value === name);
    set = field?.kind === 'Field' ? field.selectionSet : undefined;
  }
  return set;
}

function lesson(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const field = FIELD[column];
    if (!field) continue;
    out[field] =
      field === 'detail' && typeof value === 'string'
        ? JSON.parse(value)
        : field === 'id' || field === 'occurrences'
          ? Number(value)
          : value;
  }
  return out;
}

const encodeCursor = (id: unknown) => Buffer.from(`id:${id}`).toString('base64');
const decodeCursor = (cursor: string) =>
  Number(Buffer.from(cursor, 'base64').toString().replace(/^id:/, ''));
const clamp = (limit: number | null | undefined, fallback = 100) =>
  Math.min(Math.max(Math.trunc(limit ?? fallback), 1), 1000);

type FilterArg = {
  lessonType?: string[] | null;
  status?: string[] | null;
  repo?: string[] | null;
  since?: Date | null;
};

function filterOf(arg: FilterArg | null | undefined): Filter {
  const filter: Filter = {};
  if (arg?.lessonType) filter.lessonType = arg.lessonType;
  if (arg?.status) filter.status = arg.status;
  if (arg?.repo) filter.repo = arg.repo;
  if (arg?.since) filter.since = arg.since;
  return filter;
}

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const store = openStore(url);

const schema = createSchema({
  typeDefs,
  resolvers: {
    DateTime: DateTimeResolver,
    JSON: JSONResolver,
    Query: {
      lessons: async (
        _: unknown,
        args: { filter?: FilterArg; limit?: number },
        _ctx: unknown,
        info: GraphQLResolveInfo,
      ) =>
        (
          await store.page(
            filterOf(args.filter),
            columnsOf(info.fieldNodes[0]?.selectionSet),
            clamp(args.limit),
          )
        ).map(lesson),
      lessonsConnection: async (
        _: unknown,
        args: { first?: number; after?: string | null; filter?: FilterArg },
        _ctx: unknown,
        info: GraphQLResolveInfo,
      ) => {
        const first = clamp(args.first);
        const filter = filterOf(args.filter);
        const rows = await store.page(
          filter,
          columnsOf(under(info, ['edges', 'node'])),
          first + 1,
          args.after ? decodeCursor(args.after) : undefined,
        );
        const edges = rows
          .slice(0, first)
          .map((row) => ({ cursor: encodeCursor(row.id), node: lesson(row) }));
        return {
          edges,
          pageInfo: {
            hasNextPage: rows.length > first,
            hasPreviousPage: false,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
          totalCount: () => store.count(filter),
        };
      },
      lessonAggregates: async (_: unknown, args: { filter?: FilterArg; limit?: number }) => {
        const since = args.filter?.since ?? new Date(0);
        const rows = await store.aggregate(since, clamp(args.limit));
        return rows.map((row) => ({
          lessonType: row.d0,
          stage: row.d1,
          bucketStart: row.bucket_start,
          lessons: Number(row.lessons),
          occurrences: Number(row.occurrences),
          workItems: Number(row.work_items),
          firstSeenAt: row.first_seen_at,
          lastSeenAt: row.last_seen_at,
        }));
      },
      lessonsSnapshot: async () => ({ enabled: true, ...(await store.snapshot()) }),
    },
    Mutation: {
      recordLesson: async (
        _: unknown,
        args: {
          input: {
            lessonType: string;
            workItemId: string;
            stage: string;
            repo?: string;
            rootCause?: string;
            detail?: unknown;
          };
        },
      ) => {
        const row = await store.record(args.input);
        return row ? lesson(row) : null;
      },
    },
  },
});

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const yoga = createYoga({
  schema,
  graphqlEndpoint: '/graphql',
  logging: false,
  landingPage: false,
});
const server = createServer(async (request, response) => {
  if (request.url === '/metrics') {
    response.setHeader('content-type', registry.contentType);
    response.end(await registry.metrics());
    return;
  }
  return yoga.handle(request, response);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(
    JSON.stringify({ msg: 'reference listening', url: `http://127.0.0.1:${port}/graphql` }),
  );
});

async function stop() {
  server.close();
  server.closeAllConnections();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
