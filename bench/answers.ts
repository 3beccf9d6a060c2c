// answers: S6's answers in one comparable form, from the service's JSON and from the raw
// GROUP BY's rows, so the bench can hold the rollups to the table's numbers exactly.
//
// Promise: fromService(kind, data) and fromRaw(kind, rows) give the same list (same
// order, same numbers, timestamps as epoch ms) exactly when the service's answer to the
// read equals the GROUP BY's over `lessons`. A pattern's series is compared on its days
// with lessons (the service zero-fills the others; the GROUP BY has no rows for them).
// compare() names the first difference, or returns null.
import type { RollupRead } from './scenarios.ts';
import type { Row } from './store.ts';

export type Answer = Record<string, string | number | null>[];

const ms = (value: unknown): number =>
  value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
const num = (value: unknown): number => Number(value);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

type Node = Record<string, unknown>;

/** The service's answer (the `data` of its response) in the common form. */
export function fromService(kind: RollupRead, data: Record<string, unknown>): Answer {
  switch (kind) {
    case 'patterns-top':
    case 'patterns-stage': {
      const edges = (data.patterns as { edges: { node: Node }[] }).edges;
      return edges.map(({ node }) => ({
        id: num(node.id),
        lessons: num(node.lessons),
        occurrences: num(node.occurrences),
        workItems: num(node.workItems),
        repos: num(node.repos),
        lastSeenAt: ms(node.lastSeenAt),
      }));
    }
    case 'pattern-series': {
      const pattern = data.pattern as { series: Node[] } | null;
      return (pattern?.series ?? [])
        .filter((point) => num(point.lessons) > 0)
        .map((point) => ({
          bucketStart: ms(point.bucketStart),
          lessons: num(point.lessons),
          occurrences: num(point.occurrences),
        }));
    }
    default:
      return (data.lessonAggregates as Node[]).map((group) => ({
        lessonType: text(group.lessonType),
        stage: text(group.stage),
        ...(kind === 'aggregates-type-stage-repo' ? { repo: text(group.repo) } : {}),
        ...(kind === 'aggregates-type-stage-day' ? { bucketStart: ms(group.bucketStart) } : {}),
        lessons: num(group.lessons),
        occurrences: num(group.occurrences),
        workItems: num(group.workItems),
        firstSeenAt: ms(group.firstSeenAt),
        lastSeenAt: ms(group.lastSeenAt),
      }));
  }
}

/** The raw GROUP BY's rows (store.ts) in the common form. */
export function fromRaw(kind: RollupRead, rows: Row[]): Answer {
  switch (kind) {
    case 'patterns-top':
    case 'patterns-stage':
      return rows.map((row) => ({
        id: num(row.id),
        lessons: num(row.lessons),
        occurrences: num(row.occurrences),
        workItems: num(row.work_items),
        repos: num(row.repos),
        lastSeenAt: ms(row.last_seen_at),
      }));
    case 'pattern-series':
      return rows.map((row) => ({
        bucketStart: ms(row.bucket_start),
        lessons: num(row.lessons),
        occurrences: num(row.occurrences),
      }));
    default:
      return rows.map((row) => ({
        lessonType: text(row.d0),
        stage: text(row.d1),
        ...(kind === 'aggregates-type-stage-repo' ? { repo: text(row.d2) } : {}),
        ...(kind === 'aggregates-type-stage-day' ? { bucketStart: ms(row.bucket_start) } : {}),
        lessons: num(row.lessons),
        occurrences: num(row.occurrences),
        workItems: num(row.work_items),
        firstSeenAt: ms(row.first_seen_at),
        lastSeenAt: ms(row.last_seen_at),
      }));
  }
}

/** Null when equal; otherwise what differs first. */
export function compare(service: Answer, raw: Answer): string | null {
  const n = Math.max(service.length, raw.length);
  for (let i = 0; i < n; i++) {
    const a = JSON.stringify(service[i] ?? null);
    const b = JSON.stringify(raw[i] ?? null);
    if (a !== b) {
      return `row ${i + 1} of ${service.length} (GROUP BY: ${raw.length} rows): service ${a}, GROUP BY ${b}`;
    }
  }
  return null;
}
