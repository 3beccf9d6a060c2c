// raw-baseline: the same SQL work as the service, in-process with the raw driver (store.ts):
// no HTTP, no GraphQL, no Prisma. The floor each service figure is compared with.
//
// Promise: for each case it runs `clients` concurrent async callers in a closed loop for
// `durationS` (after `warmupS`), timing each operation, and prints one JSON line of
// results (RawResult[]) to stdout. On SQLite the driver is synchronous, so the callers take
// turns on the one connection (as the service's statements do); on PostgreSQL they share a
// pool of 10 like the service's. S7's reads and advisories are the journal's own functions
// (src/journal/rice.ts, advice.ts) on the store's connection (journal.ts): the service's
// statements and post-processing exactly. Run as its own process, like the servers:
//   BENCH_RAW='{"url":"file:...","params":{...},"cases":[...]}' node --import tsx bench/raw-baseline.ts

import { advisories } from '../src/journal/advice.ts';
import { type RiceInput, riceInputs } from '../src/journal/rice.ts';
import { type Answer, fromRaw, riceFromRaw } from './answers.ts';
import { journalBackend } from './journal.ts';
import { peakRssMb, resetPeakRss } from './memory.ts';
import {
  ADVICE,
  AGGREGATE_LIMIT,
  BUSY_STAGE,
  FILTERS,
  isRiceRead,
  isRollupRead,
  keyStream,
  type Operation,
  PAGE_SIZE,
  PATTERNS_PAGE,
  type Params,
  RICE_LIMIT,
  RICE_READS,
  RICE_WINDOW_DAYS,
  type RiceRead,
  type RollupRead,
  recordInput,
  S2_COLUMNS,
  seriesFrom,
} from './scenarios.ts';
import { type Summary, summarise } from './stats.ts';
import { openStore, type Row, type Store } from './store.ts';

export interface RawCase {
  op: Operation;
  clients: number;
  durationS: number;
  warmupS: number;
}

export interface RawSpec {
  url: string;
  params: Params;
  cases: RawCase[];
}

export interface RawResult extends Summary {
  failures: number;
  rssMb: number;
  /**
   * S6: the GROUP BY's answer; S7: the journal's riceInputs'; taken once before the run
   * (for the service's check)
   */
  answer?: Answer;
  /** S7: how many rows (groups, advisories) that first answer had */
  rows?: number;
}

/** S6: the plain GROUP BY over `lessons` that gives the same answer as the rollup read. */
function groupByOf(store: Store, kind: RollupRead, params: Params): () => Promise<Row[]> {
  const since = new Date(params.since30);
  const limit = AGGREGATE_LIMIT;
  switch (kind) {
    case 'patterns-top':
      return () => store.patternGroups(null, PATTERNS_PAGE);
    case 'patterns-stage':
      return () => store.patternGroups(BUSY_STAGE, PATTERNS_PAGE);
    case 'pattern-series': {
      const id = params.topPattern;
      if (id === undefined) throw new Error('no top pattern to read');
      const from = seriesFrom(params.since30);
      return () => store.patternDays(id, from);
    }
    case 'aggregates-type-stage':
      return () => store.groupBy({ dims: ['lesson_type', 'stage'], bucket: null, since, limit });
    case 'aggregates-type-stage-day':
      return () => store.groupBy({ dims: ['lesson_type', 'stage'], bucket: 'day', since, limit });
    case 'aggregates-type-stage-repo':
      return () =>
        store.groupBy({ dims: ['lesson_type', 'stage', 'repo'], bucket: null, since, limit });
  }
}

/** The journal's functions take their caller's signal; the raw run's callers always wait. */
const NEVER = new AbortController().signal;

/** S7: the journal's riceInputs as the service calls it for the document (its own SQL). */
function riceOf(store: Store, kind: RiceRead, params: Params): () => Promise<unknown> {
  const db = journalBackend(store);
  const query = {
    groupBy: RICE_READS[kind].dims,
    windowDays: RICE_WINDOW_DAYS,
    asOf: new Date(params.asOf),
    filter: null,
    limit: RICE_LIMIT,
  };
  return () => riceInputs(db, query, NEVER);
}

async function operation(
  store: Store,
  op: Operation,
  params: Params,
): Promise<() => Promise<unknown>> {
  if (isRollupRead(op)) return groupByOf(store, op.kind, params);
  if (isRiceRead(op)) return riceOf(store, op.kind, params);
  switch (op.kind) {
    case 'record': {
      const key = keyStream(op.duplicates);
      return () => store.record(recordInput(key()));
    }
    case 'lessons-first':
      return () => store.page(FILTERS.lessonsFirst, S2_COLUMNS.lessonsFirst, PAGE_SIZE);
    case 'connection-first': {
      const filter = { lessonType: ['gate_failure'], since: new Date(params.since7) };
      return () => store.page(filter, S2_COLUMNS.connectionFirst, PAGE_SIZE + 1);
    }
    case 'connection-deep': {
      const after = await store.idAt(FILTERS.deep, params.deepPage);
      return () => store.page(FILTERS.deep, S2_COLUMNS.deep, PAGE_SIZE + 1, after);
    }
    case 'aggregates': {
      const since = new Date(params.since30);
      return () => store.aggregate(since, 1000);
    }
    case 'snapshot':
      return () => store.snapshot();
    case 'advisories': {
      // As the service: the candidates, then one insert of the impressions, each call with
      // a work item of its own and the time of the call.
      const db = journalBackend(store);
      const key = keyStream(false);
      return () => advisories(db, { ...ADVICE, workItemId: key() }, new Date(), NEVER);
    }
    case 'mix':
      throw new Error('the raw baseline has no mix (S5 is a server scenario)');
    default:
      throw new Error(`the raw baseline has no ${(op as Operation).kind}`);
  }
}

async function closedLoop(
  run: () => Promise<unknown>,
  clients: number,
  durationS: number,
): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const latencies: number[] = [];
  let failures = 0;
  const start = performance.now();
  const end = start + durationS * 1000;
  const caller = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await run();
        latencies.push(performance.now() - t0);
      } catch {
        failures++;
      }
      // Let timers and I/O run between synchronous SQLite calls.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: clients }, caller));
  return { latencies, failures, seconds: (performance.now() - start) / 1000 };
}

async function main() {
  const spec = JSON.parse(process.env.BENCH_RAW ?? '') as RawSpec;
  const store = openStore(spec.url);
  const results: RawResult[] = [];
  try {
    for (const c of spec.cases) {
      const run = await operation(store, c.op, spec.params);
      let answer: Answer | undefined;
      let rows: number | undefined;
      if (isRollupRead(c.op)) answer = fromRaw(c.op.kind, (await run()) as Row[]);
      else if (isRiceRead(c.op)) {
        answer = riceFromRaw(c.op.kind, (await run()) as RiceInput[]);
        rows = answer.length;
      } else if (c.op.kind === 'advisories') rows = ((await run()) as unknown[]).length;
      if (c.warmupS > 0) await closedLoop(run, c.clients, c.warmupS);
      resetPeakRss('self');
      const { latencies, failures, seconds } = await closedLoop(run, c.clients, c.durationS);
      results.push({
        ...summarise(latencies, seconds),
        failures,
        rssMb: peakRssMb('self'),
        ...(answer ? { answer } : {}),
        ...(rows !== undefined ? { rows } : {}),
      });
    }
  } finally {
    await store.close();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

if (process.env.BENCH_RAW) await main();
