// The Lesson type, its inputs (all from the field registry) and the operations on lessons: lessons, lesson, recordLesson,
// updateLesson. Each resolver is one call into the journal, which never throws.

import { FIELD_NAMES, FILTERABLE, RECORDABLE, spec, UPDATABLE } from '../journal/fields.ts';
import type { LessonSelection, LessonUpdate, RecordInput } from '../journal/index.ts';
import { JOURNAL_DEFAULTS } from '../settings.ts';
import { builder } from './builder.ts';
import { answered, callOf } from './call.ts';
import {
  filterFieldDoc,
  LIMIT_RULE,
  lessonFieldDoc,
  NEEDS,
  recordFieldDoc,
  updateFieldDoc,
} from './docs.ts';
import { MAX_LIST_VALUES } from './list-caps.ts';

/** The GraphQL scalar of each kind of field. */
const SCALAR = { int: 'Int', text: 'String', json: 'JSON', timestamp: 'DateTime' } as const;

export const LessonRef = builder.prismaObject('Lesson', {
  description:
    'One lesson: an incident where the orchestrator left its happy path. Repeats of an auto record within the dedup window fold into its occurrences instead of new lessons.',
  // Select mode: a query reads only the columns its selection needs (`lessons { id }`
  // never reads `detail`).
  select: { id: true },
  fields: (t) => {
    // One loop over the registry: Pothos can't type a field name chosen at run time.
    const expose = t.expose.bind(t) as (
      name: string,
      options: object,
    ) => ReturnType<typeof t.expose>;
    return Object.fromEntries(
      FIELD_NAMES.map((name) => [
        name,
        expose(name, {
          type: SCALAR[spec(name).kind],
          nullable: spec(name).nullable,
          description: lessonFieldDoc(name),
        }),
      ]),
    );
  },
});

/** One connection type for every list of lessons (the journal's, a pattern's). */
export const LessonConnection = builder.connectionObject(
  {
    type: LessonRef,
    name: 'LessonConnection',
    description: 'A page of lessons (Relay), newest first (createdAt desc, then id desc).',
    fields: (t) => ({
      totalCount: t.int({
        description:
          'How many lessons the whole walk matches, the same on every page; 0 with the journal off or on a fault.',
        // Pothos hands the connection's count as a value or a function that loads it.
        resolve: (connection) => {
          const { totalCount } = connection as {
            totalCount?: number | (() => number | Promise<number>);
          };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'LessonEdge', description: 'One lesson of a page, with its cursor.' },
);

const anyOf = { required: { list: false, items: true } } as const;

export const LessonFilterInput = builder.inputType('LessonFilter', {
  description: `Which lessons: every list means "any of" (a single value is accepted too; an empty list matches nothing; more than ${MAX_LIST_VALUES} values is refused with BAD_USER_INPUT), and all given fields must match.`,
  fields: (t) => ({
    ...Object.fromEntries(
      FILTERABLE.map((name) => [
        name,
        t.stringList({ ...anyOf, description: filterFieldDoc(name) }),
      ]),
    ),
    since: t.field({
      type: 'DateTime',
      description: 'Only lessons created at or after this time (inclusive: createdAt >= since).',
    }),
    until: t.field({
      type: 'DateTime',
      description: 'Only lessons created before this time (exclusive: createdAt < until).',
    }),
    text: t.string({
      description:
        'Only lessons whose rootCause or suggestion contains this text: case-insensitive, literal (% and _ are not wildcards).',
    }),
    patternStatus: t.stringList({
      ...anyOf,
      description:
        "Only lessons whose pattern's status is one of these (open, closed, regressed, muted).",
    }),
  }),
});

const RecordLessonInput = builder.inputType('RecordLessonInput', {
  description: `A lesson to record; only lessonType is required. Text longer than LESSONS_MAX_TEXT_LENGTH (default ${JOURNAL_DEFAULTS.maxTextLength} UTF-16 code units) is cut and ends with a visible truncation marker.`,
  fields: (t) => ({
    ...Object.fromEntries(
      RECORDABLE.map((name) => {
        const { kind, record } = spec(name);
        const description = recordFieldDoc(name);
        if (kind === 'json') return [name, t.field({ type: 'JSON', description })];
        if (record?.required) return [name, t.string({ required: true, description })];
        return [
          name,
          t.string(
            record?.default ? { defaultValue: record.default, description } : { description },
          ),
        ];
      }),
    ),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        "When it happened, by the caller's clock (default: now): the lesson's createdAt, which every window, filter, dedup window and aggregate reads, and the time a closed pattern's regression is judged by. More than 5 minutes ahead of the service's clock is taken as now (counted in lessons_input_clamped_total): a skewed clock never loses a lesson.",
    }),
  }),
});

export const UpdateLessonInput = builder.inputType('UpdateLessonInput', {
  description:
    "The fields to change; absent ones are left alone. A new rootCause moves the lesson to its new root cause's pattern, unless it was recorded with its own fingerprint. Each lesson that changes gets one history event (a field set to the value it has is no change).",
  fields: (t) => ({
    ...Object.fromEntries(
      UPDATABLE.map((name) => [name, t.string({ description: updateFieldDoc(name) })]),
    ),
    expectedVersion: t.int({
      description:
        'Change it only if its version is this one (what you saw); otherwise nothing changes, the answer is false and extensions.lessons says version_conflict. One lesson only (updateLesson).',
    }),
    reason: t.string({ description: 'Why, for the history.' }),
  }),
});

const BulkResultRef = builder
  .objectRef<{ matched: number; updated: number }>('BulkResult')
  .implement({
    description: 'What a bulk update matched and changed.',
    fields: (t) => ({
      matched: t.exposeInt('matched', { description: 'How many lessons it names.' }),
      updated: t.exposeInt('updated', {
        description:
          'How many of them changed (each with its history event); with dryRun, how many would.',
      }),
    }),
  });

builder.queryFields((t) => ({
  lessons: t.prismaField({
    authScopes: { reader: true },
    type: ['Lesson'],
    description: `Lessons matching the filter, newest first (createdAt desc, then id desc); [] with the journal off or on a fault. ${NEEDS.reader}`,
    args: {
      filter: t.arg({ type: LessonFilterInput, description: 'Which lessons; absent: all.' }),
      limit: t.arg.int({ description: `How many lessons at most: ${LIMIT_RULE}.` }),
    },
    resolve: (query, _root, args, ctx, info) =>
      answered(ctx, info, (call) => ctx.journal.list(args.filter, args.limit, query, call)),
  }),
  lessonsConnection: t.prismaConnection(
    {
      authScopes: { reader: true },
      type: 'Lesson',
      cursor: 'id',
      description: `Lessons matching the filter, page by page (Relay cursors), in the order of lessons; a forward walk sees every lesson that existed when it began exactly once. An empty connection with the journal off or on a fault. ${NEEDS.reader}`,
      args: {
        filter: t.arg({ type: LessonFilterInput, description: 'Which lessons; absent: all.' }),
      },
      defaultSize: (_args, ctx) => ctx.journal.limits().defaultSize,
      maxSize: (_args, ctx) => ctx.journal.limits().maxSize,
      // The planned query carries the node selection too (select mode), untyped here.
      resolve: (query, _root, args, ctx, info) =>
        answered(ctx, info, (call) =>
          ctx.journal.page(args.filter, query, query as LessonSelection, call),
        ),
      // Counted only when the field is asked for: one COUNT over the filter.
      totalCount: (_connection, args, ctx, info) =>
        ctx.journal.count(args.filter, callOf(ctx, info, 'totalCount')),
    },
    LessonConnection,
  ),
  lesson: t.prismaField({
    authScopes: { reader: true },
    type: 'Lesson',
    nullable: true,
    description: `One lesson; null when there is none, and with the journal off or on a fault. ${NEEDS.reader}`,
    args: { id: t.arg.int({ required: true, description: "The lesson's id." }) },
    resolve: (query, _root, args, ctx, info) => ctx.journal.get(args.id, query, callOf(ctx, info)),
  }),
}));

builder.mutationFields((t) => ({
  recordLesson: t.prismaField({
    authScopes: { writer: true },
    type: 'Lesson',
    nullable: true,
    description: `Records a lesson and returns it. Returns null when it is deduplicated (an earlier auto lesson with the same workItemId, lessonType and stage, created within the last LESSONS_DEDUP_WINDOW_S seconds, gets one more occurrence instead), when lessonType is blank, when the journal is off, or on a fault; the response's extensions.lessons.<response key> says which (outcome recorded, deduped, rejected, off or fault, with the lesson's id or the reason). ${NEEDS.writer}`,
    args: {
      input: t.arg({
        type: RecordLessonInput,
        required: true,
        description: 'The lesson; source "manual" is never deduplicated.',
      }),
    },
    // The journal returns the whole new row, which covers any selection; what it decided
    // goes to the request's slot under this field's response key (extensions.lessons).
    resolve: (_query, _root, args, ctx, info) =>
      ctx.journal.record(args.input as RecordInput, callOf(ctx, info)),
  }),
  updateLesson: t.boolean({
    authScopes: { admin: true },
    description: `Re-classifies or re-statuses one lesson, stamps its updatedAt and appends one history event (none when every given field already has its value). True iff the lesson exists and now has the given values; false for an unknown id, an input with nothing to change, a stale expectedVersion (extensions.lessons: version_conflict), and with the journal off or on a fault. ${NEEDS.admin}`,
    args: {
      id: t.arg.int({ required: true, description: "The lesson's id." }),
      input: t.arg({ type: UpdateLessonInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.journal.update(args.id, args.input as LessonUpdate, callOf(ctx, info)),
  }),
  updateLessons: t.field({
    authScopes: { admin: true },
    type: BulkResultRef,
    description: `Updates many lessons at once, all or nothing (one transaction), each changed lesson with its history event. Name them by exactly one of ids and filter (both or neither: BAD_USER_INPUT). More than LESSONS_BULK_MAX (default ${JOURNAL_DEFAULTS.bulkMax}) matching lessons is refused with BAD_USER_INPUT saying how many matched: never a silent cap. With dryRun, counts and changes nothing. {matched: 0, updated: 0} with the journal off or on a fault. ${NEEDS.admin}`,
    args: {
      ids: t.arg.intList({ description: `The lessons' ids (at most ${MAX_LIST_VALUES}).` }),
      filter: t.arg({
        type: LessonFilterInput,
        description: 'Which lessons (as lessons takes it).',
      }),
      input: t.arg({ type: UpdateLessonInput, required: true, description: 'What to change.' }),
      reason: t.arg.string({ description: "Why, for each lesson's history (else input.reason)." }),
      dryRun: t.arg.boolean({
        defaultValue: false,
        required: true,
        description: 'Count what it would match and change, and change nothing.',
      }),
    },
    resolve: (_root, args, ctx, info) =>
      answered(ctx, info, (call) =>
        ctx.journal.updateMany(
          { ids: args.ids, filter: args.filter },
          { ...(args.input as LessonUpdate), reason: args.reason ?? args.input.reason },
          args.dryRun,
          call,
        ),
      ),
  }),
}));
