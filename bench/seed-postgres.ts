// seed-postgres: a PostgreSQL journal with exactly the lessons of a seeded SQLite one.
//
// Promise: seedPostgresFromSqlite(url, file) migrates the database the way the service
// does (src/db/postgres/open.ts' openPostgres: Prisma's migrations, triggers and all), then
// copies every lesson of the SQLite file in id order (so ids match), in batches of 5,000
// rows per INSERT ... SELECT FROM unnest(...), with the lesson_counts triggers firing as
// they would in production, and finishes with VACUUM ANALYZE (fresh statistics and a
// visibility map, as autovacuum would leave a long-lived table). scripts/seed.ts writes
// SQLite only; this gives PostgreSQL the same data. Also a command:
//   node --import tsx bench/seed-postgres.ts <postgresql-url> <sqlite-file>
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS } from '../src/db/database.ts';
import { openPostgres } from '../src/db/postgres/open.ts';
import { ALL_COLUMNS, INT_COLUMNS, TIMESTAMP_COLUMNS } from './columns.ts';

const BATCH = 5_000;
/** Text and JSON columns (JSON travels as text). */
const TEXT_COLUMNS = ALL_COLUMNS.filter(
  (c) => c !== 'id' && !INT_COLUMNS.includes(c) && !TIMESTAMP_COLUMNS.includes(c),
);
const COLUMNS = [...TEXT_COLUMNS, ...INT_COLUMNS, ...TIMESTAMP_COLUMNS];

const INSERT = (() => {
  const types = [
    ...TEXT_COLUMNS.map(() => 'text[]'),
    ...INT_COLUMNS.map(() => 'int[]'),
    ...TIMESTAMP_COLUMNS.map(() => 'float8[]'),
  ];
  const arrays = types.map((type, i) => `$${i + 1}::${type}`);
  const values = COLUMNS.map((c) =>
    c === 'detail'
      ? 'CAST(detail AS jsonb)'
      : TIMESTAMP_COLUMNS.includes(c)
        ? `to_timestamp(${c} / 1000.0) AT TIME ZONE 'UTC'`
        : c,
  );
  return `INSERT INTO lessons (${COLUMNS.join(', ')})
    SELECT ${values.join(', ')} FROM unnest(${arrays.join(', ')}) AS t(${COLUMNS.join(', ')})`;
})();

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
    await client.query('VACUUM ANALYZE lessons');
    await client.query('VACUUM ANALYZE lesson_counts');
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
