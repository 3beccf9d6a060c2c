// How the `lessons` CLI shows things to people: aligned tables, one line per row (newlines
// and control characters in the data never break a row), times in UTC to the minute or
// second, `-` for a missing value. `--json` output does not come through here.
import type {
  Advisory,
  EscapeGroup,
  HistoryEvent,
  Lesson,
  LessonDimension,
  LessonGroup,
  Pattern,
  PatternDetails,
  PatternEfficacy,
  RiceDimension,
  RiceInput,
  SnapshotData,
} from '../client/calls.ts';
import { DIMENSIONS, FIELD_NAMES, type FieldName, labelOf, spec } from '../journal/fields.ts';

const oneLine = (value: string) => value.replace(/[\s\p{Cc}]+/gu, ' ').trim();

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

const shown = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '-' : oneLine(String(value));

/** `2026-03-02 10:00` (UTC), or with seconds. */
function time(iso: string | null, seconds = false): string {
  if (!iso) return '-';
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}`;
}

/** Columns padded to their widest cell, two spaces apart; the last one is not padded. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function lessonsTable(lessons: Lesson[]): string {
  return table(
    ['ID', 'TYPE', 'STATUS', 'STAGE', 'REPO', 'WORK ITEM', 'SEEN', 'LAST SEEN (UTC)', 'ROOT CAUSE'],
    lessons.map((l) => [
      String(l.id),
      shown(l.lessonType),
      shown(l.status),
      shown(l.stage),
      shown(l.repo),
      shown(l.workItemId),
      String(l.occurrences),
      time(l.lastSeenAt),
      cut(shown(l.rootCause), 60),
    ]),
  );
}

/** What a person looks for first; then every other field in the registry's order. */
const HEADLINE: FieldName[] = ['id', 'lessonType', 'status', 'source'];
const SHOWN: FieldName[] = [
  ...HEADLINE,
  ...FIELD_NAMES.filter((f) => !HEADLINE.includes(f) && spec(f).kind !== 'json'),
];
const JSON_FIELDS = FIELD_NAMES.filter((f) => spec(f).kind === 'json');

/** One lesson, a field per line; `detail` as indented JSON at the end. */
export function lessonDetails(lesson: Lesson): string {
  const width = Math.max(...FIELD_NAMES.map((f) => labelOf(f).length));
  const line = (field: FieldName, text: string) => `${labelOf(field).padEnd(width)}  ${text}`;
  const lines = SHOWN.map((field) => {
    const value = lesson[field] as string | number | null;
    return line(
      field,
      spec(field).kind === 'timestamp' && value !== null && value !== undefined
        ? `${time(value as string, true)} UTC`
        : shown(value),
    );
  });
  for (const field of JSON_FIELDS) {
    const value = lesson[field];
    lines.push(
      line(
        field,
        value === null || value === undefined
          ? '-'
          : JSON.stringify(value, null, 2).replaceAll('\n', `\n${' '.repeat(width + 2)}`),
      ),
    );
  }
  return lines.join('\n');
}

type Buckets = SnapshotData['byType'];

function counts(buckets: Buckets): string {
  if (!buckets || buckets.length === 0) return '-';
  return buckets.map((b) => `${b.key === null ? '(none)' : oneLine(b.key)} ${b.count}`).join(', ');
}

export function snapshotText(snapshot: SnapshotData, repo: string | undefined): string {
  const rows: [string, string][] = [
    ['journal', snapshot.enabled ? 'on' : 'off (every operation is a no-op)'],
  ];
  if (repo !== undefined) rows.push(['repo', shown(repo)]);
  if (snapshot.enabled) {
    rows.push(
      ['total', shown(snapshot.total)],
      ['open', shown(snapshot.open)],
      ['recorded (24 h)', shown(snapshot.recorded24h)],
      [
        'last recorded',
        snapshot.lastRecordedAt ? `${time(snapshot.lastRecordedAt, true)} UTC` : '-',
      ],
      ['by type', counts(snapshot.byType)],
      ['by status', counts(snapshot.byStatus)],
      ['by domain', counts(snapshot.byDomain)],
      ['by attribution', counts(snapshot.byAttribution)],
    );
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** Each dimension's field and column title. */
const GROUP_COLUMNS = Object.fromEntries(
  DIMENSIONS.map((field) => [spec(field).group, [field, labelOf(field).toUpperCase()]]),
) as Record<LessonDimension, [keyof LessonGroup, string]>;

export function groupsTable(
  groups: LessonGroup[],
  groupBy: LessonDimension[],
  bucketed: boolean,
): string {
  const dims = groupBy.map((d) => GROUP_COLUMNS[d]);
  return table(
    [
      ...(bucketed ? ['BUCKET (UTC)'] : []),
      ...dims.map(([, title]) => title),
      'LESSONS',
      'OCCURRENCES',
      'WORK ITEMS',
      'FIRST SEEN',
      'LAST SEEN',
    ],
    groups.map((g) => [
      ...(bucketed ? [time(g.bucketStart)] : []),
      ...dims.map(([key]) => cut(shown(g[key] as string | null), 40)),
      String(g.lessons),
      String(g.occurrences),
      String(g.workItems),
      time(g.firstSeenAt),
      time(g.lastSeenAt),
    ]),
  );
}

/** The narrowest a pattern's title is cut to, however narrow the line. */
const MIN_TITLE = 20;

/** Patterns, a row each; the title is cut so that a row fits in `columns`. */
export function patternsTable(patterns: Pattern[], columns: number): string {
  const header = [
    'ID',
    'TITLE',
    'STATUS',
    'LESSONS',
    'OCCURRENCES',
    'WORK ITEMS',
    'REPOS',
    'LAST SEEN (UTC)',
  ];
  const rows = patterns.map((p) => [
    String(p.id),
    shown(p.title),
    shown(p.status),
    String(p.lessons),
    String(p.occurrences),
    String(p.workItems),
    String(p.repos),
    time(p.lastSeenAt),
  ]);
  const others = header.reduce(
    (sum, title, i) =>
      i === 1 ? sum : sum + Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
    0,
  );
  const room = Math.max(MIN_TITLE, columns - others - 2 * (header.length - 1));
  for (const row of rows) row[1] = cut(row[1] ?? '', room);
  return table(header, rows);
}

/**
 * One pattern: its fields, a line each; the components of its fingerprint and whether each
 * counted; its latest lessons (those fetched with it), a row each.
 */
/** A history, oldest first: when, kind, by whom, what changed, why. */
export function historyTable(events: HistoryEvent[]): string {
  if (events.length === 0) return 'no history';
  const change = (c: HistoryEvent['changes'][number]) =>
    `${c.field}: ${cut(shown(c.from), 40)} → ${cut(shown(c.to), 40)}`;
  return table(
    ['AT (UTC)', 'KIND', 'ACTOR', 'VERSION', 'CHANGES', 'REASON'],
    events.map((e) => [
      time(e.at, true),
      e.kind,
      shown(e.actor),
      String(e.version),
      e.changes.map(change).join('; ') || '-',
      cut(shown(e.reason), 60),
    ]),
  );
}

export function patternDetails(pattern: PatternDetails): string {
  const at = (iso: string) => `${time(iso, true)} UTC`;
  const rows: [string, string][] = [
    ['id', String(pattern.id)],
    ['title', shown(pattern.title)],
    ['status', shown(pattern.status)],
    [labelOf('lessonType'), shown(pattern.lessonType)],
    [labelOf('stage'), shown(pattern.stage)],
    ['lessons', String(pattern.lessons)],
    ['occurrences', String(pattern.occurrences)],
    ['work items', String(pattern.workItems)],
    ['repos', String(pattern.repos)],
    ['first seen', at(pattern.firstSeenAt)],
    ['last seen', at(pattern.lastSeenAt)],
    ['suggestion', shown(pattern.suggestion)],
    [labelOf('fingerprint'), shown(pattern.fingerprint)],
    ...(pattern.fixedAt || pattern.fixRef
      ? ([
          ['fixed at', pattern.fixedAt ? at(pattern.fixedAt) : '-'],
          ['fix', shown(pattern.fixRef)],
        ] as [string, string][])
      : []),
    ...(pattern.regressionCount > 0
      ? ([
          [
            'regressed',
            `${pattern.regressionCount}×, last at ${at(pattern.regressedAt as string)}`,
          ],
        ] as [string, string][])
      : []),
    ...(pattern.lateOccurrences > 0
      ? ([['late', `${pattern.lateOccurrences} occurrences dated before the fix took`]] as [
          string,
          string,
        ][])
      : []),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const { version, components } = pattern.groupingInfo;
  const sections = [
    rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n'),
    `grouped by (grouping version ${version}):\n${table(
      ['COMPONENT', 'CONTRIBUTES', 'VALUE'],
      components.map((c) => [shown(c.name), c.contributes ? 'yes' : 'no', cut(shown(c.value), 80)]),
    )}`,
  ];
  const latest = pattern.latestLessons;
  if (latest.length > 0) {
    sections.push(
      `latest lessons (${latest.length} of ${pattern.lessons}):\n${lessonsTable(latest)}`,
    );
  }
  return sections.join('\n\n');
}

/** A figure to 3 significant digits; a p-value below 0.001 in exponent form. */
const figure = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '-'
    : value !== 0 && Math.abs(value) < 0.001
      ? value.toExponential(2)
      : String(Number(value.toPrecision(3)));

const RICE_COLUMNS: Record<RiceDimension, [keyof RiceInput, string]> = {
  ATTRIBUTION: ['attribution', 'ATTRIBUTION'],
  TARGET_REPO: ['targetRepo', 'TARGET REPO'],
  TARGET_DOMAIN: ['targetDomain', 'TARGET DOMAIN'],
  LESSON_TYPE: ['lessonType', 'TYPE'],
  STAGE: ['stage', 'STAGE'],
  REPO: ['repo', 'REPO'],
  PATTERN: ['patternId', 'PATTERN'],
};

export function riceTable(groups: RiceInput[], groupBy: readonly RiceDimension[]): string {
  const dims = groupBy.map((d) => RICE_COLUMNS[d]);
  return table(
    [
      ...dims.map(([, title]) => title),
      'REACH',
      'LESSONS',
      'PER DAY',
      'RECENCY (D)',
      'REPOS',
      'PREVIOUS',
      'TREND',
      'P',
      'UNKNOWN',
      'CONFIDENCE',
    ],
    groups.map((g) => [
      ...dims.map(([key]) => cut(shown(g[key] as string | number | null), 40)),
      String(g.reach),
      String(g.lessons),
      figure(g.frequencyPerDay),
      figure(g.recencyDays),
      String(g.repos),
      String(g.previousLessons),
      figure(g.trendRatio),
      figure(g.trendPValue),
      figure(g.unknownAttributionShare),
      figure(g.confidence),
    ]),
  );
}

export function escapesTable(groups: EscapeGroup[]): string {
  return table(
    ['REPO', 'DEGRADED', 'ESCAPED', 'ESCAPE RATE'],
    groups.map((g) => [
      shown(g.repo),
      String(g.degradedWorkItems),
      String(g.escapedWorkItems),
      figure(g.escapeRate),
    ]),
  );
}

export function advisoriesTable(advisories: Advisory[]): string {
  return table(
    ['ADVISORY', 'PATTERN', 'STATUS', 'SCORE', 'SUGGESTION', 'WHY'],
    advisories.map((a) => [
      a.id,
      `${a.pattern.id} ${cut(oneLine(a.pattern.title), 40)}`,
      a.pattern.status,
      figure(a.score),
      cut(shown(a.suggestion), 40),
      a.why,
    ]),
  );
}

export function efficacyText(found: PatternEfficacy): string {
  const head = `pattern ${found.id} (${found.status}): ${oneLine(found.title)}`;
  const e = found.efficacy;
  if (!e) return `${head}\nno fix yet (close it with a fixedAt): no efficacy`;
  return [
    head,
    `fixed at ${time(e.fixedAt)} UTC; windows of ${e.windowDays} days`,
    `before: ${e.before} lessons (${figure(e.rateBefore)} a day)`,
    `after:  ${e.after} lessons in ${figure(e.afterDays)} days (${figure(e.rateAfter)} a day)`,
    `rate ratio ${figure(e.rateRatio)}, p = ${figure(e.pValue)}: ${e.verdict}`,
  ].join('\n');
}
