// databases: the journals a run measures, created fresh for it and removed after.
//
// Promise: for a backend and a list of sizes, one seeded journal per size (scripts/seed.ts,
// the project's own seeder, for SQLite, measured on a copy; the same rows copied into
// PostgreSQL by seed-postgres.ts), plus, when S1 runs, three identical copies of the
// `writeSize` journal for S1 (one per target, so each target's writes start from the same
// state). PostgreSQL comes from acquirePostgres() (test/postgres/server.ts: a throwaway
// cluster), or the reason it can't.
//
// For S1 against another revision (`--baseline-dir`), versus() gives fresh copies of two
// pristine `writeSize` journals, one per round and target: this revision's (the seed
// above) and the baseline's, made by the baseline checkout's own seeder and, on
// PostgreSQL, its own seed-postgres.ts, so that each is created by its own migrations.
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
  /** the S1 journals of this revision and of the baseline checkout in `dir` */
  versus(dir: string): Promise<VersusJournals>;
}

/** A journal made for one round of the comparison, removed by drop(). */
export interface Fresh {
  url: string;
  drop(): Promise<void>;
}

export type Revision = 'baseline' | 'current';

export interface VersusJournals {
  /** A fresh copy of the pristine S1 journal of that revision, named after `tag`. */
  fresh(revision: Revision, tag: string): Promise<Fresh>;
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

  /** The same size and seed, by the seeder (and migrations) of the checkout in `dir`. */
  baselineFile(size: number, dir: string): Promise<string> {
    const key = -size;
    let file = this.files.get(key);
    if (!file) {
      file = seedSqlite(join(this.dir, `baseline-${size}.db`), size, this.seed, dir);
      this.files.set(key, file);
    }
    return file;
  }

  cleanUp(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a script of a checkout (`node --import tsx`, in that checkout); its last output. */
function runScript(cwd: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${what} failed (${code}): ${output}`)),
    );
  });
}

async function seedSqlite(path: string, size: number, seed: number, cwd = ROOT): Promise<string> {
  const args = ['scripts/seed.ts', '--lessons', String(size), '--seed', String(seed)];
  args.push('--database-url', `file:${path}`, '--quiet');
  await runScript(cwd, args, `seed (${cwd})`);
  return path;
}

async function sqliteVersus(
  seeds: SqliteSeeds,
  writeSize: number,
  dir: string,
): Promise<VersusJournals> {
  const pristine: Record<Revision, string> = {
    current: await seeds.file(writeSize),
    baseline: await seeds.baselineFile(writeSize, dir),
  };
  return {
    async fresh(revision, tag) {
      const copy = join(seeds.dir, `versus-${revision}-${tag}.db`);
      copyFileSync(pristine[revision], copy);
      return {
        url: `file:${copy}`,
        drop: async () => {
          for (const suffix of ['', '-wal', '-shm', '-owner'])
            rmSync(`${copy}${suffix}`, { force: true });
        },
      };
    },
  };
}

/** `withWrites`: S1 runs, so make its copies (and, on PostgreSQL, its journal). */
export async function sqliteJournals(
  seeds: SqliteSeeds,
  sizes: number[],
  writeSize: number,
  withWrites = true,
): Promise<Journals> {
  const bySize = new Map<number, string>();
  // Copies: the service writes into the largest during S5, and the seeds stay pristine for
  // the PostgreSQL copy.
  for (const size of sizes) {
    const copy = join(seeds.dir, `sqlite-${size}.db`);
    copyFileSync(await seeds.file(size), copy);
    bySize.set(size, `file:${copy}`);
  }
  const writes = {} as Record<WriteTarget, string>;
  for (const target of withWrites ? WRITE_TARGETS : []) {
    const copy = join(seeds.dir, `writes-${target}.db`);
    copyFileSync(await seeds.file(writeSize), copy);
    writes[target] = `file:${copy}`;
  }
  return { bySize, writes, versus: (dir) => sqliteVersus(seeds, writeSize, dir) };
}

export type PostgresJournals = Journals & { stop(): Promise<void> };

/** One statement on its own connection (CREATE/DROP DATABASE can't share a transaction). */
async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

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
  withWrites = true,
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
      for (const size of [...new Set([...sizes, ...(withWrites ? [writeSize] : [])])]) {
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
      for (const target of withWrites ? WRITE_TARGETS : []) {
        const name = `bench_writes_${target}`;
        await admin.query(`CREATE DATABASE ${name} TEMPLATE bench_${writeSize}`);
        writes[target] = withDatabase(server.url, name);
      }
      for (const size of [...bySize.keys()]) if (!sizes.includes(size)) bySize.delete(size);
      const versus = async (dir: string): Promise<VersusJournals> => {
        // The baseline's journal: its own seeder's rows, copied by its own seed-postgres.ts
        // into a database its own migrations make.
        const name = `bench_baseline_${writeSize}`;
        await sql(server.url, `CREATE DATABASE ${name}`);
        const url = withDatabase(server.url, name);
        const began = Date.now();
        const file = await seeds.baselineFile(writeSize, dir);
        await runScript(dir, ['bench/seed-postgres.ts', url, file], `seed-postgres (${dir})`);
        log(`postgresql: the baseline's ${name} (${((Date.now() - began) / 1000).toFixed(0)} s)`);
        const template: Record<Revision, string> = {
          current: `bench_${writeSize}`,
          baseline: name,
        };
        return {
          async fresh(revision, tag) {
            const copy = `bench_versus_${revision}_${tag}`.replace(/[^a-z0-9_]/g, '_');
            await sql(server.url, `CREATE DATABASE ${copy} TEMPLATE ${template[revision]}`);
            return {
              url: withDatabase(server.url, copy),
              drop: () => sql(server.url, `DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`),
            };
          },
        };
      };
      return {
        bySize,
        writes,
        versus,
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
