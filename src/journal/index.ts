// THE LEAF: the lessons journal, the seed module's record / get / update / snapshot in
// TypeScript. It imports settings and the database layer only and knows nothing of
// GraphQL; the GraphQL layer calls into it, never the reverse.
//
// Every operation runs through one guard (guard.ts), which carries both invariants:
// - kill-switch: journal off -> an immediate no-op without database access:
//   record -> null, list -> [], get -> null, update -> false, snapshot -> {enabled: false};
// - never-raise: journal on -> any fault becomes a logged, counted warning and the same
//   defaults (snapshot -> {enabled: true}). Nothing here ever throws at a caller.
// Every operation takes an optional Call: who asks (a write's rate limit is per actor) and
// where to tell them why it answered as it did (the guard's Outcome). A record always says
// (recorded or deduped with the lesson's id, rejected, off, or a fault's reason); any other
// operation says so when its answer is a safe default (off, rejected, fault).
// It reads and writes only its own tables, through the backend port (../db/port.ts), and
// does not know which database it runs on.
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/database.ts';
import type { Backend } from '../db/port.ts';
import type { Lesson } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { JournalMetrics } from '../metrics.ts';
import type { JournalSettings, SettingsSource } from '../settings.ts';
import {
  type AdviceStats,
  type Verdict as AdviceVerdict,
  type Advisory,
  type AdvisoryQuery,
  adviceFeedback,
  adviceStats,
  advisories,
  MAX_ADVISORIES,
  VERDICTS,
} from './advice.ts';
import {
  aggregateLessons,
  type Dimension,
  type LessonGroup,
  type TimeBucket,
} from './aggregate.ts';
import { type Efficacy, patternEfficacy } from './efficacy.ts';
import { type EscapeGroup, escapes } from './escapes.ts';
import { BLANK_AS_NULL, RECORDABLE, spec } from './fields.ts';
import { defaultFingerprint } from './fingerprint.ts';
import { groupUngrouped } from './grouping.ts';
import { type Call, createGuard, type Operation, type Outcome, type Tell } from './guard.ts';
import { type Author, type FieldChange, type HistoryEvent, readHistory } from './history.ts';
import { capDetail, capFields, capText } from './input.ts';
import { occurrence } from './occurrence.ts';
import {
  getPattern,
  groupingInfo,
  listPatterns,
  MAX_SERIES_POINTS,
  mergePatterns,
  type Pattern,
  type PatternFilter,
  type PatternOrder,
  type PatternPage,
  parsePatternCursor,
  patternCursor,
  patternSeries,
  patternsOfLessons,
  type SeriesBucket,
  type SeriesPoint,
  seriesBuckets,
} from './patterns.ts';
import {
  AnswerTooLarge,
  clampLimit,
  countLessons,
  getLesson,
  listLessons,
  type PageQuery,
  pageLessons,
} from './read.ts';
import { insertLesson, type LessonRow, type RecordInput } from './record.ts';
import { MAX_WINDOW_DAYS, type RiceDimension, type RiceInput, riceInputs } from './rice.ts';
import { SLUGS, type Slugs } from './slugs.ts';
import { computeSnapshot, type Snapshot } from './snapshot.ts';
import { filterSql, type LessonFilter, type LessonSelection } from './sql.ts';
import { type PatternUpdate, patternUpdateProblem, updatePattern } from './triage.ts';
import { changeLessons, changesSql, type UpdateInput, updateData, updateLesson } from './update.ts';

/** An update of one lesson: the fields, and the lifecycle's version check and reason. */
export type LessonUpdate = UpdateInput & {
  expectedVersion?: number | null;
  reason?: string | null;
};

/** Which lessons a bulk update names: exactly one of ids and filter. */
export interface BulkTarget {
  ids?: readonly number[] | null;
  filter?: LessonFilter | null;
}

/** What a bulk update matched and changed (with dryRun: would change). */
export interface BulkResult {
  matched: number;
  updated: number;
}

/** How far ahead of now an occurredAt may be before it is taken as now (a skewed clock). */
export const OCCURRED_AT_SKEW_MS = 5 * 60_000;

/** Where an analytics window ends (default now) and how long it is, in days. */
export interface Window {
  windowDays?: number | null;
  asOf?: Date | null;
}

export type {
  AdviceStats,
  AdviceVerdict,
  Advisory,
  AdvisoryQuery,
  Call,
  Dimension,
  Efficacy,
  EscapeGroup,
  FieldChange,
  HistoryEvent,
  Lesson,
  LessonFilter,
  LessonGroup,
  LessonSelection,
  Outcome,
  PageQuery,
  Pattern,
  PatternFilter,
  PatternOrder,
  PatternPage,
  PatternUpdate,
  RecordInput,
  RiceDimension,
  RiceInput,
  SeriesBucket,
  SeriesPoint,
  Snapshot,
  Tell,
  TimeBucket,
  UpdateInput,
};
export {
  groupingInfo,
  MAX_ADVISORIES,
  MAX_SERIES_POINTS,
  MAX_WINDOW_DAYS,
  parsePatternCursor,
  patternCursor,
  seriesBuckets,
  VERDICTS,
};

export interface Journal {
  /**
   * The new lesson; null when off, deduped, refused (blank lessonType, over the write rate
   * limit) or on a fault. `call.tell` hears which, once, before the answer (for a deduped
   * record: the id of the lesson whose occurrences went up).
   */
  record(input: RecordInput, call?: Call): Promise<Lesson | null>;
  /** One lesson; null when off, missing or on a fault. */
  get(id: number, selection?: LessonSelection, call?: Call): Promise<Lesson | null>;
  /** Lessons newest first; [] when off or on a fault. */
  list(
    filter?: LessonFilter | null,
    limit?: number | null,
    selection?: LessonSelection,
    call?: Call,
  ): Promise<Lesson[]>;
  /** One page of a cursor walk, newest first; [] when off or on a fault. */
  page(
    filter: LessonFilter | null | undefined,
    page: PageQuery,
    selection?: LessonSelection,
    call?: Call,
  ): Promise<Lesson[]>;
  /** How many lessons match; 0 when off or on a fault. */
  count(filter?: LessonFilter | null, call?: Call): Promise<number>;
  /** Group-by counts, largest first; [] when off or on a fault. */
  aggregate(
    groupBy: readonly Dimension[],
    bucket?: TimeBucket | null,
    filter?: LessonFilter | null,
    limit?: number | null,
    wanted?: { workItems: boolean; timeToClose?: boolean },
    call?: Call,
  ): Promise<LessonGroup[]>;
  /** One page of patterns in an order (largest first); [] when off or on a fault. */
  patterns(
    filter: PatternFilter | null | undefined,
    page: PatternPage,
    call?: Call,
  ): Promise<Pattern[]>;
  /** One pattern (a merged one answers with its survivor); null when off, missing or on a fault. */
  pattern(id: number, call?: Call): Promise<Pattern | null>;
  /** The patterns of lessons, by lesson id; empty when off or on a fault. */
  patternsOfLessons(lessonIds: readonly number[], call?: Call): Promise<Map<number, Pattern>>;
  /** A pattern's zero-filled series; [] when off or on a fault. */
  series(
    patternId: number,
    bucket: SeriesBucket,
    since: Date,
    until?: Date | null,
    call?: Call,
  ): Promise<SeriesPoint[]>;
  /** True iff `from` were merged into `into`; false otherwise, when off or on a fault. */
  merge(
    into: number,
    from: readonly number[],
    reason?: string | null,
    call?: Call,
  ): Promise<boolean>;
  /** The page-size limits now in force (default, max): settings only, no database. */
  limits(): { defaultSize: number; maxSize: number };
  /**
   * True iff the lesson exists and has the given values now (changed, with its history
   * event, or already so); false for an unknown id, a stale expectedVersion (told
   * version_conflict), when off or on a fault.
   */
  update(id: number, input: LessonUpdate, call?: Call): Promise<boolean>;
  /**
   * Updates every lesson the target names, all or nothing; `dryRun` only counts. More than
   * LESSONS_BULK_MAX matches, both or neither of ids and filter: refused (told rejected
   * with a message), {0, 0}; {0, 0} when off or on a fault.
   */
  updateMany(
    target: BulkTarget,
    input: LessonUpdate,
    dryRun: boolean,
    call?: Call,
  ): Promise<BulkResult>;
  /**
   * Closes, reopens or mutes a pattern, or amends a closed one's fix (triage.ts). True iff
   * it exists and is now as asked; false for an unknown id, a stale expectedVersion (told
   * version_conflict), input it can't take (told rejected with a message), off or a fault.
   */
  updatePattern(id: number, input: PatternUpdate, call?: Call): Promise<boolean>;
  /** The history of some lessons or patterns, oldest first, by id; empty when off or on a fault. */
  history(
    entity: 'lesson' | 'pattern',
    ids: readonly number[],
    call?: Call,
  ): Promise<Map<number, HistoryEvent[]>>;
  /**
   * What the RICE prioritiser scores, per group (rice.ts); [] when off, on a fault, or for
   * a window it can't take (told rejected with a message).
   */
  riceInputs(
    groupBy: readonly RiceDimension[],
    window: Window,
    filter?: LessonFilter | null,
    limit?: number | null,
    call?: Call,
  ): Promise<RiceInput[]>;
  /** Deploy degradations that no gate caught, per repo (escapes.ts); [] when off or on a fault. */
  escapes(window: Window, repo?: string | null, call?: Call): Promise<EscapeGroup[]>;
  /** Whether each fixed pattern's fix made it rarer (efficacy.ts), by id; empty when off or on a fault. */
  efficacy(ids: readonly number[], window: Window, call?: Call): Promise<Map<number, Efficacy>>;
  /** The patterns worth knowing before a stage runs (advice.ts); [] when off or on a fault. */
  advisories(query: AdvisoryQuery, call?: Call): Promise<Advisory[]>;
  /**
   * True iff the advisory exists and now has this answer; false for an unknown id, when
   * off or on a fault; a verdict it doesn't know is refused (told rejected with a message).
   */
  adviceFeedback(advisoryId: string, verdict: string, call?: Call): Promise<boolean>;
  /** Each pattern's advice counts, by id; empty when off or on a fault. */
  adviceStats(ids: readonly number[], call?: Call): Promise<Map<number, AdviceStats>>;
  /** The summary; {enabled: false} when off, {enabled: true} alone on a fault. */
  snapshot(repo?: string | null, call?: Call): Promise<Snapshot>;
  /** The canonical slugs (static: no database, so answered even when off). */
  slugs(): Slugs;
}

export interface JournalDeps {
  db: DatabaseHandle;
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
  /** The clock (tests move it). */
  now?: () => Date;
  /** The window of fault warnings (guard.ts; default a minute, tests shorten it). */
  faultLogWindowMs?: number;
}

function blank(text: string | null | undefined): boolean {
  return text === null || text === undefined || text.trim() === '';
}

/** Fields stored as null when blank (the snapshot's optional dimensions: lesson_counts). */
function blanksAsNull<T extends Partial<Record<(typeof BLANK_AS_NULL)[number], unknown>>>(
  input: T,
): T {
  const out = { ...input };
  for (const field of BLANK_AS_NULL) {
    const value = out[field];
    if (typeof value === 'string' && blank(value)) out[field] = null as T[typeof field];
  }
  return out;
}

export function createJournal(deps: JournalDeps): Journal {
  const { db, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const guard = createGuard(deps);
  // Lessons from before version 2 are grouped once per database connection, in the
  // background (grouping.ts): no operation waits for it, so an upgraded journal of a
  // million lessons records and answers from its first second. A fault leaves it to the
  // next operation, which starts it again.
  const grouping = new WeakSet<Backend>();
  const backend = async (): Promise<Backend> => {
    const opened = await db.get();
    if (!grouping.has(opened)) {
      grouping.add(opened);
      groupUngrouped(opened, new AbortController().signal).then(
        (n) => {
          if (n > 0) deps.log.info({ lessons: n }, 'grouped the lessons recorded before patterns');
        },
        (error: unknown) => {
          grouping.delete(opened);
          deps.log.debug({ err: error }, 'grouping the lessons recorded before patterns failed');
        },
      );
    }
    return opened;
  };
  const truncated = (field: string) => metrics.truncated.inc({ field });

  /** Who the history names for a call's change, and why (capped like any text). */
  const authorOf = (call: Call | undefined, reason: string | null | undefined): Author => {
    const actor = call?.author ?? 'anonymous';
    if (reason === null || reason === undefined || blank(reason)) return { actor, reason: null };
    const capped = capText(reason, deps.settings.current().maxTextLength);
    if (capped.truncated) truncated('reason');
    return { actor, reason: capped.text };
  };

  /** A write refused as the caller asked it: counted, told with its reason and words. */
  const refuse = (operation: Operation, told: Tell, reason: string, message?: string) => {
    metrics.rejected.inc({ operation, reason });
    told(
      message === undefined
        ? { outcome: 'rejected', reason }
        : { outcome: 'rejected', reason, message },
    );
  };

  /** When a record happened: the caller's occurredAt, else now; far ahead of now: now. */
  const occurredAt = (input: RecordInput, at: Date): Date => {
    const given = input.occurredAt;
    if (!given) return at;
    if (Number.isNaN(given.getTime()) || given.getTime() > at.getTime() + OCCURRED_AT_SKEW_MS) {
      metrics.clamped.inc({ field: 'occurredAt' });
      return at;
    }
    return given;
  };

  /**
   * An analytics window: its days and end, or why it can't be taken (refused with words,
   * so that the caller hears it; a silent [] would read as "no lessons").
   */
  const windowOf = (
    operation: Operation,
    told: Tell,
    window: Window,
    days: number,
  ): { windowDays: number; asOf: Date } | null => {
    const windowDays = window.windowDays ?? days;
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
      refuse(
        operation,
        told,
        'bad_input',
        `windowDays must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}`,
      );
      return null;
    }
    const asOf = window.asOf ?? now();
    if (Number.isNaN(asOf.getTime())) {
      refuse(operation, told, 'bad_input', 'asOf is not a time');
      return null;
    }
    return { windowDays, asOf };
  };

  /** A list read's size bound: the caller's, with the caps that bound one row. */
  const sizeBound = (settings: JournalSettings, call: Call | undefined) =>
    call?.maxBytes === undefined
      ? undefined
      : {
          maxBytes: call.maxBytes,
          maxTextLength: settings.maxTextLength,
          maxDetailBytes: settings.maxDetailBytes,
        };

  /** A list read whose rows are over the caller's bound: refused, counted and told, []. */
  const sized = async (operation: Operation, told: Tell, read: () => Promise<Lesson[]>) => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof AnswerTooLarge)) throw error;
      metrics.rejected.inc({ operation, reason: 'too_large' });
      told({ outcome: 'rejected', reason: 'too_large' });
      return [];
    }
  };

  /** The row to store: every recordable field, capped, blanks and defaults applied. */
  const toRow = (input: RecordInput, settings: JournalSettings): LessonRow => {
    const capped: Record<string, unknown> = blanksAsNull(capFields(input, settings, truncated));
    const row: Record<string, unknown> = {};
    for (const field of RECORDABLE) {
      const fallback = spec(field).record?.default;
      const value = capped[field] ?? null;
      row[field] = fallback !== undefined && blank(value as string | null) ? fallback : value;
    }
    const detail = capDetail(input.detail, settings.maxDetailBytes);
    if (detail.truncated) truncated('detail');
    row.detail = detail.json;
    const lesson = row as LessonRow;
    if (blank(lesson.fingerprint)) lesson.fingerprint = defaultFingerprint(lesson);
    return lesson;
  };

  return {
    record: (input, call) =>
      guard(
        'record',
        { off: null, fault: null },
        async (settings, signal, told) => {
          if (blank(input.lessonType)) {
            metrics.rejected.inc({ operation: 'record', reason: 'blank_lesson_type' });
            told({ outcome: 'rejected', reason: 'blank_lesson_type' });
            return null;
          }
          const row = toRow(input, settings);
          const arrived = now();
          const outcome = await insertLesson(
            await backend(),
            row,
            {
              dedupWindowSeconds: settings.dedupWindowSeconds,
              now: arrived,
              occurrence: occurrence(
                occurredAt(input, arrived),
                settings.regressionGraceSeconds,
                arrived,
              ),
              author: authorOf(call, null),
            },
            signal,
          );
          if (outcome.kind === 'deduped') {
            metrics.deduped.inc();
            told({ outcome: 'deduped', id: outcome.id });
            return null;
          }
          metrics.recorded.inc({ source: row.source });
          told({ outcome: 'recorded', id: outcome.lesson.id });
          return outcome.lesson;
        },
        call,
      ),

    get: (id, selection, call) =>
      guard(
        'get',
        { off: null, fault: null },
        async (_settings, signal) => getLesson({ db: await backend(), signal, selection }, id),
        call,
      ),

    list: (filter, limit, selection, call) =>
      guard(
        'list',
        { off: [], fault: [] },
        async (settings, signal, told) =>
          sized('list', told, async () =>
            listLessons(
              { db: await backend(), signal, selection, size: sizeBound(settings, call) },
              filter,
              clampLimit(limit, settings),
            ),
          ),
        call,
      ),

    page: (filter, page, selection, call) =>
      guard(
        'connection',
        { off: [], fault: [] },
        async (settings, signal, told) =>
          sized('connection', told, async () =>
            pageLessons(
              { db: await backend(), signal, selection, size: sizeBound(settings, call) },
              filter,
              page,
            ),
          ),
        call,
      ),

    count: (filter, call) =>
      guard(
        'connection',
        { off: 0, fault: 0 },
        async (_settings, signal) => countLessons(await backend(), filter, signal),
        call,
      ),

    aggregate: (groupBy, bucket, filter, limit, wanted, call) =>
      guard(
        'aggregate',
        { off: [], fault: [] },
        async (settings, signal) =>
          aggregateLessons(
            await backend(),
            { groupBy, bucket, filter, limit: clampLimit(limit, settings), ...wanted },
            now(),
            signal,
          ),
        call,
      ),

    patterns: (filter, page, call) =>
      guard(
        'patterns',
        { off: [], fault: [] },
        async (_settings, signal) => listPatterns(await backend(), filter, page, signal),
        call,
      ),

    pattern: (id, call) =>
      guard(
        'patterns',
        { off: null, fault: null },
        async (_settings, signal) => getPattern(await backend(), id, signal),
        call,
      ),

    patternsOfLessons: (lessonIds, call) =>
      guard(
        'patterns',
        { off: new Map(), fault: new Map() },
        async (_settings, signal) =>
          lessonIds.length === 0
            ? new Map()
            : patternsOfLessons(await backend(), lessonIds, signal),
        call,
      ),

    series: (patternId, bucket, since, until, call) =>
      guard(
        'patterns',
        { off: [], fault: [] },
        async (_settings, signal) =>
          patternSeries(await backend(), patternId, bucket, since, until ?? now(), signal),
        call,
      ),

    merge: (into, from, reason, call) =>
      guard(
        'merge',
        { off: false, fault: false },
        async (_settings, signal) =>
          mergePatterns(await backend(), into, from, authorOf(call, reason), now(), signal),
        call,
      ),

    limits: () => {
      const { queryLimitDefault, queryLimitMax } = deps.settings.current();
      return { defaultSize: queryLimitDefault, maxSize: queryLimitMax };
    },

    update: (id, input, call) =>
      guard(
        'update',
        { off: false, fault: false },
        async (settings, signal, told) => {
          const data = updateData(blanksAsNull(capFields(input, settings, truncated)));
          if (!data) {
            refuse('update', told, 'empty_input');
            return false;
          }
          const db = await backend();
          const author = authorOf(call, input.reason);
          const done = await db.transaction(
            (tx) => updateLesson(tx, db.dialect, id, data, input.expectedVersion, author, now()),
            signal,
          );
          if (done === 'conflict') refuse('update', told, 'version_conflict');
          return done === 'changed' || done === 'unchanged';
        },
        call,
      ),

    updateMany: (target, input, dryRun, call) =>
      guard(
        'bulk_update',
        { off: { matched: 0, updated: 0 }, fault: { matched: 0, updated: 0 } },
        async (settings, signal, told) => {
          const none = { matched: 0, updated: 0 };
          const byIds = target.ids !== undefined && target.ids !== null;
          const byFilter = target.filter !== undefined && target.filter !== null;
          if (byIds === byFilter) {
            refuse('bulk_update', told, 'bad_input', 'give exactly one of ids and filter');
            return none;
          }
          if (input.expectedVersion !== undefined && input.expectedVersion !== null) {
            const words = 'expectedVersion is for one lesson (updateLesson), not a bulk update';
            refuse('bulk_update', told, 'bad_input', words);
            return none;
          }
          const data = updateData(blanksAsNull(capFields(input, settings, truncated)));
          if (!data) {
            refuse('bulk_update', told, 'empty_input');
            return none;
          }
          const db = await backend();
          const where = byIds
            ? target.ids?.length
              ? Prisma.sql`id IN (${Prisma.join([...new Set(target.ids)])})`
              : Prisma.sql`1 = 0`
            : filterSql(target.filter, db.dialect);
          const tooMany = (matched: number) =>
            `${matched} lessons match; one bulk update may change at most ${settings.bulkMax} (LESSONS_BULK_MAX): narrow the filter, or update them in parts`;
          if (dryRun) {
            const [row] = await db.read(
              Prisma.sql`SELECT COUNT(*) AS matched,
                  COALESCE(SUM(CASE WHEN ${changesSql(data)} THEN 1 ELSE 0 END), 0) AS updated
                FROM lessons WHERE ${where}`,
              { signal, long: true },
            );
            const counted = {
              matched: Number(row?.matched ?? 0),
              updated: Number(row?.updated ?? 0),
            };
            if (counted.matched > settings.bulkMax) {
              refuse('bulk_update', told, 'too_many', tooMany(counted.matched));
              return { matched: counted.matched, updated: 0 };
            }
            return counted;
          }
          const author = authorOf(call, input.reason);
          const done = await db.transaction(async (tx) => {
            // One more than the cap is enough to refuse: a huge filter is never read whole.
            const rows = await tx.all(
              Prisma.sql`SELECT id FROM lessons WHERE ${where} ORDER BY id LIMIT ${settings.bulkMax + 1}${db.dialect.forUpdate}`,
            );
            if (rows.length > settings.bulkMax) return null;
            const ids = rows.map((r) => Number(r.id));
            return {
              matched: ids.length,
              updated: await changeLessons(tx, db.dialect, ids, data, author, now()),
            };
          }, signal);
          if (done) return done;
          const [row] = await db.read(
            Prisma.sql`SELECT COUNT(*) AS n FROM lessons WHERE ${where}`,
            { signal, long: true },
          );
          const matched = Number(row?.n ?? 0);
          refuse('bulk_update', told, 'too_many', tooMany(matched));
          return { matched, updated: 0 };
        },
        call,
      ),

    updatePattern: (id, input, call) =>
      guard(
        'update_pattern',
        { off: false, fault: false },
        async (settings, signal, told) => {
          const at = now();
          const problem = patternUpdateProblem(input, at);
          if (problem) {
            refuse(
              'update_pattern',
              told,
              problem.startsWith('nothing') ? 'empty_input' : 'bad_input',
              problem,
            );
            return false;
          }
          const fixRef =
            input.fixRef === undefined || input.fixRef === null || blank(input.fixRef)
              ? input.fixRef === undefined
                ? undefined
                : null
              : capText(input.fixRef, settings.maxTextLength).text;
          const db = await backend();
          const author = authorOf(call, input.reason);
          const done = await db.transaction(
            (tx) => updatePattern(tx, db.dialect, id, { ...input, fixRef }, author, at),
            signal,
          );
          if (done.kind === 'conflict') refuse('update_pattern', told, 'version_conflict');
          if (done.kind === 'refused') refuse('update_pattern', told, 'bad_input', done.message);
          return done.kind === 'changed' || done.kind === 'unchanged';
        },
        call,
      ),

    history: (entity, ids, call) =>
      guard(
        'history',
        { off: new Map(), fault: new Map() },
        async (_settings, signal) => readHistory(await backend(), entity, ids, signal),
        call,
      ),

    riceInputs: (groupBy, window, filter, limit, call) =>
      guard(
        'rice_inputs',
        { off: [], fault: [] },
        async (settings, signal, told) => {
          const span = windowOf('rice_inputs', told, window, 30);
          if (!span) return [];
          return riceInputs(
            await backend(),
            { groupBy, ...span, filter, limit: clampLimit(limit, settings) },
            signal,
          );
        },
        call,
      ),

    escapes: (window, repo, call) =>
      guard(
        'escapes',
        { off: [], fault: [] },
        async (settings, signal, told) => {
          const span = windowOf('escapes', told, window, 30);
          if (!span) return [];
          const limit = settings.queryLimitMax;
          return escapes(await backend(), { ...span, repo, limit }, signal);
        },
        call,
      ),

    efficacy: (ids, window, call) =>
      guard(
        'efficacy',
        { off: new Map(), fault: new Map() },
        async (_settings, signal, told) => {
          const span = windowOf('efficacy', told, window, 14);
          if (!span || ids.length === 0) return new Map();
          return patternEfficacy(await backend(), ids, span.windowDays, span.asOf, signal);
        },
        call,
      ),

    advisories: (query, call) =>
      guard(
        'advisories',
        { off: [], fault: [] },
        async (_settings, signal) => {
          const limit = Math.max(0, Math.min(MAX_ADVISORIES, Math.trunc(query.limit)));
          if (limit !== query.limit) metrics.clamped.inc({ field: 'limit' });
          if (limit === 0 || blank(query.stage)) return [];
          return advisories(await backend(), { ...query, limit }, now(), signal);
        },
        call,
      ),

    adviceFeedback: (advisoryId, verdict, call) =>
      guard(
        'advice_feedback',
        { off: false, fault: false },
        async (_settings, signal, told) => {
          if (!(VERDICTS as readonly string[]).includes(verdict)) {
            const words = `verdict must be one of ${VERDICTS.join(', ')}`;
            refuse('advice_feedback', told, 'bad_input', words);
            return false;
          }
          const id = /^[1-9][0-9]{0,15}$/.test(advisoryId) ? Number(advisoryId) : null;
          if (id === null || !Number.isSafeInteger(id)) return false;
          return adviceFeedback(await backend(), id, verdict as AdviceVerdict, now(), signal);
        },
        call,
      ),

    adviceStats: (ids, call) =>
      guard(
        'advice',
        { off: new Map(), fault: new Map() },
        async (_settings, signal) =>
          ids.length === 0 ? new Map() : adviceStats(await backend(), ids, signal),
        call,
      ),

    snapshot: (repo, call) =>
      guard(
        'snapshot',
        { off: { enabled: false }, fault: { enabled: true } },
        async (_settings, signal) => computeSnapshot(await backend(), repo, now(), signal),
        call,
      ),

    slugs: () => SLUGS,
  };
}
