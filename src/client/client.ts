// The client the orchestrator calls from its hot path, and the agents read through:
// `createLessonsClient({ url, token?, timeoutMs?, logger? })`.
//
// Never-raise, as the original module (NFR-1 / AC-6), now across the network: a closed
// port, a hang, a timeout, a reset, a 5xx, an HTML page, invalid JSON, GraphQL errors, an
// auth refusal, a bad URL or unsendable input all give the safe default (record -> null,
// get -> null, list / aggregates / history / riceInputs / escapes / advisories -> [],
// getPage / patterns -> an empty page, pattern / efficacy -> null, update / updatePattern /
// mergePatterns / adviceFeedback -> false, updateLessons ->
// { matched: 0, updated: 0 }, snapshot -> { enabled: false, reachable: false }) and exactly one
// warning through the logger, within `timeoutMs` (2 s by default). Nothing it does can
// throw into the caller, not even a logger that throws. Every call is one HTTP request;
// the client keeps no state. An answer that is a safe default is not a failure of the
// call, but the service says why (extensions.lessons) and the client logs it, once per
// call and kind: a record deduplicated (into which lesson) or the journal off at debug, a
// refusal or a fault inside the journal (a timed-out read's [] included) as a warning.
// The admin's triage (updatePattern, mergePatterns, updateLessons) is here for agents that
// triage; a person triages with the CLI, which reports a refusal's words (a future
// fixedAt, a bulk update over the cap with its count) instead of a default.
import {
  type AdviceVerdict,
  type Advisory,
  type AdvisoryQuery,
  type AggregatesQuery,
  type BulkResult,
  type BulkTarget,
  createCalls,
  type EscapeGroup,
  type HistoryEvent,
  type HistoryOf,
  type Lesson,
  type LessonGroup,
  type LessonsPage,
  type ListQuery,
  type Outcome,
  type PageInfo,
  type PageQuery,
  type PatternDetails,
  type PatternEfficacy,
  type PatternQuery,
  type PatternsFilter,
  type PatternsPage,
  type PatternsQuery,
  type RecordLessonInput,
  type RiceInput,
  type RiceQuery,
  type SnapshotData,
  type Told,
  type UpdateLessonInput,
  type UpdatePatternInput,
  type WindowQuery,
} from './calls.ts';
import { createTransport, describe, LessonsRequestError } from './transport.ts';

/** A pino logger or `console` fits. */
export interface ClientLogger {
  warn(details: Record<string, unknown>, message: string): void;
  /** Where harmless reasons for a safe default go (deduplicated, journal off); none: not logged. */
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
  /** Closes (with a fix), reopens or mutes a pattern: true iff it exists and is now as asked. */
  updatePattern(id: number, input: UpdatePatternInput): Promise<boolean>;
  /** Moves every lesson of `from` into `into`: true iff merged. */
  mergePatterns(into: number, from: readonly number[], reason?: string | null): Promise<boolean>;
  /** Updates many lessons at once (all or nothing); { 0, 0 } on failure. */
  updateLessons(
    target: BulkTarget,
    input: UpdateLessonInput,
    options?: { reason?: string | null; dryRun?: boolean },
  ): Promise<BulkResult>;
  /** A lesson's or a pattern's history, oldest first; [] when missing or on failure. */
  history(of: HistoryOf): Promise<HistoryEvent[]>;
  /** What the RICE prioritiser scores, per group, reach first; [] on failure. */
  riceInputs(query: RiceQuery): Promise<RiceInput[]>;
  /** Per repo, deploys degraded with no gate failure before them; [] on failure. */
  escapes(query?: WindowQuery & { repo?: string | null }): Promise<EscapeGroup[]>;
  /** A pattern with its fix's efficacy; null when there is no such pattern or on failure. */
  efficacy(patternId: number, query?: WindowQuery): Promise<PatternEfficacy | null>;
  /** Before a stage runs: what the journal has learned for it, best first; [] on failure. */
  advisories(query: AdvisoryQuery): Promise<Advisory[]>;
  /** After the stage ran: how an advisory went; true iff recorded, false on failure. */
  adviceFeedback(advisoryId: string, verdict: AdviceVerdict): Promise<boolean>;
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

  /**
   * Why the service answered a call with a safe default (a record: with null), at the level
   * the reason deserves; `paths` are the response paths that said so, when not the call's
   * own field.
   */
  const explain = (operation: string, { outcome, id, reason }: Outcome, paths: string[]) => {
    const details: Record<string, unknown> = { operation, outcome, url: transport.url };
    if (outcome === 'deduped') details.lessonId = id;
    else if (reason !== undefined) details.reason = reason;
    if (paths.length > 0) details.paths = paths;
    const record = operation === 'record';
    const [level, why]: ['warn' | 'debug', string] =
      outcome === 'deduped'
        ? ['debug', `deduplicated into lesson ${id}`]
        : outcome === 'off'
          ? ['debug', 'the journal is off']
          : outcome === 'rejected'
            ? ['warn', `the service refused ${record ? 'the lesson' : 'it'} (${reason})`]
            : outcome === 'fault'
              ? [
                  'warn',
                  `the journal faulted (${reason})${record ? '; the lesson was not recorded' : ''}`,
                ]
              : ['debug', `outcome ${outcome}`];
    const answered = record ? 'null' : 'its safe default';
    say(level, details, `lessons-journal client: ${operation} answered ${answered}: ${why}`);
  };

  /**
   * A `told` for one call, and a way to log what it heard: one line per kind of outcome
   * (a nested field's fault may be told for every row), none for a recorded lesson.
   */
  const listen = (operation: string, root: string): { told: Told; explainAll(): void } => {
    const heard = new Map<string, { outcome: Outcome; paths: string[] }>();
    return {
      told: (outcome, path) => {
        if (outcome.outcome === 'recorded') return;
        const kind = `${outcome.outcome}:${outcome.reason ?? ''}`;
        const entry = heard.get(kind) ?? { outcome, paths: [] };
        if (path !== root) entry.paths.push(path);
        heard.set(kind, entry);
      },
      explainAll: () => {
        for (const { outcome, paths } of heard.values()) explain(operation, outcome, paths);
      },
    };
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

  /**
   * The one guard of every call: the answer (and why, when it is a safe default), or the
   * fresh safe default and one warning. `root` is the call's field in the answer.
   */
  const guard = async <T>(
    operation: string,
    root: string,
    safe: () => T,
    call: (told: Told) => Promise<T>,
  ) => {
    const heard = listen(operation, root);
    try {
      const answer = await call(heard.told);
      heard.explainAll();
      return answer;
    } catch (error) {
      warn(operation, error);
      return safe();
    }
  };

  return {
    record: (input) =>
      guard(
        'record',
        'recordLesson',
        () => null,
        (told) => calls.record(input, told),
      ),
    get: (id) =>
      guard(
        'get',
        'lesson',
        () => null,
        (told) => calls.get(id, told),
      ),
    list: (query) =>
      guard(
        'list',
        'lessons',
        () => [],
        (told) => calls.list(query, told),
      ),
    getPage: (query) =>
      guard(
        'getPage',
        'lessonsConnection',
        () => emptyPage(query?.totalCount ?? true),
        (told) => calls.getPage(query, told),
      ),
    update: (id, fields) =>
      guard(
        'update',
        'updateLesson',
        () => false,
        (told) => calls.update(id, fields, told),
      ),
    snapshot: (repo) =>
      guard<Snapshot>(
        'snapshot',
        'lessonsSnapshot',
        () => ({ enabled: false, reachable: false }),
        async (told) => ({ ...(await calls.snapshot(repo, told)), reachable: true }),
      ),
    aggregates: (query) =>
      guard(
        'aggregates',
        'lessonAggregates',
        () => [],
        (told) => calls.aggregates(query, told),
      ),
    patterns: (filter, query) =>
      guard(
        'patterns',
        'patterns',
        () => ({ nodes: [], pageInfo: noPages() }),
        (told) => calls.patterns(filter, query, told),
      ),
    pattern: (id, query) =>
      guard(
        'pattern',
        'pattern',
        () => null,
        (told) => calls.pattern(id, query, told),
      ),
    updatePattern: (id, input) =>
      guard(
        'updatePattern',
        'updatePattern',
        () => false,
        (told) => calls.updatePattern(id, input, told),
      ),
    mergePatterns: (into, from, reason) =>
      guard(
        'mergePatterns',
        'mergePatterns',
        () => false,
        (told) => calls.mergePatterns(into, from, reason, told),
      ),
    updateLessons: (target, input, options) =>
      guard(
        'updateLessons',
        'updateLessons',
        () => ({ matched: 0, updated: 0 }),
        (told) => calls.updateLessons(target, input, options, told),
      ),
    history: (of) =>
      guard(
        'history',
        'lesson' in of ? 'lesson' : 'pattern',
        () => [],
        async (told) => (await calls.history(of, told)) ?? [],
      ),
    riceInputs: (query) =>
      guard(
        'riceInputs',
        'riceInputs',
        () => [],
        (told) => calls.riceInputs(query, told),
      ),
    escapes: (query) =>
      guard(
        'escapes',
        'escapes',
        () => [],
        (told) => calls.escapes(query, told),
      ),
    efficacy: (patternId, query) =>
      guard(
        'efficacy',
        'pattern',
        () => null,
        (told) => calls.efficacy(patternId, query, told),
      ),
    advisories: (query) =>
      guard(
        'advisories',
        'advisories',
        () => [],
        (told) => calls.advisories(query, told),
      ),
    adviceFeedback: (advisoryId, verdict) =>
      guard(
        'adviceFeedback',
        'adviceFeedback',
        () => false,
        (told) => calls.adviceFeedback(advisoryId, verdict, told),
      ),
  };
}

function noPages(): PageInfo {
  return { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
}

function emptyPage(withTotalCount: boolean): LessonsPage {
  return { nodes: [], pageInfo: noPages(), totalCount: withTotalCount ? 0 : null };
}
