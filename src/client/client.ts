// The client the orchestrator calls from its hot path, and the agents read through:
// `createLessonsClient({ url, token?, timeoutMs?, logger? })`.
//
// Never-raise, as the original module (NFR-1 / AC-6), now across the network: a closed
// port, a hang, a timeout, a reset, a 5xx, an HTML page, invalid JSON, GraphQL errors, an
// auth refusal, a bad URL or unsendable input all give the safe default (record -> null,
// get -> null, list / aggregates -> [], getPage / patterns -> an empty page, pattern ->
// null, update -> false, snapshot -> { enabled: false, reachable: false }) and exactly one
// warning through the logger, within `timeoutMs` (2 s by default). Nothing it does can
// throw into the caller, not even a logger that throws. Every call is one HTTP request;
// the client keeps no state. A record answered null is not a failure, but the service says
// why (extensions.lessons) and the client logs it: deduplicated (into which lesson) or the
// journal off at debug, refused or a fault inside the journal as a warning. mergePatterns (admin) is the CLI's only (`lessons
// merge-patterns`): a merge is a person's decision, whose failure they must be told.
import {
  type AggregatesQuery,
  createCalls,
  type Lesson,
  type LessonGroup,
  type LessonsPage,
  type ListQuery,
  type PageInfo,
  type PageQuery,
  type PatternDetails,
  type PatternQuery,
  type PatternsFilter,
  type PatternsPage,
  type PatternsQuery,
  type RecordLessonInput,
  type RecordOutcome,
  type SnapshotData,
  type UpdateLessonInput,
} from './calls.ts';
import { createTransport, describe, LessonsRequestError } from './transport.ts';

/** A pino logger or `console` fits. */
export interface ClientLogger {
  warn(details: Record<string, unknown>, message: string): void;
  /** Where a null record's harmless reasons go (deduplicated, journal off); none: not logged. */
  debug?(details: Record<string, unknown>, message: string): void;
}

export interface LessonsClientOptions {
  /** The GraphQL endpoint, such as http://127.0.0.1:4000/graphql. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** Bound on each call, in ms (default 2000); past it the safe default is returned. */
  timeoutMs?: number | undefined;
  /**
   * Where the one warning per failed call goes, and why a record was null (default:
   * console.warn for the warnings, and no debug lines: console.debug would print them all).
   */
  logger?: ClientLogger | undefined;
}

/**
 * `lessonsSnapshot`, with `reachable: true`; or `{ enabled: false, reachable: false }` when
 * the service could not be asked (its other fields then read as undefined).
 */
export type Snapshot =
  | ({ reachable: true } & SnapshotData)
  | ({ reachable: false; enabled: false } & {
      [K in Exclude<keyof SnapshotData, 'enabled'>]?: undefined;
    });

export interface LessonsClient {
  /**
   * Records a lesson: the new lesson, or null (deduped, journal off, refused, or a failure);
   * why a null, as the service says, is logged (debug or a warning).
   */
  record(input: RecordLessonInput): Promise<Lesson | null>;
  /** One lesson by id, or null. */
  get(id: number): Promise<Lesson | null>;
  /** Lessons newest first, like the seed's `get(...)`; [] on failure. */
  list(query?: ListQuery): Promise<Lesson[]>;
  /** One page of the cursor walk; an empty page on failure. */
  getPage(query?: PageQuery): Promise<LessonsPage>;
  /** Re-classifies or re-statuses a lesson: true iff it exists and was updated. */
  update(id: number, fields: UpdateLessonInput): Promise<boolean>;
  /** The summary for the queue page (optionally for one repo). */
  snapshot(repo?: string | null): Promise<Snapshot>;
  /** Group-by counts, by occurrences desc; [] on failure. */
  aggregates(query: AggregatesQuery): Promise<LessonGroup[]>;
  /** One page of patterns, largest first in `orderBy` (LAST_SEEN); an empty page on failure. */
  patterns(filter?: PatternsFilter, query?: PatternsQuery): Promise<PatternsPage>;
  /**
   * One pattern with its grouping (and its newest `lessons` lessons when asked), or null.
   * A merged pattern answers with the pattern it was merged into (another id).
   */
  pattern(id: number, query?: PatternQuery): Promise<PatternDetails | null>;
}

export function createLessonsClient(options: LessonsClientOptions): LessonsClient {
  const transport = createTransport(options);
  const calls = createCalls(transport);
  const logger: ClientLogger = options.logger ?? {
    warn: (details, message) => console.warn(details, message),
  };

  /** One line to the logger, which may throw or lack the level. */
  const say = (level: 'warn' | 'debug', details: Record<string, unknown>, message: string) => {
    try {
      logger[level]?.(details, message);
    } catch {
      // A logger that throws must not make the client throw.
    }
  };

  /** Why the service answered a record with null, at the level the reason deserves. */
  const explain = ({ outcome, id, reason }: RecordOutcome) => {
    const details: Record<string, unknown> = { operation: 'record', outcome, url: transport.url };
    if (outcome === 'deduped') details.lessonId = id;
    else if (reason !== undefined) details.reason = reason;
    const [level, why]: ['warn' | 'debug', string] =
      outcome === 'deduped'
        ? ['debug', `deduplicated into lesson ${id}`]
        : outcome === 'off'
          ? ['debug', 'the journal is off']
          : outcome === 'rejected'
            ? ['warn', `the service refused the lesson (${reason})`]
            : outcome === 'fault'
              ? ['warn', `the journal faulted (${reason}); the lesson was not recorded`]
              : ['debug', `outcome ${outcome}`];
    say(level, details, `lessons-journal client: record answered null: ${why}`);
  };

  const warn = (operation: string, error: unknown) => {
    const known = error instanceof LessonsRequestError;
    const reason = known ? error.kind : 'internal';
    const details: Record<string, unknown> = {
      operation,
      reason,
      url: transport.url,
      error: describe(error),
    };
    if (known && error.status !== undefined) details.status = error.status;
    if (known && error.codes.length > 0) details.codes = error.codes;
    const problem = reason === 'auth' ? 'refused: an auth problem (check the token)' : 'failed';
    say(
      'warn',
      details,
      `lessons-journal client: ${operation} ${problem}; returned the safe default`,
    );
  };

  /** The one guard of every call: the answer, or the fresh safe default and one warning. */
  const guard = async <T>(operation: string, safe: () => T, call: () => Promise<T>) => {
    try {
      return await call();
    } catch (error) {
      warn(operation, error);
      return safe();
    }
  };

  return {
    record: (input) =>
      guard(
        'record',
        () => null,
        async () => {
          let told: RecordOutcome | undefined;
          const lesson = await calls.record(input, (outcome) => {
            told = outcome;
          });
          if (lesson === null && told) explain(told);
          return lesson;
        },
      ),
    get: (id) =>
      guard(
        'get',
        () => null,
        () => calls.get(id),
      ),
    list: (query) =>
      guard(
        'list',
        () => [],
        () => calls.list(query),
      ),
    getPage: (query) =>
      guard(
        'getPage',
        () => emptyPage(query?.totalCount ?? true),
        () => calls.getPage(query),
      ),
    update: (id, fields) =>
      guard(
        'update',
        () => false,
        () => calls.update(id, fields),
      ),
    snapshot: (repo) =>
      guard<Snapshot>(
        'snapshot',
        () => ({ enabled: false, reachable: false }),
        async () => ({ ...(await calls.snapshot(repo)), reachable: true }),
      ),
    aggregates: (query) =>
      guard(
        'aggregates',
        () => [],
        () => calls.aggregates(query),
      ),
    patterns: (filter, query) =>
      guard(
        'patterns',
        () => ({ nodes: [], pageInfo: noPages() }),
        () => calls.patterns(filter, query),
      ),
    pattern: (id, query) =>
      guard(
        'pattern',
        () => null,
        () => calls.pattern(id, query),
      ),
  };
}

function noPages(): PageInfo {
  return { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
}

function emptyPage(withTotalCount: boolean): LessonsPage {
  return { nodes: [], pageInfo: noPages(), totalCount: withTotalCount ? 0 : null };
}
