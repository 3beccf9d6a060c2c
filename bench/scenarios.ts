// scenarios: what each scenario asks, identically of the service, the reference server
// and the raw driver. The GraphQL documents are the ones sent over HTTP to both servers;
// `Operation` names the same work for the raw baseline, which runs the service's SQL.
//
// S1 recordLesson (unique keys, or 50% duplicates: every key is recorded twice, so every
//    second record takes the dedup path); S2 first pages and a deep page with filters;
//    S3 lessonAggregates 30 days [LESSON_TYPE, STAGE] by DAY; S4 lessonsSnapshot;
//    S5 a fixed-rate mix, 80% S1 (unique), 15% S2 (the three pages in turn), 5% S3.
import type { BenchConfig } from './config.ts';
import { largest } from './config.ts';

export type Operation =
  | { kind: 'record'; duplicates: boolean }
  | { kind: 'lessons-first' }
  | { kind: 'connection-first' }
  | { kind: 'connection-deep' }
  | { kind: 'aggregates' }
  | { kind: 'snapshot' }
  | { kind: 'mix' };

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5';

export interface Case {
  scenario: ScenarioId;
  /** what the row of the table says, e.g. "recordLesson, 50% duplicates" */
  label: string;
  op: Operation;
  /** lessons in the table it runs on */
  size: number;
  /** concurrent clients (autocannon connections; raw: concurrent async callers) */
  clients: number;
  durationS: number;
}

/** Parameters every target gets the same values of (computed once per run). */
export interface Params {
  since30: string;
  since7: string;
  deepPage: number;
}

export function paramsNow(config: BenchConfig, now = Date.now()): Params {
  const day = 86_400_000;
  return {
    since30: new Date(now - 30 * day).toISOString(),
    since7: new Date(now - 7 * day).toISOString(),
    deepPage: config.deepPage,
  };
}

export const FILTERS = {
  lessonsFirst: { status: ['new', 'in_progress'], repo: ['repo-03'] },
  connectionFirst: (params: Params) => ({ lessonType: ['gate_failure'], since: params.since7 }),
  deep: { status: ['new'] },
} as const;

export const PAGE_SIZE = 50;
export const AGGREGATE_LIMIT = 1000;

export const DOCUMENTS = {
  record:
    'mutation ($input: RecordLessonInput!) { recordLesson(input: $input) { id occurrences createdAt } }',
  lessonsFirst: `{ lessons(filter: { status: ["new", "in_progress"], repo: ["repo-03"] }, limit: ${PAGE_SIZE}) { id lessonType stage rootCause occurrences createdAt } }`,
  connectionFirst: `query ($since: DateTime) { lessonsConnection(first: ${PAGE_SIZE}, filter: { lessonType: ["gate_failure"], since: $since }) { edges { cursor node { id stage rootCause createdAt } } pageInfo { hasNextPage endCursor } } }`,
  connectionDeep: `query ($after: String) { lessonsConnection(first: ${PAGE_SIZE}, after: $after, filter: { status: ["new"] }) { edges { node { id createdAt } } pageInfo { hasNextPage } } }`,
  walk: 'query ($after: String, $first: Int) { lessonsConnection(first: $first, after: $after, filter: { status: ["new"] }) { pageInfo { hasNextPage endCursor } } }',
  aggregates: `query ($since: DateTime) { lessonAggregates(groupBy: [LESSON_TYPE, STAGE], bucket: DAY, filter: { since: $since }, limit: ${AGGREGATE_LIMIT}) { lessonType stage bucketStart lessons occurrences workItems firstSeenAt lastSeenAt } }`,
  snapshot:
    '{ lessonsSnapshot { total open recorded24h lastRecordedAt byType { key count } byStatus { key count } byDomain { key count } byAttribution { key count } } }',
} as const;

/** The columns the service reads for each S2 selection (its select mode), in its order. */
export const S2_COLUMNS = {
  lessonsFirst: ['id', 'lesson_type', 'stage', 'root_cause', 'occurrences', 'created_at'],
  connectionFirst: ['id', 'stage', 'root_cause', 'created_at'],
  deep: ['id', 'created_at'],
} as const;

/** The lesson S1 records; `key` is its work item, the dedup key's varying part. */
export function recordInput(key: string) {
  return {
    lessonType: 'gate_failure',
    workItemId: key,
    stage: 'quality_gate',
    repo: 'orchestrator',
    rootCause: 'flaky e2e test',
    detail: { attempt: 3 },
  };
}

let streams = 0;

/**
 * Work item keys for one run: unique (every call a new key) or 50% duplicates (each key
 * twice in a row, so every second record finds its twin within the dedup window).
 */
export function keyStream(duplicates: boolean): () => string {
  const prefix = `B${Date.now().toString(36)}-${(streams++).toString(36)}`;
  let n = 0;
  return () => {
    const i = n++;
    return `${prefix}-${duplicates ? Math.floor(i / 2) : i}`;
  };
}

export interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown>;
}

/** The fixed request of a read operation (the deep page needs the target's own cursor). */
export function readBody(op: Operation, params: Params, deepCursor: string | null): GraphQLBody {
  switch (op.kind) {
    case 'lessons-first':
      return { query: DOCUMENTS.lessonsFirst };
    case 'connection-first':
      return { query: DOCUMENTS.connectionFirst, variables: { since: params.since7 } };
    case 'connection-deep':
      return { query: DOCUMENTS.connectionDeep, variables: { after: deepCursor } };
    case 'aggregates':
      return { query: DOCUMENTS.aggregates, variables: { since: params.since30 } };
    case 'snapshot':
      return { query: DOCUMENTS.snapshot };
    default:
      throw new Error(`${op.kind} has no fixed body`);
  }
}

/** S5's sequence of 20: 16 records, 3 pages (one of each S2 kind), 1 aggregate, spread out. */
const MIX: Operation[] = (() => {
  const record: Operation = { kind: 'record', duplicates: false };
  const slots: Operation[] = Array.from({ length: 20 }, () => record);
  slots[3] = { kind: 'lessons-first' };
  slots[9] = { kind: 'connection-first' };
  slots[13] = { kind: 'aggregates' };
  slots[16] = { kind: 'connection-deep' };
  return slots;
})();

/** A body generator for a varying workload: S1 records, or S5's mix. */
export function bodyStream(
  op: Operation,
  params: Params,
  deepCursor: string | null,
): () => GraphQLBody {
  if (op.kind === 'record') {
    const key = keyStream(op.duplicates);
    return () => ({ query: DOCUMENTS.record, variables: { input: recordInput(key()) } });
  }
  if (op.kind === 'mix') {
    const key = keyStream(false);
    let n = 0;
    return () => {
      const slot = MIX[n++ % MIX.length] as Operation;
      return slot.kind === 'record'
        ? { query: DOCUMENTS.record, variables: { input: recordInput(key()) } }
        : readBody(slot, params, deepCursor);
    };
  }
  const body = readBody(op, params, deepCursor);
  return () => body;
}

/** Every case of a run, in the order they run against each target. */
export function casesFor(config: BenchConfig): {
  writes: Case[];
  reads: (size: number) => Case[];
  mix: Case;
} {
  const top = largest(config);
  const writes: Case[] = [];
  for (const duplicates of [false, true]) {
    for (const clients of [1, 10]) {
      writes.push({
        scenario: 'S1',
        label: `recordLesson, ${duplicates ? '50% duplicates' : 'unique keys'}`,
        op: { kind: 'record', duplicates },
        size: config.writeSize,
        clients,
        durationS: config.durationS,
      });
    }
  }
  const reads = (size: number): Case[] => {
    const cases: Case[] = [];
    if (size === top) {
      const pages: [Operation, string][] = [
        [{ kind: 'lessons-first' }, '`lessons` first page (status, repo)'],
        [{ kind: 'connection-first' }, '`lessonsConnection` first page (type, 7 days)'],
        [{ kind: 'connection-deep' }, `\`lessonsConnection\` page after ${config.deepPage}`],
      ];
      for (const [op, label] of pages) {
        cases.push({ scenario: 'S2', label, op, size, clients: 10, durationS: config.durationS });
      }
    }
    const reads = [
      ['S3', '`lessonAggregates` 30 d [TYPE, STAGE] by DAY', { kind: 'aggregates' }],
      ['S4', '`lessonsSnapshot`', { kind: 'snapshot' }],
    ] as const;
    for (const [scenario, label, op] of reads) {
      for (const clients of [1, 10]) {
        cases.push({ scenario, label, op, size, clients, durationS: config.readDurationS });
      }
    }
    return cases;
  };
  const mix: Case = {
    scenario: 'S5',
    label: 'mix 80% S1 / 15% S2 / 5% S3, fixed rate',
    op: { kind: 'mix' },
    size: top,
    clients: 10,
    durationS: config.mixDurationS,
  };
  return { writes, reads, mix };
}
