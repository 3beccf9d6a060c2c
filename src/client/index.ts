// `lessons-journal/client`: what another project imports. The never-raise client, the
// types of what it sends and returns (from schema.graphql), and the canonical slugs,
// re-exported from the one module that defines them (src/journal/slugs.ts).

export {
  Attribution,
  Domain,
  LessonType,
  OPEN_STATUSES,
  SLUGS,
  Source,
  Status,
} from '../journal/slugs.ts';
export type {
  AggregatesQuery,
  BulkResult,
  BulkTarget,
  GroupingInfo,
  HistoryEvent,
  HistoryOf,
  Lesson,
  LessonDimension,
  LessonGroup,
  LessonsFilter,
  LessonsPage,
  ListQuery,
  Outcome,
  PageInfo,
  PageQuery,
  Pattern,
  PatternDetails,
  PatternOrder,
  PatternQuery,
  PatternsFilter,
  PatternsPage,
  PatternsQuery,
  RecordLessonInput,
  SnapshotData,
  TimeBucket,
  UpdateLessonInput,
  UpdatePatternInput,
} from './calls.ts';
export {
  type ClientLogger,
  createLessonsClient,
  type LessonsClient,
  type LessonsClientOptions,
  type Snapshot,
} from './client.ts';
export { DEFAULT_TIMEOUT_MS } from './transport.ts';
