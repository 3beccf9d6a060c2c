// `npm run seed -- --lessons 1000000 [--days 90] [--seed 42] [--database-url file:...]`
//
// Fills a journal with realistic lessons for measurements: skewed lesson types, stages and
// repos, auto duplicates folded into occurrences > 1, statuses that age, lessons spread over
// the last `days` days in time order. The database is created and migrated the way the
// service does it; the rows are then written in large transactions with the raw driver
// (a seeding tool, not the service: speed matters more than the guard here). The server
// must not be running on the same SQLite file (it owns it).
//
// Every lesson carries the journal's default fingerprint (src/journal/fingerprint.ts), so
// the database's triggers build the patterns, their days and the aggregates' cells as the
// rows go in, as they would for recorded lessons. A fifth of the lessons have root causes
// that vary from one occurrence to the next the way real ones do (durations, attempt and
// line numbers, run ids, addresses), so the normalising matters; each of those causes
// still normalises to one text, so the patterns are one per (type, stage, cause): 66.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { MIGRATIONS } from '../src/db/database.ts';
import { openSqlite } from '../src/db/sqlite/open.ts';
import { refreshStatistics } from '../src/db/sqlite/statistics.ts';
import { parseDatabaseUrl } from '../src/db/url.ts';
import { columnOf, FIELD_NAMES, type FieldName } from '../src/journal/fields.ts';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';

const { values: args } = parseArgs({
  options: {
    lessons: { type: 'string', default: '100000' },
    days: { type: 'string', default: '90' },
    seed: { type: 'string', default: '42' },
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL ?? 'file:./data/lessons.db',
    },
    quiet: { type: 'boolean', default: false },
  },
});

const total = Number(args.lessons);
const days = Number(args.days);
if (!Number.isInteger(total) || total < 1 || !(days > 0)) {
  console.error(
    'usage: npm run seed -- --lessons <n> [--days 90] [--seed 42] [--database-url file:...]',
  );
  process.exit(2);
}

/** mulberry32: a small, seedable PRNG, so that a seed always gives the same journal. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(Number(args.seed));
/**
 * The varying parts of root causes come from a stream of their own, so that `random`'s
 * sequence, and with it every other column of every lesson, is what it was before root
 * causes varied: a seed gives the same lessons, only some root causes read differently.
 */
const vary = prng(Number(args.seed) ^ 0x5bd1e995);
const int = (below: number) => Math.floor(vary() * below);
const hexDigits = (n: number) =>
  Array.from({ length: n }, () => '0123456789abcdef'[int(16)] as string).join('');
/** A run id as CI systems print them: 8 hex characters, at least one letter and one digit. */
const runId = () => `${'abcdef'[int(6)]}${int(10)}${hexDigits(6)}`;
const uuid = () =>
  `${hexDigits(8)}-${hexDigits(4)}-4${hexDigits(3)}-${'89ab'[int(4)]}${hexDigits(3)}-${hexDigits(12)}`;

/**
 * Root causes that carry what changes between occurrences. Each renders differently every
 * time but normalises to one text (checked as the seed runs), so it is one pattern per
 * (type, stage), as a fixed text would be.
 */
const VARYING: Record<string, () => string> = {
  'flaky e2e test': () => `flaky e2e test checkout.spec.ts:${1 + int(400)} in run ${runId()}`,
  'registry timeout': () =>
    `registry timeout after ${[5000, 10000, 30000, 60000][int(4)]}ms (attempt ${1 + int(5)})`,
  'OOM on the runner': () =>
    `OOM on the runner 10.0.${int(256)}.${int(256)}: job ${uuid()} killed at ${(2 + int(60) / 10).toFixed(1)} GiB`,
};

function weighted<T>(choices: [T, number][]): () => T {
  const sum = choices.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * sum;
    for (const [value, w] of choices) {
      r -= w;
      if (r < 0) return value;
    }
    return (choices.at(-1) as [T, number])[0];
  };
}

/** Zipf-like: item i has weight 1/(i+1). */
function zipf<T>(items: T[]): () => T {
  return weighted(items.map((item, i) => [item, 1 / (i + 1)]));
}

const TYPES: Record<string, { weight: number; stages: string[]; causes: string[] }> = {
  gate_failure: {
    weight: 50,
    stages: ['qa', 'lint', 'unit_tests', 'e2e', 'security_scan', 'coverage'],
    causes: [
      'flaky e2e test',
      'coverage dropped below the gate',
      'lint errors in generated code',
      'snapshot drift',
      'dependency with a known CVE',
    ],
  },
  transient_retry: {
    weight: 25,
    stages: ['build', 'test', 'deploy', 'publish'],
    causes: [
      'registry timeout',
      'runner lost',
      'rate limited by the forge',
      'DNS failure',
      'OOM on the runner',
    ],
  },
  merge_hold: {
    weight: 15,
    stages: ['merge', 'verify_merge'],
    causes: ['merge not verified', 'conflicting migration', 'required review missing'],
  },
  deploy_degraded: {
    weight: 7,
    stages: ['post_deploy', 'canary'],
    causes: ['p99 latency doubled', 'error rate above 2%', 'health check flapping'],
  },
  cost_overrun: {
    weight: 3,
    stages: ['plan', 'execute'],
    causes: ['token budget exceeded', 'too many retries'],
  },
};
const pickType = weighted(Object.entries(TYPES).map(([t, v]) => [t, v.weight]));
const REPOS = Array.from({ length: 40 }, (_, i) => `repo-${String(i + 1).padStart(2, '0')}`);
const pickRepo = zipf(REPOS);
const pickAgent = zipf(['coder', 'reviewer', 'deployer', 'merger', 'planner']);
const pickAttribution = weighted<string | null>([
  [null, 60],
  ['platform', 15],
  ['project', 15],
  ['both', 5],
  ['unknown', 5],
]);
const pickDomain = weighted<string | null>([
  [null, 55],
  ['reliability', 20],
  ['quality', 12],
  ['economy', 6],
  ['features', 4],
  ['scale', 3],
]);
const SUGGESTIONS = [
  'quarantine the test',
  'raise the timeout',
  'cache dependencies',
  'add a canary stage',
  'split the migration',
  'pin the base image',
];

function pick<T>(items: T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * The default fingerprint, memoised per (type, stage, cause): it is the same for every
 * rendering of a varying cause (that is what normalising is for), and computing it is the
 * seed's hot path. Every 64th rendering of a varying cause is fingerprinted for real and
 * must agree, so a template that stops normalising to one text fails the seed.
 */
const fingerprints = new Map<string, string>();
let renderings = 0;
function fingerprintOf(lessonType: string, stage: string, cause: string, rootCause: string) {
  const key = `${lessonType}\u0000${stage}\u0000${cause}`;
  let fingerprint = fingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = defaultFingerprint({ lessonType, stage, rootCause });
    fingerprints.set(key, fingerprint);
  } else if (rootCause !== cause && renderings++ % 64 === 0) {
    if (defaultFingerprint({ lessonType, stage, rootCause }) !== fingerprint) {
      throw new Error(`seed: "${rootCause}" does not normalise like the other "${cause}"`);
    }
  }
  return fingerprint;
}

const now = Date.now();
const start = now - days * 86_400_000;
const step = (now - start) / total;

/** A seeded lesson by field; a field the seeder does not know is stored as null. */
type Row = Partial<Record<FieldName, string | number | null>>;

function row(i: number): Row {
  const createdAt = Math.floor(start + i * step + random() * step);
  const type = pickType();
  const spec = TYPES[type] as (typeof TYPES)[string];
  const source = random() < 0.05 ? 'manual' : 'auto';
  // A fifth of auto lessons absorbed a retry storm: occurrences 2..50, seen for a while.
  const storm = source === 'auto' && random() < 0.2;
  const occurrences = storm ? 2 + (Math.floor(-Math.log(1 - random()) * 4) % 49) : 1;
  const lastSeenAt = storm ? createdAt + Math.floor(random() * 3_000_000) : createdAt;
  const ageDays = (now - createdAt) / 86_400_000;
  const status =
    random() < Math.min(0.9, ageDays / 60)
      ? pick(['closed', 'closed', 'linked'])
      : random() < 0.15
        ? 'in_progress'
        : 'new';
  const repo = random() < 0.01 ? null : pickRepo();
  const workItemId = `W-${Math.floor(random() * 200_000)}`;
  const taskId = `T-${Math.floor(random() * 1_000_000)}`;
  const stage = pick(spec.stages);
  const agent = pickAgent();
  const cause = pick(spec.causes);
  const rootCause = VARYING[cause]?.() ?? cause;
  return {
    lessonType: type,
    workItemId,
    taskId,
    stage,
    agent,
    repo,
    rootCause,
    suggestion: random() < 0.7 ? pick(SUGGESTIONS) : null,
    status,
    relatedTask: status === 'linked' ? `T-${Math.floor(random() * 1_000_000)}` : null,
    attribution: pickAttribution(),
    targetRepo: repo,
    targetDomain: pickDomain(),
    source,
    detail: JSON.stringify({
      attempt: 1 + Math.floor(random() * 3),
      run: Math.floor(random() * 1e9),
    }),
    occurrences,
    lastSeenAt,
    createdAt,
    updatedAt: createdAt,
    fingerprint: fingerprintOf(type, stage, cause, rootCause),
    recordedAt: createdAt,
    version: 1,
    // Closed within a week of happening, never after now.
    closedAt:
      status === 'closed' ? Math.min(now, createdAt + Math.floor(random() * 7 * 86_400_000)) : null,
  };
}

const location = parseDatabaseUrl(args['database-url']);
if (location.provider !== 'sqlite') {
  console.error('seed: only file: (SQLite) databases for now');
  process.exit(2);
}
// Create and migrate exactly as the service does, then let go of the file.
const opened = await openSqlite({
  path: location.path,
  synchronous: 'NORMAL',
  busyTimeoutMs: 1000,
  ...MIGRATIONS.sqlite,
});
await opened.close();

const db = new Database(location.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
// Every row fires the rollup triggers, which touch the patterns, their days, the cells and
// several indexes of `lessons`: with SQLite's default 2 MB page cache, most of the seed's
// time went to re-reading pages. The service keeps its own settings; this is the seeder's.
db.pragma('cache_size = -524288');
const SEEDED = FIELD_NAMES.filter((name) => name !== 'id');
const insert = db.prepare(
  `INSERT INTO lessons (${SEEDED.map(columnOf).join(', ')}) VALUES (${SEEDED.map(() => '?').join(', ')})`,
);
const writeBatch = db.transaction((rows: Row[]) => {
  for (const r of rows) insert.run(SEEDED.map((name) => r[name] ?? null));
});

const bar = new SingleBar({
  format: 'seeding {bar} {percentage}% | {value}/{total} lessons | {eta_formatted} left',
  noTTYOutput: !args.quiet,
  notTTYSchedule: 5000,
});
const began = Date.now();
bar.start(total, 0);
const BATCH = 10_000;
for (let i = 0; i < total; i += BATCH) {
  const rows: Row[] = [];
  for (let j = i; j < Math.min(total, i + BATCH); j++) rows.push(row(j));
  writeBatch(rows);
  bar.update(Math.min(total, i + BATCH));
}
bar.stop();
refreshStatistics(db, 'full');
const countOf = (table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const count = countOf('lessons');
const patterns = countOf('patterns');
db.close();
console.log(
  `seeded ${total} lessons (${count} in the journal, ${patterns} patterns) into ${location.path} in ${((Date.now() - began) / 1000).toFixed(1)} s`,
);
