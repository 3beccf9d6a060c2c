// `lessons-journal/client` from another project: the package built as `prepare` builds it
// (dist/), a consumer project that depends on it by path (node_modules/lessons-journal, a
// link to this folder, as `npm install <path>` makes it), type-checked with its own
// tsconfig through the package's `exports` only (never our .ts sources); then the README's
// examples, compiled there, run with plain node against the real service and a closed
// port, and the Python example too.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLessonsClient, LessonType } from '../src/client/index.ts';
import { closedPortUrl, serveService } from './client/serve.ts';
import { Clock } from './helpers.ts';
import { runCommand } from './process.ts';
import { PYTHON_REQUIRED, pythonUnavailable } from './python.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let consumer = '';
let compiled = { status: 0, output: '' };

/** Type errors a consumer must get: the types are the schema's, not `any`. */
const TYPE_CHECKS = `import {
  createLessonsClient,
  type Lesson,
  type LessonsPage,
  LessonType,
  type PatternDetails,
  type PatternsPage,
  type Snapshot,
  SLUGS,
} from 'lessons-journal/client';

const client = createLessonsClient({ url: 'http://127.0.0.1:4000/graphql', timeoutMs: 500 });
export const recorded: Promise<Lesson | null> = client.record({ lessonType: LessonType.MERGE_HOLD });
export const page: Promise<LessonsPage> = client.getPage({ filter: { status: 'new' }, first: 5 });
export const snapshot: Promise<Snapshot> = client.snapshot();
export const patterns: Promise<PatternsPage> = client.patterns({ repo: ['api', 'web'] }, { orderBy: 'WORK_ITEMS' });
export const pattern: Promise<PatternDetails | null> = client.pattern(1, { lessons: 5 });
export const title = (details: PatternDetails) => details.latestLessons[0]?.fingerprint ?? details.title;
export const slug: 'gate_failure' = LessonType.GATE_FAILURE;
export const statuses: string[] = SLUGS.statuses;
// @ts-expect-error lessonType is required
void client.record({ repo: 'web' });
// @ts-expect-error ids are numbers
void client.get('7');
// @ts-expect-error the schema's dimensions only
void client.aggregates({ groupBy: ['COLOUR'] });
// @ts-expect-error updateLesson can't change a lesson's type
void client.update(1, { lessonType: 'merge_hold' });
// @ts-expect-error a lesson has no such field
export const nope = (lesson: Lesson) => lesson.colour;
// @ts-expect-error the schema's orders only
void client.patterns({}, { orderBy: 'NEWEST' });
// @ts-expect-error a pattern's ids are numbers
void client.mergePatterns(1, ['2']);
// @ts-expect-error a bulk update names ids or a filter
void client.updateLessons({}, { status: 'closed' });
// @ts-expect-error a history is a lesson's or a pattern's
void client.history({ task: 1 });
`;

beforeAll(() => {
  // What `prepare` runs on `npm ci` and `npm install <path>`.
  execFileSync(process.execPath, [TSC, '-p', 'tsconfig.client.json'], { cwd: ROOT });

  consumer = mkdtempSync(join(tmpdir(), 'lessons-consumer-'));
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'lessons-journal': `file:${ROOT}` },
    }),
  );
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(ROOT, join(consumer, 'node_modules', 'lessons-journal'), 'dir');
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'out',
        rootDir: '.',
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      include: ['*.ts'],
    }),
  );
  for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.ts'))) {
    cpSync(join(ROOT, 'examples', file), join(consumer, file));
  }
  writeFileSync(join(consumer, 'type-checks.ts'), TYPE_CHECKS);
  try {
    const output = execFileSync(process.execPath, [TSC, '-p', consumer, '--listFiles'], {
      encoding: 'utf8',
    });
    compiled = { status: 0, output };
  } catch (error) {
    const { status, stdout } = error as { status: number; stdout: string };
    compiled = { status, output: stdout };
  }
}, 60_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

async function run(command: string, args: string[], env: Record<string, string>) {
  const started = performance.now();
  const result = await runCommand(command, args, {
    cwd: consumer,
    env: { ...process.env, ...env },
  });
  return { ...result, ms: performance.now() - started };
}

test('a project that installs the package by path type-checks through its exports only', () => {
  expect(compiled.output).not.toMatch(/error TS/);
  expect(compiled.status).toBe(0);
  const ours = compiled.output
    .split('\n')
    .filter((file) => file.startsWith(ROOT) && !file.startsWith(join(ROOT, 'node_modules')));
  expect(ours.length).toBeGreaterThan(0);
  for (const file of ours) expect(file).toMatch(/\/dist\/.*\.d\.ts$/);
});

test('the examples, compiled there, run with plain node against the real service', async () => {
  const { url } = await serveService({ clock: new Clock(Date.now()) });
  const env = { LESSONS_URL: url };
  expect(await run(process.execPath, ['out/orchestrator.js'], env)).toMatchObject({
    code: 0,
    stdout:
      'recorded lesson 1\nnot recorded (deduplicated, off, or down)\njournal on: 1 open of 1\n',
    stderr: '',
  });

  const client = createLessonsClient({ url });
  const seed = async (workItemId: string, lessonType: string, stage: string, more = {}) =>
    expect(await client.record({ workItemId, lessonType, stage, repo: 'api', ...more })).not.toBe(
      undefined,
    );
  await seed('W-1', LessonType.GATE_FAILURE, 'qa', { targetDomain: 'reliability' });
  await seed('W-2', LessonType.GATE_FAILURE, 'qa', { targetDomain: 'reliability' });
  await seed('W-2', LessonType.GATE_FAILURE, 'qa', { targetDomain: 'reliability' }); // deduped
  await seed('W-3', LessonType.MERGE_HOLD, 'merge');
  await seed('W-4', LessonType.DEPLOY_DEGRADED, 'deploy', { status: 'closed' });

  expect(await run(process.execPath, ['out/retrospective.js'], env)).toMatchObject({
    code: 0,
    stdout: [
      'gate_failure at qa in api: 3 occurrences, 2 lessons, 2 work items',
      'gate_failure at quality_gate in orchestrator: 2 occurrences, 1 lessons, 1 work items',
      'deploy_degraded at deploy in api: 1 occurrences, 1 lessons, 1 work items',
      'merge_hold at merge in api: 1 occurrences, 1 lessons, 1 work items',
      'walked 3 of 3 gate failures',
      '',
    ].join('\n'),
    stderr: '',
  });
  expect(await run(process.execPath, ['out/rice.js'], env)).toMatchObject({
    code: 0,
    stdout: [
      '   3.0  gate_failure / reliability (reach 2, impact 1.50)',
      '   2.0  gate_failure / unclassified (reach 1, impact 2.00)',
      '   1.0  merge_hold / unclassified (reach 1, impact 1.00)',
      '4 open of 5; by type: gate_failure 3, deploy_degraded 1, merge_hold 1',
      '',
    ].join('\n'),
    stderr: '',
  });
});

test('the examples against a closed port: safe defaults, one warning per call, no throw', async () => {
  const env = { LESSONS_URL: await closedPortUrl() };
  const [orchestrator, retrospective] = await Promise.all([
    run(process.execPath, ['out/orchestrator.js'], env),
    run(process.execPath, ['out/retrospective.js'], env),
  ]);
  expect(orchestrator).toMatchObject({
    code: 0,
    stdout:
      'not recorded (deduplicated, off, or down)\nnot recorded (deduplicated, off, or down)\njournal unreachable\n',
  });
  expect(orchestrator.stderr.match(/lessons-journal client: \w+ failed/g)).toEqual([
    'lessons-journal client: record failed',
    'lessons-journal client: record failed',
    'lessons-journal client: snapshot failed',
  ]);
  expect(retrospective).toMatchObject({
    code: 0,
    stdout: 'incomplete: 2 failed call(s); try again later\n',
  });
});

const noPython = pythonUnavailable();
const PYTHON_EXAMPLE =
  'the Python example (lessons_journal): asks for advice, records, and never raises';

if (noPython && PYTHON_REQUIRED) {
  test(`${PYTHON_EXAMPLE} needs python3 (LESSONS_REQUIRE_PYTHON=1): ${noPython}`, () => {
    throw new Error(`python3 is required (LESSONS_REQUIRE_PYTHON=1) but unusable: ${noPython}`);
  });
} else {
  test.skipIf(noPython !== undefined)(
    `${PYTHON_EXAMPLE}${noPython ? ` (skipped: ${noPython})` : ''}`,
    async () => {
      const example = join(ROOT, 'examples', 'orchestrator.py');
      const { url } = await serveService();
      const closed = await closedPortUrl();
      const [recorded, down] = await Promise.all([
        run('python3', [example], { LESSONS_URL: url }),
        run('python3', [example], { LESSONS_URL: closed }),
      ]);
      expect(recorded).toMatchObject({ code: 0, stdout: 'recorded lesson 1\n', stderr: '' });
      expect(down).toMatchObject({
        code: 0,
        stdout: 'not recorded (deduplicated, off, or down)\n',
        stderr: [
          `WARNING orchestrator.lessons: lessons.advisories(quality_gate) error: ${closed}: [Errno 111] Connection refused`,
          `WARNING orchestrator.lessons: lessons.record(gate_failure) error: ${closed}: [Errno 111] Connection refused`,
          '',
        ].join('\n'),
      });
    },
  );
}
