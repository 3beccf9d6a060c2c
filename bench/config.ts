// config: what one run of the bench measures and for how long, from the command line.
//
// Two presets: `--quick` (about a minute: 10k lessons, SQLite, short runs) and the full run
// (10k / 100k / 1M lessons, both backends, 20-40 minutes). Every preset value can be
// overridden (`--sizes 10000,100000`, `--backends sqlite`, `--duration 5`, ...).
import { parseArgs } from 'node:util';

export type Backend = 'sqlite' | 'postgresql';

export interface BenchConfig {
  mode: 'quick' | 'full' | 'custom';
  backends: Backend[];
  /** table sizes for S3/S4, ascending; the largest also serves S2 and S5 */
  sizes: number[];
  /** lessons in the database S1 writes into (a copy per target) */
  writeSize: number;
  /** seconds of warm-up before each measured run */
  warmupS: number;
  /** seconds of each measured run (S1, S2) */
  durationS: number;
  /** seconds of each measured S3/S4 run */
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
  },
};

const USAGE = `usage: npm run bench [-- --quick] [--backends sqlite,postgresql] [--sizes 10000,100000]
  [--duration S] [--read-duration S] [--mix-duration S] [--warmup S] [--deep N] [--no-publish]
  [--service-dir DIR]   run the service from another checkout of the project (a pinned revision)`;

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
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const config: BenchConfig = { ...PRESETS[values.quick ? 'quick' : 'full'] };
  let custom = false;
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
  if (custom && config.mode === 'full') config.mode = 'custom';
  if (values['service-dir']) config.serviceDir = values['service-dir'];
  // Only a full run with the preset's sizes and backends may overwrite the published figures.
  config.publish = config.mode === 'full' && !values['no-publish'];
  return config;
}

/** The largest table: S2 and S5 run on it. */
export function largest(config: BenchConfig): number {
  return config.sizes[config.sizes.length - 1] as number;
}
