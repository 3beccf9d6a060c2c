// `npm run seed -- --lessons 1000000 [--days 90] [--seed 42] [--database-url file:...]`
//
// Fills a journal with realistic lessons for measurements: skewed lesson types, stages and
// repos, auto duplicates folded into occurrences > 1, statuses that age, lessons spread over
// the last `days` days in time order. The database is created and migrated the way the
// service does it; the rows are then written in large transactions with the raw driver
// (a seeding tool, not the service: speed matters more than the guard here). The server
// must not be running on the same SQLite file (it owns it).
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { MIGRATIONS } from '../src/db/database.ts';
import { openSqlite } from '../src/db/sqlite/open.ts';
import { parseDatabaseUrl } from '../src/db/url.ts';
import { columnOf, FIELD_NAMES, type FieldName } from '../src/journal/fields.ts';

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
  return {
    lessonType: type,
    workItemId: `W-${Math.floor(random() * 200_000)}`,
    taskId: `T-${Math.floor(random() * 1_000_000)}`,
    stage: pick(spec.stages),
    agent: pickAgent(),
    repo,
    rootCause: pick(spec.causes),
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
db.exec('ANALYZE');
const count = (db.prepare('SELECT COUNT(*) AS n FROM lessons').get() as { n: number }).n;
db.close();
console.log(
  `seeded ${total} lessons (${count} in the journal) into ${location.path} in ${((Date.now() - began) / 1000).toFixed(1)} s`,
);
