// The Python client (clients/python): its unittest suite, run by python3 against a real
// server (started as `npm start` runs it, on a temporary SQLite file), must pass with every
// one of its tests run. Without a usable python3 the suite is skipped with the reason in its
// name, unless LESSONS_REQUIRE_PYTHON=1, where that reason fails the run instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCommand, startServer } from './process.ts';
import { PYTHON_REQUIRED, pythonUnavailable } from './python.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** How many tests clients/python/tests holds: a different count is a test lost (or added). */
const PYTHON_TESTS = 59;
/** The seed module the signature tests compare with: shared/ beside the repository. */
const SEED = join(ROOT, '..', 'shared', 'seed', '000_e29a7ce419845388.txt');

/** Runs the Python suite against a fresh server; its exit code, and what it printed. */
async function runPythonSuite() {
  const dir = mkdtempSync(join(tmpdir(), 'lessons-python-'));
  try {
    const server = await startServer({ DATABASE_URL: `file:${join(dir, 'lessons.db')}` });
    return await runCommand(
      'python3',
      ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          LESSONS_TEST_URL: `${server.base}/graphql`,
          LESSONS_SEED_PATH: process.env.LESSONS_SEED_PATH ?? SEED,
          PYTHONDONTWRITEBYTECODE: '1',
        },
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SUITE = 'the Python client (clients/python)';
const skipped = pythonUnavailable();

if (skipped && PYTHON_REQUIRED) {
  test(`${SUITE} needs python3 (LESSONS_REQUIRE_PYTHON=1): ${skipped}`, () => {
    throw new Error(`python3 is required (LESSONS_REQUIRE_PYTHON=1) but unusable: ${skipped}`);
  });
} else {
  describe.skipIf(skipped !== undefined)(
    `${SUITE}${skipped ? ` (skipped: ${skipped})` : ''}`,
    () => {
      test('its unittest suite passes against a real server, every test run', async () => {
        const run = await runPythonSuite();
        const ran = /^Ran (\d+) tests? in /m.exec(run.stderr);
        expect({ code: run.code, ran: Number(ran?.[1]) }, run.stderr).toEqual({
          code: 0,
          ran: PYTHON_TESTS,
        });
        // Skips are visible in the output; the round trips against the server never skip.
        const skips = run.stderr.match(/ \.\.\. skipped .*$/gm) ?? [];
        expect(skips.filter((line) => line.includes('LESSONS_TEST_URL'))).toEqual([]);
        for (const line of skips) console.warn(`python client test${line}`);
      }, 60_000);
    },
  );
}
