// report: the run's figures as Markdown: one table per backend with the service's figures
// and their ratios to the same-run baselines, the S5 table, S6's and S7's tables per
// backend, and each target met or missed (and by how much).
import { type Backend, type BenchConfig, SCENARIOS } from './config.ts';
import type { LoadResult } from './load.ts';
import type { RawResult } from './raw-baseline.ts';
import { type Case, isRiceRead, ROLLUP_READS, type RollupRead } from './scenarios.ts';

export interface Measured extends LoadResult {
  rssMb: number;
  /** service only: lessons_faults_total during the run (timeouts, database faults) */
  faults?: number;
  /** S5: the worst event-loop stall during the run, ms */
  stallMs?: number;
  /** S5: the fixed rate asked for, req/s */
  rate?: number;
  /** S6, S7: what the pre-flight check found (S6, S7's riceInputs: against raw's answer) */
  checked?: string;
}

/** S1 of this revision against a baseline checkout, in rounds (baseline, current, ...). */
export interface Versus {
  baseline: string;
  current: string;
  rounds: number;
  cases: {
    case: Case;
    /** one per round that measured */
    baseline: Measured[];
    current: Measured[];
    errors: string[];
  }[];
}

export interface CaseResult {
  backend: Backend;
  case: Case;
  service?: Measured;
  reference?: Measured;
  raw?: RawResult;
  /** why a figure is missing */
  errors: string[];
}

export interface BackendRun {
  backend: Backend;
  results: CaseResult[];
  versus?: Versus;
  note?: string;
  skipped?: string;
}

/** S6's bars: p99 at most this many ms, and at most this fraction of the GROUP BY's p99. */
export const ROLLUP_P99_MS = 20;
export const ROLLUP_RATIO = 0.05;
/** S1 against the baseline: current req/s at least this fraction of the baseline's. */
export const VERSUS_RATIO = 0.9;
/** S7's bar for riceInputs: p99 at most this many ms at 1 client. */
export const RICE_P99_MS = 50;

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

const BACKEND_NAME: Record<Backend, string> = {
  sqlite: 'SQLite (WAL, synchronous=FULL)',
  postgresql: 'PostgreSQL (synchronous_commit=on)',
};

/** A latency in ms: 2 decimals under 10, 1 under 100, none above. */
export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
}

function rate(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) {
    return '-';
  }
  const r = a / b;
  return `${r.toFixed(r < 10 ? 2 : 0)}x`;
}

function size(n: number): string {
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n);
}

function failures(result: CaseResult): string {
  const parts: string[] = [];
  const s = result.service;
  if (s?.failures) parts.push(`${s.failures} failed`);
  if (s?.faults) parts.push(`${s.faults} faults`);
  if (result.reference?.failures) parts.push(`ref ${result.reference.failures} failed`);
  if (result.raw?.failures) parts.push(`raw ${result.raw.failures} failed`);
  return parts.join(', ') || '0';
}

function backendTable(run: BackendRun): string[] {
  const lines = [
    `### ${BACKEND_NAME[run.backend]}`,
    '',
    ...(run.note ? [`${run.note}.`, ''] : []),
    '| scenario | lessons | clients | service req/s | p50 ms | p99 ms | peak RSS MiB | reference req/s | ref p99 ms | raw ops/s | raw p99 ms | req/s vs ref | p99 vs ref | req/s vs raw | p99 vs raw | failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of run.results) {
    if (['S5', 'S6', 'S7'].includes(r.case.scenario)) continue;
    const { service: s, reference: ref, raw } = r;
    lines.push(
      `| ${r.case.scenario} ${r.case.label} | ${size(r.case.size)} | ${r.case.clients} | ${rate(s?.rps)} | ${ms(s?.p50)} | ${ms(s?.p99)} | ${s ? Math.round(s.rssMb) : '-'} | ${rate(ref?.rps)} | ${ms(ref?.p99)} | ${rate(raw?.rps)} | ${ms(raw?.p99)} | ${ratio(s?.rps, ref?.rps)} | ${ratio(s?.p99, ref?.p99)} | ${ratio(s?.rps, raw?.rps)} | ${ratio(s?.p99, raw?.p99)} | ${failures(r)} |`,
    );
  }
  const errors = run.results
    .filter((r) => r.case.scenario !== 'S7')
    .flatMap((r) =>
      r.errors.map(
        (e) =>
          `- ${r.case.scenario} ${r.case.label} (${size(r.case.size)}, ${r.case.clients}): ${e}`,
      ),
    );
  if (errors.length > 0) lines.push('', 'Missing figures:', ...errors);
  return lines;
}

function mixTable(runs: BackendRun[]): string[] {
  const rows = runs.flatMap((run) =>
    run.results.filter((r) => r.case.scenario === 'S5').map((r) => ({ run, r })),
  );
  if (rows.length === 0) return [];
  const lines = [
    "### S5: mix at a fixed rate (half the service's S1 unique-key capacity at 10 clients)",
    '',
    '| backend | lessons | server | rate asked req/s | achieved req/s | p50 ms | p99 ms | max ms | worst event-loop stall ms | peak RSS MiB | failures |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { run, r } of rows) {
    for (const [name, m] of [
      ['service', r.service],
      ['reference', r.reference],
    ] as const) {
      if (!m) continue;
      const failed = [
        m.failures ? `${m.failures} failed` : '',
        m.faults ? `${m.faults} faults` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `| ${run.backend} | ${size(r.case.size)} | ${name} | ${rate(m.rate)} | ${rate(m.rps)} | ${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.max)} | ${ms(m.stallMs)} | ${Math.round(m.rssMb)} | ${failed || '0'} |`,
      );
    }
  }
  return lines;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function rollupTable(run: BackendRun): string[] {
  const rows = run.results.filter((r) => r.case.scenario === 'S6');
  if (rows.length === 0) return [];
  const lines = [
    `### S6: rollup reads against the raw GROUP BY (${BACKEND_NAME[run.backend]})`,
    '',
    `The service reads the rollups over HTTP; raw is the plain GROUP BY over \`lessons\` that gives the same answer, in-process with the raw driver (what the read cost before the rollups). Bars: p99 <= ${ROLLUP_P99_MS} ms, and p99 <= ${ROLLUP_RATIO}x the GROUP BY's (${Math.round(1 / ROLLUP_RATIO)}x faster), judged at 1 client.`,
    '',
    '| read | lessons | clients | service req/s | p50 ms | p99 ms | raw: the GROUP BY | raw ops/s | raw p50 ms | raw p99 ms | p99 service / raw | speed-up | answer check | failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const { service: s, raw } = r;
    const read = ROLLUP_READS[r.case.op.kind as RollupRead];
    const faster = s && raw && s.p99 > 0 ? speedup(raw.p99 / s.p99) : '-';
    lines.push(
      `| ${r.case.label} | ${size(r.case.size)} | ${r.case.clients} | ${rate(s?.rps)} | ${ms(s?.p50)} | ${ms(s?.p99)} | \`${read?.raw ?? '?'}\` | ${rate(raw?.rps)} | ${ms(raw?.p50)} | ${ms(raw?.p99)} | ${fraction(s?.p99, raw?.p99)} | ${faster} | ${s?.checked ?? '-'} | ${failures(r)} |`,
    );
  }
  const errors = rows.flatMap((r) =>
    r.errors.map((e) => `- ${r.case.label} (${size(r.case.size)}, ${r.case.clients}): ${e}`),
  );
  if (errors.length > 0) lines.push('', 'Missing figures:', ...errors);
  return lines;
}

/** S7's advisories case and the records it is held to, in one run's results. */
function adviceCases(run: BackendRun) {
  const s7 = run.results.filter((r) => r.case.scenario === 'S7');
  return {
    advice: s7.find((r) => r.case.op.kind === 'advisories'),
    records: s7.find((r) => r.case.op.kind === 'record'),
  };
}

/** The S7 verdict of a row (its target column), or why it has none. */
function consumerVerdict(run: BackendRun, r: CaseResult): string {
  const shown = (v: Verdict) =>
    v.met === undefined ? v.by : `${v.met ? '**met**' : '**missed**'}`;
  if (isRiceRead(r.case.op)) {
    const v = atMost('', r.service?.p99, RICE_P99_MS);
    return r.case.clients === 1
      ? `p99 <= ${RICE_P99_MS} ms: ${shown(v)}`
      : `(p99 <= ${RICE_P99_MS} ms: ${v.met === undefined ? v.by : v.met ? 'within' : 'over'}; informative)`;
  }
  if (r.case.op.kind === 'advisories') {
    return `p99 <= recordLesson's: ${shown(adviceVerdict(run))}`;
  }
  return "advisories' bar";
}

function consumersTable(run: BackendRun): string[] {
  const rows = run.results.filter((r) => r.case.scenario === 'S7');
  if (rows.length === 0) return [];
  const lines = [
    `### S7: the consumers' analytics (${BACKEND_NAME[run.backend]})`,
    '',
    `The service over HTTP; raw is the journal's own function (\`riceInputs\` of src/journal/rice.ts, \`advisories\` of advice.ts: the same SQL and post-processing) in-process on the raw driver, no HTTP, no GraphQL, no Prisma. riceInputs: the service's answer must equal raw's (after JSON: dates as ISO text) before it is timed; bar p99 <= ${RICE_P99_MS} ms at 1 client. advisories (each request records its impressions) then recordLesson (unique keys), at 10 clients on the same journal, after the reads: bar advisories' p99 <= recordLesson's. The records have no raw run here (S1 has the raw driver's).`,
    '',
    '| case | lessons | clients | service req/s | p50 ms | p99 ms | raw | raw ops/s | raw p50 ms | raw p99 ms | p99 service / raw | req/s service / raw | target | answer check | failures |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  ];
  for (const r of rows) {
    const { service: s, raw } = r;
    const rawName = isRiceRead(r.case.op)
      ? '`riceInputs` (rice.ts)'
      : r.case.op.kind === 'advisories'
        ? '`advisories` (advice.ts; not required)'
        : 'none (service only)';
    const check = [
      s?.checked ?? '-',
      ...(raw?.rows !== undefined && !isRiceRead(r.case.op) ? [`raw: ${raw.rows}`] : []),
    ].join('; ');
    lines.push(
      `| ${r.case.label} | ${size(r.case.size)} | ${r.case.clients} | ${rate(s?.rps)} | ${ms(s?.p50)} | ${ms(s?.p99)} | ${rawName} | ${rate(raw?.rps)} | ${ms(raw?.p50)} | ${ms(raw?.p99)} | ${ratio(s?.p99, raw?.p99)} | ${ratio(s?.rps, raw?.rps)} | ${consumerVerdict(run, r)} | ${check} | ${failures(r)} |`,
    );
  }
  const errors = rows.flatMap((r) =>
    r.errors.map((e) => `- ${r.case.label} (${size(r.case.size)}, ${r.case.clients}): ${e}`),
  );
  if (errors.length > 0) lines.push('', 'Missing figures:', ...errors);
  return lines;
}

/** S7: advisories' p99 at 10 clients at most recordLesson's at 10 clients, same journal. */
function adviceVerdict(run: BackendRun): Verdict {
  const { advice, records } = adviceCases(run);
  const target = `S7 advisories, 10 clients, ${size(advice?.case.size ?? 0)}: p99 <= recordLesson's p99 (10 clients, same run)`;
  const a = advice?.service?.p99;
  const b = records?.service?.p99;
  if (a === undefined || b === undefined || !Number.isFinite(a) || !(b > 0)) {
    return { target, measured: '-', met: undefined, by: 'not measured' };
  }
  const met = a <= b;
  return {
    target,
    measured: `${ratio(a, b)} (${ms(a)} vs ${ms(b)} ms)`,
    met,
    by: met ? `${ms(b - a)} ms to spare` : `over by ${ms(a - b)} ms (${ratio(a, b)} the records')`,
  };
}

/** How many times faster (base / value), or slower when under 1. */
function speedup(times: number): string {
  return times >= 1
    ? `${times.toFixed(times < 10 ? 1 : 0)}x faster`
    : `${(1 / times).toFixed(1)}x slower`;
}

/** A ratio well below 1, with enough digits to read it against 0.05. */
function fraction(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) {
    return '-';
  }
  const r = a / b;
  return `${r < 0.01 ? r.toFixed(4) : r < 1 ? r.toFixed(3) : r.toFixed(2)}x`;
}

function versusTable(run: BackendRun): string[] {
  const v = run.versus;
  if (!v) return [];
  const lines = [
    `### S1 against the previous revision (${BACKEND_NAME[run.backend]})`,
    '',
    `This revision (${v.current}) against the baseline (${v.baseline}): ${v.rounds} rounds of (baseline, current), each server on a fresh copy of its own revision's 10k journal (its own seeder and migrations). req/s is the mean over the rounds, p99 the median of the rounds'. Bar: current >= ${VERSUS_RATIO}x the baseline's req/s at 10 clients.`,
    '',
    '| case | clients | baseline req/s | current req/s | current / baseline | per round | baseline p99 ms | current p99 ms | failures |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const c of v.cases) {
    const b = c.baseline.map((m) => m.rps);
    const cur = c.current.map((m) => m.rps);
    const rounds = Array.from({ length: Math.min(b.length, cur.length) }, (_, i) =>
      ratio(cur[i], b[i]),
    );
    const failed = [...c.baseline, ...c.current].reduce(
      (n, m) => n + (m.failures ?? 0) + (m.faults ?? 0),
      0,
    );
    lines.push(
      `| ${c.case.label} | ${c.case.clients} | ${b.length ? rate(mean(b)) : '-'} | ${cur.length ? rate(mean(cur)) : '-'} | ${b.length && cur.length ? ratio(mean(cur), mean(b)) : '-'} | ${rounds.join(', ') || '-'} | ${c.baseline.length ? ms(median(c.baseline.map((m) => m.p99))) : '-'} | ${c.current.length ? ms(median(c.current.map((m) => m.p99))) : '-'} | ${failed || '0'} |`,
    );
  }
  const errors = v.cases.flatMap((c) =>
    c.errors.map((e) => `- ${c.case.label} (${c.case.clients}): ${e}`),
  );
  if (errors.length > 0) lines.push('', 'Missing figures:', ...errors);
  return lines;
}

interface Verdict {
  target: string;
  measured: string;
  met: boolean | undefined;
  by: string;
}

function find(run: BackendRun, scenario: string, clients: number, size?: number, label?: string) {
  return run.results.find(
    (r) =>
      r.case.scenario === scenario &&
      r.case.clients === clients &&
      (size === undefined || r.case.size === size) &&
      (label === undefined || r.case.label.includes(label)),
  );
}

/** "at most": met when value <= limit; else missed by value/limit. */
function atMost(target: string, value: number | undefined, limit: number): Verdict {
  if (value === undefined || !Number.isFinite(value)) {
    return { target, measured: '-', met: undefined, by: 'not measured' };
  }
  const met = value <= limit;
  return {
    target,
    measured: `${ms(value)} ms`,
    met,
    by: met
      ? `${ms(limit - value)} ms to spare`
      : `over by ${ms(value - limit)} ms (${(value / limit).toFixed(1)}x the limit)`,
  };
}

/** "at most a fraction of the baseline's p99" (S6): met when service/raw <= bar. */
function fasterBy(target: string, value: number | undefined, base: number | undefined): Verdict {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !(base > 0)) {
    return { target, measured: '-', met: undefined, by: 'not measured' };
  }
  const r = value / base;
  const met = r <= ROLLUP_RATIO;
  const times = base / value;
  return {
    target,
    measured: `${fraction(value, base)} (${ms(value)} vs ${ms(base)} ms: ${speedup(times)})`,
    met,
    by: met
      ? `${(ROLLUP_RATIO / r).toFixed(1)}x inside the bar`
      : `${(r / ROLLUP_RATIO).toFixed(1)}x over the bar (${speedup(times)} where ${Math.round(1 / ROLLUP_RATIO)}x faster is asked)`,
  };
}

function verdicts(run: BackendRun, top: number): Verdict[] {
  const out: Verdict[] = [];
  for (const r of run.results.filter((x) => x.case.scenario === 'S6')) {
    const informative = r.case.clients > 1 ? ' (informative)' : '';
    const where = `${r.case.clients} client${r.case.clients > 1 ? 's' : ''}, ${size(r.case.size)}`;
    const p99 = atMost(
      `S6 ${r.case.label}, ${where}: p99 <= ${ROLLUP_P99_MS} ms${informative}`,
      r.service?.p99,
      ROLLUP_P99_MS,
    );
    const faster = fasterBy(
      `S6 ${r.case.label}, ${where}: p99 <= ${ROLLUP_RATIO}x the GROUP BY's${informative}`,
      r.service?.p99,
      r.raw?.p99,
    );
    out.push(p99, faster);
  }
  for (const r of run.results.filter((x) => x.case.scenario === 'S7' && isRiceRead(x.case.op))) {
    const where = `${r.case.clients} client${r.case.clients > 1 ? 's' : ''}, ${size(r.case.size)}`;
    const raw =
      r.raw?.p99 === undefined
        ? ''
        : ` (raw ${ms(r.raw.p99)} ms: ${ratio(r.service?.p99, r.raw.p99)})`;
    const v = atMost(
      `S7 ${r.case.label}, ${where}: p99 <= ${RICE_P99_MS} ms${r.case.clients > 1 ? ' (informative)' : ''}`,
      r.service?.p99,
      RICE_P99_MS,
    );
    if (v.met !== undefined) v.measured += raw;
    out.push(v);
  }
  if (adviceCases(run).advice) out.push(adviceVerdict(run));
  for (const c of run.versus?.cases ?? []) {
    if (c.case.clients !== 10) continue;
    const target = `S1 ${c.case.label.replace('recordLesson, ', '')}, 10 clients: req/s >= ${VERSUS_RATIO}x the previous revision's`;
    if (c.baseline.length === 0 || c.current.length === 0) {
      out.push({ target, measured: '-', met: undefined, by: 'not measured' });
      continue;
    }
    const b = mean(c.baseline.map((m) => m.rps));
    const cur = mean(c.current.map((m) => m.rps));
    const x = cur / b;
    out.push({
      target,
      measured: `${x.toFixed(2)}x (${rate(cur)} vs ${rate(b)})`,
      met: x >= VERSUS_RATIO,
      by:
        x >= VERSUS_RATIO
          ? `${((x / VERSUS_RATIO - 1) * 100).toFixed(1)}% above the ${VERSUS_RATIO}x bar`
          : `${((1 - x / VERSUS_RATIO) * 100).toFixed(1)}% below the ${VERSUS_RATIO}x bar`,
    });
  }
  for (const label of ['unique keys', '50% duplicates']) {
    const r = find(run, 'S1', 10, undefined, label);
    if (!r) continue;
    const s = r?.service?.rps;
    const ref = r?.reference?.rps;
    if (s !== undefined && ref !== undefined && ref > 0) {
      const x = s / ref;
      out.push({
        target: `S1 ${label}, 10 clients: req/s >= 0.6x reference`,
        measured: `${x.toFixed(2)}x (${rate(s)} vs ${rate(ref)})`,
        met: x >= 0.6,
        by:
          x >= 0.6
            ? `${((x / 0.6 - 1) * 100).toFixed(1)}% above the 0.6x bar`
            : `${((1 - x / 0.6) * 100).toFixed(1)}% below the 0.6x bar`,
      });
    } else
      out.push({
        target: `S1 ${label} throughput`,
        measured: '-',
        met: undefined,
        by: 'not measured',
      });
    out.push(atMost(`S1 ${label}, 10 clients: p99 <= 10 ms`, r?.service?.p99, 10));
  }
  for (const r of run.results.filter((x) => x.case.scenario === 'S2')) {
    out.push(
      atMost(`S2 ${r.case.label}, 10 clients, ${size(top)}: p99 <= 5 ms`, r.service?.p99, 5),
    );
  }
  for (const [scenario, limit] of [
    ['S3', 50],
    ['S4', 10],
  ] as const) {
    for (const clients of [1, 10]) {
      const r = find(run, scenario, clients, top);
      if (!r) continue;
      const v = atMost(
        `${scenario} ${r?.case.label ?? ''}, ${clients} client${clients > 1 ? 's' : ''}, ${size(top)}: p99 <= ${limit} ms`,
        r?.service?.p99,
        limit,
      );
      if (clients === 10) v.target += ' (informative)';
      out.push(v);
    }
  }
  const mix = find(run, 'S5', 10);
  if (!mix) return out;
  const s1 = find(run, 'S1', 10, undefined, 'unique keys')?.service?.p99;
  if (s1 !== undefined)
    out.push(atMost(`S5 p99 <= 3 x S1's p99 alone (3 x ${ms(s1)} ms)`, mix?.service?.p99, 3 * s1));
  out.push(atMost('S5 worst event-loop stall <= 50 ms', mix?.service?.stallMs, 50));
  return out;
}

function targetsTable(runs: BackendRun[], top: number, config: BenchConfig): string[] {
  const lines = [
    '### Targets',
    '',
    ...(top < 1_000_000
      ? [
          `(Judged at ${size(top)} lessons, the largest table of this ${config.mode} run; the targets are set at 1M.)`,
          '',
        ]
      : []),
    "S3, S4, S6 and S7's riceInputs are judged at 1 client (one caller's latency); their 10-client figures are shown for information. S2 and S7's advisories are judged at 10 clients, as the targets say.",
    '',
    '| backend | target | measured | verdict |',
    '| --- | --- | --- | --- |',
  ];
  for (const run of runs) {
    if (run.skipped) continue;
    for (const v of verdicts(run, top)) {
      const verdict = v.met === undefined ? v.by : `${v.met ? '**met**' : '**missed**'}: ${v.by}`;
      lines.push(`| ${run.backend} | ${v.target} | ${v.measured} | ${verdict} |`);
    }
  }
  return lines;
}

export interface RunMeta {
  minutes: number;
  /** the 30-day window's start (S3, S5, S6) */
  since30?: string;
  /** where S7's riceInputs window ends (`asOf`) */
  asOf?: string;
  /** 1-minute load average at the start and the end */
  load: [string, string];
  machine: Machine;
  revision?: string;
}

export function markdown(
  runs: BackendRun[],
  config: BenchConfig,
  meta: RunMeta,
  began: Date,
): string {
  const { machine, minutes, load } = meta;
  const top = config.sizes[config.sizes.length - 1] as number;
  const lines = [
    `Run of ${began.toISOString()} (${config.mode} mode, ${minutes.toFixed(1)} min)${meta.revision ? ` of ${meta.revision}` : ''}: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB RAM, Node ${machine.node}, ${machine.os}; 1-minute load average ${load[0]} at the start, ${load[1]} at the end (other work on the machine shifts absolute times; the same-run ratios are steadier).`,
    `Measured runs: ${config.durationS} s (S1, S2, S7's advisories and records), ${config.readDurationS} s (S3, S4, S6, S7's riceInputs), ${config.mixDurationS} s (S5), each after ${config.warmupS} s of warm-up${(config.only?.length ?? SCENARIOS.length) < SCENARIOS.length ? `; only ${config.only.join(', ')}` : ''}. Latencies are per request as the client sees them (loopback HTTP); raw = the same SQL in-process, no HTTP. Ratios are service / baseline: req/s above 1x and p99 below 1x favour the service.${meta.since30 ? ` The 30-day window (S3, S5, S6) starts at ${meta.since30}: the rollups read its partial first day, ${meta.since30.slice(11, 16)} to midnight UTC, from \`lessons\`, so their cost depends on that time of day (\`--since-at 00:01\` is the worst case).` : ''}${meta.asOf && config.only.includes('S7') ? ` S7's riceInputs windows end at ${meta.asOf} (the run's start, sent as \`asOf\`): [asOf - 30 d, asOf) and the 30 days before it.` : ''}`,
    '',
  ];
  for (const run of runs) {
    if (run.skipped) {
      lines.push(`### ${BACKEND_NAME[run.backend]}`, '', `Skipped: ${run.skipped}.`, '');
      continue;
    }
    if (run.results.some((r) => !['S6', 'S7'].includes(r.case.scenario))) {
      lines.push(...backendTable(run), '');
    }
    const rollups = rollupTable(run);
    if (rollups.length > 0) lines.push(...rollups, '');
    const consumers = consumersTable(run);
    if (consumers.length > 0) lines.push(...consumers, '');
    const versus = versusTable(run);
    if (versus.length > 0) lines.push(...versus, '');
  }
  lines.push(...mixTable(runs), '', ...targetsTable(runs, top, config), '');
  return lines.join('\n');
}
