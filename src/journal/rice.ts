// riceInputs: what the RICE prioritiser scores, per group, computed here so that the
// prioritiser does no arithmetic of its own but Effort (contract: "Analytics for the
// consumers").
//
// Promise: per group of the asked dimensions, over the lessons created in the window
// [asOf - windowDays, asOf) (and the filter): reach (distinct non-null work items),
// lessons, occurrences, frequencyPerDay (lessons / windowDays), lastSeenAt (the latest
// lastSeenAt of those lessons) and recencyDays (asOf - lastSeenAt), repos (distinct
// non-null), previousLessons (the window of equal length before), trendRatio (lessons /
// previousLessons, null when that is 0) and trendPValue (the two-sided exact binomial test
// of lessons in lessons + previousLessons at 1/2, null when both are 0),
// unknownAttributionShare (attribution null or `unknown`) and confidence (Intercom's bands).
// A group with lessons in either window is a group; a null key is a group of its own.
// Ordered by reach desc, lessons desc, then the keys ascending (nulls last, code points).
// Exact: one GROUP BY over the two windows' rows, in the database; nothing is estimated.
import type { Backend, Row } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { twoSidedHalf } from './binomial.ts';
import { columnOf } from './fields.ts';
import { toDateOrNull } from './patterns.ts';
import { filterSql, type LessonFilter } from './sql.ts';

const DAY_MS = 86_400_000;

/** What riceInputs can group by: six fields of a lesson, and its pattern. */
const RICE_DIMENSIONS = [
  'attribution',
  'targetRepo',
  'targetDomain',
  'lessonType',
  'stage',
  'repo',
  'pattern',
] as const;
export type RiceDimension = (typeof RICE_DIMENSIONS)[number];

/** The longest window riceInputs, efficacy and escapes take, in days (ten years). */
export const MAX_WINDOW_DAYS = 3650;

export type RiceInput = {
  attribution?: string | null;
  targetRepo?: string | null;
  targetDomain?: string | null;
  lessonType?: string | null;
  stage?: string | null;
  repo?: string | null;
  patternId?: number | null;
  reach: number;
  lessons: number;
  occurrences: number;
  frequencyPerDay: number;
  lastSeenAt: Date | null;
  recencyDays: number | null;
  repos: number;
  previousLessons: number;
  trendRatio: number | null;
  trendPValue: number | null;
  unknownAttributionShare: number;
  confidence: number;
};

export interface RiceQuery {
  groupBy: readonly RiceDimension[];
  windowDays: number;
  asOf: Date;
  filter?: LessonFilter | null;
  limit: number;
}

/** Intercom's confidence bands, from how much evidence a group has and how attributed it is. */
function confidenceOf(lessons: number, unknownShare: number): number {
  if (lessons >= 20 && unknownShare <= 0.2) return 1.0;
  if (lessons >= 5) return 0.8;
  return 0.5;
}

/** The figures of a group from its counts (the formulas of the contract, in one place). */
function riceFigures(
  counts: {
    reach: number;
    lessons: number;
    occurrences: number;
    repos: number;
    previousLessons: number;
    unknown: number;
    lastSeenAt: Date | null;
  },
  windowDays: number,
  asOf: Date,
): Omit<RiceInput, RiceDimension | 'patternId'> {
  const { lessons, previousLessons, unknown, lastSeenAt } = counts;
  const unknownAttributionShare = lessons === 0 ? 0 : unknown / lessons;
  const n = lessons + previousLessons;
  return {
    reach: counts.reach,
    lessons,
    occurrences: counts.occurrences,
    frequencyPerDay: lessons / windowDays,
    lastSeenAt,
    recencyDays: lastSeenAt === null ? null : (asOf.getTime() - lastSeenAt.getTime()) / DAY_MS,
    repos: counts.repos,
    previousLessons,
    trendRatio: previousLessons === 0 ? null : lessons / previousLessons,
    trendPValue: n === 0 ? null : twoSidedHalf(lessons, n),
    unknownAttributionShare,
    confidence: confidenceOf(lessons, unknownAttributionShare),
  };
}

export async function riceInputs(
  db: Backend,
  query: RiceQuery,
  signal: AbortSignal,
): Promise<RiceInput[]> {
  const dims = [...new Set(query.groupBy)];
  const end = query.asOf;
  const start = new Date(end.getTime() - query.windowDays * DAY_MS);
  const previous = new Date(start.getTime() - query.windowDays * DAY_MS);
  const keys = dims.map((dim, i) => ({
    alias: `d${i}`,
    expr: dim === 'pattern' ? Prisma.raw('pattern_id') : db.dialect.codePointOrder(columnOf(dim)),
  }));
  const current = Prisma.sql`created_at >= ${start}`;
  const inCurrent = (then: string) => Prisma.sql`CASE WHEN ${current} THEN ${Prisma.raw(then)} END`;
  // HAVING: without a grouping, an empty window would still be one row of zeros.
  const rows = await db.read(
    Prisma.sql`
      SELECT ${Prisma.join([
        ...keys.map((k) => Prisma.sql`${k.expr} AS ${Prisma.raw(k.alias)}`),
        Prisma.sql`COUNT(DISTINCT ${inCurrent('work_item_id')}) AS reach`,
        Prisma.sql`COALESCE(SUM(${inCurrent('1')}), 0) AS lessons`,
        Prisma.sql`COALESCE(SUM(${inCurrent('occurrences')}), 0) AS occurrences`,
        Prisma.sql`COUNT(DISTINCT ${inCurrent('repo')}) AS repos`,
        Prisma.sql`MAX(${inCurrent('last_seen_at')}) AS last_seen_at`,
        Prisma.sql`COALESCE(SUM(CASE WHEN ${current} AND (attribution IS NULL OR attribution = 'unknown') THEN 1 END), 0) AS unknown`,
        Prisma.sql`COALESCE(SUM(CASE WHEN created_at < ${start} THEN 1 END), 0) AS previous`,
      ])}
      FROM lessons
      WHERE ${filterSql(query.filter, db.dialect)}
        AND created_at >= ${previous} AND created_at < ${end}
      ${keys.length > 0 ? Prisma.sql`GROUP BY ${Prisma.join(keys.map((k) => Prisma.raw(k.alias)))}` : Prisma.empty}
      HAVING COUNT(*) > 0
      ORDER BY ${Prisma.raw(['reach DESC', 'lessons DESC', ...keys.map((k) => `${k.alias} ASC NULLS LAST`)].join(', '))}
      LIMIT ${query.limit}`,
    { signal, long: true },
  );
  return rows.map((row: Row) => {
    const group: RiceInput = riceFigures(
      {
        reach: Number(row.reach ?? 0),
        lessons: Number(row.lessons ?? 0),
        occurrences: Number(row.occurrences ?? 0),
        repos: Number(row.repos ?? 0),
        previousLessons: Number(row.previous ?? 0),
        unknown: Number(row.unknown ?? 0),
        lastSeenAt: toDateOrNull(row.last_seen_at),
      },
      query.windowDays,
      end,
    ) as RiceInput;
    dims.forEach((dim, i) => {
      const value = row[`d${i}`] ?? null;
      if (dim === 'pattern') group.patternId = value === null ? null : Number(value);
      else group[dim] = value as string | null;
    });
    return group;
  });
}
