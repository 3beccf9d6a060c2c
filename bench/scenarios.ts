// scenarios: what each scenario asks, identically of the service, the reference server
// and the raw driver. The GraphQL documents are the ones sent over HTTP to both servers;
// `Operation` names the same work for the raw baseline, which runs the service's SQL.
//
// S1 recordLesson (unique keys, or 50% duplicates: every key is recorded twice, so every
//    second record takes the dedup path); S2 first pages and a deep page with filters;
//    S3 lessonAggregates 30 days [LESSON_TYPE, STAGE] by DAY; S4 lessonsSnapshot;
//    S5 a fixed-rate mix, 80% S1 (unique), 15% S2 (the three pages in turn), 5% S3;
//    S6 the reads the rollups answer (patterns, a pattern's series, lessonAggregates without
//    a bucket and S3's by DAY), each against the plain GROUP BY over `lessons` that the
//    same answer cost before them (the raw baseline; the reference server has no patterns);
//    S7 the consumers' analytics: riceInputs (two groupings) against the journal's own
//    riceInputs on the raw driver, and advisories against recordLesson on the same journal.
import type { RiceDimension } from '../src/journal/rice.ts';
import type { BenchConfig, ScenarioId } from './config.ts';
import { largest } from './config.ts';

export type Operation =
  | { kind: 'record'; duplicates: boolean }
  | { kind: 'lessons-first' }
  | { kind: 'connection-first' }
  | { kind: 'connection-deep' }
  | { kind: 'aggregates' }
  | { kind: 'snapshot' }
  | { kind: 'mix' }
  | { kind: RollupRead }
  | { kind: RiceRead }
  | { kind: 'advisories' };

/** S6's reads (and S3's, which S6 measures again against the same bar). */
export type RollupRead =
  | 'patterns-top'
  | 'patterns-stage'
  | 'pattern-series'
  | 'aggregates-type-stage'
  | 'aggregates-type-stage-day'
  | 'aggregates-type-stage-repo';

/** S7's riceInputs reads: two groupings a prioritiser asks for. */
export type RiceRead = 'rice-targets' | 'rice-pattern';

export type { ScenarioId };

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
  /** S6: the pattern with the most occurrences in the journal read (found per journal) */
  topPattern?: number;
  /**
   * S7: where riceInputs' window ends (the run's start). Given to the service as `asOf`
   * (which it takes as now when absent: the same SQL), so that the raw run and the service
   * answer the same window and the same recencyDays, and the answers can be compared.
   */
  asOf: string;
}

export function paramsNow(config: BenchConfig, now = Date.now()): Params {
  const day = 86_400_000;
  let since30 = now - 30 * day;
  if (config.sinceAt) {
    const [hours, minutes] = config.sinceAt.split(':').map(Number) as [number, number];
    since30 = Math.floor(since30 / day) * day + (hours * 60 + minutes) * 60_000;
  }
  return {
    since30: new Date(since30).toISOString(),
    since7: new Date(now - 7 * day).toISOString(),
    deepPage: config.deepPage,
    asOf: new Date(now).toISOString(),
  };
}

/** S6's filtered patterns page: a busy stage of the seed (gate_failure's, 1/12 of lessons). */
export const BUSY_STAGE = 'e2e';
export const PATTERNS_PAGE = 50;
const DAY_MS = 86_400_000;
/** Where a pattern's series since `since` starts: the UTC day holding it (patterns.ts). */
export const seriesFrom = (since: string) =>
  new Date(Math.floor(Date.parse(since) / DAY_MS) * DAY_MS);

export const FILTERS = {
  lessonsFirst: { status: ['new', 'in_progress'], repo: ['repo-03'] },
  connectionFirst: (params: Params) => ({ lessonType: ['gate_failure'], since: params.since7 }),
  deep: { status: ['new'] },
} as const;

export const PAGE_SIZE = 50;
export const AGGREGATE_LIMIT = 1000;

/** S7: riceInputs' window, and the groups it answers (no `limit`: the service's default). */
export const RICE_WINDOW_DAYS = 30;
export const RICE_LIMIT = 100;
/** What every S7 riceInputs read selects after its keys: every figure of a group. */
const RICE_FIGURES = [
  'reach',
  'lessons',
  'occurrences',
  'frequencyPerDay',
  'lastSeenAt',
  'recencyDays',
  'repos',
  'previousLessons',
  'trendRatio',
  'trendPValue',
  'unknownAttributionShare',
  'confidence',
] as const;

/**
 * S7's riceInputs reads: the row label, the schema's groupBy, the journal's dimensions
 * (what the raw run gives riceInputs) and the fields selected (the answer compared).
 */
export const RICE_READS: Record<
  RiceRead,
  { label: string; groupBy: string[]; dims: RiceDimension[]; fields: string[] }
> = {
  'rice-targets': {
    label: '`riceInputs` 30 d [ATTRIBUTION, TARGET_REPO, TARGET_DOMAIN]',
    groupBy: ['ATTRIBUTION', 'TARGET_REPO', 'TARGET_DOMAIN'],
    dims: ['attribution', 'targetRepo', 'targetDomain'],
    fields: ['attribution', 'targetRepo', 'targetDomain', ...RICE_FIGURES],
  },
  'rice-pattern': {
    label: '`riceInputs` 30 d [PATTERN]',
    groupBy: ['PATTERN'],
    dims: ['pattern'],
    fields: ['patternId', ...RICE_FIGURES],
  },
};

export const isRiceRead = (op: Operation): op is { kind: RiceRead } => op.kind in RICE_READS;

const riceDocument = (kind: RiceRead) =>
  `query ($asOf: DateTime) { riceInputs(groupBy: [${RICE_READS[kind].groupBy.join(', ')}], windowDays: ${RICE_WINDOW_DAYS}, asOf: $asOf) { ${RICE_READS[kind].fields.join(' ')} } }`;

/** S7's advisories: a busy stage and repo of the seed, as a stage about to run asks. */
export const ADVICE = { stage: BUSY_STAGE, repo: 'repo-03', agent: 'coder', limit: 3 } as const;

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
  patternsTop: `{ patterns(first: ${PATTERNS_PAGE}, orderBy: OCCURRENCES) { edges { node { id title lessons occurrences workItems repos lastSeenAt } } } }`,
  patternsStage: `{ patterns(first: ${PATTERNS_PAGE}, orderBy: OCCURRENCES, filter: { stage: ["${BUSY_STAGE}"] }) { edges { node { id title lessons occurrences workItems repos lastSeenAt } } } }`,
  patternSeries:
    'query ($id: Int!, $since: DateTime!) { pattern(id: $id) { id series(since: $since) { bucketStart lessons occurrences } } }',
  aggregatesTypeStage: `query ($since: DateTime) { lessonAggregates(groupBy: [LESSON_TYPE, STAGE], filter: { since: $since }, limit: ${AGGREGATE_LIMIT}) { lessonType stage lessons occurrences workItems firstSeenAt lastSeenAt } }`,
  aggregatesTypeStageRepo: `query ($since: DateTime) { lessonAggregates(groupBy: [LESSON_TYPE, STAGE, REPO], filter: { since: $since }, limit: ${AGGREGATE_LIMIT}) { lessonType stage repo lessons occurrences workItems firstSeenAt lastSeenAt } }`,
  riceTargets: riceDocument('rice-targets'),
  ricePattern: riceDocument('rice-pattern'),
  // No limit: the schema's default (3), as a stage runner would ask.
  advisories: `query ($workItemId: String) { advisories(stage: "${ADVICE.stage}", repo: "${ADVICE.repo}", agent: "${ADVICE.agent}", workItemId: $workItemId) { id score why suggestion pattern { id title } } }`,
} as const;

/** S6's reads: the row label, and what the raw baseline runs for the same answer. */
export const ROLLUP_READS: Record<RollupRead, { label: string; raw: string }> = {
  'patterns-top': {
    label: `\`patterns\` first ${PATTERNS_PAGE} by OCCURRENCES`,
    raw: 'GROUP BY pattern_id',
  },
  'patterns-stage': {
    label: `\`patterns\` first ${PATTERNS_PAGE} by OCCURRENCES, stage ${BUSY_STAGE}`,
    raw: `WHERE stage = '${BUSY_STAGE}' GROUP BY pattern_id`,
  },
  'pattern-series': {
    label: '`pattern(top).series` 30 d by DAY',
    raw: "the pattern's lessons GROUP BY day",
  },
  'aggregates-type-stage': {
    label: '`lessonAggregates` 30 d [TYPE, STAGE]',
    raw: 'GROUP BY lesson_type, stage',
  },
  'aggregates-type-stage-day': {
    label: '`lessonAggregates` 30 d [TYPE, STAGE] by DAY (S3)',
    raw: 'GROUP BY lesson_type, stage, day',
  },
  'aggregates-type-stage-repo': {
    label: '`lessonAggregates` 30 d [TYPE, STAGE, REPO]',
    raw: 'GROUP BY lesson_type, stage, repo',
  },
};

export const isRollupRead = (op: Operation): op is { kind: RollupRead } => op.kind in ROLLUP_READS;

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
    case 'patterns-top':
      return { query: DOCUMENTS.patternsTop };
    case 'patterns-stage':
      return { query: DOCUMENTS.patternsStage };
    case 'pattern-series':
      if (params.topPattern === undefined) throw new Error('no top pattern to read');
      return {
        query: DOCUMENTS.patternSeries,
        variables: { id: params.topPattern, since: params.since30 },
      };
    case 'aggregates-type-stage':
      return { query: DOCUMENTS.aggregatesTypeStage, variables: { since: params.since30 } };
    case 'aggregates-type-stage-day':
      return { query: DOCUMENTS.aggregates, variables: { since: params.since30 } };
    case 'aggregates-type-stage-repo':
      return { query: DOCUMENTS.aggregatesTypeStageRepo, variables: { since: params.since30 } };
    case 'rice-targets':
      return { query: DOCUMENTS.riceTargets, variables: { asOf: params.asOf } };
    case 'rice-pattern':
      return { query: DOCUMENTS.ricePattern, variables: { asOf: params.asOf } };
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

/** A body generator for a varying workload: S1 records, S5's mix, S7's advisories. */
export function bodyStream(
  op: Operation,
  params: Params,
  deepCursor: string | null,
): () => GraphQLBody {
  if (op.kind === 'advisories') {
    // A work item per request, as each stage run asks for its own.
    const key = keyStream(false);
    return () => ({ query: DOCUMENTS.advisories, variables: { workItemId: key() } });
  }
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

export const ADVISORIES_LABEL = `\`advisories\` (stage ${ADVICE.stage}, repo ${ADVICE.repo})`;
export const S7_RECORD_LABEL = 'recordLesson, unique keys (after the advisories)';

/** Every case of a run, in the order they run against each target. */
export function casesFor(config: BenchConfig): {
  writes: Case[];
  reads: (size: number) => Case[];
  mix: Case;
} {
  const top = largest(config);
  const writes: Case[] = [];
  for (const duplicates of config.only.includes('S1') ? [false, true] : []) {
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
    if (size === top) {
      for (const [kind, read] of Object.entries(ROLLUP_READS) as [
        RollupRead,
        { label: string },
      ][]) {
        for (const clients of [1, 10]) {
          cases.push({
            scenario: 'S6',
            label: read.label,
            op: { kind },
            size,
            clients,
            durationS: config.readDurationS,
          });
        }
      }
    }
    if (size === top) {
      for (const [kind, read] of Object.entries(RICE_READS) as [RiceRead, { label: string }][]) {
        for (const clients of [1, 10]) {
          const op = { kind };
          cases.push({
            scenario: 'S7',
            label: read.label,
            op,
            size,
            clients,
            durationS: config.readDurationS,
          });
        }
      }
      // Advisories write an impression per advisory shown, records insert lessons: both run
      // after the reads (run.ts), the advisories first; as long as S1's runs, at 10 clients.
      const durationS = config.durationS;
      cases.push(
        {
          scenario: 'S7',
          label: ADVISORIES_LABEL,
          op: { kind: 'advisories' },
          size,
          clients: 10,
          durationS,
        },
        {
          scenario: 'S7',
          label: S7_RECORD_LABEL,
          op: { kind: 'record', duplicates: false },
          size,
          clients: 10,
          durationS,
        },
      );
    }
    return cases.filter((c) => config.only.includes(c.scenario));
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
