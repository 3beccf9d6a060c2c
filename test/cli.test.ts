// The `lessons` CLI: the real bin (bin/lessons.js, a child process) against the real
// service over HTTP, with exact output; help for every command; wrong input (exit 2, a
// message, nothing sent); an unreachable, failing or refusing service (exit 1, a message).
// Cases that never reach the network also run in-process through the bin's main(), since
// each process costs about 0.4 s.
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from '../src/cli/main.ts';
import {
  DIMENSIONS,
  FIELD_NAMES,
  FIELDS,
  labelOf,
  optionOf,
  UPDATABLE,
} from '../src/journal/fields.ts';
import { closedPortUrl, serveService } from './client/serve.ts';
import { counts, group } from './fixtures.ts';
import { expectedLesson } from './helpers.ts';
import { type CommandRun, runCommand } from './process.ts';

/** Runs bin/lessons.js with these arguments; LESSONS_URL and LESSONS_TOKEN only as given. */
function lessons(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  const { LESSONS_URL: _url, LESSONS_TOKEN: _token, ...inherited } = process.env;
  return runCommand(process.execPath, ['bin/lessons.js', ...args], {
    env: { ...inherited, ...env },
  });
}

/** The same main() in this process, for cases that never reach the network. */
async function inProcess(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env,
    out: (text) => {
      stdout += `${text}\n`;
    },
    err: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { code, stdout, stderr };
}

const T0 = '2026-03-02T10:00:00.000Z';

/** A run that failed: exit 1, nothing on stdout, this on stderr. */
const failed = (stderr: string): CommandRun => ({ code: 1, stdout: '', stderr });

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function fakeServer(answer: (res: ServerResponse) => void) {
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    headers.push(req.headers);
    req.resume().on('end', () => answer(res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, headers };
}

/**
 * `lessons show` as a person sees it: a label and a value per line, the labels padded to the
 * longest field label, then `detail` (its JSON indented under its value). A field the
 * registry has beyond the ones given shows `-` (a record leaves it empty).
 */
function showText(lines: [label: string, value: string][], detail: string[]): string {
  const given = new Set(lines.map(([label]) => label));
  const others = FIELD_NAMES.map(labelOf)
    .filter((label) => !given.has(label) && label !== 'detail')
    .map((label): [string, string] => [label, '-']);
  const width = Math.max(...FIELD_NAMES.map((field) => labelOf(field).length));
  return [
    ...[...lines, ...others].map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    `${'detail'.padEnd(width)}  ${detail[0]}`,
    ...detail.slice(1).map((line) => `${' '.repeat(width + 2)}${line}`),
    '',
  ].join('\n');
}

describe('against the real service', () => {
  const LESSON_2 = expectedLesson(
    {
      id: 2,
      lessonType: 'merge_hold',
      workItemId: 'ORCH-99',
      repo: 'api',
      suggestion: 'verify merges\nbefore deploy',
      status: 'in_progress',
      targetDomain: 'reliabilty',
      source: 'manual',
    },
    '2026-03-02T10:01:00.000Z',
  );
  const LESSON_1 = {
    ...LESSON_2,
    id: 1,
    lessonType: 'gate_failure',
    workItemId: 'ORCH-98',
    stage: 'quality_gate',
    repo: 'orchestrator',
    rootCause: 'flaky e2e test',
    suggestion: null,
    status: 'new',
    targetDomain: null,
    detail: { attempt: 3 },
    lastSeenAt: T0,
    createdAt: T0,
    updatedAt: T0,
  };
  const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
  const okJson = (value: unknown) => ok(`${JSON.stringify(value, null, 2)}\n`);

  test('an operator session: record, list, show, update, snapshot, aggregates', async () => {
    const { service, url } = await serveService();
    const env = { LESSONS_URL: url };
    // Invocations that don't depend on each other run together, in four rounds.

    // 1. Record (the clock moves between the two).
    const record1 = [
      ...['record', '--type', 'gate_failure', '--work-item', 'ORCH-98', '--stage', 'quality_gate'],
      ...['--repo', 'orchestrator', '--root-cause', 'flaky e2e test', '--detail', '{"attempt": 3}'],
    ];
    expect(await lessons(record1, env)).toEqual(ok('recorded lesson 1\n'));
    service.clock.advance(60);
    const record2 = [
      ...['record', '--json', '--type', 'merge_hold', '--work-item', 'ORCH-99', '--repo', 'api'],
      ...['--status', 'in_progress', '--suggestion', 'verify merges\nbefore deploy'],
      ...['--target-domain', 'reliabilty'],
    ];
    expect(await lessons(record2, env)).toEqual({
      ...okJson(LESSON_2),
      // A typo is stored as given (slugs are open), but the operator is told.
      stderr:
        'note: --target-domain "reliabilty" is not a canonical slug (reliability, quality, economy, features, scale); used as given\n',
    });

    // 2. Read them back.
    const [table, byStatus, byTypeSince, none, shown, shownJson] = await Promise.all([
      lessons(['list'], env),
      lessons(['list', '--json', '--status', 'new', '--status', 'closed'], env),
      lessons(['list', '--type', 'merge_hold,deploy_degraded', '--since', T0, '--json'], env),
      lessons(['list', '--repo', 'nowhere'], env),
      lessons(['show', '1'], env),
      lessons(['show', '2', '--json'], env),
    ]);
    expect(table).toEqual(
      ok(
        [
          'ID  TYPE          STATUS       STAGE         REPO          WORK ITEM  SEEN  LAST SEEN (UTC)   ROOT CAUSE',
          '2   merge_hold    in_progress  -             api           ORCH-99    1     2026-03-02 10:01  -',
          '1   gate_failure  new          quality_gate  orchestrator  ORCH-98    1     2026-03-02 10:00  flaky e2e test',
          '',
        ].join('\n'),
      ),
    );
    expect(byStatus).toEqual(okJson([LESSON_1]));
    expect(byTypeSince).toEqual(okJson([LESSON_2]));
    expect(none).toEqual(ok('no lessons match\n'));
    expect(shown).toEqual(
      ok(
        showText(
          [
            ['id', '1'],
            ['type', 'gate_failure'],
            ['status', 'new'],
            ['source', 'manual'],
            ['work item', 'ORCH-98'],
            ['task', '-'],
            ['stage', 'quality_gate'],
            ['agent', '-'],
            ['repo', 'orchestrator'],
            ['root cause', 'flaky e2e test'],
            ['suggestion', '-'],
            ['related task', '-'],
            ['attribution', '-'],
            ['target repo', '-'],
            ['target domain', '-'],
            ['occurrences', '1'],
            ['last seen', '2026-03-02 10:00:00 UTC'],
            ['created', '2026-03-02 10:00:00 UTC'],
            ['updated', '2026-03-02 10:00:00 UTC'],
          ],
          ['{', '  "attempt": 3', '}'],
        ),
      ),
    );
    expect(shownJson).toEqual(okJson(LESSON_2));

    // 3. Triage.
    service.clock.advance(60);
    const [update1, update2] = await Promise.all([
      lessons(
        ['update', '1', '--status', 'in_progress', '--attribution', 'platform'].concat(
          '--related-task',
          'ORCH-120',
        ),
        env,
      ),
      lessons(
        ['update', '2', '--target-domain', 'reliability', '--clear', 'suggestion', '--json'],
        env,
      ),
    ]);
    expect(update1).toEqual(ok('updated lesson 1\n'));
    expect(update2).toEqual(okJson({ id: 2, updated: true }));

    // 4. The summaries.
    const [show1, show2, snapshotJson, snapshot, snapshotApi, aggregates, byRepo, byWeek] =
      await Promise.all([
        lessons(['show', '1', '--json'], env),
        lessons(['show', '2', '--json'], env),
        lessons(['snapshot', '--json'], env),
        lessons(['snapshot'], env),
        lessons(['snapshot', '--repo', 'api'], env),
        lessons(['aggregates'], env),
        lessons(
          [
            'aggregates',
            '--group-by',
            'repo',
            '--bucket',
            'day',
            '--since',
            '2026-03-01',
            '--json',
          ],
          env,
        ),
        lessons(['aggregates', '--group-by', 'status', '--bucket', 'week'], env),
      ]);
    const triaged = '2026-03-02T10:02:00.000Z';
    expect(show1).toEqual(
      okJson({
        ...LESSON_1,
        status: 'in_progress',
        attribution: 'platform',
        relatedTask: 'ORCH-120',
        updatedAt: triaged,
      }),
    );
    expect(show2).toEqual(
      okJson({ ...LESSON_2, targetDomain: 'reliability', suggestion: null, updatedAt: triaged }),
    );
    expect(snapshotJson).toEqual(
      okJson({
        enabled: true,
        total: 2,
        open: 2,
        recorded24h: 2,
        lastRecordedAt: '2026-03-02T10:01:00.000Z',
        byType: counts(['gate_failure', 1], ['merge_hold', 1]),
        byStatus: counts(['in_progress', 2]),
        byDomain: counts(['reliability', 1], [null, 1]),
        byAttribution: counts(['platform', 1], [null, 1]),
      }),
    );
    expect(snapshot).toEqual(
      ok(
        [
          'journal          on',
          'total            2',
          'open             2',
          'recorded (24 h)  2',
          'last recorded    2026-03-02 10:01:00 UTC',
          'by type          gate_failure 1, merge_hold 1',
          'by status        in_progress 2',
          'by domain        reliability 1, (none) 1',
          'by attribution   platform 1, (none) 1',
          '',
        ].join('\n'),
      ),
    );
    expect(snapshotApi.stdout).toContain('repo             api\ntotal            1\n');
    expect(aggregates).toEqual(
      ok(
        [
          'TYPE          STAGE         LESSONS  OCCURRENCES  WORK ITEMS  FIRST SEEN        LAST SEEN',
          'gate_failure  quality_gate  1        1            1           2026-03-02 10:00  2026-03-02 10:00',
          'merge_hold    -             1        1            1           2026-03-02 10:01  2026-03-02 10:01',
          '',
        ].join('\n'),
      ),
    );
    const api = group(
      { repo: 'api', bucketStart: '2026-03-02T00:00:00.000Z' },
      { lessons: 1, occurrences: 1, workItems: 1 },
      { firstSeenAt: '2026-03-02T10:01:00.000Z', lastSeenAt: '2026-03-02T10:01:00.000Z' },
    );
    expect(byRepo).toEqual(
      okJson([api, { ...api, repo: 'orchestrator', firstSeenAt: T0, lastSeenAt: T0 }]),
    );
    expect(byWeek).toEqual(
      ok(
        [
          'BUCKET (UTC)      STATUS       LESSONS  OCCURRENCES  WORK ITEMS  FIRST SEEN        LAST SEEN',
          '2026-03-02 00:00  in_progress  2        2            2           2026-03-02 10:00  2026-03-02 10:01',
          '',
        ].join('\n'),
      ),
    );
  });

  test('what the service answers but did not do: exit 1 and why', async () => {
    const { url } = await serveService();
    const env = { LESSONS_URL: url };
    const [show, update] = await Promise.all([
      lessons(['show', '42'], env),
      lessons(['update', '42', '--status', 'closed'], env),
    ]);
    expect(show).toEqual(failed('lessons: lesson 42 not found\n'));
    expect(update).toEqual(
      failed(
        'lessons: lesson 42 was not updated: there is no such lesson (or the journal is off)\n',
      ),
    );
    const off = await serveService({ settings: { enabled: false } });
    expect(await lessons(['record', '--type', 'gate_failure', '--url', off.url])).toEqual(
      failed(
        'lessons: the service did not record it: the journal is off, or it refused the lesson\n',
      ),
    );
    expect(await lessons(['snapshot', '--url', off.url])).toEqual({
      code: 0,
      stdout: 'journal  off (every operation is a no-op)\n',
      stderr: '',
    });
  });
});

describe('against the real service with tokens', () => {
  test('no token: 401; a role that may not: 403; the right token: done', async () => {
    const { url } = await serveService({
      tokens: 'writer:writer-token-1,reader:reader-token-1,admin:admin-token-1',
    });
    const env = { LESSONS_URL: url };
    const [anonymous, reader, admin] = await Promise.all([
      lessons(['list'], env),
      lessons(['snapshot', '--token', 'reader-token-1'], env),
      lessons(['record', '--type', 'merge_hold'], { ...env, LESSONS_TOKEN: 'admin-token-1' }),
    ]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(
      new RegExp(
        `^lessons: ${url} refused the request: not authenticated \\(a missing or unknown token\\): HTTP 401 Unauthorized: .*\\(UNAUTHENTICATED\\)\nGive a valid token with --token or LESSONS_TOKEN.\n$`,
      ),
    );
    expect(reader).toMatchObject({ code: 0, stderr: '' });
    expect(admin).toEqual({ code: 0, stdout: 'recorded lesson 1\n', stderr: '' });
    const forbidden = await lessons(['update', '1', '--status', 'closed'], {
      ...env,
      LESSONS_TOKEN: 'reader-token-1',
    });
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(
      new RegExp(
        `^lessons: ${url} refused the request: not authorized \\(the token may not do this\\): HTTP 403 Forbidden: .*\\(FORBIDDEN\\)\nThe token is known but its role may not do this; use a token with that right.\n$`,
      ),
    );
  });
});

describe('help', () => {
  const COMMANDS = ['record', 'list', 'show', 'update', 'snapshot', 'aggregates'];

  test('the bin: lessons --help lists the commands; lessons list --help', async () => {
    const [top, list] = await Promise.all([lessons(['--help']), lessons(['list', '--help'])]);
    expect(top).toMatchObject({ code: 0, stderr: '' });
    expect(top.stdout).toMatch(/^Usage: lessons <command> \[options\]\n/);
    for (const command of COMMANDS) expect(top.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toMatch(/^Usage: lessons list \[filters\]/);
  });

  test.each(COMMANDS)('lessons %s --help (and -h)', async (command) => {
    for (const flag of ['--help', '-h']) {
      const run = await inProcess([command, flag]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: lessons ${command}\\b`));
      expect(run.stdout).toContain('--url <url>');
    }
  });
});

describe('wrong input: exit 2 and a message, nothing sent', () => {
  /** The options `update --clear` takes: every updatable field but status. */
  const CLEARABLE = UPDATABLE.filter((f) => FIELDS[f].update.clearable).map(optionOf);
  expect(CLEARABLE).not.toContain('status');

  const usage = (args: string[], message: string) => ({
    code: 2,
    stdout: '',
    stderr: `${message}\nRun 'lessons ${args[0]} --help' for usage.\n`,
  });

  test('the bin: a missing option, an unknown option, an unknown command, not a URL', async () => {
    // A closed port: had anything been sent, the exit status would be 1.
    const env = { LESSONS_URL: await closedPortUrl() };
    const [record, bogus, unknown, none, badUrl] = await Promise.all([
      lessons(['record'], env),
      lessons(['list', '--bogus'], env),
      lessons(['frobnicate'], env),
      lessons([], env),
      lessons(['list', '--url', 'localhost:4000'], env),
    ]);
    expect(record).toEqual(
      usage(
        ['record'],
        'lessons record: --type is required (gate_failure, merge_hold, transient_retry, ...)',
      ),
    );
    expect(bogus).toEqual(usage(['list'], "lessons list: Unknown option '--bogus'"));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^lessons: unknown command "frobnicate"\n\nUsage: lessons/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: lessons <command>/);
    expect(badUrl).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lessons: the service URL must be http or https, not "localhost:4000"\n',
    });
  });

  // The same main() the bin runs, in-process: each case is a parse, not a process.
  test.each([
    [
      ['record', '--type', '  '],
      'lessons record: --type is required (gate_failure, merge_hold, transient_retry, ...)',
    ],
    [
      ['record', '--type', 'gate_failure', '--detail', '{oops'],
      "lessons record: --detail must be JSON: Expected property name or '}' in JSON at position 1",
    ],
    [['show'], 'lessons show: expected one argument, <id>'],
    [['show', 'abc'], 'lessons show: the lesson id must be a whole number from 1, not "abc"'],
    [['show', '0'], 'lessons show: the lesson id must be a whole number from 1, not "0"'],
    [
      ['update', '7'],
      `lessons update: nothing to update: give at least one of ${UPDATABLE.map((f) => `--${optionOf(f)}`).join(', ')} or --clear`,
    ],
    [
      ['update', '7', '--clear', 'status'],
      `lessons update: --clear: "status" is not one of ${CLEARABLE.join(', ')}`,
    ],
    [['update', '7', '--repo', 'x'], "lessons update: Unknown option '--repo'"],
    [
      ['update', '7', '--attribution', 'platform', '--clear', 'attribution'],
      'lessons update: --attribution and --clear attribution both given',
    ],
    [['list', '--limit', '0'], 'lessons list: --limit must be a whole number from 1, not "0"'],
    [['list', '--status', ','], 'lessons list: --status needs a value'],
    [
      ['list', '--since', 'yesterday'],
      'lessons list: --since must be an ISO-8601 date or time (2026-03-01, 2026-03-01T12:00:00Z) or a duration ago (30m, 24h, 7d, 2w), not "yesterday"',
    ],
    [
      ['list', '--until', '99999999w'],
      'lessons list: --until must be an ISO-8601 date or time (2026-03-01, 2026-03-01T12:00:00Z) or a duration ago (30m, 24h, 7d, 2w), not "99999999w"',
    ],
    [['list', 'extra'], 'lessons list: unexpected argument "extra"'],
    [['list', '--repo'], "lessons list: Option '--repo <value>' argument missing"],
    [
      ['aggregates', '--group-by', 'colour'],
      `lessons aggregates: --group-by: unknown dimension "colour" (one of ${DIMENSIONS.map(optionOf).join(', ')})`,
    ],
    [
      ['aggregates', '--bucket', 'month'],
      'lessons aggregates: --bucket must be hour, day or week, not "month"',
    ],
    [
      ['snapshot', '--timeout', 'soon'],
      'lessons snapshot: --timeout must be a whole number from 1, not "soon"',
    ],
  ])('lessons %j', async (args, message) => {
    expect(await inProcess(args, { LESSONS_URL: await closedPortUrl() })).toEqual(
      usage(args, message),
    );
  });
});

describe('a service that is not there, fails or refuses: exit 1 and a message', () => {
  test('unreachable (LESSONS_URL, then --url over it)', async () => {
    const url = await closedPortUrl();
    const expected = failed(
      `lessons: cannot reach ${url}: connection refused (ECONNREFUSED)\nIs the service running there? Start it with \`npm start\`, or point --url (or LESSONS_URL) at it.\n`,
    );
    const { url: good } = await serveService();
    const [viaEnv, viaFlag] = await Promise.all([
      lessons(['list'], { LESSONS_URL: url }),
      lessons(['list', '--url', url], { LESSONS_URL: good }),
    ]);
    expect(viaEnv).toEqual(expected);
    expect(viaFlag).toEqual(expected);
  });

  test('a hang: the timeout', async () => {
    const { url } = await fakeServer(() => {});
    const run = await lessons(['snapshot', '--timeout', '200', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^lessons: no answer from ${url} within 200 ms\\n`));
  });

  test('a 500, GraphQL errors', async () => {
    const failing = await fakeServer((res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>oops</h1>');
    });
    const erring = await fakeServer((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'boom' }], data: null }));
    });
    const [five, errors] = await Promise.all([
      lessons(['list', '--url', failing.url]),
      lessons(['show', '3', '--url', erring.url]),
    ]);
    expect(five).toEqual(
      failed(`lessons: ${failing.url} failed: HTTP 500 Internal Server Error\n`),
    );
    expect(errors).toEqual(
      failed(`lessons: ${erring.url} answered with errors (HTTP 200 OK): boom\n`),
    );
  });

  test('401 and 403: an auth message; the token goes as a bearer token (--token over LESSONS_TOKEN)', async () => {
    const refusing = await fakeServer((res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(
        JSON.stringify({
          errors: [{ message: 'unknown bearer token', extensions: { code: 'UNAUTHENTICATED' } }],
        }),
      );
    });
    const forbidding = await fakeServer((res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ errors: [{ message: 'admins only', extensions: { code: 'FORBIDDEN' } }] }),
      );
    });
    const [unauthenticated, forbidden] = await Promise.all([
      lessons(['list', '--url', refusing.url], { LESSONS_TOKEN: 'from-the-env' }),
      lessons(
        ['update', '1', '--status', 'closed', '--url', forbidding.url, '--token', 'from-the-flag'],
        {
          LESSONS_TOKEN: 'from-the-env',
        },
      ),
    ]);
    expect(unauthenticated).toEqual(
      failed(
        `lessons: ${refusing.url} refused the request: not authenticated (a missing or unknown token): HTTP 401 Unauthorized: unknown bearer token (UNAUTHENTICATED)\nGive a valid token with --token or LESSONS_TOKEN.\n`,
      ),
    );
    expect(forbidden).toEqual(
      failed(
        `lessons: ${forbidding.url} refused the request: not authorized (the token may not do this): HTTP 403 Forbidden: admins only (FORBIDDEN)\nThe token is known but its role may not do this; use a token with that right.\n`,
      ),
    );
    expect(refusing.headers[0]?.authorization).toBe('Bearer from-the-env');
    expect(forbidding.headers[0]?.authorization).toBe('Bearer from-the-flag');
  });
});
