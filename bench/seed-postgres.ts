// seed-postgres: a PostgreSQL journal with exactly the lessons of a seeded SQLite one.
//
// Promise: seedPostgresFromSqlite(url, file) migrates the database the way the service
// does (src/db/postgres/open.ts' openPostgres: Prisma's migrations, triggers and all), then
// copies every lesson of the SQLite file in id order (so ids match), in batches of 5,000
// rows (sent as arrays, inserted one row per INSERT: see COPY_FUNCTION), with the triggers
// firing as they would in production (lesson_counts; the patterns and the rollup cells:
// the fingerprint is copied, pattern_id is not, the BEFORE INSERT trigger sets it), and
// finishes with VACUUM ANALYZE of `lessons` and the tables the triggers keep (fresh
// statistics and a visibility map, and the dead row versions of a million trigger updates
// gone, as autovacuum would leave a long-lived table). scripts/seed.ts writes SQLite only;
// this gives PostgreSQL the same data. Also a command:
//   node --import tsx bench/seed-postgres.ts <postgresql-url> <sqlite-file>
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS } from '../src/db/database.ts';
import { openPostgres } from '../src/db/postgres/open.ts';
import { ALL_COLUMNS, INT_COLUMNS, TIMESTAMP_COLUMNS } from './columns.ts';

const BATCH = 5_000;
/** `lessons` and the tables its triggers keep. */
const VACUUMED = [
  'lessons',
  'lesson_counts',
  'lesson_totals',
  'patterns',
  'pattern_days',
  'lesson_days',
  'lesson_members',
];
/** Text and JSON columns (JSON travels as text). */
const TEXT_COLUMNS = ALL_COLUMNS.filter(
  (c) => c !== 'id' && !INT_COLUMNS.includes(c) && !TIMESTAMP_COLUMNS.includes(c),
);
const COLUMNS = [...TEXT_COLUMNS, ...INT_COLUMNS, ...TIMESTAMP_COLUMNS];

const TYPES = [
  ...TEXT_COLUMNS.map(() => 'text[]'),
  ...INT_COLUMNS.map(() => 'int[]'),
  ...TIMESTAMP_COLUMNS.map(() => 'float8[]'),
];

/**
 * A batch arrives as one array per column (one round trip), and goes in one lesson per
 * INSERT, in id order, as the service records: PostgreSQL fires AFTER ROW triggers at the
 * end of their statement, so in a multi-row INSERT every row's trigger would already see
 * the statement's other rows, and the patterns trigger's "first lesson of this work item
 * (repo) in the pattern?" probes would miss the first of each (seen: a pattern's repos
 * 14 where its lessons have 35). A session-local function loops over the batch instead.
 */
const COPY_FUNCTION = (() => {
  const args = TYPES.map((type, i) => `a${i} ${type}`);
  const values = COLUMNS.map((c) =>
    c === 'detail'
      ? 'CAST(r.detail AS jsonb)'
      : TIMESTAMP_COLUMNS.includes(c)
        ? `to_timestamp(r.${c} / 1000.0) AT TIME ZONE 'UTC'`
        : `r.${c}`,
  );
  return `CREATE FUNCTION pg_temp.bench_copy_lessons(${args.join(', ')}) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT * FROM unnest(${TYPES.map((_, i) => `a${i}`).join(', ')}) WITH ORDINALITY
          AS t(${COLUMNS.join(', ')}, ord) ORDER BY ord LOOP
        INSERT INTO lessons (${COLUMNS.join(', ')}) VALUES (${values.join(', ')});
      END LOOP;
    END $$`;
})();
const INSERT = `SELECT pg_temp.bench_copy_lessons(${TYPES.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;

export async function migratePostgres(url: string): Promise<void> {
  const opened = await openPostgres({
    url,
    ...MIGRATIONS.postgresql,
    connectTimeoutMs: 10_000,
    statementTimeoutMs: 600_000,
    lockTimeoutMs: 10_000,
    poolSize: 1,
  });
  await opened.close();
}

export async function seedPostgresFromSqlite(url: string, sqlitePath: string): Promise<number> {
  await migratePostgres(url);
  const source = new Database(sqlitePath, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let copied = 0;
  try {
    await client.query(COPY_FUNCTION);
    const select = source
      .prepare(
        `SELECT ${COLUMNS.map((c) => (c === 'detail' ? 'CAST(detail AS TEXT)' : c)).join(', ')}
         FROM lessons ORDER BY id`,
      )
      .raw(true);
    let columns: unknown[][] = COLUMNS.map(() => []);
    const flush = async () => {
      if ((columns[0] as unknown[]).length === 0) return;
      await client.query(INSERT, columns);
      copied += (columns[0] as unknown[]).length;
      columns = COLUMNS.map(() => []);
    };
    for (const row of select.iterate() as Iterable<unknown[]>) {
      row.forEach((value, i) => {
        (columns[i] as unknown[]).push(value);
      });
      if ((columns[0] as unknown[]).length >= BATCH) await flush();
    }
    await flush();
    for (const table of VACUUMED) await client.query(`VACUUM ANALYZE ${table}`);
  } finally {
    source.close();
    await client.end();
  }
  return copied;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, file] = process.argv.slice(2);
  if (!url || !file) {
    console.error('usage: node --import tsx bench/seed-postgres.ts <postgresql-url> <sqlite-file>');
    process.exit(2);
  }
  const n = await seedPostgresFromSqlite(url, file);
  console.log(`copied ${n} lessons into ${url.replace(/\/\/[^@/]*@/, '//***@')}`);
}
