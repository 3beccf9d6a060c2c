// answers: S6's answers in one comparable form, from the service's JSON and from the raw
// GROUP BY's rows, so the bench can hold the rollups to the table's numbers exactly.
//
// Promise: fromService(kind, data) and fromRaw(kind, rows) give the same list (same
// order, same numbers, timestamps as epoch ms) exactly when the service's answer to the
// read equals the GROUP BY's over `lessons`. A pattern's series is compared on its days
// with lessons (the service zero-fills the others; the GROUP BY has no rows for them).
// compare() names the first difference, or returns null.
//
// S7's riceInputs: riceFromService(kind, data) and riceFromRaw(kind, groups) give the
// selected fields of each group, in the order selected, as JSON has them (a Date as its ISO
// text, as the DateTime scalar writes it; an absent key as null), so that the service's
// answer equals the journal's riceInputs run on the raw driver exactly when they agree.
import type { RiceInput } from '../src/journal/rice.ts';
import { RICE_READS, type RiceRead, type RollupRead } from './scenarios.ts';
import type { Row } from './store.ts';

export type Answer = Record<string, string | number | null>[];

const ms = (value: unknown): number =>
  value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
const num = (value: unknown): number => Number(value);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

type Node = Record<string, unknown>;

/** A field of the common form: its name (the service's), the GROUP BY's column, its type. */
type Field = [name: string, column: string, as: (value: unknown) => string | number | null];

const PATTERN: Field[] = [
  ['id', 'id', num],
  ['lessons', 'lessons', num],
  ['occurrences', 'occurrences', num],
  ['workItems', 'work_items', num],
  ['repos', 'repos', num],
  ['lastSeenAt', 'last_seen_at', ms],
];
const POINT: Field[] = [
  ['bucketStart', 'bucket_start', ms],
  ['lessons', 'lessons', num],
  ['occurrences', 'occurrences', num],
];

/** The fields of a read; an aggregate's groups by type and stage, then repo or day. */
function fieldsOf(kind: RollupRead): Field[] {
  if (kind === 'patterns-top' || kind === 'patterns-stage') return PATTERN;
  if (kind === 'pattern-series') return POINT;
  return [
    ['lessonType', 'd0', text],
    ['stage', 'd1', text],
    ...(kind === 'aggregates-type-stage-repo' ? [['repo', 'd2', text] as Field] : []),
    ...(kind === 'aggregates-type-stage-day' ? [['bucketStart', 'bucket_start', ms] as Field] : []),
    ['lessons', 'lessons', num],
    ['occurrences', 'occurrences', num],
    ['workItems', 'work_items', num],
    ['firstSeenAt', 'first_seen_at', ms],
    ['lastSeenAt', 'last_seen_at', ms],
  ];
}

/** Records in the common form, each field read from `key` (its name or its column). */
function common(kind: RollupRead, records: Node[], key: 0 | 1): Answer {
  const fields = fieldsOf(kind);
  return records.map((record) =>
    Object.fromEntries(fields.map((field) => [field[0], field[2](record[field[key]])])),
  );
}

/** The service's answer (the `data` of its response) in the common form. */
export function fromService(kind: RollupRead, data: Record<string, unknown>): Answer {
  switch (kind) {
    case 'patterns-top':
    case 'patterns-stage': {
      const edges = (data.patterns as { edges: { node: Node }[] }).edges;
      return common(
        kind,
        edges.map((edge) => edge.node),
        0,
      );
    }
    case 'pattern-series': {
      const pattern = data.pattern as { series: Node[] } | null;
      const days = (pattern?.series ?? []).filter((point) => num(point.lessons) > 0);
      return common(kind, days, 0);
    }
    default:
      return common(kind, data.lessonAggregates as Node[], 0);
  }
}

/** The raw GROUP BY's rows (store.ts) in the common form. */
export function fromRaw(kind: RollupRead, rows: Row[]): Answer {
  return common(kind, rows, 1);
}

/** A value as JSON carries it: a Date as its ISO text, undefined as null. */
const json = (value: unknown): string | number | null =>
  value === undefined || value === null
    ? null
    : value instanceof Date
      ? value.toISOString()
      : (value as string | number);

const riceOf = (kind: RiceRead, groups: Node[]): Answer =>
  groups.map((group) =>
    Object.fromEntries(RICE_READS[kind].fields.map((field) => [field, json(group[field])])),
  );

/** The service's riceInputs answer (the `data` of its response) in the common form. */
export function riceFromService(kind: RiceRead, data: Record<string, unknown>): Answer {
  return riceOf(kind, (data.riceInputs as Node[] | null) ?? []);
}

/** The journal's riceInputs result (src/journal/rice.ts, on the raw driver) in that form. */
export function riceFromRaw(kind: RiceRead, groups: RiceInput[]): Answer {
  return riceOf(kind, groups as unknown as Node[]);
}

/** Null when equal; otherwise what differs first. `base` names what it is held to. */
export function compare(service: Answer, raw: Answer, base = 'GROUP BY'): string | null {
  const n = Math.max(service.length, raw.length);
  for (let i = 0; i < n; i++) {
    const a = JSON.stringify(service[i] ?? null);
    const b = JSON.stringify(raw[i] ?? null);
    if (a !== b) {
      return `row ${i + 1} of ${service.length} (${base}: ${raw.length} rows): service ${a}, ${base} ${b}`;
    }
  }
  return null;
}
