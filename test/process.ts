// Real processes for tests: servers (`node --import tsx src/main.ts`, as `npm start` runs
// it, on an ephemeral port read back from the "listening" log line), and commands run to
// their exit with their output collected.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach } from 'vitest';

const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> */
  base: string;
  /** Every line the process printed (JSON log lines are parsed). */
  lines: { text: string; json?: Record<string, unknown> }[];
  exited: Promise<number | null>;
}

/** Starts a server; resolves once it listens, rejects if it exits first (with its output). */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: ServerProcess['lines'] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // not a log line
        }
        lines.push({ text, json });
        if (json?.msg === 'lessons-journal listening') {
          resolve({ child, base: String(json.url).replace(/\/graphql$/, ''), lines, exited });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // The last lines say why, in the failure itself (a CI log has nothing else).
    void exited.then((code) => {
      const last = lines.slice(-5).map((line) => line.text);
      reject(
        Object.assign(new Error(`server exited with ${code}:\n${last.join('\n')}`), {
          code,
          lines,
        }),
      );
    });
  });
}

/** Runs a server that is expected to exit; resolves with its code and output. */
export async function runToExit(env: Record<string, string>) {
  try {
    const server = await startServer(env);
    server.child.kill('SIGKILL');
    throw new Error(`expected the server to exit, but it listened at ${server.base}`);
  } catch (error) {
    const { code, lines } = error as { code?: number; lines?: ServerProcess['lines'] };
    if (code === undefined) throw error;
    return { code, lines: lines ?? [] };
  }
}

export async function post(base: string, query: string, variables?: unknown) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its exit, with exactly this environment, collecting its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<CommandRun> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
