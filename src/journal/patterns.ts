// patterns: the recurring problems behind lessons. The rollup trigger (migration
// "patterns_and_rollups") keeps each pattern's counters exact as lessons are inserted and
// bumped; the journal moves lessons between patterns itself (a re-classified root cause,
// a merge, the grouping of lessons recorded before version 2) and then recomputes the
// patterns concerned from their lessons (refreshPatterns), in the same transaction.
//
// A merged pattern (merged_into set) is an alias: its fingerprint's later lessons join the
// survivor, `pattern(id)` answers with the survivor, and lists leave it out.
import type { Backend, Dialect, Row, WriteTx } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import {
  defaultFingerprint,
  GROUPING_VERSION,
  type GroupingComponent,
  groupingComponents,
  isDefaultFingerprint,
} from './fingerprint.ts';
import { type Author, EventKind, eventSql } from './history.ts';
import { idChunks } from './sql.ts';

export interface Pattern {
  id: number;
  fingerprint: string;
  lessonType: string;
  stage: string | null;
  title: string;
  status: string;
  lessons: number;
  occurrences: number;
  workItems: number;
  repos: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  suggestion: string | null;
  /** The root cause of its first lesson (the title, when there is one). */
  rootCause: string | null;
  fixedAt: Date | null;
  fixRef: string | null;
  regressedAt: Date | null;
  regressionCount: number;
  lateOccurrences: number;
  version: number;
}

export type PatternOrder = 'LAST_SEEN' | 'FIRST_SEEN' | 'OCCURRENCES' | 'LESSONS' | 'WORK_ITEMS';

export interface PatternFilter {
  lessonType?: readonly string[] | null;
  stage?: readonly string[] | null;
  status?: readonly string[] | null;
  /** Patterns with a lesson in any of these repos. */
  repo?: readonly string[] | null;
  /** last_seen_at >= since */
  since?: Date | null;
  /** last_seen_at < until */
  until?: Date | null;
  /** Case-insensitive substring of the title or the suggestion. */
  text?: string | null;
}

/** Each order's column (all descending, id breaking ties) and whether it is a timestamp. */
const ORDER: Record<PatternOrder, { column: string; time: boolean }> = {
  LAST_SEEN: { column: 'last_seen_at', time: true },
  FIRST_SEEN: { column: 'first_seen_at', time: true },
  OCCURRENCES: { column: 'occurrences', time: false },
  LESSONS: { column: 'lessons', time: false },
  WORK_ITEMS: { column: 'work_items', time: false },
};

export const PATTERN_COLUMNS = Prisma.raw(
  'id, fingerprint, lesson_type, stage, root_cause, status, lessons, occurrences, work_items, repos, first_seen_at, last_seen_at, suggestion, fixed_at, fix_ref, regressed_at, regression_count, late_occurrences, version',
);

/** A timestamp as the backend hands it back (a Date or epoch milliseconds). */
export const toDate = (value: unknown): Date =>
  value instanceof Date ? value : new Date(Number(value));
export const toDateOrNull = (value: unknown): Date | null =>
  value === null || value === undefined ? null : toDate(value);

/** The title when its first lesson had no root cause: what and where. */
const fallbackTitle = (lessonType: string, stage: string | null) =>
  stage === null ? lessonType : `${lessonType} at ${stage}`;

export function patternFromRow(row: Row): Pattern {
  const lessonType = String(row.lesson_type);
  const stage = (row.stage as string | null) ?? null;
  const rootCause = (row.root_cause as string | null) ?? null;
  return {
    id: Number(row.id),
    fingerprint: String(row.fingerprint),
    lessonType,
    stage,
    rootCause,
    title: rootCause ?? fallbackTitle(lessonType, stage),
    status: String(row.status),
    lessons: Number(row.lessons),
    occurrences: Number(row.occurrences),
    workItems: Number(row.work_items),
    repos: Number(row.repos),
    firstSeenAt: toDate(row.first_seen_at),
    lastSeenAt: toDate(row.last_seen_at),
    suggestion: (row.suggestion as string | null) ?? null,
    fixedAt: toDateOrNull(row.fixed_at),
    fixRef: (row.fix_ref as string | null) ?? null,
    regressedAt: toDateOrNull(row.regressed_at),
    regressionCount: Number(row.regression_count ?? 0),
    lateOccurrences: Number(row.late_occurrences ?? 0),
    version: Number(row.version ?? 1),
  };
}

/** Which components made a pattern's fingerprint, and whether each counted. */
export function groupingInfo(pattern: Pattern): {
  version: number;
  components: GroupingComponent[];
} {
  const fields = {
    lessonType: pattern.lessonType,
    stage: pattern.stage,
    rootCause: pattern.rootCause,
  };
  if (isDefaultFingerprint(pattern.fingerprint, fields)) {
    return { version: GROUPING_VERSION, components: groupingComponents(fields) };
  }
  // The caller's own fingerprint: it alone made the group.
  return {
    version: GROUPING_VERSION,
    components: [
      { name: 'fingerprint', value: pattern.fingerprint, contributes: true },
      ...groupingComponents(fields)
        .slice(1)
        .map((c) => ({ ...c, contributes: false })),
    ],
  };
}

function filterSql(filter: PatternFilter | null | undefined, dialect: Dialect): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.raw('merged_into IS NULL')];
  const list = (column: string, values: readonly string[]) =>
    values.length === 0
      ? Prisma.sql`1 = 0`
      : Prisma.sql`${Prisma.raw(column)} IN (${Prisma.join(values)})`;
  if (filter?.lessonType) conditions.push(list('lesson_type', filter.lessonType));
  if (filter?.stage) conditions.push(list('stage', filter.stage));
  if (filter?.status) conditions.push(list('status', filter.status));
  if (filter?.repo) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM lessons AS l
      WHERE l.pattern_id = patterns.id AND ${list('l.repo', filter.repo)})`);
  }
  if (filter?.since) conditions.push(Prisma.sql`last_seen_at >= ${filter.since}`);
  if (filter?.until) conditions.push(Prisma.sql`last_seen_at < ${filter.until}`);
  if (filter?.text) {
    const needle = filter.text.toLowerCase();
    conditions.push(
      Prisma.sql`(${dialect.containsFolded('root_cause', needle)} OR ${dialect.containsFolded('suggestion', needle)})`,
    );
  }
  return Prisma.join(conditions, ' AND ');
}

/** A position in an order: the order's value and the id, opaque to callers. */
export function patternCursor(order: PatternOrder, pattern: Pattern): string {
  const { time } = ORDER[order];
  const value = {
    LAST_SEEN: pattern.lastSeenAt,
    FIRST_SEEN: pattern.firstSeenAt,
    OCCURRENCES: pattern.occurrences,
    LESSONS: pattern.lessons,
    WORK_ITEMS: pattern.workItems,
  }[order];
  const v = time ? (value as Date).getTime() : value;
  return Buffer.from(JSON.stringify([order, v, pattern.id])).toString('base64url');
}

/** A cursor's position, or null when it is not one of this order's. */
export function parsePatternCursor(
  order: PatternOrder,
  cursor: string,
): { value: number; id: number } | null {
  try {
    const [o, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (o !== order || !Number.isFinite(value) || !Number.isInteger(id)) return null;
    return { value, id };
  } catch {
    return null;
  }
}

export interface PatternPage {
  order: PatternOrder;
  /** Rows to read (the connection asks for one more than it shows). */
  limit: number;
  after?: { value: number; id: number } | null;
  /** Walk towards the start of the order, from `after` (a `last` page), nearest first. */
  backward?: boolean;
}

export async function listPatterns(
  db: Backend,
  filter: PatternFilter | null | undefined,
  page: PatternPage,
  signal: AbortSignal,
): Promise<Pattern[]> {
  const { column, time } = ORDER[page.order];
  const conditions = [filterSql(filter, db.dialect)];
  const [beyond, direction] = page.backward ? ['>', 'ASC'] : ['<', 'DESC'];
  if (page.after) {
    const value = time ? new Date(page.after.value) : page.after.value;
    const col = Prisma.raw(column);
    const op = Prisma.raw(beyond);
    conditions.push(
      Prisma.sql`(${col} ${op} ${value} OR (${col} = ${value} AND id ${op} ${page.after.id}))`,
    );
  }
  const rows = await db.read(
    Prisma.sql`SELECT ${PATTERN_COLUMNS} FROM patterns WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY ${Prisma.raw(`${column} ${direction}, id ${direction}`)} LIMIT ${page.limit}`,
    { signal, long: Boolean(filter?.text) },
  );
  return rows.map(patternFromRow);
}

/** A pattern by id; a merged one answers with the pattern it was merged into. */
export async function getPattern(
  db: Backend,
  id: number,
  signal: AbortSignal,
): Promise<Pattern | null> {
  const [row] = await db.read(
    Prisma.sql`SELECT ${PATTERN_COLUMNS} FROM patterns
      WHERE id = (SELECT COALESCE(merged_into, id) FROM patterns WHERE id = ${id})`,
    { signal },
  );
  return row ? patternFromRow(row) : null;
}

/** The patterns of some lessons, by lesson id (one statement for a whole page). */
export async function patternsOfLessons(
  db: Backend,
  lessonIds: readonly number[],
  signal: AbortSignal,
): Promise<Map<number, Pattern>> {
  const rows = await db.read(
    Prisma.sql`SELECT l.id AS lesson_id, ${Prisma.raw(
      PATTERN_COLUMNS.text
        .split(', ')
        .map((c) => `p.${c}`)
        .join(', '),
    )}
      FROM lessons AS l JOIN patterns AS p ON p.id = l.pattern_id
      WHERE l.id IN (${Prisma.join(lessonIds)})`,
    { signal },
  );
  return new Map(rows.map((row) => [Number(row.lesson_id), patternFromRow(row)]));
}

export interface SeriesPoint {
  bucketStart: Date;
  lessons: number;
  occurrences: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS } as const;
/** 1970-01-01 was a Thursday: weeks start on Mondays, four days later. */
const WEEK_OFFSET_MS = 4 * DAY_MS;
/** The most points one series may have (a wider one is refused before the journal). */
export const MAX_SERIES_POINTS = 5000;

export type SeriesBucket = keyof typeof BUCKET_MS;

function bucketStart(at: number, bucket: SeriesBucket): number {
  const offset = bucket === 'week' ? WEEK_OFFSET_MS : 0;
  const size = BUCKET_MS[bucket];
  return Math.floor((at - offset) / size) * size + offset;
}

/** The starts of the whole UTC buckets that meet [since, until), oldest first. */
export function seriesBuckets(bucket: SeriesBucket, since: Date, until: Date): number[] {
  const starts: number[] = [];
  for (let at = bucketStart(since.getTime(), bucket); at < until.getTime(); ) {
    starts.push(at);
    at += BUCKET_MS[bucket];
  }
  return starts;
}

/**
 * The pattern's lessons and occurrences per whole UTC bucket of created_at, from the bucket
 * holding `since` to the one holding the instant before `until`, zero-filled. Days and
 * weeks come from pattern_days; hours from the pattern's lessons.
 */
export async function patternSeries(
  db: Backend,
  patternId: number,
  bucket: SeriesBucket,
  since: Date,
  until: Date,
  signal: AbortSignal,
): Promise<SeriesPoint[]> {
  const starts = seriesBuckets(bucket, since, until);
  if (starts.length === 0) return [];
  const from = new Date(starts[0] as number);
  const to = new Date((starts.at(-1) as number) + BUCKET_MS[bucket]);
  const rows =
    bucket === 'hour'
      ? await db.read(
          Prisma.sql`SELECT ${db.dialect.bucket('created_at', 'hour')} AS b, COUNT(*) AS n,
              SUM(occurrences) AS o FROM lessons
            WHERE pattern_id = ${patternId} AND created_at >= ${from} AND created_at < ${to}
            GROUP BY 1`,
          { signal, long: true },
        )
      : await db.read(
          Prisma.sql`SELECT ${db.dialect.bucket('day', bucket)} AS b, SUM(lessons) AS n,
              SUM(occurrences) AS o FROM pattern_days
            WHERE pattern_id = ${patternId} AND day >= ${from} AND day < ${to} GROUP BY 1`,
          { signal },
        );
  const found = new Map(rows.map((row) => [toDate(row.b).getTime(), row]));
  return starts.map((at) => {
    const row = found.get(at);
    return {
      bucketStart: new Date(at),
      lessons: Number(row?.n ?? 0),
      occurrences: Number(row?.o ?? 0),
    };
  });
}

/** Recomputes the patterns' counters and days from their lessons (after lessons moved). */
export async function refreshPatterns(
  tx: WriteTx,
  dialect: Dialect,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  const list = Prisma.join([...new Set(ids)]);
  const of = (expr: string) =>
    Prisma.raw(`(SELECT ${expr} FROM lessons AS l WHERE l.pattern_id = patterns.id)`);
  const newest = (column: string) =>
    Prisma.raw(`(SELECT l.${column} FROM lessons AS l WHERE l.pattern_id = patterns.id
      AND l.suggestion IS NOT NULL ORDER BY l.created_at DESC, l.id DESC LIMIT 1)`);
  await tx.run(Prisma.sql`UPDATE patterns SET
      lessons = ${of('COUNT(*)')},
      occurrences = COALESCE(${of('SUM(l.occurrences)')}, 0),
      work_items = ${of('COUNT(DISTINCT l.work_item_id)')},
      repos = ${of('COUNT(DISTINCT l.repo)')},
      first_seen_at = COALESCE(${of('MIN(l.created_at)')}, first_seen_at),
      last_seen_at = COALESCE(${of('MAX(l.last_seen_at)')}, last_seen_at),
      suggestion = ${newest('suggestion')},
      suggested_at = ${newest('created_at')}
    WHERE id IN (${list})`);
  await tx.run(Prisma.sql`DELETE FROM pattern_days WHERE pattern_id IN (${list})`);
  await tx.run(Prisma.sql`INSERT INTO pattern_days (pattern_id, day, lessons, occurrences)
    SELECT pattern_id, ${dialect.bucket('created_at', 'day')}, COUNT(*), SUM(occurrences)
    FROM lessons WHERE pattern_id IN (${list}) GROUP BY 1, 2`);
}

/** Holds the patterns' rows until the transaction ends (in id order: no lock cycles). */
export async function lockPatterns(tx: WriteTx, dialect: Dialect, ids: readonly number[]) {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return tx.all(
    Prisma.sql`SELECT id, merged_into FROM patterns WHERE id IN (${Prisma.join(sorted)})
      ORDER BY id${dialect.forUpdate}`,
  );
}

/** The surviving pattern of a fingerprint, created from the lesson when it has none. */
async function patternFor(tx: WriteTx, fingerprint: string, lessonId: number): Promise<number> {
  await tx.run(Prisma.sql`INSERT INTO patterns (fingerprint, lesson_type, stage, root_cause,
      first_seen_at, last_seen_at, created_at)
    SELECT ${fingerprint}, lesson_type, stage, root_cause, created_at, last_seen_at, created_at
    FROM lessons WHERE id = ${lessonId}
      AND NOT EXISTS (SELECT 1 FROM patterns WHERE fingerprint = ${fingerprint})
    ON CONFLICT (fingerprint) DO NOTHING`);
  const [row] = await tx.all(
    Prisma.sql`SELECT COALESCE(merged_into, id) AS id FROM patterns WHERE fingerprint = ${fingerprint}`,
  );
  return Number(row?.id);
}

/** A lesson as re-grouping needs it, with its root cause before the change. */
export interface GroupedLesson {
  id: number;
  lessonType: string;
  stage: string | null;
  rootCause: string | null;
  fingerprint: string | null;
}

/**
 * After lessons' root cause changed to `after`: those grouped by the default fingerprint
 * move to the pattern of their new root cause (re-classifying is what the change means);
 * those with the caller's own fingerprint stay where they are. Every pattern they left or
 * joined is recomputed once. Returns the ids of the lessons that moved.
 */
export async function regroupLessons(
  tx: WriteTx,
  dialect: Dialect,
  lessons: readonly GroupedLesson[],
  after: string | null,
): Promise<number[]> {
  const moves = new Map<string, number[]>();
  for (const { id, lessonType, stage, rootCause, fingerprint } of lessons) {
    if (fingerprint === null) continue;
    if (!isDefaultFingerprint(fingerprint, { lessonType, stage, rootCause })) continue;
    const next = defaultFingerprint({ lessonType, stage, rootCause: after });
    if (next === fingerprint) continue;
    moves.set(next, [...(moves.get(next) ?? []), id]);
  }
  const moved = [...moves.values()].flat();
  if (moved.length === 0) return [];
  const left = await patternsOf(tx, moved);
  const targets = new Map<string, number>();
  for (const [next, ids] of moves) targets.set(next, await patternFor(tx, next, ids[0] as number));
  const touched = [...left, ...targets.values()];
  await lockPatterns(tx, dialect, touched);
  for (const [next, ids] of moves) {
    for (const chunk of idChunks(ids)) {
      await tx.run(Prisma.sql`UPDATE lessons SET fingerprint = ${next},
          pattern_id = ${targets.get(next)} WHERE id IN (${Prisma.join(chunk)})`);
    }
  }
  await refreshPatterns(tx, dialect, touched);
  return moved;
}

/** The distinct patterns of some lessons. */
export async function patternsOf(tx: WriteTx, lessonIds: readonly number[]): Promise<number[]> {
  const found = new Set<number>();
  for (const chunk of idChunks(lessonIds)) {
    const rows = await tx.all(Prisma.sql`SELECT DISTINCT pattern_id FROM lessons
      WHERE id IN (${Prisma.join(chunk)}) AND pattern_id IS NOT NULL`);
    for (const row of rows) found.add(Number(row.pattern_id));
  }
  return [...found];
}

/** Refreshes the latest suggestion of the patterns of some lessons (their suggestion changed). */
export async function refreshSuggestions(tx: WriteTx, lessonIds: readonly number[]): Promise<void> {
  const ids = await patternsOf(tx, lessonIds);
  if (ids.length === 0) return;
  const newest = (column: string) =>
    Prisma.raw(`(SELECT l.${column} FROM lessons AS l WHERE l.pattern_id = patterns.id
      AND l.suggestion IS NOT NULL ORDER BY l.created_at DESC, l.id DESC LIMIT 1)`);
  await tx.run(Prisma.sql`UPDATE patterns SET suggestion = ${newest('suggestion')},
      suggested_at = ${newest('created_at')} WHERE id IN (${Prisma.join(ids)})`);
}

/**
 * Moves every lesson of `from` into `into`; later lessons of their fingerprints join
 * `into`. Each pattern gets a `merged` event (from: mergedInto, into: mergedFrom). False
 * (and nothing changed) unless every pattern exists, none is merged already and `into` is
 * not among `from`.
 */
export async function mergePatterns(
  db: Backend,
  into: number,
  from: readonly number[],
  author: Author,
  now: Date,
  signal: AbortSignal,
): Promise<boolean> {
  const sources = [...new Set(from)];
  if (sources.length === 0 || sources.includes(into)) return false;
  return db.transaction(async (tx) => {
    const list = Prisma.join(sources);
    // Their lessons first, then the patterns, the order a dedup bump takes them in (its
    // lesson, then its pattern's counters), so the two never wait on each other in a cycle.
    await tx.all(Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT id FROM lessons
      WHERE pattern_id IN (${list})${db.dialect.forUpdate}) AS held`);
    // The sources, then the survivor: a record locks its fingerprint's row, then the
    // survivor's, so the two never wait on each other in a cycle.
    const locked = await lockPatterns(tx, db.dialect, sources);
    const [survivor] = await lockPatterns(tx, db.dialect, [into]);
    const live = (row: Row | undefined) =>
      row !== undefined && (row.merged_into === null || row.merged_into === undefined);
    if (!live(survivor) || locked.length !== sources.length || !locked.every(live)) return false;
    await tx.run(Prisma.sql`UPDATE lessons SET pattern_id = ${into} WHERE pattern_id IN (${list})`);
    await tx.run(Prisma.sql`UPDATE patterns SET merged_into = ${into}
      WHERE id IN (${list}) OR merged_into IN (${list})`);
    await refreshPatterns(tx, db.dialect, [into, ...sources]);
    const versions = await tx.all(Prisma.sql`UPDATE patterns SET version = version + 1
      WHERE id IN (${Prisma.join([into, ...sources])}) RETURNING id, version`);
    for (const row of versions) {
      const id = Number(row.id);
      const change =
        id === into
          ? { field: 'mergedFrom', from: null, to: sources.join(',') }
          : { field: 'mergedInto', from: null, to: String(into) };
      await tx.run(
        eventSql('pattern', id, Number(row.version), EventKind.MERGED, author, [change], now),
      );
    }
    return true;
  }, signal);
}
