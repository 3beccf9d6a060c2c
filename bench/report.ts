// report: the run's figures as Markdown: one table per backend with the service's figures
// and their ratios to the same-run baselines, the S5 table, and each target met or missed
// (and by how much).
import type { Backend, BenchConfig } from './config.ts';
import type { LoadResult } from './load.ts';
import type { RawResult } from './raw-baseline.ts';
import type { Case } from './scenarios.ts';

export interface Measured extends LoadResult {
  rssMb: number;
  /** service only: lessons_faults_total during the run (timeouts, database faults) */
  faults?: number;
  /** S5: the worst event-loop stall during the run, ms */
  stallMs?: number;
  /** S5: the fixed rate asked for, req/s */
  rate?: number;
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
  note?: string;
  skipped?: string;
}

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
    if (r.case.scenario === 'S5') continue;
    const { service: s, reference: ref, raw } = r;
    lines.push(
      `| ${r.case.scenario} ${r.case.label} | ${size(r.case.size)} | ${r.case.clients} | ${rate(s?.rps)} | ${ms(s?.p50)} | ${ms(s?.p99)} | ${s ? Math.round(s.rssMb) : '-'} | ${rate(ref?.rps)} | ${ms(ref?.p99)} | ${rate(raw?.rps)} | ${ms(raw?.p99)} | ${ratio(s?.rps, ref?.rps)} | ${ratio(s?.p99, ref?.p99)} | ${ratio(s?.rps, raw?.rps)} | ${ratio(s?.p99, raw?.p99)} | ${failures(r)} |`,
    );
  }
  const errors = run.results.flatMap((r) =>
    r.errors.map(
      (e) => `- ${r.case.scenario} ${r.case.label} (${size(r.case.size)}, ${r.case.clients}): ${e}`,
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

function verdicts(run: BackendRun, top: number): Verdict[] {
  const out: Verdict[] = [];
  for (const label of ['unique keys', '50% duplicates']) {
    const r = find(run, 'S1', 10, undefined, label);
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
    "S3 and S4 are judged at 1 client (one caller's latency); their 10-client figures are shown for information. S2 is judged at 10 clients, as the target says.",
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
    `Measured runs: ${config.durationS} s (S1, S2), ${config.readDurationS} s (S3, S4), ${config.mixDurationS} s (S5), each after ${config.warmupS} s of warm-up. Latencies are per request as the client sees them (loopback HTTP); raw = the same SQL in-process, no HTTP. Ratios are service / baseline: req/s above 1x and p99 below 1x favour the service.`,
    '',
  ];
  for (const run of runs) {
    if (run.skipped) {
      lines.push(`### ${BACKEND_NAME[run.backend]}`, '', `Skipped: ${run.skipped}.`, '');
      continue;
    }
    lines.push(...backendTable(run), '');
  }
  lines.push(...mixTable(runs), '', ...targetsTable(runs, top, config), '');
  return lines.join('\n');
}
