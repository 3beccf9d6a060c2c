// run: `npm run bench` (full) and `npm run bench:quick`: seeds the journals, measures every
// scenario against the service, the reference server and the raw driver, prints the
// Markdown report and writes it to bench/results/latest.md (+ latest.json, the plot).
// A full run also rewrites the results section of bench/README.md and
// bench/latency-vs-size.svg. `--rerender` writes all of it again from latest.json.
//
// Order per backend: S1 (each target on its own copy of the same journal), then per table
// size the reads (S2 on the largest), then S5 on the largest table at half the service's
// S1 capacity. Targets run one after the other, never at once (2 cores, and one process
// owns an SQLite file), so the ratios compare like with like. S6 (the rollup reads) runs on
// the largest table against the raw GROUP BY: raw first, then the service, before anything
// writes into that journal (the reference's S5 does), so that the service's answers can be
// held to the GROUP BY's exactly; the reference has no patterns and sits S6 out. S7's
// riceInputs run with S6, held to the journal's own riceInputs on the raw driver; S7's
// advisories and then its records (both write) run last on that journal, on the service.
// `--baseline-dir DIR`: after S1, S1 again in rounds, the baseline checkout's service then
// this one's, each on a fresh copy of its own pristine journal (see databases.ts).
// `--only S1,S6`: only those scenarios.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { type Answer, compare, fromService, riceFromService } from './answers.ts';
import { type Backend, type BenchConfig, configFromArgs, largest } from './config.ts';
import {
  type Journals,
  postgresJournals,
  type Revision,
  SqliteSeeds,
  sqliteJournals,
} from './databases.ts';
import { runLoad } from './load.ts';
import { lineChart, type Series } from './plot.ts';
import { metricValue, runRaw, type Server, startServer, type Target } from './processes.ts';
import {
  type BackendRun,
  type CaseResult,
  type Machine,
  type Measured,
  markdown,
  type Versus,
} from './report.ts';
import {
  bodyStream,
  type Case,
  casesFor,
  DOCUMENTS,
  type GraphQLBody,
  isRiceRead,
  isRollupRead,
  type Params,
  paramsNow,
  readBody,
} from './scenarios.ts';
import { openStore } from './store.ts';

const BENCH = new URL('.', import.meta.url).pathname;
const log = (line: string) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** The 1-minute load average: other work on the machine skews absolute times. */
function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';
  } catch {
    return '?';
  }
}

/** The commit measured, and whether src/ had uncommitted changes (others edit it). */
function revision(serviceDir?: string): string {
  if (serviceDir) {
    try {
      return `${readFileSync(`${serviceDir}/REVISION`, 'utf8').trim()} (from ${serviceDir})`;
    } catch {
      return `the checkout in ${serviceDir}`;
    }
  }
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', 'src', 'prisma') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/ or prisma/' : ''}`;
  } catch {
    return 'unknown';
  }
}

function machine(): Machine {
  let os = process.platform;
  try {
    os = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim() as typeof os;
  } catch {}
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os,
  };
}

async function post(base: string, body: GraphQLBody): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (!response.ok || json.errors || !json.data) {
    throw new Error(`HTTP ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
  }
  return json.data;
}

/**
 * Throws unless a read answers with something (a safe default `[]` would be fast and wrong);
 * an S6 read must also answer exactly what the raw GROUP BY answered (`expected`), an S7
 * riceInputs what the journal's riceInputs answered on the raw driver. Returns what was
 * checked.
 */
async function preflight(
  server: Server,
  c: Case,
  params: Params,
  cursor: string | null,
  expected?: Answer,
): Promise<string | undefined> {
  if (isRollupRead(c.op)) {
    const data = await post(server.base, readBody(c.op, params, cursor));
    const answer = fromService(c.op.kind, data);
    if (answer.length === 0) {
      throw new Error(`${c.op.kind} answered nothing: ${JSON.stringify(data).slice(0, 200)}`);
    }
    if (!expected) return `${answer.length} rows, not compared (no GROUP BY answer)`;
    const difference = compare(answer, expected);
    if (difference) throw new Error(`${c.op.kind} differs from the GROUP BY: ${difference}`);
    return `${answer.length} rows, equal to the GROUP BY's`;
  }
  if (isRiceRead(c.op)) {
    const data = await post(server.base, readBody(c.op, params, cursor));
    const answer = riceFromService(c.op.kind, data);
    if (answer.length === 0) {
      throw new Error(`${c.op.kind} answered nothing: ${JSON.stringify(data).slice(0, 200)}`);
    }
    if (!expected) return `${answer.length} groups, not compared (no raw answer)`;
    const difference = compare(answer, expected, 'raw');
    if (difference) throw new Error(`${c.op.kind} differs from raw riceInputs: ${difference}`);
    return `${answer.length} groups, equal to raw's`;
  }
  if (c.op.kind === 'advisories') {
    const data = await post(server.base, bodyStream(c.op, params, null)());
    const shown = data.advisories as { id?: string }[] | undefined;
    if (!shown?.length || shown.some((a) => !a.id)) {
      throw new Error(`advisories answered ${JSON.stringify(data).slice(0, 200)}`);
    }
    return `${shown.length} advisories, each with an impression id`;
  }
  if (c.op.kind === 'record' || c.op.kind === 'mix') {
    const data = await post(
      server.base,
      bodyStream({ kind: 'record', duplicates: false }, params, null)(),
    );
    if (!data.recordLesson) throw new Error(`recordLesson answered ${JSON.stringify(data)}`);
    if (c.op.kind === 'record') return c.scenario === 'S7' ? 'a new lesson recorded' : undefined;
  }
  const ops =
    c.op.kind === 'mix'
      ? (['lessons-first', 'connection-first', 'connection-deep', 'aggregates'] as const)
      : [c.op.kind];
  for (const kind of ops) {
    const data = await post(server.base, readBody({ kind } as Case['op'], params, cursor));
    const value = Object.values(data)[0] as Record<string, unknown> | unknown[] | undefined;
    const empty = Array.isArray(value)
      ? value.length === 0
      : kind === 'snapshot'
        ? !(Number(value?.total) > 0)
        : ((value?.edges as unknown[] | undefined)?.length ?? 0) === 0;
    if (empty) throw new Error(`${kind} answered nothing: ${JSON.stringify(data).slice(0, 200)}`);
  }
}

/** The cursor `depth` lessons into the S2 deep walk, from the server's own API. */
async function deepCursor(server: Server, depth: number): Promise<string | null> {
  let after: string | null = null;
  for (let walked = 0; walked < depth; ) {
    const first = Math.min(1000, depth - walked);
    const data = await post(server.base, { query: DOCUMENTS.walk, variables: { after, first } });
    const page = data.lessonsConnection as {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    after = page.pageInfo.endCursor ?? after;
    walked += first;
    if (!page.pageInfo.hasNextPage) break;
  }
  return after;
}

async function measure(
  server: Server,
  c: Case,
  config: BenchConfig,
  params: Params,
  cursor: string | null,
  overallRate?: number,
  expected?: Answer,
): Promise<Measured> {
  const checked = await preflight(server, c, params, cursor, expected);
  let faultsBefore = Number.NaN;
  const result = await runLoad({
    base: server.base,
    clients: c.clients,
    durationS: c.durationS,
    warmupS: config.warmupS,
    body: bodyStream(c.op, params, cursor),
    ...(overallRate ? { overallRate } : {}),
    beforeMeasure: async () => {
      // Scraping resets prom-client's event-loop delay histogram: a fresh window.
      faultsBefore = metricValue(await server.metrics(), 'lessons_faults_total');
      server.resetPeak();
    },
  });
  const after = await server.metrics();
  const measured: Measured = { ...result, rssMb: server.peakRssMb() };
  if (checked) measured.checked = checked;
  const faults = metricValue(after, 'lessons_faults_total') - faultsBefore;
  if (Number.isFinite(faults)) measured.faults = faults;
  if (c.scenario === 'S5') {
    measured.stallMs = metricValue(after, 'nodejs_eventloop_lag_max_seconds') * 1000;
    measured.rate = overallRate;
  }
  return measured;
}

async function onServer(
  target: Target,
  url: string,
  cases: CaseResult[],
  config: BenchConfig,
  params: Params,
  mixRate: () => number | undefined,
  serviceDir = config.serviceDir,
  into: (r: CaseResult, m: Measured) => void = (r, m) => {
    r[target] = m;
  },
) {
  if (cases.length === 0) return;
  let server: Server;
  try {
    server = await startServer(target, url, serviceDir);
  } catch (error) {
    for (const r of cases) r.errors.push(`${target}: ${message(error)}`);
    return;
  }
  try {
    const needsCursor = cases.some((r) => ['connection-deep', 'mix'].includes(r.case.op.kind));
    const cursor = needsCursor ? await deepCursor(server, params.deepPage) : null;
    for (const r of cases) {
      const rate = r.case.scenario === 'S5' ? mixRate() : undefined;
      if (r.case.scenario === 'S5' && !rate) {
        r.errors.push('no S1 capacity to derive the rate from');
        continue;
      }
      log(
        `${r.backend} ${target}: ${r.case.scenario} ${r.case.label}, ${r.case.size} lessons, ${r.case.clients} clients`,
      );
      try {
        const expected = r.raw?.answer;
        into(r, await measure(server, r.case, config, params, cursor, rate, expected));
      } catch (error) {
        r.errors.push(`${target}: ${message(error)}`);
      }
    }
  } finally {
    await server.stop();
  }
}

async function onRaw(url: string, cases: CaseResult[], config: BenchConfig, params: Params) {
  // S7's records are the service's alone (S1 has their raw figures): raw inserts would
  // change the journal under the service's S6 and S7 checks.
  const rawCases = cases.filter(
    (r) => r.case.scenario !== 'S5' && !(r.case.scenario === 'S7' && r.case.op.kind === 'record'),
  );
  if (rawCases.length === 0) return;
  log(`${rawCases[0]?.backend} raw: ${rawCases.length} cases on ${rawCases[0]?.case.size} lessons`);
  try {
    const results = await runRaw({
      url,
      params,
      cases: rawCases.map((r) => ({
        op: r.case.op,
        clients: r.case.clients,
        durationS: r.case.durationS,
        warmupS: config.warmupS,
      })),
    });
    rawCases.forEach((r, i) => {
      r.raw = results[i];
    });
  } catch (error) {
    for (const r of rawCases) r.errors.push(`raw: ${message(error)}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error);
}

/** The pattern S6's series reads: the journal's top pattern by occurrences. */
async function topPattern(url: string): Promise<number | undefined> {
  const store = openStore(url);
  try {
    return await store.topPattern();
  } finally {
    await store.close();
  }
}

/**
 * S1 against the baseline checkout: rounds of (baseline, current), each target's server on
 * a fresh copy of its own revision's pristine journal, so that drift over the rounds
 * touches both alike.
 */
async function versusBaseline(
  backend: Backend,
  journals: Journals,
  writes: Case[],
  config: BenchConfig,
  params: Params,
): Promise<Versus> {
  const dir = config.baselineDir as string;
  const versus: Versus = {
    baseline: revision(dir),
    current: revision(config.serviceDir),
    rounds: config.rounds,
    cases: writes.map((c) => ({ case: c, baseline: [], current: [], errors: [] })),
  };
  let made: Awaited<ReturnType<Journals['versus']>>;
  try {
    made = await journals.versus(dir);
  } catch (error) {
    for (const v of versus.cases) v.errors.push(`baseline journal: ${message(error)}`);
    return versus;
  }
  const dirs: Record<Revision, string | undefined> = { baseline: dir, current: config.serviceDir };
  for (let round = 1; round <= config.rounds; round++) {
    for (const rev of ['baseline', 'current'] as const) {
      log(`${backend} S1 versus, round ${round}/${config.rounds}: ${rev}`);
      let fresh: Awaited<ReturnType<typeof made.fresh>>;
      try {
        fresh = await made.fresh(rev, `r${round}`);
      } catch (error) {
        for (const v of versus.cases) v.errors.push(`${rev} round ${round}: ${message(error)}`);
        continue;
      }
      // CaseResult-shaped holders: onServer reports errors into them.
      const holders: CaseResult[] = versus.cases.map((v) => ({
        backend,
        case: v.case,
        errors: [],
      }));
      try {
        await onServer(
          'service',
          fresh.url,
          holders,
          config,
          params,
          () => undefined,
          dirs[rev],
          (r, m) => {
            const v = versus.cases[holders.indexOf(r)];
            v?.[rev].push(m);
          },
        );
      } finally {
        await fresh.drop().catch(() => {});
      }
      holders.forEach((h, i) => {
        versus.cases[i]?.errors.push(...h.errors.map((e) => `${rev} round ${round}: ${e}`));
      });
    }
  }
  return versus;
}

async function runBackend(
  backend: Backend,
  journals: Journals,
  config: BenchConfig,
  params: Params,
): Promise<{ results: CaseResult[]; versus?: Versus }> {
  const { writes, reads, mix } = casesFor(config);
  const results: CaseResult[] = [];
  const track = (c: Case) => {
    const r: CaseResult = { backend, case: c, errors: [] };
    results.push(r);
    return r;
  };
  // S1, each target on its own copy of the same journal.
  const s1 = writes.map(track);
  await onRaw(journals.writes.raw, s1, config, params);
  for (const target of ['reference', 'service'] as const) {
    await onServer(target, journals.writes[target], s1, config, params, () => undefined);
  }
  const versus =
    config.baselineDir && writes.length > 0
      ? await versusBaseline(backend, journals, writes, config, params)
      : undefined;
  const capacity = s1.find((r) => r.case.clients === 10 && r.case.label.includes('unique'))?.service
    ?.rps;
  const mixRate = () => (capacity ? Math.max(1, Math.round(capacity / 2)) : undefined);
  // Reads per size, then S5 on the largest.
  for (const size of config.sizes) {
    const url = journals.bySize.get(size) as string;
    const cases = reads(size).map(track);
    if (size === largest(config) && config.only.includes('S5')) cases.push(track(mix));
    if (cases.length === 0) continue;
    const rollups = cases.filter((r) => r.case.scenario === 'S6');
    let sizeParams = params;
    if (rollups.length > 0) {
      const top = await topPattern(url).catch(() => undefined);
      if (top !== undefined) sizeParams = { ...params, topPattern: top };
      else for (const r of rollups) r.errors.push('no pattern in the journal');
    }
    // S7: riceInputs (reads), then advisories and records (writes), in that order.
    const rice = cases.filter((r) => isRiceRead(r.case.op));
    const consumers = cases.filter((r) => r.case.scenario === 'S7' && !isRiceRead(r.case.op));
    // Raw writes no lessons here: its S7 advisories add impressions, which no read here reads.
    await onRaw(url, cases, config, sizeParams);
    // S6 and S7's riceInputs on the service before any target writes into this journal (S5
    // does), so that their answers are the raw run's.
    await onServer('service', url, [...rollups, ...rice], config, sizeParams, mixRate);
    const others = cases.filter((r) => r.case.scenario !== 'S6' && r.case.scenario !== 'S7');
    for (const target of ['reference', 'service'] as const) {
      await onServer(target, url, others, config, sizeParams, mixRate);
    }
    // Last: S7's advisories, then its records, on the same journal and server, one after
    // the other (the reference has neither); they only add rows to what came before.
    await onServer('service', url, consumers, config, sizeParams, mixRate);
  }
  // The GROUP BY's answers were for the check; the saved figures don't need them.
  for (const r of results) delete r.raw?.answer;
  return versus ? { results, versus } : { results };
}

function plot(runs: BackendRun[]): string {
  const colors: Record<Backend, string> = { sqlite: '#1f77b4', postgresql: '#d62728' };
  const panels = (['S3', 'S4'] as const).map((scenario) => {
    const series: Series[] = [];
    for (const run of runs) {
      for (const target of ['service', 'reference'] as const) {
        const points = run.results
          .filter((r) => r.case.scenario === scenario && r.case.clients === 1 && r[target])
          .map((r) => ({ x: r.case.size, y: r[target]?.p99 ?? Number.NaN }));
        if (points.length > 0) {
          series.push({
            name: `${run.backend} ${target === 'service' ? 'service' : 'reference (Yoga + raw driver)'}`,
            color: colors[run.backend],
            dashed: target === 'reference',
            points,
          });
        }
      }
    }
    return {
      title:
        scenario === 'S3'
          ? 'S3 lessonAggregates p99 (1 client)'
          : 'S4 lessonsSnapshot p99 (1 client)',
      series,
      target: scenario === 'S3' ? 50 : 10,
    };
  });
  return lineChart(panels, 'p99 latency over loopback HTTP against table size; log scales');
}

const README_START = '<!-- results:start -->';
const README_END = '<!-- results:end -->';

function publishReadme(report: string) {
  const path = `${BENCH}README.md`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) return;
  writeFileSync(
    path,
    `${text.slice(0, start + README_START.length)}\n${report}\n${text.slice(end)}`,
  );
}

interface Saved {
  config: BenchConfig;
  params: Params;
  runs: BackendRun[];
  meta: {
    began: string;
    minutes: number;
    load: [string, string];
    machine: Machine;
    revision?: string;
    since30?: string;
    asOf?: string;
  };
}

/** Writes the report, the JSON, the plot; in a publishing run, README's section and the SVG. */
function writeOutputs(saved: Saved) {
  const { config, runs, meta } = saved;
  const report = markdown(runs, config, meta, new Date(meta.began));
  console.log(report);
  mkdirSync(`${BENCH}results`, { recursive: true });
  writeFileSync(`${BENCH}results/latest.md`, report);
  writeFileSync(`${BENCH}results/latest.json`, `${JSON.stringify(saved, null, 2)}\n`);
  const svg = plot(runs);
  writeFileSync(`${BENCH}results/latency-vs-size.svg`, svg);
  if (config.publish) {
    writeFileSync(`${BENCH}latency-vs-size.svg`, svg);
    publishReadme(report);
    log('published: bench/README.md results section and bench/latency-vs-size.svg');
  }
}

async function measureAll(argv: string[]): Promise<Saved> {
  const config = configFromArgs(argv);
  const began = new Date();
  const loadBefore = loadAverage();
  const measured = revision(config.serviceDir);
  const params = paramsNow(config, began.getTime());
  log(`${config.mode} run: ${config.backends.join(', ')}; sizes ${config.sizes.join(', ')}`);
  const seeds = new SqliteSeeds(config.seed);
  const runs: BackendRun[] = [];
  // Only the tables something reads (all of them, unless --only leaves some out).
  const { reads } = casesFor(config);
  const withWrites = config.only.includes('S1');
  const sizes = config.sizes.filter(
    (size) => reads(size).length > 0 || (size === largest(config) && config.only.includes('S5')),
  );
  try {
    for (const backend of config.backends) {
      if (backend === 'sqlite') {
        log('seeding SQLite journals');
        const journals = await sqliteJournals(seeds, sizes, config.writeSize, withWrites);
        runs.push({ backend, ...(await runBackend(backend, journals, config, params)) });
        continue;
      }
      log('starting PostgreSQL and copying the journals into it');
      const journals = await postgresJournals(
        seeds,
        sizes,
        config.writeSize,
        log,
        withWrites,
      ).catch((error: unknown) => ({ skipped: `PostgreSQL failed: ${message(error)}` }));
      if ('skipped' in journals) {
        log(`postgresql skipped: ${journals.skipped}`);
        runs.push({ backend, results: [], skipped: journals.skipped });
        continue;
      }
      try {
        const measured = await runBackend(backend, journals, config, params);
        runs.push({ backend, ...measured, ...(journals.note ? { note: journals.note } : {}) });
      } finally {
        await journals.stop();
      }
    }
  } finally {
    seeds.cleanUp();
  }
  const minutes = (Date.now() - began.getTime()) / 60_000;
  log(`measured in ${minutes.toFixed(1)} min`);
  return {
    config,
    params,
    runs,
    meta: {
      began: began.toISOString(),
      minutes,
      load: [loadBefore, loadAverage()],
      machine: machine(),
      revision: measured,
      since30: params.since30,
      asOf: params.asOf,
    },
  };
}

// `--rerender`: the report, the plot (and, for a full run, README's section) again from
// bench/results/latest.json, without measuring.
if (process.argv.includes('--rerender')) {
  writeOutputs(JSON.parse(readFileSync(`${BENCH}results/latest.json`, 'utf8')) as Saved);
} else {
  writeOutputs(await measureAll(process.argv.slice(2)));
}
