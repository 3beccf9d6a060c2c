/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A field of a lesson that lessonAggregates can group by. */
export type LessonDimension =
  /** Group by agent: the agent that was at work. */
  | 'AGENT'
  /** Group by attribution: whom it is about. */
  | 'ATTRIBUTION'
  /** Group by lessonType: what went off the happy path. */
  | 'LESSON_TYPE'
  /** Group by repo: the repository it happened in. */
  | 'REPO'
  /** Group by source: who recorded it, a detector or a person. */
  | 'SOURCE'
  /** Group by stage: the pipeline stage it happened at, such as quality_gate. */
  | 'STAGE'
  /** Group by status: its triage status. */
  | 'STATUS'
  /** Group by targetDomain: the improvement axis it touches. */
  | 'TARGET_DOMAIN'
  /** Group by targetRepo: the repository a fix belongs in. */
  | 'TARGET_REPO'
  /** Group by workItemId: the work item it happened in. */
  | 'WORK_ITEM';

/** Which lessons: every list means "any of" (a single value is accepted too; an empty list matches nothing; more than 1000 values is refused with BAD_USER_INPUT), and all given fields must match. */
export type LessonFilter = {
  /** Only lessons whose agent (the agent that was at work) is one of these. */
  agent?: Array<string> | null | undefined;
  /** Only lessons whose attribution (whom it is about) is one of these. */
  attribution?: Array<string> | null | undefined;
  /** Only lessons whose lessonType (what went off the happy path) is one of these. */
  lessonType?: Array<string> | null | undefined;
  /** Only lessons whose pattern's status is one of these (open, closed, regressed, muted). */
  patternStatus?: Array<string> | null | undefined;
  /** Only lessons whose repo (the repository it happened in) is one of these. */
  repo?: Array<string> | null | undefined;
  /** Only lessons created at or after this time (inclusive: createdAt >= since). */
  since?: string | null | undefined;
  /** Only lessons whose source (who recorded it, a detector or a person) is one of these. */
  source?: Array<string> | null | undefined;
  /** Only lessons whose stage (the pipeline stage it happened at, such as quality_gate) is one of these. */
  stage?: Array<string> | null | undefined;
  /** Only lessons whose status (its triage status) is one of these. */
  status?: Array<string> | null | undefined;
  /** Only lessons whose targetDomain (the improvement axis it touches) is one of these. */
  targetDomain?: Array<string> | null | undefined;
  /** Only lessons whose targetRepo (the repository a fix belongs in) is one of these. */
  targetRepo?: Array<string> | null | undefined;
  /** Only lessons whose taskId (the task it happened in) is one of these. */
  taskId?: Array<string> | null | undefined;
  /** Only lessons whose rootCause or suggestion contains this text: case-insensitive, literal (% and _ are not wildcards). */
  text?: string | null | undefined;
  /** Only lessons created before this time (exclusive: createdAt < until). */
  until?: string | null | undefined;
  /** Only lessons whose workItemId (the work item it happened in) is one of these. */
  workItemId?: Array<string> | null | undefined;
};

/** Which patterns: every list means "any of" (a single value is accepted too; an empty list matches nothing; more than 1000 values is refused with BAD_USER_INPUT), and all given fields must match. */
export type PatternFilter = {
  /** Only patterns whose lessonType is one of these. */
  lessonType?: Array<string> | null | undefined;
  /** Only patterns with a lesson in one of these repos. */
  repo?: Array<string> | null | undefined;
  /** Only patterns last seen at or after this time (inclusive: lastSeenAt >= since). */
  since?: string | null | undefined;
  /** Only patterns whose stage is one of these. */
  stage?: Array<string> | null | undefined;
  /** Only patterns whose status is one of these. */
  status?: Array<string> | null | undefined;
  /** Only patterns whose root cause (the title) or suggestion contains this text: case-insensitive, literal. */
  text?: string | null | undefined;
  /** Only patterns last seen before this time (exclusive: lastSeenAt < until). */
  until?: string | null | undefined;
};

/** The order of patterns: all descending, id breaking ties. */
export type PatternOrder =
  /** Most recently first seen first (firstSeenAt). */
  | 'FIRST_SEEN'
  /** Most recently seen first (lastSeenAt). */
  | 'LAST_SEEN'
  /** Most lessons first. */
  | 'LESSONS'
  /** Most occurrences first. */
  | 'OCCURRENCES'
  /** Most distinct work items first. */
  | 'WORK_ITEMS';

/** A lesson to record; only lessonType is required. Text longer than LESSONS_MAX_TEXT_LENGTH (default 16384 UTF-16 code units) is cut and ends with a visible truncation marker. */
export type RecordLessonInput = {
  /** The agent that was at work. */
  agent?: string | null | undefined;
  /** Whom it is about (canonical: platform, project, both, unknown; others are stored as given); blank is stored as null. */
  attribution?: string | null | undefined;
  /** Any JSON value the recorder attached; one larger than LESSONS_MAX_DETAIL_BYTES (default 65536) or nested deeper than 64 levels is replaced by a marker object recording its original size. */
  detail?: unknown;
  /** Its grouping key into a pattern: the caller's own, or by default a hash of the grouping version, lessonType, stage and the normalised rootCause. */
  fingerprint?: string | null | undefined;
  /** What went off the happy path (canonical: gate_failure, merge_hold, transient_retry, deploy_degraded; others are stored as given); required: a blank one is refused (recordLesson returns null). */
  lessonType: string;
  /** When it happened, by the caller's clock (default: now): the lesson's createdAt, which every window, filter, dedup window and aggregate reads, and the time a closed pattern's regression is judged by. More than 5 minutes ahead of the service's clock is taken as now (counted in lessons_input_clamped_total): a skewed clock never loses a lesson. */
  occurredAt?: string | null | undefined;
  /** A task that addresses it. */
  relatedTask?: string | null | undefined;
  /** The repository it happened in; blank is stored as null. */
  repo?: string | null | undefined;
  /** What caused it, in free text. */
  rootCause?: string | null | undefined;
  /** Who recorded it, a detector or a person (canonical: auto, manual; others are stored as given); absent, null or blank means "auto". */
  source?: string | null | undefined;
  /** The pipeline stage it happened at, such as quality_gate. */
  stage?: string | null | undefined;
  /** Its triage status (canonical: new, in_progress, closed, linked; others are stored as given); absent, null or blank means "new". */
  status?: string | null | undefined;
  /** What would prevent it, in free text. */
  suggestion?: string | null | undefined;
  /** The improvement axis it touches (canonical: reliability, quality, economy, features, scale; others are stored as given); blank is stored as null. */
  targetDomain?: string | null | undefined;
  /** The repository a fix belongs in. */
  targetRepo?: string | null | undefined;
  /** The task it happened in. */
  taskId?: string | null | undefined;
  /** The work item it happened in. */
  workItemId?: string | null | undefined;
};

/** What riceInputs can group by. */
export type RiceDimension =
  /** Who the lessons are about. */
  | 'ATTRIBUTION'
  /** What went off the happy path. */
  | 'LESSON_TYPE'
  /** The recurring problem (patternId). */
  | 'PATTERN'
  /** The repo it happened in. */
  | 'REPO'
  /** The pipeline stage. */
  | 'STAGE'
  /** The improvement axis. */
  | 'TARGET_DOMAIN'
  /** The repo a fix would land in. */
  | 'TARGET_REPO';

/** A UTC time bucket of createdAt. */
export type TimeBucket =
  /** One UTC day, from midnight. */
  | 'DAY'
  /** One UTC hour. */
  | 'HOUR'
  /** One UTC week, from Monday midnight. */
  | 'WEEK';

/** The fields to change; absent ones are left alone. A new rootCause moves the lesson to its new root cause's pattern, unless it was recorded with its own fingerprint. Each lesson that changes gets one history event (a field set to the value it has is no change). */
export type UpdateLessonInput = {
  /** Whom it is about (canonical: platform, project, both, unknown; others are stored as given); absent leaves it unchanged, null or blank clears it. */
  attribution?: string | null | undefined;
  /** Change it only if its version is this one (what you saw); otherwise nothing changes, the answer is false and extensions.lessons says version_conflict. One lesson only (updateLesson). */
  expectedVersion?: number | null | undefined;
  /** Why, for the history. */
  reason?: string | null | undefined;
  /** A task that addresses it; absent leaves it unchanged, null clears it. */
  relatedTask?: string | null | undefined;
  /** What caused it, in free text; absent leaves it unchanged, null clears it. */
  rootCause?: string | null | undefined;
  /** Its triage status (canonical: new, in_progress, closed, linked; others are stored as given); absent, null or blank leaves it unchanged (it can't be cleared). */
  status?: string | null | undefined;
  /** What would prevent it, in free text; absent leaves it unchanged, null clears it. */
  suggestion?: string | null | undefined;
  /** The improvement axis it touches (canonical: reliability, quality, economy, features, scale; others are stored as given); absent leaves it unchanged, null or blank clears it. */
  targetDomain?: string | null | undefined;
  /** The repository a fix belongs in; absent leaves it unchanged, null clears it. */
  targetRepo?: string | null | undefined;
};

/** A change of a pattern's lifecycle; absent fields are left alone. */
export type UpdatePatternInput = {
  /** Change it only if its version is this one (what you saw); otherwise nothing changes, the answer is false and extensions.lessons says version_conflict. */
  expectedVersion?: number | null | undefined;
  /** The fix (a commit, a pull request, a task), with status closed or on a closed pattern. */
  fixRef?: string | null | undefined;
  /** When the fix shipped, with status closed or on a closed pattern: default now; may be in the past, never in the future (BAD_USER_INPUT). */
  fixedAt?: string | null | undefined;
  /** Why, for the history (of the pattern and of each lesson it closes). */
  reason?: string | null | undefined;
  /** open (reopen: clears fixedAt and fixRef), closed (a fix shipped: closes its open lessons too) or muted (known noise: never regresses). regressed is the journal's to set. */
  status?: string | null | undefined;
};

export type RecordLessonMutationVariables = Exact<{
  input: RecordLessonInput;
}>;


export type RecordLessonMutation = { recordLesson: { id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null } | null };

export type UpdateLessonMutationVariables = Exact<{
  id: number;
  input: UpdateLessonInput;
}>;


export type UpdateLessonMutation = { updateLesson: boolean };

export type LessonQueryVariables = Exact<{
  id: number;
}>;


export type LessonQuery = { lesson: { id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null } | null };

export type LessonsQueryVariables = Exact<{
  filter?: LessonFilter | null | undefined;
  limit?: number | null | undefined;
}>;


export type LessonsQuery = { lessons: Array<{ id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null }> };

export type LessonsSnapshotQueryVariables = Exact<{
  repo?: string | null | undefined;
}>;


export type LessonsSnapshotQuery = { lessonsSnapshot: { enabled: boolean, total: number | null, open: number | null, recorded24h: number | null, lastRecordedAt: string | null, byType: Array<{ key: string | null, count: number }> | null, byStatus: Array<{ key: string | null, count: number }> | null, byDomain: Array<{ key: string | null, count: number }> | null, byAttribution: Array<{ key: string | null, count: number }> | null } };

export type LessonSlugsQueryVariables = Exact<{ [key: string]: never; }>;


export type LessonSlugsQuery = { lessonSlugs: { lessonTypes: Array<string>, attributions: Array<string>, domains: Array<string>, statuses: Array<string>, sources: Array<string> } };

export type LessonsPageQueryVariables = Exact<{
  filter?: LessonFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  withTotalCount: boolean;
}>;


export type LessonsPageQuery = { lessonsConnection: { totalCount?: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node: { id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null } }> } };

export type LessonAggregatesQueryVariables = Exact<{
  groupBy: Array<LessonDimension> | LessonDimension;
  bucket?: TimeBucket | null | undefined;
  filter?: LessonFilter | null | undefined;
  limit?: number | null | undefined;
}>;


export type LessonAggregatesQuery = { lessonAggregates: Array<{ lessonType: string | null, workItemId: string | null, stage: string | null, agent: string | null, repo: string | null, status: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string | null, bucketStart: string | null, lessons: number, occurrences: number, workItems: number, firstSeenAt: string, lastSeenAt: string }> };

export type PatternFieldsFragment = { id: number, fingerprint: string, lessonType: string, stage: string | null, title: string, status: string, lessons: number, occurrences: number, workItems: number, repos: number, firstSeenAt: string, lastSeenAt: string, suggestion: string | null, fixedAt: string | null, fixRef: string | null, regressedAt: string | null, regressionCount: number, lateOccurrences: number, version: number };

export type PatternsQueryVariables = Exact<{
  filter?: PatternFilter | null | undefined;
  orderBy?: PatternOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PatternsQuery = { patterns: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ node: { id: number, fingerprint: string, lessonType: string, stage: string | null, title: string, status: string, lessons: number, occurrences: number, workItems: number, repos: number, firstSeenAt: string, lastSeenAt: string, suggestion: string | null, fixedAt: string | null, fixRef: string | null, regressedAt: string | null, regressionCount: number, lateOccurrences: number, version: number } }> } };

export type PatternQueryVariables = Exact<{
  id: number;
  lessons?: number | null | undefined;
  withLessons: boolean;
}>;


export type PatternQuery = { pattern: { id: number, fingerprint: string, lessonType: string, stage: string | null, title: string, status: string, lessons: number, occurrences: number, workItems: number, repos: number, firstSeenAt: string, lastSeenAt: string, suggestion: string | null, fixedAt: string | null, fixRef: string | null, regressedAt: string | null, regressionCount: number, lateOccurrences: number, version: number, groupingInfo: { version: number, components: Array<{ name: string, value: string | null, contributes: boolean }> }, lessonsConnection?: { edges: Array<{ node: { id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null } }> } } | null };

export type MergePatternsMutationVariables = Exact<{
  into: number;
  from: Array<number> | number;
  reason?: string | null | undefined;
}>;


export type MergePatternsMutation = { mergePatterns: boolean };

export type UpdatePatternMutationVariables = Exact<{
  id: number;
  input: UpdatePatternInput;
}>;


export type UpdatePatternMutation = { updatePattern: boolean };

export type UpdateLessonsMutationVariables = Exact<{
  ids?: Array<number> | number | null | undefined;
  filter?: LessonFilter | null | undefined;
  input: UpdateLessonInput;
  reason?: string | null | undefined;
  dryRun: boolean;
}>;


export type UpdateLessonsMutation = { updateLessons: { matched: number, updated: number } };

export type HistoryEventFieldsFragment = { at: string, kind: string, actor: string, reason: string | null, version: number, changes: Array<{ field: string, from: string | null, to: string | null }> };

export type LessonHistoryQueryVariables = Exact<{
  id: number;
}>;


export type LessonHistoryQuery = { lesson: { id: number, history: Array<{ at: string, kind: string, actor: string, reason: string | null, version: number, changes: Array<{ field: string, from: string | null, to: string | null }> }> } | null };

export type PatternHistoryQueryVariables = Exact<{
  id: number;
}>;


export type PatternHistoryQuery = { pattern: { id: number, history: Array<{ at: string, kind: string, actor: string, reason: string | null, version: number, changes: Array<{ field: string, from: string | null, to: string | null }> }> } | null };

export type RiceInputsQueryVariables = Exact<{
  groupBy: Array<RiceDimension> | RiceDimension;
  windowDays: number;
  asOf?: string | null | undefined;
  filter?: LessonFilter | null | undefined;
  limit?: number | null | undefined;
}>;


export type RiceInputsQuery = { riceInputs: Array<{ attribution: string | null, targetRepo: string | null, targetDomain: string | null, lessonType: string | null, stage: string | null, repo: string | null, patternId: number | null, reach: number, lessons: number, occurrences: number, frequencyPerDay: number, lastSeenAt: string | null, recencyDays: number | null, repos: number, previousLessons: number, trendRatio: number | null, trendPValue: number | null, unknownAttributionShare: number, confidence: number }> };

export type EscapesQueryVariables = Exact<{
  windowDays: number;
  asOf?: string | null | undefined;
  repo?: string | null | undefined;
}>;


export type EscapesQuery = { escapes: Array<{ repo: string | null, degradedWorkItems: number, escapedWorkItems: number, escapeRate: number }> };

export type PatternEfficacyQueryVariables = Exact<{
  id: number;
  windowDays: number;
  asOf?: string | null | undefined;
}>;


export type PatternEfficacyQuery = { pattern: { id: number, title: string, status: string, efficacy: { fixedAt: string, windowDays: number, before: number, after: number, afterDays: number, rateBefore: number, rateAfter: number, rateRatio: number | null, pValue: number | null, verdict: string } | null } | null };

export type AdvisoriesQueryVariables = Exact<{
  stage: string;
  repo?: string | null | undefined;
  agent?: string | null | undefined;
  workItemId?: string | null | undefined;
  limit: number;
}>;


export type AdvisoriesQuery = { advisories: Array<{ id: string, suggestion: string | null, score: number, why: string, pattern: { id: number, title: string, status: string, lessonType: string, stage: string | null, lessons: number, workItems: number, lastSeenAt: string } }> };

export type AdviceFeedbackMutationVariables = Exact<{
  advisoryId: string | number;
  verdict: string;
}>;


export type AdviceFeedbackMutation = { adviceFeedback: boolean };

export type LessonFieldsFragment = { id: number, lessonType: string, workItemId: string | null, taskId: string | null, stage: string | null, agent: string | null, repo: string | null, rootCause: string | null, suggestion: string | null, status: string, relatedTask: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string, detail: unknown, occurrences: number, lastSeenAt: string, createdAt: string, updatedAt: string, fingerprint: string, recordedAt: string, version: number, closedAt: string | null };

export type LessonGroupFieldsFragment = { lessonType: string | null, workItemId: string | null, stage: string | null, agent: string | null, repo: string | null, status: string | null, attribution: string | null, targetRepo: string | null, targetDomain: string | null, source: string | null, bucketStart: string | null, lessons: number, occurrences: number, workItems: number, firstSeenAt: string, lastSeenAt: string };

export const PatternFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PatternFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pattern"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"repos"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"fixedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fixRef"}},{"kind":"Field","name":{"kind":"Name","value":"regressedAt"}},{"kind":"Field","name":{"kind":"Name","value":"regressionCount"}},{"kind":"Field","name":{"kind":"Name","value":"lateOccurrences"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PatternFieldsFragment, unknown>;
export const HistoryEventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HistoryEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"HistoryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}}]}}]} as unknown as DocumentNode<HistoryEventFieldsFragment, unknown>;
export const LessonFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<LessonFieldsFragment, unknown>;
export const LessonGroupFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonGroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LessonGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"bucketStart"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}}]}}]} as unknown as DocumentNode<LessonGroupFieldsFragment, unknown>;
export const RecordLessonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordLesson"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordLessonInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordLesson"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<RecordLessonMutation, RecordLessonMutationVariables>;
export const UpdateLessonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateLesson"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateLessonInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateLesson"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<UpdateLessonMutation, UpdateLessonMutationVariables>;
export const LessonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Lesson"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lesson"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<LessonQuery, LessonQueryVariables>;
export const LessonsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Lessons"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessons"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<LessonsQuery, LessonsQueryVariables>;
export const LessonsSnapshotDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LessonsSnapshot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"repo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonsSnapshot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"repo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"repo"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"recorded24h"}},{"kind":"Field","name":{"kind":"Name","value":"lastRecordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"byType"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byDomain"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byAttribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<LessonsSnapshotQuery, LessonsSnapshotQueryVariables>;
export const LessonSlugsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LessonSlugs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonSlugs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonTypes"}},{"kind":"Field","name":{"kind":"Name","value":"attributions"}},{"kind":"Field","name":{"kind":"Name","value":"domains"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}},{"kind":"Field","name":{"kind":"Name","value":"sources"}}]}}]}}]} as unknown as DocumentNode<LessonSlugsQuery, LessonSlugsQueryVariables>;
export const LessonsPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LessonsPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"withTotalCount"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonsConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"},"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"withTotalCount"}}}]}]},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<LessonsPageQuery, LessonsPageQueryVariables>;
export const LessonAggregatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LessonAggregates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonDimension"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TimeBucket"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonAggregates"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"bucket"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bucket"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonGroupFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonGroupFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LessonGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"bucketStart"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}}]}}]} as unknown as DocumentNode<LessonAggregatesQuery, LessonAggregatesQueryVariables>;
export const PatternsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Patterns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PatternFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"PatternOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patterns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PatternFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PatternFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pattern"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"repos"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"fixedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fixRef"}},{"kind":"Field","name":{"kind":"Name","value":"regressedAt"}},{"kind":"Field","name":{"kind":"Name","value":"regressionCount"}},{"kind":"Field","name":{"kind":"Name","value":"lateOccurrences"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]} as unknown as DocumentNode<PatternsQuery, PatternsQueryVariables>;
export const PatternDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Pattern"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"lessons"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"withLessons"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PatternFields"}},{"kind":"Field","name":{"kind":"Name","value":"groupingInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"components"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"contributes"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"lessonsConnection"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"lessons"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"withLessons"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LessonFields"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PatternFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Pattern"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"repos"}},{"kind":"Field","name":{"kind":"Name","value":"firstSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"fixedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fixRef"}},{"kind":"Field","name":{"kind":"Name","value":"regressedAt"}},{"kind":"Field","name":{"kind":"Name","value":"regressionCount"}},{"kind":"Field","name":{"kind":"Name","value":"lateOccurrences"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LessonFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Lesson"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"workItemId"}},{"kind":"Field","name":{"kind":"Name","value":"taskId"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"agent"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"rootCause"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"relatedTask"}},{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"recordedAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}}]}}]} as unknown as DocumentNode<PatternQuery, PatternQueryVariables>;
export const MergePatternsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MergePatterns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"into"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mergePatterns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"into"},"value":{"kind":"Variable","name":{"kind":"Name","value":"into"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}]}]}}]} as unknown as DocumentNode<MergePatternsMutation, MergePatternsMutationVariables>;
export const UpdatePatternDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdatePattern"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdatePatternInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updatePattern"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<UpdatePatternMutation, UpdatePatternMutationVariables>;
export const UpdateLessonsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateLessons"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateLessonInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateLessons"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}},{"kind":"Argument","name":{"kind":"Name","value":"dryRun"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dryRun"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"matched"}},{"kind":"Field","name":{"kind":"Name","value":"updated"}}]}}]}}]} as unknown as DocumentNode<UpdateLessonsMutation, UpdateLessonsMutationVariables>;
export const LessonHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LessonHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lesson"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HistoryEventFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HistoryEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"HistoryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}}]}}]} as unknown as DocumentNode<LessonHistoryQuery, LessonHistoryQueryVariables>;
export const PatternHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PatternHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HistoryEventFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HistoryEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"HistoryEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"actor"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"changes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}}]}}]}}]} as unknown as DocumentNode<PatternHistoryQuery, PatternHistoryQueryVariables>;
export const RiceInputsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RiceInputs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RiceDimension"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"LessonFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"riceInputs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"windowDays"},"value":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attribution"}},{"kind":"Field","name":{"kind":"Name","value":"targetRepo"}},{"kind":"Field","name":{"kind":"Name","value":"targetDomain"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"patternId"}},{"kind":"Field","name":{"kind":"Name","value":"reach"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"occurrences"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPerDay"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}},{"kind":"Field","name":{"kind":"Name","value":"recencyDays"}},{"kind":"Field","name":{"kind":"Name","value":"repos"}},{"kind":"Field","name":{"kind":"Name","value":"previousLessons"}},{"kind":"Field","name":{"kind":"Name","value":"trendRatio"}},{"kind":"Field","name":{"kind":"Name","value":"trendPValue"}},{"kind":"Field","name":{"kind":"Name","value":"unknownAttributionShare"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}}]}}]}}]} as unknown as DocumentNode<RiceInputsQuery, RiceInputsQueryVariables>;
export const EscapesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Escapes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"repo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"escapes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"windowDays"},"value":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}},{"kind":"Argument","name":{"kind":"Name","value":"repo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"repo"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repo"}},{"kind":"Field","name":{"kind":"Name","value":"degradedWorkItems"}},{"kind":"Field","name":{"kind":"Name","value":"escapedWorkItems"}},{"kind":"Field","name":{"kind":"Name","value":"escapeRate"}}]}}]}}]} as unknown as DocumentNode<EscapesQuery, EscapesQueryVariables>;
export const PatternEfficacyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PatternEfficacy"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pattern"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"efficacy"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"windowDays"},"value":{"kind":"Variable","name":{"kind":"Name","value":"windowDays"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fixedAt"}},{"kind":"Field","name":{"kind":"Name","value":"windowDays"}},{"kind":"Field","name":{"kind":"Name","value":"before"}},{"kind":"Field","name":{"kind":"Name","value":"after"}},{"kind":"Field","name":{"kind":"Name","value":"afterDays"}},{"kind":"Field","name":{"kind":"Name","value":"rateBefore"}},{"kind":"Field","name":{"kind":"Name","value":"rateAfter"}},{"kind":"Field","name":{"kind":"Name","value":"rateRatio"}},{"kind":"Field","name":{"kind":"Name","value":"pValue"}},{"kind":"Field","name":{"kind":"Name","value":"verdict"}}]}}]}}]}}]} as unknown as DocumentNode<PatternEfficacyQuery, PatternEfficacyQueryVariables>;
export const AdvisoriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Advisories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stage"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"repo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agent"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workItemId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"advisories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stage"}}},{"kind":"Argument","name":{"kind":"Name","value":"repo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"repo"}}},{"kind":"Argument","name":{"kind":"Name","value":"agent"},"value":{"kind":"Variable","name":{"kind":"Name","value":"agent"}}},{"kind":"Argument","name":{"kind":"Name","value":"workItemId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workItemId"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"why"}},{"kind":"Field","name":{"kind":"Name","value":"pattern"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lessonType"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"lessons"}},{"kind":"Field","name":{"kind":"Name","value":"workItems"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeenAt"}}]}}]}}]}}]} as unknown as DocumentNode<AdvisoriesQuery, AdvisoriesQueryVariables>;
export const AdviceFeedbackDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdviceFeedback"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"advisoryId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"verdict"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adviceFeedback"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"advisoryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"advisoryId"}}},{"kind":"Argument","name":{"kind":"Name","value":"verdict"},"value":{"kind":"Variable","name":{"kind":"Name","value":"verdict"}}}]}]}}]} as unknown as DocumentNode<AdviceFeedbackMutation, AdviceFeedbackMutationVariables>;