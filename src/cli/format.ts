// How the `lessons` CLI shows things to people: aligned tables, one line per row (newlines
// and control characters in the data never break a row), times in UTC to the minute or
// second, `-` for a missing value. `--json` output does not come through here.
import type { Lesson, LessonDimension, LessonGroup, SnapshotData } from '../client/calls.ts';

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

const LESSON_LABELS: [keyof Lesson, string][] = [
  ['id', 'id'],
  ['lessonType', 'type'],
  ['status', 'status'],
  ['source', 'source'],
  ['workItemId', 'work item'],
  ['taskId', 'task'],
  ['stage', 'stage'],
  ['agent', 'agent'],
  ['repo', 'repo'],
  ['rootCause', 'root cause'],
  ['suggestion', 'suggestion'],
  ['relatedTask', 'related task'],
  ['attribution', 'attribution'],
  ['targetRepo', 'target repo'],
  ['targetDomain', 'target domain'],
  ['occurrences', 'occurrences'],
  ['createdAt', 'created'],
  ['lastSeenAt', 'last seen'],
  ['updatedAt', 'updated'],
];
const TIMES = new Set<keyof Lesson>(['createdAt', 'lastSeenAt', 'updatedAt']);

/** One lesson, a field per line; `detail` as indented JSON at the end. */
export function lessonDetails(lesson: Lesson): string {
  const width = Math.max(...LESSON_LABELS.map(([, label]) => label.length));
  const lines = LESSON_LABELS.map(([key, label]) => {
    const value = lesson[key] as string | number | null;
    const text = TIMES.has(key) ? `${time(value as string, true)} UTC` : shown(value);
    return `${label.padEnd(width)}  ${text}`;
  });
  const detail =
    lesson.detail === null || lesson.detail === undefined
      ? '-'
      : JSON.stringify(lesson.detail, null, 2).replaceAll('\n', `\n${' '.repeat(width + 2)}`);
  lines.push(`${'detail'.padEnd(width)}  ${detail}`);
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

const GROUP_COLUMNS: Record<LessonDimension, [keyof LessonGroup, string]> = {
  LESSON_TYPE: ['lessonType', 'TYPE'],
  STAGE: ['stage', 'STAGE'],
  AGENT: ['agent', 'AGENT'],
  REPO: ['repo', 'REPO'],
  STATUS: ['status', 'STATUS'],
  ATTRIBUTION: ['attribution', 'ATTRIBUTION'],
  TARGET_REPO: ['targetRepo', 'TARGET REPO'],
  TARGET_DOMAIN: ['targetDomain', 'TARGET DOMAIN'],
  SOURCE: ['source', 'SOURCE'],
  WORK_ITEM: ['workItemId', 'WORK ITEM'],
};

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
