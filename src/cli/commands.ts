// The commands of the `lessons` CLI: each one's options, help text, and what it does with
// the typed calls (the client's documents and transport, without its never-raise guard).
// A command returns its exit status: 0 done, 1 the service answered but did not do it (a
// lesson or pattern not found, not recorded, not updated, not merged). Failures to reach
// or use the service throw, and main.ts reports them; so do UsageErrors (exit 2).
import type { ParseArgsConfig } from 'node:util';
import type { Calls, RecordLessonInput, UpdateLessonInput } from '../client/calls.ts';
import {
  FIELDS,
  FILTERABLE,
  type FieldName,
  optionOf,
  spec,
  TEXT_INPUTS,
  UPDATABLE,
} from '../journal/fields.ts';
import { SLUGS } from '../journal/slugs.ts';
import {
  bucket,
  DIMENSION_NAMES,
  dimensions,
  FILTER_OPTIONS,
  filterOf,
  filterOfPairs,
  integer,
  list as listOf,
  ORDER_NAMES,
  order,
  PATTERN_FILTER_OPTIONS,
  patternFilterOf,
  RICE_NAMES,
  riceDimensions,
  slugNotes,
  text,
  UsageError,
  type Values,
  valueHelp,
  when,
} from './args.ts';
import {
  advisoriesTable,
  efficacyText,
  escapesTable,
  groupsTable,
  historyTable,
  lessonDetails,
  lessonsTable,
  patternDetails,
  patternsTable,
  riceTable,
  snapshotText,
} from './format.ts';

export interface Context {
  values: Values;
  positionals: string[];
  calls: Calls;
  json: boolean;
  /** The width of the output's lines (a terminal's, or a default). */
  columns: number;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  /** Shown in `lessons --help`. */
  summary: string;
  /** The positional argument, if the command takes one. */
  argument?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  help: string;
  run(context: Context): Promise<number>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** One line of help per option: `  --name <value>` and what it takes. */
const helpLines = (lines: [option: string, about: string][]) =>
  lines.map(([option, about]) => `  ${option.padEnd(22)}  ${about}`).join('\n');

/** The option and help line of a field the operator types text or a slug into. */
const fieldHelp = (field: FieldName): [string, string] => [
  `--${optionOf(field)} <${spec(field).slugs ? 'slug' : 'text'}>`,
  valueHelp(field),
];

const FILTER_HELP = `Filters (a lesson must match all given; an option given several values, repeated or
comma-separated, matches any of them):
${helpLines([
  ...FILTERABLE.map(fieldHelp),
  [
    '--since <when>',
    'created at or after: 2026-03-01, 2026-03-01T12:00:00Z, or 30m, 24h, 7d, 2w ago',
  ],
  ['--until <when>', 'created before'],
  ['--text <text>', 'a case-insensitive substring of the root cause or the suggestion'],
])}`;

/** [option, field] of the text fields `update` sets, and `record` too. */
const TEXT_FIELDS = UPDATABLE.map((field) => [optionOf(field), field] as const);

/** [option, field] of the text fields only `record` sets (the type is its own option). */
const RECORD_ONLY_FIELDS = TEXT_INPUTS.filter(
  (field) =>
    !(UPDATABLE as string[]).includes(field) && field !== 'lessonType' && field !== 'source',
).map((field) => [optionOf(field), field] as const);

const stringOptions = (names: readonly (readonly [string, string])[]) =>
  Object.fromEntries(names.map(([option]) => [option, { type: 'string' } as const]));

const record: Command = {
  name: 'record',
  summary: 'record a manual lesson',
  options: {
    type: { type: 'string' },
    detail: { type: 'string' },
    ...stringOptions(RECORD_ONLY_FIELDS),
    ...stringOptions(TEXT_FIELDS),
  },
  help: `Usage: lessons record --type <slug> [options]

Records a manual lesson (source "manual": never deduplicated) and prints its id
(--json: the whole lesson). A slug that is not canonical is stored as given.

${helpLines([
  ['--type <slug>', `${valueHelp('lessonType')} (required)`],
  ...[...RECORD_ONLY_FIELDS, ...TEXT_FIELDS].map(([, field]) => fieldHelp(field)),
  ['--detail <json>', 'any JSON value, such as \'{"attempt": 3}\''],
])}

Example:
  lessons record --type gate_failure --work-item ORCH-98 --stage quality_gate \\
    --repo orchestrator --root-cause 'flaky e2e test'`,
  async run({ values, calls, json: asJson, out, err }) {
    const lessonType = text(values, 'type')?.trim();
    if (!lessonType) {
      throw new UsageError(`--type is required (${SLUGS.lessonTypes.slice(0, 3).join(', ')}, ...)`);
    }
    const input: RecordLessonInput = { lessonType, source: 'manual' };
    const fields = input as Record<string, unknown>;
    for (const [option, field] of [...RECORD_ONLY_FIELDS, ...TEXT_FIELDS]) {
      fields[field] = text(values, option);
    }
    const detail = text(values, 'detail');
    if (detail !== undefined) {
      try {
        input.detail = JSON.parse(detail);
      } catch (error) {
        throw new UsageError(`--detail must be JSON: ${(error as Error).message}`);
      }
    }
    for (const note of slugNotes(values)) err(note);
    const lesson = await calls.record(input);
    if (asJson) out(json(lesson));
    if (!lesson) {
      err('lessons: the service did not record it: the journal is off, or it refused the lesson');
      return 1;
    }
    if (!asJson) out(`recorded lesson ${lesson.id}`);
    return 0;
  },
};

const list: Command = {
  name: 'list',
  summary: 'list lessons, newest first (a table; --json for scripts)',
  options: { ...FILTER_OPTIONS, limit: { type: 'string' } },
  help: `Usage: lessons list [filters] [--limit <n>] [--json]

Lessons newest first, as a table (--json: a JSON array of lessons, every field).

${FILTER_HELP}
  --limit <n>             at most n lessons (default: the service's, 100; at most its max)

Examples:
  lessons list --status new,in_progress --repo orchestrator
  lessons list --type gate_failure --since 7d --json`,
  async run({ values, calls, json: asJson, out }) {
    const limit = text(values, 'limit');
    const lessons = await calls.list({
      ...filterOf(values),
      limit: limit === undefined ? undefined : integer(limit, '--limit'),
    });
    if (asJson) out(json(lessons));
    else out(lessons.length ? lessonsTable(lessons) : 'no lessons match');
    return 0;
  },
};

const show: Command = {
  name: 'show',
  summary: 'show one lesson',
  argument: '<id>',
  options: {},
  help: `Usage: lessons show <id> [--json]

Shows every field of one lesson (--json: the lesson as JSON). Exit status 1 when there
is no such lesson.`,
  async run({ positionals, calls, json: asJson, out, err }) {
    const id = integer(positionals[0] ?? '', 'the lesson id');
    const lesson = await calls.get(id);
    if (asJson) out(json(lesson));
    if (!lesson) {
      err(`lessons: lesson ${id} not found`);
      return 1;
    }
    if (!asJson) out(lessonDetails(lesson));
    return 0;
  },
};

const CLEARABLE = TEXT_FIELDS.filter(([, field]) => FIELDS[field].update.clearable);

const update: Command = {
  name: 'update',
  summary: 're-status or re-classify a lesson, or many at once (admin)',
  argument: '[<id>]',
  options: {
    ...stringOptions(TEXT_FIELDS),
    clear: { type: 'string', multiple: true },
    reason: { type: 'string' },
    'expected-version': { type: 'string' },
    ids: { type: 'string', multiple: true },
    filter: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  help: `Usage: lessons update <id> [options]
       lessons update --ids <ids> | --filter <key=value>... [--dry-run] [options]

Changes only the given fields of a lesson (and stamps its updatedAt); each lesson that
changes gets one history event, with --reason. With --ids (comma-separated or repeated) or
--filter, updates every lesson they name at once, all or nothing: more than the service's
LESSONS_BULK_MAX (10000) matches is refused with the count; --dry-run only counts. Exit
status 1 when the lesson does not exist or was at another version than --expected-version
(or the journal is off).

${helpLines([
  ...TEXT_FIELDS.map(([, field]) => fieldHelp(field)),
  ['--clear <fields>', `empty these (comma-separated): ${CLEARABLE.map(([o]) => o).join(', ')}`],
  ['--reason <text>', 'why, for the history'],
  ['--expected-version <n>', 'change it only if its version is n (what you saw); one lesson only'],
  ['--ids <ids>', 'the lessons to update at once'],
  [
    '--filter <key=value>',
    `the lessons to update at once, as list takes them: a key of ${Object.keys(FILTER_OPTIONS).join(', ')}; repeat for more`,
  ],
  ['--dry-run', 'with --ids or --filter: count what would match and change, change nothing'],
])}

Examples:
  lessons update 12 --status in_progress --attribution platform --target-domain reliability
  lessons update --filter repo=shop --filter status=new --status closed --reason 'fixed by #42' --dry-run`,
  async run({ values, positionals, calls, json: asJson, out, err }) {
    const fields: UpdateLessonInput = {};
    for (const [option, field] of TEXT_FIELDS) {
      const value = text(values, option);
      if (value !== undefined) fields[field] = value;
    }
    for (const name of listOf(values, 'clear') ?? []) {
      const field = CLEARABLE.find(([option]) => option === name)?.[1];
      if (!field) {
        throw new UsageError(
          `--clear: ${JSON.stringify(name)} is not one of ${CLEARABLE.map(([o]) => o).join(', ')}`,
        );
      }
      if (fields[field] !== undefined)
        throw new UsageError(`--${name} and --clear ${name} both given`);
      fields[field] = null;
    }
    if (Object.keys(fields).length === 0) {
      throw new UsageError(
        `nothing to update: give at least one of ${TEXT_FIELDS.map(([o]) => `--${o}`).join(', ')} or --clear`,
      );
    }
    const reason = text(values, 'reason');
    const ids = listOf(values, 'ids')?.map((raw) => integer(raw, '--ids'));
    const pairs = listOfPairs(values);
    const targets = [positionals[0] !== undefined, ids !== undefined, pairs !== undefined];
    if (targets.filter(Boolean).length !== 1) {
      throw new UsageError('give exactly one of <id>, --ids and --filter');
    }
    for (const note of slugNotes(values)) err(note);
    if (positionals[0] === undefined) {
      if (values['expected-version'] !== undefined) {
        throw new UsageError('--expected-version is for one lesson: give its <id>');
      }
      const target = ids ? { ids } : { filter: filterOfPairs(pairs ?? []) };
      const dryRun = values['dry-run'] === true;
      const result = await calls.updateLessons(target, fields, { reason, dryRun });
      if (asJson) out(json({ ...result, dryRun }));
      else if (dryRun) {
        out(
          `${result.matched} lessons match; ${result.updated} would change (dry run: nothing changed)`,
        );
      } else out(`${result.matched} lessons matched; ${result.updated} changed`);
      return 0;
    }
    if (values['dry-run'] !== undefined) throw new UsageError('--dry-run is for --ids or --filter');
    const id = integer(positionals[0], 'the lesson id');
    const expected = text(values, 'expected-version');
    const input: UpdateLessonInput = {
      ...fields,
      ...(reason === undefined ? {} : { reason }),
      ...(expected === undefined
        ? {}
        : { expectedVersion: integer(expected, '--expected-version') }),
    };
    const updated = await calls.update(id, input);
    if (asJson) out(json({ id, updated }));
    if (!updated) {
      err(
        `lessons: lesson ${id} was not updated: there is no such lesson${expected === undefined ? '' : `, or its version is not ${expected} (someone changed it: show it again)`} (or the journal is off)`,
      );
      return 1;
    }
    if (!asJson) out(`updated lesson ${id}`);
    return 0;
  },
};

/** --filter's pairs, or undefined when not given. */
function listOfPairs(values: Values): string[] | undefined {
  const given = values.filter;
  if (given === undefined) return undefined;
  const pairs = (Array.isArray(given) ? given : [given]).map(String);
  if (pairs.length === 0) throw new UsageError('--filter needs key=value');
  return pairs;
}

const snapshot: Command = {
  name: 'snapshot',
  summary: 'the summary the orchestrator’s queue page shows',
  options: { repo: { type: 'string' } },
  help: `Usage: lessons snapshot [--repo <repo>] [--json]

Counts of the whole journal (or of one repo): total, open (new or in_progress), recorded
in the last 24 hours, the last record, and counts by type, status, domain and attribution.`,
  async run({ values, calls, json: asJson, out }) {
    const repo = text(values, 'repo');
    const data = await calls.snapshot(repo);
    out(asJson ? json(data) : snapshotText(data, repo));
    return 0;
  },
};

const aggregates: Command = {
  name: 'aggregates',
  summary: 'group-by counts, most occurrences first (patterns, RICE)',
  options: {
    ...FILTER_OPTIONS,
    'group-by': { type: 'string' },
    bucket: { type: 'string' },
    limit: { type: 'string' },
  },
  help: `Usage: lessons aggregates [--group-by <dims>] [--bucket hour|day|week] [filters] [--limit <n>] [--json]

Groups the matching lessons and counts, per group: lessons, occurrences (their sum), work
items (distinct), first and last seen. Most occurrences first.

  --group-by <dims>       comma-separated, default type,stage; of:
                          ${DIMENSION_NAMES.join(', ')}
  --bucket <size>         also group by hour, day or week of creation (UTC; weeks start Monday)
  --limit <n>             at most n groups

${FILTER_HELP}

Example (the retrospective's recurring patterns of the last 30 days):
  lessons aggregates --group-by type,stage,repo --since 30d`,
  async run({ values, calls, json: asJson, out }) {
    const groupBy = dimensions(text(values, 'group-by') ?? 'type,stage');
    const size = text(values, 'bucket');
    const limit = text(values, 'limit');
    const groups = await calls.aggregates({
      groupBy,
      bucket: size === undefined ? undefined : bucket(size),
      filter: filterOf(values),
      limit: limit === undefined ? undefined : integer(limit, '--limit'),
    });
    if (asJson) out(json(groups));
    else out(groups.length ? groupsTable(groups, groupBy, size !== undefined) : 'no lessons match');
    return 0;
  },
};

/** A pattern's type and stage are its first lesson's; the other lists are its own. */
const PATTERN_FILTER_HELP = `Filters (a pattern must match all given; several values, repeated or comma-separated,
match any of them):
${helpLines([
  [
    '--type <slug>',
    `its type (its first lesson's): ${SLUGS.lessonTypes.slice(0, 2).join(', ')}, ...`,
  ],
  ['--stage <text>', "its stage (its first lesson's)"],
  ['--status <text>', 'its own status: open, closed, regressed, muted'],
  ['--repo <text>', 'with a lesson in the repo'],
  ['--since <when>', 'last seen at or after: 2026-03-01, 2026-03-01T12:00Z, or 7d ago'],
  ['--until <when>', 'last seen before'],
  ['--text <text>', 'a case-insensitive substring of the title or the suggestion'],
])}`;

const patterns: Command = {
  name: 'patterns',
  summary: 'the recurring problems behind lessons, with exact counts',
  options: {
    ...PATTERN_FILTER_OPTIONS,
    order: { type: 'string' },
    first: { type: 'string' },
    after: { type: 'string' },
  },
  help: `Usage: lessons patterns [filters] [--order <order>] [--first <n>] [--after <cursor>] [--json]

Patterns, one page at a time, as a table: the lessons of one fingerprint (one root cause,
whatever ids and numbers it quoted) across work items and repos. Then, when there are
more, the cursor of the next page (--json: { nodes, pageInfo }).

${helpLines([
  ['--order <order>', 'largest first, by one of (default last-seen):'],
  ['', ORDER_NAMES.join(', ')],
  ['--first <n>', "at most n patterns (default: the service's page size)"],
  ['--after <cursor>', 'the page after this cursor (from the previous page, same --order)'],
])}

${PATTERN_FILTER_HELP}

Examples:
  lessons patterns --order work-items --since 30d
  lessons patterns --status open --repo orchestrator --first 20`,
  async run({ values, calls, json: asJson, columns, out }) {
    const by = text(values, 'order');
    const first = text(values, 'first');
    const page = await calls.patterns(patternFilterOf(values), {
      orderBy: by === undefined ? undefined : order(by),
      first: first === undefined ? undefined : integer(first, '--first'),
      after: text(values, 'after'),
    });
    if (asJson) {
      out(json(page));
      return 0;
    }
    out(page.nodes.length ? patternsTable(page.nodes, columns) : 'no patterns match');
    const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (next) out(`\nnext page: --after ${next}`);
    return 0;
  },
};

const pattern: Command = {
  name: 'pattern',
  summary: 'show one pattern, why its lessons group, its latest lessons',
  argument: '<id>',
  options: { lessons: { type: 'string' } },
  help: `Usage: lessons pattern <id> [--lessons <n>] [--json]

Shows one pattern: its fields, the components of its fingerprint (and which of them
counted), and its latest lessons (--json: all of it as JSON). A pattern merged into
another shows that one. Exit status 1 when there is no such pattern.

${helpLines([['--lessons <n>', 'how many of its latest lessons to show (default 5; 0: none)']])}`,
  async run({ values, positionals, calls, json: asJson, out, err }) {
    const id = integer(positionals[0] ?? '', 'the pattern id');
    const count = text(values, 'lessons');
    const found = await calls.pattern(id, {
      lessons: count === undefined ? 5 : integer(count, '--lessons', 0),
    });
    if (found && found.id !== id) err(`note: pattern ${id} was merged into pattern ${found.id}`);
    if (asJson) out(json(found));
    if (!found) {
      err(`lessons: pattern ${id} not found`);
      return 1;
    }
    if (!asJson) out(patternDetails(found));
    return 0;
  },
};

const mergePatterns: Command = {
  name: 'merge-patterns',
  summary: 'merge patterns that are one problem into one (admin)',
  argument: '<into>',
  options: { from: { type: 'string', multiple: true } },
  help: `Usage: lessons merge-patterns <into> --from <ids> [--json]

Moves every lesson of the --from patterns (comma-separated or repeated ids) into pattern
<into>, whose counts then cover them; later lessons of their fingerprints join <into> too,
and their ids show <into>. Needs an admin token when the service has tokens. Exit status 1
when nothing was merged: a pattern is missing or already merged, or <into> is among them.

Example:
  lessons merge-patterns 3 --from 7,12`,
  async run({ values, positionals, calls, json: asJson, out, err }) {
    const into = integer(positionals[0] ?? '', 'the pattern id');
    const from = (listOf(values, 'from') ?? []).map((raw) => integer(raw, '--from'));
    if (from.length === 0) throw new UsageError('--from is required: the patterns to merge');
    const merged = await calls.mergePatterns(into, from);
    if (asJson) out(json({ into, from, merged }));
    if (!merged) {
      err(
        `lessons: patterns were not merged: one of ${[into, ...from].join(', ')} is missing or already merged, or ${into} is among --from (or the journal is off)`,
      );
      return 1;
    }
    if (!asJson) out(`merged pattern${from.length > 1 ? 's' : ''} ${from.join(', ')} into ${into}`);
    return 0;
  },
};

/** A pattern lifecycle command: close, reopen or mute. */
function lifecycle(
  name: 'close' | 'reopen' | 'mute',
  status: 'closed' | 'open' | 'muted',
  summary: string,
  about: string,
): Command {
  const closing = name === 'close';
  return {
    name,
    summary,
    argument: '<pattern-id>',
    options: {
      reason: { type: 'string' },
      'expected-version': { type: 'string' },
      ...(closing ? { 'fix-ref': { type: 'string' }, 'fixed-at': { type: 'string' } } : {}),
    },
    help: `Usage: lessons ${name} <pattern-id>${closing ? ' --fix-ref <ref> [--fixed-at <when>]' : ''} [--reason <text>] [--json]

${about} Needs an admin token when the service has tokens. Exit status 1 when there is no
such pattern, or it was at another version than --expected-version (or the journal is off).

${helpLines([
  ...(closing
    ? ([
        ['--fix-ref <ref>', 'the fix: a commit, a pull request or a task'],
        [
          '--fixed-at <when>',
          'when the fix shipped (default now): 2026-03-01T12:00:00Z, or 30m, 24h, 7d ago; never in the future',
        ],
      ] as [string, string][])
    : []),
  ['--reason <text>', 'why, for the history'],
  ['--expected-version <n>', 'change it only if its version is n (what you saw)'],
])}

Example:
  lessons ${name} 7${closing ? " --fix-ref 'PR #42' --reason 'retry budget raised'" : " --reason 'still happening'"}`,
    async run({ values, positionals, calls, json: asJson, out, err }) {
      const id = integer(positionals[0] ?? '', 'the pattern id');
      const fixRef = text(values, 'fix-ref');
      if (closing && fixRef === undefined) {
        throw new UsageError(
          '--fix-ref is required: the commit, pull request or task that fixed it',
        );
      }
      const fixedAt = text(values, 'fixed-at');
      const expected = text(values, 'expected-version');
      const reason = text(values, 'reason');
      const done = await calls.updatePattern(id, {
        status,
        ...(fixRef === undefined ? {} : { fixRef }),
        ...(fixedAt === undefined ? {} : { fixedAt: when(fixedAt, '--fixed-at') }),
        ...(reason === undefined ? {} : { reason }),
        ...(expected === undefined
          ? {}
          : { expectedVersion: integer(expected, '--expected-version') }),
      });
      if (asJson) out(json({ id, status, done }));
      if (!done) {
        err(
          `lessons: pattern ${id} was not changed: there is no such pattern${expected === undefined ? '' : `, or its version is not ${expected} (someone changed it: show it again)`} (or the journal is off)`,
        );
        return 1;
      }
      if (!asJson) out(`pattern ${id} is ${status}`);
      return 0;
    },
  };
}

const close = lifecycle(
  'close',
  'closed',
  'close a pattern with its fix (and its open lessons) (admin)',
  'Closes a pattern: a fix shipped. Its open lessons (new, in progress) are closed too, each\nwith its history event. An occurrence dated LESSONS_REGRESSION_GRACE_S (300 s) after\n--fixed-at or later regresses it; an earlier one is counted as late.',
);
const reopen = lifecycle(
  'reopen',
  'open',
  'reopen a closed, regressed or muted pattern (admin)',
  'Reopens a pattern: its fix (fixedAt, fixRef) is cleared; the history keeps it.',
);
const mute = lifecycle(
  'mute',
  'muted',
  'mute a pattern: known noise, never regresses (admin)',
  'Mutes a pattern: known noise. Its occurrences never regress it.',
);

const history: Command = {
  name: 'history',
  summary: "a lesson's or a pattern's history of changes",
  argument: '[<lesson-id>]',
  options: { pattern: { type: 'string' } },
  help: `Usage: lessons history <lesson-id> | --pattern <id> [--json]

Every change of a lesson or a pattern, oldest first: when, what kind (recorded, updated,
closed, reopened, regressed, merged), by whom, each field's from and to, and why. Exit
status 1 when there is no such lesson or pattern (or the journal is off).

${helpLines([['--pattern <id>', "a pattern's history instead of a lesson's"]])}

Examples:
  lessons history 12
  lessons history --pattern 7 --json`,
  async run({ values, positionals, calls, json: asJson, out, err }) {
    const pattern = text(values, 'pattern');
    if ((pattern === undefined) === (positionals[0] === undefined)) {
      throw new UsageError('give exactly one of <lesson-id> and --pattern');
    }
    const of =
      pattern === undefined
        ? { lesson: integer(positionals[0] ?? '', 'the lesson id') }
        : { pattern: integer(pattern, '--pattern') };
    const events = await calls.history(of);
    const what = 'lesson' in of ? `lesson ${of.lesson}` : `pattern ${of.pattern}`;
    if (events === null) {
      if (asJson) out(json(null));
      err(`lessons: ${what} not found (or the journal is off)`);
      return 1;
    }
    out(asJson ? json(events) : historyTable(events));
    return 0;
  },
};

/** --window and --as-of of an analytics command. */
const WINDOW_OPTIONS = { window: { type: 'string' }, 'as-of': { type: 'string' } } as const;
const windowOf = (values: Values) => {
  const days = text(values, 'window');
  const asOf = text(values, 'as-of');
  return {
    windowDays: days === undefined ? undefined : integer(days, '--window'),
    asOf: asOf === undefined ? undefined : when(asOf, '--as-of'),
  };
};
const windowHelp = (days: number) =>
  helpLines([
    ['--window <days>', `the window's length in days (default ${days})`],
    [
      '--as-of <when>',
      'where the window ends: 2026-03-01, 2026-03-01T12:00Z, or 7d ago (default now)',
    ],
  ]);

const rice: Command = {
  name: 'rice',
  summary: "the RICE prioritiser's inputs per group: reach, frequency, trend, confidence",
  options: {
    ...FILTER_OPTIONS,
    ...WINDOW_OPTIONS,
    'group-by': { type: 'string' },
    limit: { type: 'string' },
  },
  help: `Usage: lessons rice [--group-by <dims>] [--window <days>] [--as-of <when>] [filters] [--limit <n>] [--json]

Per group of the lessons created in the window: reach (distinct work items), lessons,
lessons per day, days since last seen, repos, the window before, the trend (ratio) and
its exact two-sided binomial p-value, the share of unknown attribution, and the
confidence band. Reach first. Everything RICE needs but Effort.

  --group-by <dims>       comma-separated, default attribution,target-repo,target-domain; of:
                          ${RICE_NAMES.join(', ')}
${windowHelp(30)}
  --limit <n>             at most n groups

${FILTER_HELP}

Example:
  lessons rice --group-by attribution,target-repo,target-domain --window 30`,
  async run({ values, calls, json: asJson, out }) {
    const groupBy = riceDimensions(
      text(values, 'group-by') ?? 'attribution,target-repo,target-domain',
    );
    const limit = text(values, 'limit');
    const groups = await calls.riceInputs({
      groupBy,
      ...windowOf(values),
      filter: filterOf(values),
      limit: limit === undefined ? undefined : integer(limit, '--limit'),
    });
    if (asJson) out(json(groups));
    else
      out(
        groups.length ? riceTable(groups, groupBy) : 'no lessons in the window or the one before',
      );
    return 0;
  },
};

const escapes: Command = {
  name: 'escapes',
  summary: 'per repo, degraded deploys that no gate caught first',
  options: { ...WINDOW_OPTIONS, repo: { type: 'string' } },
  help: `Usage: lessons escapes [--window <days>] [--as-of <when>] [--repo <repo>] [--json]

Per repo: the work items whose deploy came back degraded in the window, how many of them
had no gate failure before it (escaped), and the escape rate. Most escapes first.

${windowHelp(30)}
${helpLines([['--repo <repo>', 'only this repo']])}`,
  async run({ values, calls, json: asJson, out }) {
    const groups = await calls.escapes({ ...windowOf(values), repo: text(values, 'repo') });
    if (asJson) out(json(groups));
    else out(groups.length ? escapesTable(groups) : 'no degraded deploys in the window');
    return 0;
  },
};

const efficacy: Command = {
  name: 'efficacy',
  summary: "whether a pattern's fix made it rarer (an exact test)",
  argument: '<pattern-id>',
  options: WINDOW_OPTIONS,
  help: `Usage: lessons efficacy <pattern-id> [--window <days>] [--as-of <when>] [--json]

A closed pattern's lessons in the window before its fix and after it, their rates, the
exact one-sided p-value of a decrease and the verdict (EFFECTIVE, REGRESSED,
INCONCLUSIVE, INSUFFICIENT_DATA). Exit status 1 when there is no such pattern.

${windowHelp(14)}`,
  async run({ values, positionals, calls, json: asJson, out, err }) {
    const id = integer(positionals[0] ?? '', 'the pattern id');
    const found = await calls.efficacy(id, windowOf(values));
    if (!found) {
      if (asJson) out(json(null));
      err(`lessons: pattern ${id} not found (or the journal is off)`);
      return 1;
    }
    out(asJson ? json(found) : efficacyText(found));
    return 0;
  },
};

const advise: Command = {
  name: 'advise',
  summary: 'what the journal has learned for a stage, before it runs',
  options: {
    stage: { type: 'string' },
    repo: { type: 'string' },
    agent: { type: 'string' },
    'work-item': { type: 'string' },
    limit: { type: 'string' },
  },
  help: `Usage: lessons advise --stage <stage> [--repo <repo>] [--agent <agent>] [--work-item <id>] [--limit <n>] [--json]

The open or regressed patterns most worth knowing before the stage runs, best first, each
with its advisory id (answer it with adviceFeedback), score, suggestion and why.

${helpLines([
  ['--stage <stage>', 'the stage about to run (required)'],
  ['--repo <repo>', "the repo it runs in: that repo's patterns and the platform's"],
  ['--agent <agent>', 'the agent that will run it'],
  ['--work-item <id>', 'the work item (whether the advice prevented a recurrence is read from it)'],
  ['--limit <n>', 'at most n (default 3, at most 20)'],
])}

Example:
  lessons advise --stage e2e --repo shop`,
  async run({ values, calls, json: asJson, out }) {
    const stage = text(values, 'stage');
    if (stage === undefined) throw new UsageError('--stage is required');
    const limit = text(values, 'limit');
    const advisories = await calls.advisories({
      stage,
      repo: text(values, 'repo'),
      agent: text(values, 'agent'),
      workItemId: text(values, 'work-item'),
      limit: limit === undefined ? undefined : integer(limit, '--limit', 0),
    });
    if (asJson) out(json(advisories));
    else out(advisories.length ? advisoriesTable(advisories) : 'no advice for this stage');
    return 0;
  },
};

export const COMMANDS: Command[] = [
  record,
  list,
  show,
  update,
  history,
  snapshot,
  aggregates,
  patterns,
  pattern,
  close,
  reopen,
  mute,
  mergePatterns,
  rice,
  escapes,
  efficacy,
  advise,
];
