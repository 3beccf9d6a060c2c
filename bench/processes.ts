// processes: the programs under test as child processes, started and stopped cleanly.
//
// Promise: startServer() runs the real service (`node --import tsx src/main.ts`, as
// `npm start` does) or the reference server on a free loopback port with LOG_LEVEL=warn,
// and resolves once GET /ready answers 200 (the database is open and migrated), or rejects
// with the process's output. stop() sends SIGTERM (the service then finishes in-flight
// requests and checkpoints its WAL) and SIGKILLs after a grace period. runRaw() runs the
// raw baseline and returns its results. Every process it starts is killed when the bench
// exits, however it exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { peakRssMb, resetPeakRss } from './memory.ts';
import type { RawResult, RawSpec } from './raw-baseline.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 20_000;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export type Target = 'service' | 'reference';

export interface Server {
  target: Target;
  base: string;
  pid: number;
  /** Start a new peak-RSS window. */
  resetPeak(): void;
  /** Peak RSS (MiB) since the last resetPeak(). */
  peakRssMb(): number;
  /** Prometheus text from GET /metrics. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnTracked(script: string, env: NodeJS.ProcessEnv, cwd = ROOT): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd,
    env: { ...process.env, TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `serviceDir`: a checkout to run the service from (default: this one). */
export async function startServer(
  target: Target,
  databaseUrl: string,
  serviceDir?: string,
): Promise<Server> {
  const port = await freePort();
  const script = target === 'service' ? 'src/main.ts' : 'bench/reference-server.ts';
  const env = {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
  };
  const child = spawnTracked(script, env, target === 'service' ? (serviceDir ?? ROOT) : ROOT);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = exitOf(child);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    const state = await Promise.race([exited.then(() => 'exited' as const), sleep(200)]);
    if (state === 'exited') throw new Error(`${target} exited before it was ready:\n${output}`);
    ready = await fetch(`${base}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    // The reference server has no /ready: it is ready once it listens.
    if (!ready && target === 'reference') ready = output.includes('reference listening');
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`${target} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
  }
  const pid = child.pid as number;
  return {
    target,
    base,
    pid,
    resetPeak: () => resetPeakRss(pid),
    peakRssMb: () => peakRssMb(pid),
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    stop: async () => {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The value of one Prometheus sample (summed over its label sets). */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.split(' ').at(-1));
    seen = true;
  }
  return seen ? sum : Number.NaN;
}

/** Runs the raw baseline in its own process; its results, one per case. */
export async function runRaw(spec: RawSpec): Promise<RawResult[]> {
  const child = spawnTracked('bench/raw-baseline.ts', { BENCH_RAW: JSON.stringify(spec) });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const code = await exitOf(child);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('[')) {
    throw new Error(`raw baseline failed (exit ${code}):\n${stderr}${stdout.slice(-2000)}`);
  }
  return JSON.parse(line) as RawResult[];
}
