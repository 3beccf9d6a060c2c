// The one list of a lesson's fields. Everything that enumerates them derives from here:
// the SQL column lists and row decoding, what a record or an update may set, the filter's
// lists, the aggregate dimensions, the GraphQL types, the CLI's options and help, the
// client's documents, the test helpers and the bench. Adding a field is an entry here plus
// the Prisma model (prisma/schema.prisma) and the files commands regenerate from both.
//
// The order is the table's column order (the model's, the journal's own columns left out),
// which a test holds against the migrations.
import type { Slugs } from './slugs.ts';

export type FieldKind = 'int' | 'text' | 'json' | 'timestamp';

export interface FieldSpec {
  /**
   * What the field means, as a lowercase phrase about the lesson ("the work item it happened
   * in"): the one description every GraphQL type derived from this list builds on (Lesson,
   * LessonFilter, RecordLessonInput, UpdateLessonInput, LessonDimension, LessonGroup).
   */
  description: string;
  /** The snake_case column of `lessons`. */
  column: string;
  kind: FieldKind;
  nullable: boolean;
  /** A caller may set it in recordLesson (and the value it gets when absent or blank). */
  record?: { required?: true; default?: string };
  /** A caller may change it in updateLesson (`clearable`: null empties it). */
  update?: { clearable: boolean };
  /** A LessonFilter list ("any of"). */
  filter?: true;
  /** A LessonDimension of lessonAggregates, by its GraphQL enum name. */
  group?: string;
  /** Stored as null when blank (the snapshot's optional dimensions: see lesson_counts). */
  blankAsNull?: true;
  /** The canonical slugs of its values (others are stored as given). */
  slugs?: keyof Slugs;
  /**
   * The SQL that reads it, when not its column alone (read as the column's name): a column
   * null for rows from before it existed reads as what it meant then.
   */
  read?: string;
  /** The CLI's option name, when not the kebab-case of the field's. */
  option?: string;
  /** How the CLI names it to people, when not the option name with spaces. */
  label?: string;
}

export const FIELDS = {
  id: {
    description: 'its id, assigned by the journal',
    column: 'id',
    kind: 'int',
    nullable: false,
  },
  lessonType: {
    description: 'what went off the happy path',
    column: 'lesson_type',
    kind: 'text',
    nullable: false,
    record: { required: true },
    filter: true,
    group: 'LESSON_TYPE',
    slugs: 'lessonTypes',
    option: 'type',
  },
  workItemId: {
    description: 'the work item it happened in',
    column: 'work_item_id',
    kind: 'text',
    nullable: true,
    record: {},
    filter: true,
    group: 'WORK_ITEM',
    option: 'work-item',
  },
  taskId: {
    description: 'the task it happened in',
    column: 'task_id',
    kind: 'text',
    nullable: true,
    record: {},
    filter: true,
    option: 'task',
  },
  stage: {
    description: 'the pipeline stage it happened at, such as quality_gate',
    column: 'stage',
    kind: 'text',
    nullable: true,
    record: {},
    filter: true,
    group: 'STAGE',
  },
  agent: {
    description: 'the agent that was at work',
    column: 'agent',
    kind: 'text',
    nullable: true,
    record: {},
    filter: true,
    group: 'AGENT',
  },
  repo: {
    description: 'the repository it happened in',
    column: 'repo',
    kind: 'text',
    nullable: true,
    record: {},
    filter: true,
    group: 'REPO',
    blankAsNull: true,
  },
  rootCause: {
    description: 'what caused it, in free text',
    column: 'root_cause',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
  },
  suggestion: {
    description: 'what would prevent it, in free text',
    column: 'suggestion',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
  },
  status: {
    description: 'its triage status',
    column: 'status',
    kind: 'text',
    nullable: false,
    record: { default: 'new' },
    update: { clearable: false },
    filter: true,
    group: 'STATUS',
    slugs: 'statuses',
  },
  relatedTask: {
    description: 'a task that addresses it',
    column: 'related_task',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
  },
  attribution: {
    description: 'whom it is about',
    column: 'attribution',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
    filter: true,
    group: 'ATTRIBUTION',
    blankAsNull: true,
    slugs: 'attributions',
  },
  targetRepo: {
    description: 'the repository a fix belongs in',
    column: 'target_repo',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
    filter: true,
    group: 'TARGET_REPO',
  },
  targetDomain: {
    description: 'the improvement axis it touches',
    column: 'target_domain',
    kind: 'text',
    nullable: true,
    record: {},
    update: { clearable: true },
    filter: true,
    group: 'TARGET_DOMAIN',
    blankAsNull: true,
    slugs: 'domains',
  },
  source: {
    description: 'who recorded it, a detector or a person',
    column: 'source',
    kind: 'text',
    nullable: false,
    record: { default: 'auto' },
    filter: true,
    group: 'SOURCE',
    slugs: 'sources',
  },
  detail: {
    description: 'any JSON value the recorder attached',
    column: 'detail',
    kind: 'json',
    nullable: true,
    record: {},
  },
  occurrences: {
    description: 'how many times it happened: 1, plus one per deduplicated repeat',
    column: 'occurrences',
    kind: 'int',
    nullable: false,
  },
  lastSeenAt: {
    description:
      'when it last happened: its createdAt, or the time of its latest deduplicated repeat',
    column: 'last_seen_at',
    kind: 'timestamp',
    nullable: false,
    label: 'last seen',
  },
  createdAt: {
    description:
      "when it happened: the recorder's occurredAt, else when it was recorded; the filters since and until, the newest-first order, the dedup window and every aggregate read it",
    column: 'created_at',
    kind: 'timestamp',
    nullable: false,
    label: 'created',
  },
  updatedAt: {
    description: 'when it was recorded or last changed (a deduplicated repeat leaves it)',
    column: 'updated_at',
    kind: 'timestamp',
    nullable: false,
    label: 'updated',
  },
  // The grouping key: the caller's own, or computed from lessonType, stage and the
  // normalised rootCause (fingerprint.ts). Never null once the journal has opened.
  fingerprint: {
    description:
      "its grouping key into a pattern: the caller's own, or by default a hash of the grouping version, lessonType, stage and the normalised rootCause",
    column: 'fingerprint',
    kind: 'text',
    nullable: false,
    record: {},
  },
  recordedAt: {
    description:
      'when the service received it (createdAt is when it happened); a lesson recorded before the lifecycle existed arrived when it happened',
    column: 'recorded_at',
    kind: 'timestamp',
    nullable: false,
    read: 'COALESCE(recorded_at, created_at)',
    label: 'recorded',
  },
  version: {
    description:
      'one more with each change (each history event), from 1 when recorded; a deduplicated repeat is not a change',
    column: 'version',
    kind: 'int',
    nullable: false,
  },
  closedAt: {
    description: 'when its status last became closed; null while it is not closed',
    column: 'closed_at',
    kind: 'timestamp',
    nullable: true,
    label: 'closed',
  },
} as const satisfies Record<string, FieldSpec>;

type Fields = typeof FIELDS;
export type FieldName = keyof Fields;

/** The fields whose spec has property P (e.g. `'filter'`). */
type With<P extends keyof FieldSpec> = {
  [K in FieldName]: Fields[K] extends Record<P, unknown> ? K : never;
}[FieldName];

export type RecordableField = With<'record'>;
export type UpdatableField = With<'update'>;
export type FilterField = With<'filter'>;
export type GroupField = With<'group'>;

const names = Object.keys(FIELDS) as FieldName[];
const where = <K extends FieldName>(test: (spec: FieldSpec) => boolean) =>
  names.filter((name) => test(FIELDS[name])) as K[];

export const FIELD_NAMES: readonly FieldName[] = names;
export const RECORDABLE = where<RecordableField>((f) => f.record !== undefined);
export const UPDATABLE = where<UpdatableField>((f) => f.update !== undefined);
export const FILTERABLE = where<FilterField>((f) => f.filter === true);
export const DIMENSIONS = where<GroupField>((f) => f.group !== undefined);
/** Text fields a caller sets (cleaned and capped alike). */
export const TEXT_INPUTS = RECORDABLE.filter((name) => FIELDS[name].kind === 'text') as Exclude<
  RecordableField,
  'detail'
>[];
export const BLANK_AS_NULL = where<RecordableField>((f) => f.blankAsNull === true);

export const spec = (name: FieldName): FieldSpec => FIELDS[name];
export const columnOf = (name: FieldName): string => FIELDS[name].column;
/** Every column of a lesson's fields, in table order. */
export const COLUMNS: readonly string[] = names.map(columnOf);
/**
 * The columns the journal keeps and no caller sets or reads as a lesson field: pattern_id,
 * set by the rollup trigger (a lesson's pattern is read through Lesson.pattern), and
 * recorded_by, its recorder (read as its `recorded` history event, history.ts).
 */
export const MANAGED_COLUMNS: readonly string[] = ['pattern_id', 'recorded_by'];

/** The CLI's option for a field: `--work-item`, `--target-domain`, `--type`. */
export function optionOf(name: FieldName): string {
  const field: FieldSpec = FIELDS[name];
  return field.option ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** How the CLI names a field to people: `work item`, `created`. */
export function labelOf(name: FieldName): string {
  const field: FieldSpec = FIELDS[name];
  return field.label ?? optionOf(name).replaceAll('-', ' ');
}
