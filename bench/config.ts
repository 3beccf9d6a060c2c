// config: what one run of the bench measures and for how long, from the command line.
//
// Two presets: `--quick` (about a minute: 10k lessons, SQLite, short runs) and the full run
// (10k / 100k / 1M lessons, both backends, 20-40 minutes). Every preset value can be
// overridden (`--sizes 10000,100000`, `--backends sqlite`, `--duration 5`, ...).
import { parseArgs } from 'node:util';

export type Backend = 'sqlite' | 'postgresql';

export const SCENARIOS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchConfig {
  mode: 'quick' | 'full' | 'custom';
  backends: Backend[];
  /** table sizes for S3/S4, ascending; the largest also serves S2 and S5 */
  sizes: number[];
  /** lessons in the database S1 writes into (a copy per target) */
  writeSize: number;
  /** seconds of warm-up before each measured run */
  warmupS: number;
  /** seconds of each measured run (S1, S2, S7's advisories and records) */
  durationS: number;
  /** seconds of each measured S3/S4/S6 run, and S7's riceInputs */
  readDurationS: number;
  /** seconds of the fixed-rate S5 run */
  mixDurationS: number;
  /** how deep the S2 deep page's cursor is */
  deepPage: number;
  /** write bench/README.md's results section and the plot */
  publish: boolean;
  seed: number;
  /** run the service from this checkout instead of this one (a pinned revision) */
  serviceDir?: string;
  /** the scenarios to run (default: all) */
  only: ScenarioId[];
  /**
   * S1 also against the service of this checkout (a previous revision, with its own
   * node_modules and generated client), interleaved with this one's in `rounds` rounds
   */
  baselineDir?: string;
  rounds: number;
  /**
   * The UTC time of day ("HH:MM") of the 30-day window's start (S3, S5, S6), on the day
   * 30 days ago; default: the run's own start time. The rollups read the window's partial
   * first day from `lessons`, so their cost depends on it: 00:01 is the worst case.
   */
  sinceAt?: string;
}

const PRESETS: Record<'quick' | 'full', BenchConfig> = {
  quick: {
    mode: 'quick',
    backends: ['sqlite'],
    sizes: [10_000],
    writeSize: 10_000,
    warmupS: 0.5,
    durationS: 1.5,
    readDurationS: 1,
    mixDurationS: 3,
    deepPage: 1_000,
    publish: false,
    seed: 42,
    only: [...SCENARIOS],
    rounds: 2,
  },
  full: {
    mode: 'full',
    backends: ['sqlite', 'postgresql'],
    sizes: [10_000, 100_000, 1_000_000],
    writeSize: 10_000,
    warmupS: 3,
    durationS: 10,
    readDurationS: 8,
    mixDurationS: 20,
    deepPage: 10_000,
    publish: true,
    seed: 42,
    only: [...SCENARIOS],
    rounds: 3,
  },
};

const USAGE = `usage: npm run bench [-- --quick] [--backends sqlite,postgresql] [--sizes 10000,100000]
  [--duration S] [--read-duration S] [--mix-duration S] [--warmup S] [--deep N] [--no-publish]
  [--service-dir DIR]   run the service from another checkout of the project (a pinned revision)
  [--only S1,S6]        run only these scenarios (S1..S7; S5 needs S1, for its rate)
  [--baseline-dir DIR]  S1 also against the service of another checkout (its own migrations),
                        interleaved with this one's: baseline, current, ... for --rounds N
  [--rounds N]          rounds of that comparison (default 3; quick: 2)
  [--issue]             the rollup figures: --only S1,S6 --sizes 10000,1000000, both backends
  [--since-at HH:MM]    the 30-day window starts at this UTC time of day (default: now's)`;

function numbers(text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (values.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(USAGE);
  return values;
}

export function configFromArgs(argv: string[]): BenchConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      backends: { type: 'string' },
      sizes: { type: 'string' },
      duration: { type: 'string' },
      'read-duration': { type: 'string' },
      'mix-duration': { type: 'string' },
      warmup: { type: 'string' },
      deep: { type: 'string' },
      'no-publish': { type: 'boolean', default: false },
      'service-dir': { type: 'string' },
      only: { type: 'string' },
      'baseline-dir': { type: 'string' },
      rounds: { type: 'string' },
      issue: { type: 'boolean', default: false },
      'since-at': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config: BenchConfig = { ...PRESETS[values.quick ? 'quick' : 'full'] };
  let custom = false;
  if (values.issue) {
    // The figures of the rollups' issue: S1 (10k) against the previous revision when
    // --baseline-dir is given, and S6 on the largest table, on both backends.
    values.only ??= 'S1,S6';
    values.sizes ??= '10000,1000000';
  }
  if (values.only) {
    const only = values.only.split(',').map((id) => id.trim().toUpperCase());
    if (!only.every((id): id is ScenarioId => (SCENARIOS as readonly string[]).includes(id))) {
      throw new Error(USAGE);
    }
    config.only = only;
    custom = true;
  }
  if (values.backends) {
    const backends = values.backends.split(',').map((b) => b.trim());
    if (!backends.every((b): b is Backend => b === 'sqlite' || b === 'postgresql')) {
      throw new Error(USAGE);
    }
    config.backends = backends;
    custom = true;
  }
  if (values.sizes) {
    config.sizes = numbers(values.sizes).sort((a, b) => a - b);
    config.writeSize = config.sizes[0] as number;
    custom = true;
  }
  const seconds = (text: string | undefined) => (text ? (numbers(text)[0] as number) : undefined);
  config.durationS = seconds(values.duration) ?? config.durationS;
  config.readDurationS = seconds(values['read-duration']) ?? config.readDurationS;
  config.mixDurationS = seconds(values['mix-duration']) ?? config.mixDurationS;
  config.warmupS = seconds(values.warmup) ?? config.warmupS;
  config.deepPage = seconds(values.deep) ?? config.deepPage;
  if (values.duration || values['read-duration'] || values.warmup || values.deep) custom = true;
  if (values['since-at']) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values['since-at'])) throw new Error(USAGE);
    config.sinceAt = values['since-at'];
    custom = true;
  }
  if (custom && config.mode === 'full') config.mode = 'custom';
  if (values['service-dir']) config.serviceDir = values['service-dir'];
  if (values['baseline-dir']) config.baselineDir = values['baseline-dir'];
  if (values.rounds) config.rounds = Math.round(numbers(values.rounds)[0] as number);
  // Only a full run with the preset's sizes and backends may overwrite the published figures.
  config.publish = config.mode === 'full' && !values['no-publish'];
  return config;
}

/** The largest table: S2, S5, S6 and S7 run on it. */
export function largest(config: BenchConfig): number {
  return config.sizes[config.sizes.length - 1] as number;
}
