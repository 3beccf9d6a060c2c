// The journal's operations as typed calls over the transport, one per function of the
// original module (record, get, update, snapshot) plus the read API (list, getPage,
// aggregates), the patterns (patterns, pattern), the history, and the admin's triage
// (updatePattern, mergePatterns, updateLessons), the consumers' analytics (riceInputs,
// escapes, efficacy) and the orchestrator's advisories and their feedback. Typed from
// schema.graphql through the generated documents.
//
// Its promise: each call returns exactly the value the service answered, checked for
// shape (and tells, to whoever asks, why the service answered as it did: the outcomes in
// the answer's extensions.lessons, by response path), or throws a
// LessonsRequestError (a Date that is not a date is `invalid_input`,
// an answer of the wrong shape is `not_graphql`). It throws on purpose: the CLI reports
// those failures to people; the client (client.ts) turns them into safe defaults.
import {
  AdviceFeedbackDocument,
  AdvisoriesDocument,
  type AdvisoriesQuery,
  EscapesDocument,
  type EscapesQuery,
  type HistoryEventFieldsFragment,
  LessonAggregatesDocument,
  type LessonAggregatesQuery,
  type LessonDimension,
  LessonDocument,
  type LessonFieldsFragment,
  type LessonFilter,
  LessonHistoryDocument,
  LessonsDocument,
  LessonsPageDocument,
  type LessonsPageQuery,
  LessonsSnapshotDocument,
  type LessonsSnapshotQuery,
  MergePatternsDocument,
  type PatternQuery as PatternData,
  PatternDocument,
  PatternEfficacyDocument,
  type PatternEfficacyQuery,
  type PatternFieldsFragment,
  type PatternFilter,
  PatternHistoryDocument,
  type PatternOrder,
  type PatternsQuery as PatternsData,
  PatternsDocument,
  RecordLessonDocument,
  type RecordLessonInput,
  type RiceDimension,
  RiceInputsDocument,
  type RiceInputsQuery,
  type TimeBucket,
  UpdateLessonDocument,
  type UpdateLessonInput,
  UpdateLessonsDocument,
  UpdatePatternDocument,
  type UpdatePatternInput,
} from './generated/graphql.ts';
import { isRecord, LessonsRequestError, type Transport } from './transport.ts';

export type {
  LessonDimension,
  PatternOrder,
  RecordLessonInput,
  RiceDimension,
  TimeBucket,
  UpdateLessonInput,
  UpdatePatternInput,
};

/** One group of `riceInputs`: the grouped keys are set, the others null. */
export type RiceInput = RiceInputsQuery['riceInputs'][number];

/** One repo of `escapes`. */
export type EscapeGroup = EscapesQuery['escapes'][number];

/** One advisory shown before a stage (answer it with adviceFeedback and its id). */
export type Advisory = AdvisoriesQuery['advisories'][number];

/** A pattern with its fix's efficacy (null while it has no fix). */
export type PatternEfficacy = NonNullable<PatternEfficacyQuery['pattern']>;

/** The window of an analytics read: its days (the service's default when absent) and end (now). */
export interface WindowQuery {
  windowDays?: number;
  asOf?: Date | string | null;
}

export interface RiceQuery extends WindowQuery {
  groupBy: readonly RiceDimension[];
  filter?: LessonsFilter;
  limit?: number;
}

export interface AdvisoryQuery {
  stage: string;
  repo?: string | null;
  agent?: string | null;
  workItemId?: string | null;
  /** Default 3, at most 20. */
  limit?: number;
}

/** How an advisory went, after the stage ran. */
export type AdviceVerdict = 'helped' | 'not_relevant' | 'wrong';

/** One change of a lesson or a pattern (oldest first in a history). */
export type HistoryEvent = HistoryEventFieldsFragment;

/** What a bulk update matched and changed (with dryRun: would change). */
export interface BulkResult {
  matched: number;
  updated: number;
}

/** Which lessons a bulk update names: exactly one of ids and filter. */
export type BulkTarget = { ids: readonly number[] } | { filter: LessonsFilter };

/** Whose history: a lesson's or a pattern's. */
export type HistoryOf = { lesson: number } | { pattern: number };

/** A lesson, every field of the schema's `Lesson`. */
export type Lesson = LessonFieldsFragment;

/** One group of `aggregates`: the grouped fields are set, the others null. */
export type LessonGroup = LessonAggregatesQuery['lessonAggregates'][number];

/** What `lessonsSnapshot` answers (counts are null when the journal is off). */
export type SnapshotData = LessonsSnapshotQuery['lessonsSnapshot'];

export type PageInfo = LessonsPageQuery['lessonsConnection']['pageInfo'];

/**
 * A filter input of the schema, friendlier: a list field takes one value or several ("any
 * of"), and `since`/`until` take a Date or an ISO-8601 string.
 */
type Friendly<F> = {
  [K in keyof F]?: K extends 'since' | 'until'
    ? Date | string | null
    : K extends 'text'
      ? string | null
      : string | readonly string[] | null;
};

/** The schema's LessonFilter, friendlier (see Friendly). */
export type LessonsFilter = Friendly<LessonFilter>;

/** `list`: the seed's `get(lesson_type=..., status=..., repo=..., limit=...)`, camelCased. */
export type ListQuery = LessonsFilter & {
  /** Absent: the service's default (100); clamped to 1..its max (1000). */
  limit?: number;
};

export interface PageQuery {
  filter?: LessonsFilter;
  /** Page size; absent: the service's default, capped at its max. */
  first?: number;
  /** The `endCursor` of the previous page. */
  after?: string | null;
  /** Ask for `totalCount` (one COUNT over the filter); default true. */
  totalCount?: boolean;
}

export interface LessonsPage {
  /** Newest first (createdAt desc, id desc). */
  nodes: Lesson[];
  pageInfo: PageInfo;
  /** Lessons matching the filter; null when not asked for. */
  totalCount: number | null;
}

/** A pattern: the lessons of one fingerprint across work items and repos, exact counts. */
export type Pattern = PatternFieldsFragment;

/** The schema's PatternFilter, friendlier (since/until are on lastSeenAt). */
export type PatternsFilter = Friendly<PatternFilter>;

export interface PatternsQuery {
  /** Largest first (LAST_SEEN: the most recently seen); absent: the service's, LAST_SEEN. */
  orderBy?: PatternOrder | null;
  /** Page size; absent: the service's default, capped at its max. */
  first?: number;
  /** The `endCursor` of the previous page (of the same orderBy). */
  after?: string | null;
}

/**
 * Why the service answered a field as it did (its extensions.lessons): a record says
 * `recorded` or `deduped` with the lesson's id (for `deduped`, the lesson whose occurrences
 * went up); any field answered with a safe default says `off`, or `rejected` or `fault`
 * with a reason. Other outcomes may come from a newer service.
 */
export interface Outcome {
  outcome: 'recorded' | 'deduped' | 'rejected' | 'off' | 'fault' | (string & {});
  id?: number;
  reason?: string;
}

/** Hears each outcome of an answer, with its field's response path (`recordLesson`). */
export type Told = (outcome: Outcome, path: string) => void;

/** The transport's extensions hook that tells `told` each outcome the answer carries. */
function hearing(told: Told | undefined) {
  if (!told) return undefined;
  return (extensions: Record<string, unknown>) => {
    const lessons = extensions.lessons;
    if (!isRecord(lessons)) return;
    for (const [path, said] of Object.entries(lessons)) {
      if (!isRecord(said) || typeof said.outcome !== 'string') continue;
      told(
        {
          outcome: said.outcome,
          ...(typeof said.id === 'number' ? { id: said.id } : {}),
          ...(typeof said.reason === 'string' ? { reason: said.reason } : {}),
        },
        path,
      );
    }
  };
}

export interface PatternsPage {
  nodes: Pattern[];
  pageInfo: PageInfo;
}

/** Why a pattern's lessons group: the fingerprint's components, each said to count or not. */
export type GroupingInfo = NonNullable<PatternData['pattern']>['groupingInfo'];

export interface PatternQuery {
  /** Also fetch its newest n lessons (default 0: none; capped at the service's max). */
  lessons?: number;
}

/** One pattern, why it groups, and (when asked for) its newest lessons. */
export type PatternDetails = Pattern & {
  groupingInfo: GroupingInfo;
  /** Newest first; [] unless `lessons` was asked for. */
  latestLessons: Lesson[];
};

export interface AggregatesQuery {
  groupBy: readonly LessonDimension[];
  /** UTC buckets of createdAt (weeks start on Monday). */
  bucket?: TimeBucket | null;
  filter?: LessonsFilter;
  limit?: number;
}

function instant(value: Date | string | null | undefined, name: string) {
  if (!(value instanceof Date)) return value;
  if (Number.isNaN(value.getTime())) {
    throw new LessonsRequestError('invalid_input', `${name} is an invalid Date`);
  }
  return value.toISOString();
}

function toFilter<F extends LessonFilter | PatternFilter>(
  filter: Friendly<F> | undefined,
): F | undefined {
  if (!filter) return undefined;
  const { since, until, ...lists } = filter as Friendly<LessonFilter | PatternFilter>;
  // GraphQL coerces a single value into a one-element list, so slugs go as given.
  return {
    ...lists,
    since: instant(since, 'filter.since'),
    until: instant(until, 'filter.until'),
  } as F;
}

/** The named field of an answer, if it has the expected shape. */
function field<T>(data: Record<string, unknown>, name: string, ok: (value: unknown) => boolean): T {
  const value = data[name];
  if (!ok(value)) {
    const shown = value === undefined ? 'missing' : String(JSON.stringify(value)).slice(0, 60);
    throw new LessonsRequestError('not_graphql', `unexpected answer: ${name} is ${shown}`);
  }
  return value as T;
}

const isLesson = (v: unknown) => isRecord(v) && typeof v.id === 'number';
const isLessonOrNull = (v: unknown) => v === null || isLesson(v);
const isArray = (v: unknown) => Array.isArray(v);
const isConnection = (v: unknown) => isRecord(v) && Array.isArray(v.edges) && isRecord(v.pageInfo);
const isPatternOrNull = (v: unknown) =>
  v === null || (isRecord(v) && typeof v.id === 'number' && isRecord(v.groupingInfo));

/** Each call's last argument, `told`, hears why the service answered as it did. */
export interface Calls {
  /** The new lesson or null. */
  record(input: RecordLessonInput, told?: Told): Promise<Lesson | null>;
  get(id: number, told?: Told): Promise<Lesson | null>;
  list(query?: ListQuery, told?: Told): Promise<Lesson[]>;
  getPage(query?: PageQuery, told?: Told): Promise<LessonsPage>;
  update(id: number, fields: UpdateLessonInput, told?: Told): Promise<boolean>;
  snapshot(repo?: string | null, told?: Told): Promise<SnapshotData>;
  aggregates(query: AggregatesQuery, told?: Told): Promise<LessonGroup[]>;
  patterns(filter?: PatternsFilter, query?: PatternsQuery, told?: Told): Promise<PatternsPage>;
  pattern(id: number, query?: PatternQuery, told?: Told): Promise<PatternDetails | null>;
  mergePatterns(
    into: number,
    from: readonly number[],
    reason?: string | null,
    told?: Told,
  ): Promise<boolean>;
  updatePattern(id: number, input: UpdatePatternInput, told?: Told): Promise<boolean>;
  updateLessons(
    target: BulkTarget,
    input: UpdateLessonInput,
    options?: { reason?: string | null; dryRun?: boolean },
    told?: Told,
  ): Promise<BulkResult>;
  /** Oldest first; null when there is no such lesson or pattern. */
  history(of: HistoryOf, told?: Told): Promise<HistoryEvent[] | null>;
  riceInputs(query: RiceQuery, told?: Told): Promise<RiceInput[]>;
  escapes(query?: WindowQuery & { repo?: string | null }, told?: Told): Promise<EscapeGroup[]>;
  /** The pattern with its efficacy; null when there is no such pattern. */
  efficacy(patternId: number, query?: WindowQuery, told?: Told): Promise<PatternEfficacy | null>;
  advisories(query: AdvisoryQuery, told?: Told): Promise<Advisory[]>;
  adviceFeedback(advisoryId: string, verdict: AdviceVerdict, told?: Told): Promise<boolean>;
}

export function createCalls(transport: Transport): Calls {
  return {
    async record(input, told) {
      const data = await transport.request(RecordLessonDocument, { input }, hearing(told));
      return field<Lesson | null>(data, 'recordLesson', isLessonOrNull);
    },

    async get(id, told) {
      const data = await transport.request(LessonDocument, { id }, hearing(told));
      return field<Lesson | null>(data, 'lesson', isLessonOrNull);
    },

    async list(query = {}, told) {
      const { limit, ...filter } = query;
      const data = await transport.request(
        LessonsDocument,
        { filter: toFilter(filter), limit },
        hearing(told),
      );
      return field<Lesson[]>(data, 'lessons', isArray);
    },

    async getPage(query = {}, told) {
      const data = await transport.request(
        LessonsPageDocument,
        {
          filter: toFilter(query.filter),
          first: query.first,
          after: query.after,
          withTotalCount: query.totalCount ?? true,
        },
        hearing(told),
      );
      const connection = field<LessonsPageQuery['lessonsConnection']>(
        data,
        'lessonsConnection',
        isConnection,
      );
      return {
        nodes: connection.edges.map((edge) => edge.node),
        pageInfo: connection.pageInfo,
        totalCount: connection.totalCount ?? null,
      };
    },

    async update(id, fields, told) {
      const data = await transport.request(
        UpdateLessonDocument,
        { id, input: fields },
        hearing(told),
      );
      return field<boolean>(data, 'updateLesson', (v) => typeof v === 'boolean');
    },

    async snapshot(repo, told) {
      const data = await transport.request(LessonsSnapshotDocument, { repo }, hearing(told));
      return field<SnapshotData>(
        data,
        'lessonsSnapshot',
        (v) => isRecord(v) && typeof v.enabled === 'boolean',
      );
    },

    async aggregates(query, told) {
      const data = await transport.request(
        LessonAggregatesDocument,
        {
          groupBy: [...query.groupBy],
          bucket: query.bucket,
          filter: toFilter(query.filter),
          limit: query.limit,
        },
        hearing(told),
      );
      return field<LessonGroup[]>(data, 'lessonAggregates', isArray);
    },

    async patterns(filter, query = {}, told) {
      const data = await transport.request(
        PatternsDocument,
        {
          filter: toFilter<PatternFilter>(filter),
          // An explicit null would override the schema's default (LAST_SEEN) with an error.
          orderBy: query.orderBy ?? undefined,
          first: query.first,
          after: query.after,
        },
        hearing(told),
      );
      const connection = field<PatternsData['patterns']>(data, 'patterns', isConnection);
      return {
        nodes: connection.edges.map((edge) => edge.node),
        pageInfo: connection.pageInfo,
      };
    },

    async pattern(id, query = {}, told) {
      const lessons = query.lessons ?? 0;
      const data = await transport.request(
        PatternDocument,
        { id, lessons: lessons > 0 ? lessons : undefined, withLessons: lessons > 0 },
        hearing(told),
      );
      const found = field<PatternData['pattern']>(data, 'pattern', isPatternOrNull);
      if (!found) return null;
      const { lessonsConnection, ...pattern } = found;
      return {
        ...pattern,
        latestLessons: lessonsConnection?.edges.map((edge) => edge.node) ?? [],
      };
    },

    async mergePatterns(into, from, reason, told) {
      const data = await transport.request(
        MergePatternsDocument,
        { into, from: [...from], reason },
        hearing(told),
      );
      return field<boolean>(data, 'mergePatterns', (v) => typeof v === 'boolean');
    },

    async updatePattern(id, input, told) {
      const fixedAt = instant(input.fixedAt as Date | string | null | undefined, 'fixedAt');
      const data = await transport.request(
        UpdatePatternDocument,
        { id, input: { ...input, fixedAt } },
        hearing(told),
      );
      return field<boolean>(data, 'updatePattern', (v) => typeof v === 'boolean');
    },

    async updateLessons(target, input, options = {}, told) {
      const data = await transport.request(
        UpdateLessonsDocument,
        {
          ...('ids' in target ? { ids: [...target.ids] } : { filter: toFilter(target.filter) }),
          input,
          reason: options.reason,
          dryRun: options.dryRun ?? false,
        },
        hearing(told),
      );
      return field<BulkResult>(
        data,
        'updateLessons',
        (v) => isRecord(v) && typeof v.matched === 'number' && typeof v.updated === 'number',
      );
    },

    async history(of, told) {
      const isOwner = (v: unknown) => v === null || (isRecord(v) && Array.isArray(v.history));
      if ('lesson' in of) {
        const data = await transport.request(
          LessonHistoryDocument,
          { id: of.lesson },
          hearing(told),
        );
        return field<{ history: HistoryEvent[] } | null>(data, 'lesson', isOwner)?.history ?? null;
      }
      const data = await transport.request(
        PatternHistoryDocument,
        { id: of.pattern },
        hearing(told),
      );
      return field<{ history: HistoryEvent[] } | null>(data, 'pattern', isOwner)?.history ?? null;
    },

    async riceInputs(query, told) {
      const data = await transport.request(
        RiceInputsDocument,
        {
          groupBy: [...query.groupBy],
          windowDays: query.windowDays ?? 30,
          asOf: instant(query.asOf, 'asOf'),
          filter: toFilter(query.filter),
          limit: query.limit,
        },
        hearing(told),
      );
      return field<RiceInput[]>(data, 'riceInputs', isArray);
    },

    async escapes(query = {}, told) {
      const data = await transport.request(
        EscapesDocument,
        { windowDays: query.windowDays ?? 30, asOf: instant(query.asOf, 'asOf'), repo: query.repo },
        hearing(told),
      );
      return field<EscapeGroup[]>(data, 'escapes', isArray);
    },

    async efficacy(patternId, query = {}, told) {
      const data = await transport.request(
        PatternEfficacyDocument,
        { id: patternId, windowDays: query.windowDays ?? 14, asOf: instant(query.asOf, 'asOf') },
        hearing(told),
      );
      return field<PatternEfficacy | null>(
        data,
        'pattern',
        (v) => v === null || (isRecord(v) && typeof v.id === 'number'),
      );
    },

    async advisories(query, told) {
      const data = await transport.request(
        AdvisoriesDocument,
        {
          stage: query.stage,
          repo: query.repo,
          agent: query.agent,
          workItemId: query.workItemId,
          limit: query.limit ?? 3,
        },
        hearing(told),
      );
      return field<Advisory[]>(data, 'advisories', isArray);
    },

    async adviceFeedback(advisoryId, verdict, told) {
      const data = await transport.request(
        AdviceFeedbackDocument,
        { advisoryId, verdict },
        hearing(told),
      );
      return field<boolean>(data, 'adviceFeedback', (v) => typeof v === 'boolean');
    },
  };
}
