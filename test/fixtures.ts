// Expected answers shared by the API, client and CLI tests: aggregate groups, snapshot
// breakdowns, the snapshot of a journal that is off.
import { DIMENSIONS } from '../src/journal/fields.ts';

/** An aggregate group's dimensions (the registry's), all null, in the API's order. */
const NO_DIMENSIONS = {
  ...Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, null])),
  bucketStart: null,
};

/**
 * A lessonAggregates group: its dimensions (every other one null), its counts, and when it
 * was first and last seen.
 */
export function group(
  dimensions: Record<string, string | null>,
  totals: { lessons: number; occurrences: number; workItems: number },
  seen: { firstSeenAt: string; lastSeenAt: string },
): Record<string, unknown> {
  return { ...NO_DIMENSIONS, ...dimensions, ...totals, ...seen };
}

/** A snapshot breakdown (byType, byStatus, ...) from its [key, count] pairs, in order. */
export function counts(
  ...pairs: [string | null, number][]
): { key: string | null; count: number }[] {
  return pairs.map(([key, count]) => ({ key, count }));
}

/** lessonsSnapshot with the journal off: enabled false, every count null. */
export const OFF_SNAPSHOT = {
  enabled: false,
  total: null,
  open: null,
  recorded24h: null,
  lastRecordedAt: null,
  byType: null,
  byStatus: null,
  byDomain: null,
  byAttribution: null,
};
