// databases: the journals a run measures, created fresh for it and removed after.
//
// Promise: for a backend and a list of sizes, one seeded journal per size (scripts/seed.ts,
// the project's own seeder, for SQLite, measured on a copy; the same rows copied into
// PostgreSQL by seed-postgres.ts), plus three identical copies of the `writeSize` journal for S1 (one per
// target, so each target's writes start from the same state). PostgreSQL comes from
// acquirePostgres() (test/postgres/server.ts: a throwaway cluster), or the reason it can't.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { acquirePostgres } from '../test/postgres/server.ts';
import { seedPostgresFromSqlite } from './seed-postgres.ts';

const ROOT = new URL('..', import.meta.url).pathname;

export type WriteTarget = 'raw' | 'reference' | 'service';

export interface Journals {
  /** DATABASE_URL per table size */
  bySize: Map<number, string>;
  /** DATABASE_URL of each target's copy of the S1 journal */
  writes: Record<WriteTarget, string>;
  /** what the run should say about the database server (PostgreSQL) */
  note?: string;
}

const WRITE_TARGETS: WriteTarget[] = ['raw', 'reference', 'service'];

/** Seeded SQLite files, one per size; kept in `dir` until cleanUp(). */
export class SqliteSeeds {
  readonly dir = mkdtempSync(join(tmpdir(), 'lessons-bench-'));
  private readonly files = new Map<number, Promise<string>>();

  constructor(private readonly seed: number) {}

  file(size: number): Promise<string> {
    let file = this.files.get(size);
    if (!file) {
      file = seedSqlite(join(this.dir, `lessons-${size}.db`), size, this.seed);
      this.files.set(size, file);
    }
    return file;
  }

  cleanUp(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function seedSqlite(path: string, size: number, seed: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', 'scripts/seed.ts', '--lessons', String(size)];
    args.push('--seed', String(seed), '--database-url', `file:${path}`, '--quiet');
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) =>
      code === 0 ? resolve(path) : reject(new Error(`seed failed (${code}): ${output}`)),
    );
  });
}

export async function sqliteJournals(
  seeds: SqliteSeeds,
  sizes: number[],
  writeSize: number,
): Promise<Journals> {
  const bySize = new Map<number, string>();
  // Copies: the service writes into the largest during S5, and the seeds stay pristine for
  // the PostgreSQL copy.
  for (const size of sizes) {
    const copy = join(seeds.dir, `sqlite-${size}.db`);
    copyFileSync(await seeds.file(size), copy);
    bySize.set(size, `file:${copy}`);
  }
  const source = await seeds.file(writeSize);
  const writes = {} as Record<WriteTarget, string>;
  for (const target of WRITE_TARGETS) {
    const copy = join(seeds.dir, `writes-${target}.db`);
    copyFileSync(source, copy);
    writes[target] = `file:${copy}`;
  }
  return { bySize, writes };
}

export type PostgresJournals = Journals & { stop(): Promise<void> };

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** PostgreSQL journals with the SQLite seeds' rows, or the reason there are none. */
export async function postgresJournals(
  seeds: SqliteSeeds,
  sizes: number[],
  writeSize: number,
  log: (line: string) => void,
): Promise<PostgresJournals | { skipped: string }> {
  const server = await acquirePostgres();
  if ('skipped' in server) return server;
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    const version = (
      await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")
    ).rows[0]?.v;
    const bySize = new Map<number, string>();
    try {
      for (const size of [...new Set([...sizes, writeSize])]) {
        const name = `bench_${size}`;
        await admin.query(`CREATE DATABASE ${name}`);
        const url = withDatabase(server.url, name);
        const began = Date.now();
        const copied = await seedPostgresFromSqlite(url, await seeds.file(size));
        log(
          `postgresql: ${copied} lessons in ${name} (${((Date.now() - began) / 1000).toFixed(0)} s)`,
        );
        bySize.set(size, url);
      }
      const writes = {} as Record<WriteTarget, string>;
      for (const target of WRITE_TARGETS) {
        const name = `bench_writes_${target}`;
        await admin.query(`CREATE DATABASE ${name} TEMPLATE bench_${writeSize}`);
        writes[target] = withDatabase(server.url, name);
      }
      for (const size of [...bySize.keys()]) if (!sizes.includes(size)) bySize.delete(size);
      return {
        bySize,
        writes,
        note:
          `PostgreSQL ${version}, a throwaway cluster from acquirePostgres() (${server.source}): ` +
          'fsync=off and full_page_writes=off on that cluster, so a commit waits for the WAL ' +
          'write but not for an fsync; the service, the reference and the raw baseline all ' +
          'run with synchronous_commit=on',
        stop: () => server.stop(),
      };
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}
