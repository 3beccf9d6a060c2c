// The `lessons` CLI: the real bin (bin/lessons.js, a child process) against the real
// service over HTTP, with exact output (lessons, and the patterns they group into); help
// for every command; wrong input (exit 2, a message, nothing sent); an unreachable, failing
// or refusing service (exit 1, a message).
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
import { createLessonsClient, LessonType, type RecordLessonInput } from '../src/client/index.ts';
import {
  DIMENSIONS,
  FIELD_NAMES,
  FIELDS,
  labelOf,
  optionOf,
  UPDATABLE,
} from '../src/journal/fields.ts';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
import { closedPortUrl, serveService } from './client/serve.ts';
import { counts, group } from './fixtures.ts';
import { expectedLesson } from './helpers.ts';
import { type CommandRun, runCommand } from './process.ts';

/** The runtime's own JSON.parse message for `text` (its wording differs between Node versions). */
function parseError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${text} parsed`);
}

/** Runs bin/lessons.js with these arguments; LESSONS_URL and LESSONS_TOKEN only as given. */
function lessons(args: string[], env: Record<string, string> = {}): Promise<CommandRun> {
  const { LESSONS_URL: _url, LESSONS_TOKEN: _token, ...inherited } = process.env;
  return runCommand(process.execPath, ['bin/lessons.js', ...args], {
    env: { ...inherited, ...env },
  });
}

/** The same main() in this process, for cases that never reach the network. */
async function inProcess(
  args: string[],
  env: Record<string, string> = {},
  columns?: number,
): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env,
    columns,
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

/** A lesson as the service answers it: with the default fingerprint of its fields. */
const withFingerprint = <L extends Parameters<typeof defaultFingerprint>[0]>(lesson: L) => ({
  ...lesson,
  fingerprint: defaultFingerprint(lesson),
});

describe('against the real service', () => {
  const LESSON_2 = withFingerprint(
    expectedLesson(
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
    ),
  );
  const LESSON_1 = withFingerprint({
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
    recordedAt: T0,
  });
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
            ['fingerprint', LESSON_1.fingerprint],
            ['recorded', '2026-03-02 10:00:00 UTC'],
            ['version', '1'],
            ['closed', '-'],
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
        version: 2,
      }),
    );
    expect(show2).toEqual(
      okJson({
        ...LESSON_2,
        targetDomain: 'reliability',
        suggestion: null,
        updatedAt: triaged,
        version: 2,
      }),
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
    const offEnv = { LESSONS_URL: off.url };
    const [patterns, pattern, merge] = await Promise.all([
      lessons(['patterns'], offEnv),
      lessons(['pattern', '1'], offEnv),
      lessons(['merge-patterns', '1', '--from', '2'], offEnv),
    ]);
    expect(patterns).toEqual({ code: 0, stdout: 'no patterns match\n', stderr: '' });
    expect(pattern).toEqual(failed('lessons: pattern 1 not found\n'));
    expect(merge).toEqual(
      failed(
        'lessons: patterns were not merged: one of 1, 2 is missing or already merged, or 1 is among --from (or the journal is off)\n',
      ),
    );
  });
});

describe('patterns against the real service', () => {
  const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  const TIMEOUT = { lessonType: LessonType.GATE_FAILURE, stage: 'quality_gate' };
  const DEPLOY_CAUSE =
    'p99 latency 2300 ms over budget after the deploy of build 4411 to eu-west-1';
  const ok = (stdout: string, stderr = '') => ({ code: 0, stdout, stderr });
  const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

  /**
   * Three patterns: a timeout quoting other durations and run ids in three work items and
   * two repos (lessons 1, 3, 4); a merge hold met once and seen three times more (lesson
   * 2); a slow deploy whose title is too long for the table (lesson 5).
   */
  async function seeded() {
    const { service, url } = await serveService();
    const client = createLessonsClient({ url });
    const hold = {
      lessonType: LessonType.MERGE_HOLD,
      workItemId: 'W-4',
      stage: 'merge',
      repo: 'api',
      rootCause: 'merge queue stuck behind #4411',
    };
    const timeout = (workItemId: string, repo: string, rootCause: string) => ({
      ...TIMEOUT,
      workItemId,
      repo,
      rootCause,
    });
    // [seconds after the previous record, the record]
    const steps: [number, RecordLessonInput][] = [
      [0, timeout('W-1', 'api', 'timeout after 30000ms in run 7f3a9c21')],
      [60, hold],
      [
        60,
        {
          ...timeout('W-2', 'web', 'Timeout after 31250ms in run 0b1d2e3f'),
          suggestion: 'raise the e2e timeout',
        },
      ],
      [60, hold],
      [60, hold],
      [30, hold],
      [30, timeout('W-3', 'api', 'TIMEOUT after 29000ms in run 5c6d7e8f')],
      [
        60,
        {
          lessonType: LessonType.DEPLOY_DEGRADED,
          workItemId: 'W-5',
          stage: 'deploy',
          repo: 'web',
          rootCause: DEPLOY_CAUSE,
        },
      ],
    ];
    const recorded: (number | null)[] = [];
    for (const [seconds, input] of steps) {
      service.clock.advance(seconds);
      recorded.push((await client.record(input))?.id ?? null);
    }
    expect(recorded).toEqual([1, 2, 3, null, null, null, 4, 5]);
    return { url, env: { LESSONS_URL: url } };
  }

  const TIMEOUTS = {
    id: 1,
    fingerprint: defaultFingerprint({
      ...TIMEOUT,
      rootCause: 'timeout after 30000ms in run 7f3a9c21',
    }),
    ...TIMEOUT,
    title: 'timeout after 30000ms in run 7f3a9c21',
    status: 'open',
    lessons: 3,
    occurrences: 3,
    workItems: 3,
    repos: 2,
    firstSeenAt: T0,
    lastSeenAt: at(300),
    suggestion: 'raise the e2e timeout',
    fixedAt: null,
    fixRef: null,
    regressedAt: null,
    regressionCount: 0,
    lateOccurrences: 0,
    version: 1,
  };
  const DEPLOYS = {
    id: 3,
    fingerprint: defaultFingerprint({
      lessonType: 'deploy_degraded',
      stage: 'deploy',
      rootCause: DEPLOY_CAUSE,
    }),
    lessonType: 'deploy_degraded',
    stage: 'deploy',
    title: DEPLOY_CAUSE,
    status: 'open',
    lessons: 1,
    occurrences: 1,
    workItems: 1,
    repos: 1,
    firstSeenAt: at(360),
    lastSeenAt: at(360),
    fixedAt: null,
    fixRef: null,
    regressedAt: null,
    regressionCount: 0,
    lateOccurrences: 0,
    version: 1,
    suggestion: null,
  };
  const HEADER =
    'ID  TITLE                                              STATUS  LESSONS  OCCURRENCES  WORK ITEMS  REPOS  LAST SEEN (UTC)';
  const ROW_3 =
    '3   p99 latency 2300 ms over budget after the deploy…  open    1        1            1           1      2026-03-02 10:06';
  const ROW_1 =
    '1   timeout after 30000ms in run 7f3a9c21              open    3        3            3           2      2026-03-02 10:05';
  const ROW_2 =
    '2   merge queue stuck behind #4411                     open    1        4            1           1      2026-03-02 10:04';

  /** `lessons pattern 1`'s fields, with these counts. */
  const timeoutsFields = (counts: [lessons: number, occurrences: number, workItems: number]) => [
    'id           1',
    'title        timeout after 30000ms in run 7f3a9c21',
    'status       open',
    'type         gate_failure',
    'stage        quality_gate',
    `lessons      ${counts[0]}`,
    `occurrences  ${counts[1]}`,
    `work items   ${counts[2]}`,
    'repos        2',
    'first seen   2026-03-02 10:00:00 UTC',
    'last seen    2026-03-02 10:05:00 UTC',
    'suggestion   raise the e2e timeout',
    `fingerprint  ${TIMEOUTS.fingerprint}`,
    '',
    'grouped by (grouping version 1):',
    'COMPONENT   CONTRIBUTES  VALUE',
    'version     yes          1',
    'lessonType  yes          gate_failure',
    'stage       yes          quality_gate',
    'rootCause   yes          timeout after <duration> in run <hex>',
  ];

  test('the table, every order, paging, one pattern, a missing one', async () => {
    const { url, env } = await seeded();
    const [table, byWorkItems, byOccurrences, web, closed, shown, shownJson, missing, narrow] =
      await Promise.all([
        lessons(['patterns'], env),
        lessons(['patterns', '--order', 'work-items', '--first', '2'], env),
        lessons(['patterns', '--order', 'occurrences', '--type', 'merge_hold,gate_failure'], env),
        lessons(['patterns', '--repo', 'web', '--json'], env),
        lessons(['patterns', '--status', 'closed'], env),
        lessons(['pattern', '1'], env),
        lessons(['pattern', '1', '--lessons', '1', '--json'], env),
        lessons(['pattern', '42'], env),
        inProcess(['patterns', '--since', at(270)], env, 80),
      ]);
    expect(table).toEqual(ok(lines(HEADER, ROW_3, ROW_1, ROW_2)));
    // Work items: the timeouts' 3, then 1 and 1 (the larger id first).
    const cursor = /\nnext page: --after (\S+)\n$/.exec(byWorkItems.stdout)?.[1] ?? '';
    expect(byWorkItems).toEqual(
      ok(lines(HEADER, ROW_1, ROW_3, '', `next page: --after ${cursor}`)),
    );
    expect(byOccurrences).toEqual(
      ok(
        lines(
          'ID  TITLE                                  STATUS  LESSONS  OCCURRENCES  WORK ITEMS  REPOS  LAST SEEN (UTC)',
          '2   merge queue stuck behind #4411         open    1        4            1           1      2026-03-02 10:04',
          '1   timeout after 30000ms in run 7f3a9c21  open    3        3            3           2      2026-03-02 10:05',
        ),
      ),
    );
    expect(JSON.parse(web.stdout)).toEqual({
      nodes: [DEPLOYS, TIMEOUTS],
      pageInfo: {
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: expect.any(String),
        endCursor: expect.any(String),
      },
    });
    expect(web).toMatchObject({ code: 0, stderr: '' });
    expect(closed).toEqual(ok('no patterns match\n'));
    expect(shown).toEqual(
      ok(
        lines(
          ...timeoutsFields([3, 3, 3]),
          '',
          'latest lessons (3 of 3):',
          'ID  TYPE          STATUS  STAGE         REPO  WORK ITEM  SEEN  LAST SEEN (UTC)   ROOT CAUSE',
          '4   gate_failure  new     quality_gate  api   W-3        1     2026-03-02 10:05  TIMEOUT after 29000ms in run 5c6d7e8f',
          '3   gate_failure  new     quality_gate  web   W-2        1     2026-03-02 10:02  Timeout after 31250ms in run 0b1d2e3f',
          '1   gate_failure  new     quality_gate  api   W-1        1     2026-03-02 10:00  timeout after 30000ms in run 7f3a9c21',
        ),
      ),
    );
    expect(shownJson).toEqual(
      ok(
        `${JSON.stringify(
          {
            ...TIMEOUTS,
            groupingInfo: {
              version: 1,
              components: [
                { name: 'version', value: '1', contributes: true },
                { name: 'lessonType', value: 'gate_failure', contributes: true },
                { name: 'stage', value: 'quality_gate', contributes: true },
                {
                  name: 'rootCause',
                  value: 'timeout after <duration> in run <hex>',
                  contributes: true,
                },
              ],
            },
            latestLessons: [
              withFingerprint(
                expectedLesson(
                  {
                    id: 4,
                    ...TIMEOUT,
                    workItemId: 'W-3',
                    repo: 'api',
                    rootCause: 'TIMEOUT after 29000ms in run 5c6d7e8f',
                  },
                  at(300),
                ),
              ),
            ],
          },
          null,
          2,
        )}\n`,
      ),
    );
    expect(missing).toEqual(failed('lessons: pattern 42 not found\n'));
    // A narrow terminal: the title gives way down to 20 characters.
    expect(narrow).toEqual(
      ok(
        lines(
          'ID  TITLE                 STATUS  LESSONS  OCCURRENCES  WORK ITEMS  REPOS  LAST SEEN (UTC)',
          '3   p99 latency 2300 ms…  open    1        1            1           1      2026-03-02 10:06',
          '1   timeout after 30000…  open    3        3            3           2      2026-03-02 10:05',
          '2   merge queue stuck b…  open    1        4            1           1      2026-03-02 10:04',
        ),
      ),
    );

    // The next page of the same order; a cursor of another order is refused by the service.
    const [next, otherOrder] = await Promise.all([
      lessons(['patterns', '--order', 'work-items', '--first', '2', '--after', cursor], env),
      lessons(['patterns', '--order', 'lessons', '--after', cursor], env),
    ]);
    expect(next).toEqual(
      ok(
        lines(
          'ID  TITLE                           STATUS  LESSONS  OCCURRENCES  WORK ITEMS  REPOS  LAST SEEN (UTC)',
          '2   merge queue stuck behind #4411  open    1        4            1           1      2026-03-02 10:04',
        ),
      ),
    );
    expect(otherOrder).toEqual(
      failed(
        `lessons: ${url} answered with errors (HTTP 200 OK): not a cursor of this orderBy (BAD_USER_INPUT)\n`,
      ),
    );
  });

  test('triage: close with a fix, history, a bulk update by filter and by ids, reopen, mute', async () => {
    const { env, url } = await seeded();
    expect(
      await lessons(
        [
          'close',
          '1',
          '--fix-ref',
          'PR #42',
          '--fixed-at',
          '2026-03-02T10:05:00Z',
          '--reason',
          'timeout raised',
        ],
        env,
      ),
    ).toEqual(ok('pattern 1 is closed\n'));
    const [future, noRef, history, lessonHistory, dry, stale] = await Promise.all([
      lessons(['close', '2', '--fix-ref', 'x', '--fixed-at', '2099-01-01'], env),
      lessons(['close', '2'], env),
      lessons(['history', '--pattern', '1'], env),
      lessons(['history', '1', '--json'], env),
      lessons(
        [
          'update',
          '--filter',
          'pattern-status=closed',
          '--filter',
          'repo=api',
          '--status',
          'in_progress',
          '--dry-run',
        ],
        env,
      ),
      lessons(['update', '3', '--status', 'new', '--expected-version', '9'], env),
    ]);
    expect(future).toEqual(
      failed(
        `lessons: ${url} answered with errors (HTTP 200 OK): fixedAt 2099-01-01T00:00:00.000Z is in the future (now is 2026-03-02T10:06:00.000Z): a fix is dated when it shipped (BAD_USER_INPUT)\n`,
      ),
    );
    expect(noRef.code).toBe(2);
    expect(noRef.stderr).toMatch(/^lessons close: --fix-ref is required/);
    expect(history).toEqual(
      ok(
        lines(
          'AT (UTC)             KIND    ACTOR      VERSION  CHANGES                                                                           REASON',
          '2026-03-02 10:06:00  closed  anonymous  2        status: open → closed; fixedAt: - → 2026-03-02T10:05:00.000Z; fixRef: - → PR #42  timeout raised',
        ),
      ),
    );
    expect(JSON.parse(lessonHistory.stdout)).toEqual([
      { at: T0, kind: 'recorded', actor: 'anonymous', reason: null, version: 1, changes: [] },
      {
        at: at(360),
        kind: 'closed',
        actor: 'anonymous',
        reason: 'timeout raised',
        version: 2,
        changes: [{ field: 'status', from: 'new', to: 'closed' }],
      },
    ]);
    expect(dry).toEqual(ok('2 lessons match; 2 would change (dry run: nothing changed)\n'));
    expect(stale).toEqual(
      failed(
        'lessons: lesson 3 was not updated: there is no such lesson, or its version is not 9 (someone changed it: show it again) (or the journal is off)\n',
      ),
    );
    expect(
      await lessons(['update', '--ids', '2,5', '--status', 'linked', '--reason', 'sweep'], env),
    ).toEqual(ok('2 lessons matched; 2 changed\n'));
    expect(await lessons(['reopen', '1', '--reason', 'still failing'], env)).toEqual(
      ok('pattern 1 is open\n'),
    );
    expect(await lessons(['mute', '3'], env)).toEqual(ok('pattern 3 is muted\n'));
    const [patternsNow, missing] = await Promise.all([
      lessons(['patterns'], env),
      lessons(['history', '--pattern', '42'], env),
    ]);
    expect(patternsNow.stdout).toMatch(
      /^3 +p99 latency 2300 ms over budget after the deploy… +muted /m,
    );
    expect(missing).toEqual(failed('lessons: pattern 42 not found (or the journal is off)\n'));
  });

  test('merge-patterns: the merged pattern answers with the survivor, which counts both', async () => {
    const { env } = await seeded();
    expect(await lessons(['merge-patterns', '1', '--from', '2'], env)).toEqual(
      ok('merged pattern 2 into 1\n'),
    );
    const [merged, again, table, json] = await Promise.all([
      lessons(['pattern', '2', '--lessons', '0'], env),
      lessons(['merge-patterns', '1', '--from', '2'], env),
      lessons(['patterns'], env),
      lessons(['merge-patterns', '3', '--from', '1,3', '--json'], env),
    ]);
    expect(merged).toEqual(
      ok(lines(...timeoutsFields([4, 7, 4])), 'note: pattern 2 was merged into pattern 1\n'),
    );
    expect(again).toEqual(
      failed(
        'lessons: patterns were not merged: one of 1, 2 is missing or already merged, or 1 is among --from (or the journal is off)\n',
      ),
    );
    expect(table).toEqual(
      ok(
        lines(
          HEADER,
          ROW_3,
          '1   timeout after 30000ms in run 7f3a9c21              open    4        7            4           2      2026-03-02 10:05',
        ),
      ),
    );
    expect(json).toEqual({
      code: 1,
      stdout: `${JSON.stringify({ into: 3, from: [1, 3], merged: false }, null, 2)}\n`,
      stderr:
        'lessons: patterns were not merged: one of 3, 1, 3 is missing or already merged, or 3 is among --from (or the journal is off)\n',
    });
  });
});

describe('analytics and advice against the real service', () => {
  const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
  const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

  test('rice, escapes, efficacy and advise: exact tables and JSON', async () => {
    const { service, url } = await serveService();
    const env = { LESSONS_URL: url };
    const client = createLessonsClient({ url });
    const now = service.clock.now().getTime();
    const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
    const flaky = {
      lessonType: LessonType.GATE_FAILURE,
      stage: 'e2e',
      repo: 'shop',
      rootCause: 'flaky checkout',
      source: 'manual',
      targetRepo: 'ci',
      suggestion: 'quarantine it',
    };
    // 20 lessons in the 14 days before a fix a week ago, none after it.
    for (let i = 0; i < 20; i++) {
      await client.record({
        ...flaky,
        workItemId: `W-${i % 4}`,
        attribution: 'platform',
        occurredAt: daysAgo(8 + i * 0.3),
      });
    }
    await client.record({
      lessonType: LessonType.DEPLOY_DEGRADED,
      stage: 'canary',
      repo: 'shop',
      workItemId: 'W-9',
      occurredAt: daysAgo(1),
    });
    const [rice, escapes, advice] = await Promise.all([
      lessons(['rice', '--window', '30'], env),
      lessons(['escapes'], env),
      lessons(['advise', '--stage', 'e2e', '--repo', 'shop', '--json'], env),
    ]);
    expect(rice).toEqual(
      ok(
        lines(
          'ATTRIBUTION  TARGET REPO  TARGET DOMAIN  REACH  LESSONS  PER DAY  RECENCY (D)  REPOS  PREVIOUS  TREND  P        UNKNOWN  CONFIDENCE',
          'platform     ci           -              4      20       0.667    8            1      0         -      1.91e-6  0        1',
          '-            -            -              1      1        0.0333   1            1      0         -      1        1        0.5',
        ),
      ),
    );
    expect(escapes).toEqual(
      ok(lines('REPO  DEGRADED  ESCAPED  ESCAPE RATE', 'shop  1         1        1')),
    );
    const shown = JSON.parse(advice.stdout);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      suggestion: 'quarantine it',
      pattern: { title: 'flaky checkout', status: 'open' },
    });
    const id = shown[0].pattern.id;
    expect(await client.updatePattern(id, { status: 'closed', fixedAt: daysAgo(7.5) })).toBe(true);
    const [efficacy, none, noStage] = await Promise.all([
      lessons(['efficacy', String(id)], env),
      lessons(['advise', '--stage', 'e2e', '--repo', 'shop'], env),
      lessons(['advise', '--repo', 'shop'], env),
    ]);
    expect(efficacy).toEqual(
      ok(
        lines(
          `pattern ${id} (closed): flaky checkout`,
          `fixed at ${daysAgo(7.5).slice(0, 16).replace('T', ' ')} UTC; windows of 14 days`,
          'before: 20 lessons (1.43 a day)',
          'after:  0 lessons in 7.5 days (0 a day)',
          `rate ratio 0, p = ${((14 / 21.5) ** 20).toExponential(2)}: EFFECTIVE`,
        ),
      ),
    );
    expect(none).toEqual(ok('no advice for this stage\n'));
    expect(noStage).toEqual({
      code: 2,
      stdout: '',
      stderr: "lessons advise: --stage is required\nRun 'lessons advise --help' for usage.\n",
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
    const asReader = { ...env, LESSONS_TOKEN: 'reader-token-1' };
    const [forbidden, merge, patterns] = await Promise.all([
      lessons(['update', '1', '--status', 'closed'], asReader),
      lessons(['merge-patterns', '1', '--from', '2'], asReader),
      lessons(['patterns', '--json'], asReader),
    ]);
    for (const refused of [forbidden, merge]) {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(
          `^lessons: ${url} refused the request: not authorized \\(the token may not do this\\): HTTP 403 Forbidden: .*\\(FORBIDDEN\\)\nThe token is known but its role may not do this; use a token with that right.\n$`,
        ),
      );
    }
    expect(patterns).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(patterns.stdout)).toMatchObject({ nodes: [{ id: 1, lessons: 1 }] });
  });
});

describe('help', () => {
  const COMMANDS = [
    'record',
    'list',
    'show',
    'update',
    'snapshot',
    'aggregates',
    'patterns',
    'pattern',
    'merge-patterns',
    'rice',
    'escapes',
    'efficacy',
    'advise',
  ];

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
      `lessons record: --detail must be JSON: ${parseError('{oops')}`,
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
    [
      ['patterns', '--order', 'newest'],
      'lessons patterns: --order must be last-seen, first-seen, occurrences, lessons or work-items, not "newest"',
    ],
    [
      ['patterns', '--first', '0'],
      'lessons patterns: --first must be a whole number from 1, not "0"',
    ],
    [
      ['patterns', '--since', 'last week'],
      'lessons patterns: --since must be an ISO-8601 date or time (2026-03-01, 2026-03-01T12:00:00Z) or a duration ago (30m, 24h, 7d, 2w), not "last week"',
    ],
    [['patterns', '--work-item', 'W-1'], "lessons patterns: Unknown option '--work-item'"],
    [['patterns', '--type', ''], 'lessons patterns: --type needs a value'],
    [['pattern'], 'lessons pattern: expected one argument, <id>'],
    [['pattern', '1', '2'], 'lessons pattern: expected one argument, <id>'],
    [['pattern', 'p1'], 'lessons pattern: the pattern id must be a whole number from 1, not "p1"'],
    [
      ['pattern', '1', '--lessons', 'all'],
      'lessons pattern: --lessons must be a whole number from 0, not "all"',
    ],
    [['merge-patterns', '1'], 'lessons merge-patterns: --from is required: the patterns to merge'],
    [
      ['merge-patterns', '1', '--from', '2,x'],
      'lessons merge-patterns: --from must be a whole number from 1, not "x"',
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
    const [viaEnv, viaFlag, patterns, pattern] = await Promise.all([
      lessons(['list'], { LESSONS_URL: url }),
      lessons(['list', '--url', url], { LESSONS_URL: good }),
      inProcess(['patterns'], { LESSONS_URL: url }),
      inProcess(['pattern', '1'], { LESSONS_URL: url }),
    ]);
    expect(viaEnv).toEqual(expected);
    expect(viaFlag).toEqual(expected);
    expect(patterns).toEqual(expected);
    expect(pattern).toEqual(expected);
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
