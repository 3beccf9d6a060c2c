// SQLite's SQL where it differs from PostgreSQL's. Timestamps are integer milliseconds
// since the epoch (UTC), so buckets are integer arithmetic.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Dialect, TimeBucket } from '../port.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** 1970-01-01 was a Thursday: the first Monday is four days into the epoch. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

const BUCKETS: Record<TimeBucket, [size: number, offset: number]> = {
  hour: [HOUR_MS, 0],
  day: [DAY_MS, 0],
  week: [7 * DAY_MS, FIRST_MONDAY_MS],
};

export const sqliteDialect: Dialect = {
  bucket: (column, bucket) => {
    const [size, offset] = BUCKETS[bucket];
    return Prisma.raw(`((${column} - ${offset}) / ${size}) * ${size} + ${offset}`);
  },
  // SQLite's default collation, BINARY, is code-point order for UTF-8 text.
  codePointOrder: (column) => Prisma.raw(column),
  // lessons_fold: Unicode case folding, registered on the reader thread that runs searches.
  containsFolded: (column, needle) =>
    Prisma.sql`instr(lessons_fold(${Prisma.raw(column)}), ${needle}) > 0`,
  // A JSONB-declared column has NUMERIC affinity: a detail that is a bare JSON number is
  // stored as a number; read as text (SQLite renders reals at full precision) it parses back.
  jsonAsText: (column) => Prisma.raw(`CAST(${column} AS TEXT)`),
  jsonValue: (json) => Prisma.sql`${json}`,
  millisBetween: (later, earlier) => Prisma.raw(`(${later} - ${earlier})`),
  // A Date is bound as its epoch milliseconds, as every timestamp is stored.
  millisUntil: (column, at) => Prisma.sql`(${at} - ${Prisma.raw(column)})`,
  // SQLite has no data-modifying WITH.
  writingWith: false,
  plusMillis: (column, ms) => Prisma.raw(`(${column} + ${Math.trunc(ms)})`),
  jsonString: (column) => Prisma.raw(`json_quote(${column})`),
  // The group commit runs writes one at a time.
  lockKey: () => undefined,
  forUpdate: Prisma.empty,
};
