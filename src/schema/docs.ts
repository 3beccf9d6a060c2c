// The descriptions of the GraphQL types derived from the field registry (Lesson,
// LessonFilter, RecordLessonInput, UpdateLessonInput, LessonDimension, LessonGroup,
// LessonSlugs): each is the field's one registry description (fields.ts) in the words of
// its place, plus what the registry says of it (required, default, clearable, slugs), so
// a field is still described once. Other descriptions of the schema stand where each type
// is declared; what several share (roles, page limits) is spelled out here once.
import { FIELD_NAMES, type FieldName, spec } from '../journal/fields.ts';
import { SLUGS, type Slugs } from '../journal/slugs.ts';
import { JOURNAL_DEFAULTS } from '../settings.ts';

/** The roles a root field needs (see src/server/auth.ts; an admin may do anything). */
export const NEEDS = {
  any: 'Any role (writer, reader or admin).',
  reader: 'Needs a reader or admin token.',
  writer: 'Needs a writer or admin token.',
  admin: 'Needs an admin token.',
} as const;

const { queryLimitDefault, queryLimitMax } = JOURNAL_DEFAULTS;

/** The rule of every `limit` (read.ts clampLimit), with the settings' defaults. */
export const LIMIT_RULE = `LESSONS_QUERY_LIMIT_DEFAULT (default ${queryLimitDefault}) when absent, otherwise clamped to 1..LESSONS_QUERY_LIMIT_MAX (default ${queryLimitMax})`;

/** The rule of a connection's `first` and `last` (Pothos: the same settings, no floor). */
export const PAGE_RULE = `LESSONS_QUERY_LIMIT_DEFAULT (default ${queryLimitDefault}) when absent, at most LESSONS_QUERY_LIMIT_MAX (default ${queryLimitMax}); a negative one is an error`;

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const about = (name: FieldName) => spec(name).description;

/** `(canonical: a, b; others are stored as given)` for a field with canonical slugs. */
function canonical(name: FieldName): string {
  const slugs = spec(name).slugs;
  return slugs ? ` (canonical: ${SLUGS[slugs].join(', ')}; others are stored as given)` : '';
}

/** Lesson.<name>: what it is, its canonical slugs, and what a null means. */
export function lessonFieldDoc(name: FieldName): string {
  const { nullable, update } = spec(name);
  const none = nullable ? `; null when not given${update?.clearable ? ' or cleared' : ''}` : '';
  return `${capital(about(name))}${canonical(name)}${none}.`;
}

/** LessonFilter.<name>: an "any of" list of the field's values. */
export function filterFieldDoc(name: FieldName): string {
  return `Only lessons whose ${name} (${about(name)}) is one of these.`;
}

/** RecordLessonInput.<name>: what it is, and what an absent or blank value becomes. */
export function recordFieldDoc(name: FieldName): string {
  const { record, blankAsNull, kind } = spec(name);
  const what = `${capital(about(name))}${canonical(name)}`;
  if (record?.required)
    return `${what}; required: a blank one is refused (recordLesson returns null).`;
  if (record?.default) return `${what}; absent, null or blank means "${record.default}".`;
  if (kind === 'json') {
    return `${what}; one larger than LESSONS_MAX_DETAIL_BYTES (default ${JOURNAL_DEFAULTS.maxDetailBytes}) or nested deeper than 64 levels is replaced by a marker object recording its original size.`;
  }
  return `${what}${blankAsNull ? '; blank is stored as null' : ''}.`;
}

/** UpdateLessonInput.<name>: what it is, and what absent, null and blank do. */
export function updateFieldDoc(name: FieldName): string {
  const { update, blankAsNull } = spec(name);
  const what = `${capital(about(name))}${canonical(name)}`;
  if (!update?.clearable) {
    return `${what}; absent, null or blank leaves it unchanged (it can't be cleared).`;
  }
  return `${what}; absent leaves it unchanged, null${blankAsNull ? ' or blank' : ''} clears it.`;
}

/** LessonDimension.<GROUP>: grouping by the field. */
export function dimensionDoc(name: FieldName): string {
  return `Group by ${name}: ${about(name)}.`;
}

/** LessonGroup.<name>: the group's value of a dimension. */
export function groupFieldDoc(name: FieldName): string {
  return `The group's ${name} (${about(name)}); null unless grouped by ${spec(name).group}.`;
}

/** LessonSlugs.<key>: the canonical values of the field whose slugs they are. */
export function slugsDoc(key: keyof Slugs): string {
  const name = FIELD_NAMES.find((field) => spec(field).slugs === key);
  const what = name ? ` of Lesson.${name} (${about(name)})` : '';
  return `The canonical values${what}.`;
}

/** The counters a group of lessons (LessonGroup) and a pattern both carry, described once. */
export const COUNTER_DOCS = {
  lessons: 'How many lessons (rows) it has.',
  workItems: 'How many distinct work items its lessons have (nulls not counted).',
  firstSeenAt: 'The earliest createdAt of its lessons.',
  lastSeenAt: 'The latest lastSeenAt of its lessons.',
} as const;
