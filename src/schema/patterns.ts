// Patterns: the recurring problems behind lessons (src/journal/patterns.ts), their
// connection, a pattern's lessons, series and grouping, and merging. Each resolver is one
// call into the journal, which never throws; a lesson's pattern is loaded for a whole
// result at once (one statement per list, not one per lesson).

import { resolveCursorConnection } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import {
  groupingInfo,
  type LessonSelection,
  MAX_SERIES_POINTS,
  type Pattern,
  type PatternOrder,
  parsePatternCursor,
  patternCursor,
  type SeriesPoint,
  seriesBuckets,
} from '../journal/index.ts';
import { TimeBucket } from './aggregates.ts';
import { batched } from './batch.ts';
import { builder } from './builder.ts';
import { answered, callOf } from './call.ts';
import { COUNTER_DOCS, NEEDS } from './docs.ts';
import { LessonConnection } from './lesson.ts';
import { MAX_LIST_VALUES } from './list-caps.ts';

const PatternOrderEnum = builder.enumType('PatternOrder', {
  description: 'The order of patterns: all descending, id breaking ties.',
  values: {
    LAST_SEEN: { value: 'LAST_SEEN', description: 'Most recently seen first (lastSeenAt).' },
    FIRST_SEEN: {
      value: 'FIRST_SEEN',
      description: 'Most recently first seen first (firstSeenAt).',
    },
    OCCURRENCES: { value: 'OCCURRENCES', description: 'Most occurrences first.' },
    LESSONS: { value: 'LESSONS', description: 'Most lessons first.' },
    WORK_ITEMS: { value: 'WORK_ITEMS', description: 'Most distinct work items first.' },
  } as const,
});

const GroupingComponentRef = builder
  .objectRef<{ name: string; value: string | null; contributes: boolean }>('GroupingComponent')
  .implement({
    description: 'One input of a fingerprint.',
    fields: (t) => ({
      name: t.exposeString('name', {
        description:
          "Which input: version, lessonType, stage, rootCause (normalised), or fingerprint for a caller's own.",
      }),
      value: t.exposeString('value', {
        nullable: true,
        description: 'Its value (a rootCause as normalised); null when absent.',
      }),
      contributes: t.exposeBoolean('contributes', {
        description:
          "Whether it went into the fingerprint: false for an absent part, and for every part but a caller's own fingerprint.",
      }),
    }),
  });

const GroupingInfoRef = builder
  .objectRef<ReturnType<typeof groupingInfo>>('GroupingInfo')
  .implement({
    description:
      'Why these lessons group: the components of the fingerprint (a caller-given fingerprint alone, when it was given).',
    fields: (t) => ({
      version: t.exposeInt('version', { description: 'The version of the grouping rules.' }),
      components: t.field({
        type: [GroupingComponentRef],
        description: 'The inputs, in the order they are hashed.',
        resolve: (info) => info.components,
      }),
    }),
  });

const SeriesPointRef = builder.objectRef<SeriesPoint>('SeriesPoint').implement({
  description: "One UTC bucket of a pattern's series.",
  fields: (t) => ({
    bucketStart: t.expose('bucketStart', {
      type: 'DateTime',
      description: 'The start of the bucket.',
    }),
    lessons: t.exposeInt('lessons', {
      description: 'How many of its lessons were created in the bucket (0 when none).',
    }),
    occurrences: t.exposeInt('occurrences', {
      description: "The sum of those lessons' occurrences.",
    }),
  }),
});

export const PatternRef = builder.objectRef<Pattern>('Pattern');

PatternRef.implement({
  description:
    'A recurring problem: the lessons of one fingerprint across work items and repos, with exact counters.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Its id.' }),
    fingerprint: t.exposeString('fingerprint', {
      description: 'The fingerprint its lessons share.',
    }),
    lessonType: t.exposeString('lessonType', { description: 'The lessonType of its lessons.' }),
    stage: t.exposeString('stage', {
      nullable: true,
      description: 'The stage of its lessons; null when they have none.',
    }),
    title: t.exposeString('title', {
      description: 'The root cause of its first lesson, or its type and stage when that had none.',
    }),
    status: t.exposeString('status', {
      description: 'Its triage status: open, closed, regressed or muted; a new pattern is open.',
    }),
    lessons: t.exposeInt('lessons', { description: COUNTER_DOCS.lessons }),
    occurrences: t.exposeInt('occurrences', {
      description: "The sum of its lessons' occurrences (deduplicated repeats included).",
    }),
    workItems: t.exposeInt('workItems', {
      description: COUNTER_DOCS.workItems,
    }),
    repos: t.exposeInt('repos', {
      description: 'How many distinct repos its lessons have (nulls not counted).',
    }),
    firstSeenAt: t.expose('firstSeenAt', {
      type: 'DateTime',
      description: COUNTER_DOCS.firstSeenAt,
    }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      description: COUNTER_DOCS.lastSeenAt,
    }),
    suggestion: t.exposeString('suggestion', {
      nullable: true,
      description: 'The suggestion of its newest lesson that has one; null when none has.',
    }),
    fixedAt: t.expose('fixedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When its fix shipped (set by closing it); null while it has none. An occurrence at least LESSONS_REGRESSION_GRACE_S later regresses a closed pattern.',
    }),
    fixRef: t.exposeString('fixRef', {
      nullable: true,
      description: 'Its fix: a commit, a pull request or a task; null while it has none.',
    }),
    regressedAt: t.expose('regressedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'The occurrence time of its latest regression; null if it never regressed.',
    }),
    regressionCount: t.exposeInt('regressionCount', {
      description: 'How many times it came back after a fix (one per recurrence).',
    }),
    lateOccurrences: t.exposeInt('lateOccurrences', {
      description:
        'Occurrences while it was closed that were dated before fixedAt + LESSONS_REGRESSION_GRACE_S (lagged events): counted, never a regression.',
    }),
    version: t.exposeInt('version', {
      description:
        'One more with each change (each history event), from 1; pass it as expectedVersion to change only what you saw.',
    }),
    groupingInfo: t.field({
      type: GroupingInfoRef,
      description: 'Why its lessons group together.',
      resolve: (pattern) => groupingInfo(pattern),
    }),
    series: t.field({
      type: [SeriesPointRef],
      description: `Lessons and occurrences per whole UTC bucket of createdAt, from the one holding since to the one before until, zero-filled; [] with the journal off or on a fault. More than ${MAX_SERIES_POINTS} points is an error.`,
      args: {
        bucket: t.arg({
          type: TimeBucket,
          defaultValue: 'day',
          required: true,
          description: 'The size of a bucket.',
        }),
        since: t.arg({
          type: 'DateTime',
          required: true,
          description: 'The series starts with the bucket holding this time (inclusive).',
        }),
        until: t.arg({
          type: 'DateTime',
          description:
            'The series ends with the bucket holding the instant before this time (exclusive); absent: now.',
        }),
      },
      resolve: (pattern, args, ctx, info) => {
        const until = args.until ?? new Date();
        if (seriesBuckets(args.bucket, args.since, until).length > MAX_SERIES_POINTS) {
          throw createGraphQLError(
            `a series has at most ${MAX_SERIES_POINTS} points: narrow since..until or use a larger bucket`,
            { extensions: { code: 'BAD_USER_INPUT' } },
          );
        }
        return ctx.journal.series(pattern.id, args.bucket, args.since, until, callOf(ctx, info));
      },
    }),
    lessonsConnection: t.prismaConnection(
      {
        type: 'Lesson',
        cursor: 'id',
        description:
          'Its lessons, page by page (Relay cursors), newest first; an empty connection with the journal off or on a fault.',
        defaultSize: (_args, ctx) => ctx.journal.limits().defaultSize,
        maxSize: (_args, ctx) => ctx.journal.limits().maxSize,
        resolve: (query, pattern, _args, ctx, info) =>
          answered(ctx, info, (call) =>
            ctx.journal.page({ patternId: pattern.id }, query, query as LessonSelection, call),
          ),
        totalCount: (pattern) => pattern.lessons,
      },
      LessonConnection,
    ),
  }),
});

builder.prismaObjectField('Lesson', 'pattern', (t) =>
  t.field({
    type: PatternRef,
    nullable: true,
    description: 'The pattern it belongs to; null with the journal off or on a fault.',
    resolve: (lesson, _args, ctx, info) =>
      batched<Pattern | null>(
        ctx,
        'patternsOfLessons',
        (ids, call) => ctx.journal.patternsOfLessons(ids, call),
        null,
      )(lesson.id, callOf(ctx, info)),
  }),
);

const PatternFilterInput = builder.inputType('PatternFilter', {
  description: `Which patterns: every list means "any of" (a single value is accepted too; an empty list matches nothing; more than ${MAX_LIST_VALUES} values is refused with BAD_USER_INPUT), and all given fields must match.`,
  fields: (t) => ({
    lessonType: t.stringList({
      required: { list: false, items: true },
      description: 'Only patterns whose lessonType is one of these.',
    }),
    stage: t.stringList({
      required: { list: false, items: true },
      description: 'Only patterns whose stage is one of these.',
    }),
    status: t.stringList({
      required: { list: false, items: true },
      description: 'Only patterns whose status is one of these.',
    }),
    repo: t.stringList({
      required: { list: false, items: true },
      description: 'Only patterns with a lesson in one of these repos.',
    }),
    since: t.field({
      type: 'DateTime',
      description:
        'Only patterns last seen at or after this time (inclusive: lastSeenAt >= since).',
    }),
    until: t.field({
      type: 'DateTime',
      description: 'Only patterns last seen before this time (exclusive: lastSeenAt < until).',
    }),
    text: t.string({
      description:
        'Only patterns whose root cause (the title) or suggestion contains this text: case-insensitive, literal.',
    }),
  }),
});

/** A cursor of this order, or a clear refusal. */
function position(order: PatternOrder, cursor: string | undefined) {
  if (cursor === undefined) return null;
  const parsed = parsePatternCursor(order, cursor);
  if (!parsed) {
    throw createGraphQLError('not a cursor of this orderBy', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return parsed;
}

builder.queryFields((t) => ({
  patterns: t.connection(
    {
      authScopes: { reader: true },
      type: PatternRef,
      description: `Patterns (recurring problems) matching the filter, page by page (Relay cursors); merged patterns are left out. An empty connection with the journal off or on a fault. ${NEEDS.reader}`,
      args: {
        filter: t.arg({ type: PatternFilterInput, description: 'Which patterns; absent: all.' }),
        orderBy: t.arg({
          type: PatternOrderEnum,
          defaultValue: 'LAST_SEEN',
          required: true,
          description: 'The order; a cursor is valid only with the orderBy it came from.',
        }),
      },
      resolve: async (_root, args, ctx, info) => {
        const order = args.orderBy;
        const { defaultSize, maxSize } = ctx.journal.limits();
        const page = await resolveCursorConnection<Promise<Pattern[]>>(
          {
            args,
            defaultSize,
            maxSize,
            toCursor: (pattern: Pattern) => patternCursor(order, pattern),
          },
          ({ after, before, limit, inverted }) =>
            ctx.journal.patterns(
              args.filter,
              {
                order,
                limit,
                after: position(order, inverted ? before : after),
                backward: inverted,
              },
              callOf(ctx, info),
            ),
        );
        // An empty page has no cursors (null, as lessonsConnection says), not "".
        const { startCursor, endCursor } = page.pageInfo;
        return {
          ...page,
          pageInfo: {
            ...page.pageInfo,
            startCursor: startCursor || null,
            endCursor: endCursor || null,
          },
        };
      },
    },
    {
      name: 'PatternConnection',
      description: 'A page of patterns (Relay), in the orderBy asked for.',
    },
    { name: 'PatternEdge', description: 'One pattern of a page, with its cursor.' },
  ),
  pattern: t.field({
    authScopes: { reader: true },
    type: PatternRef,
    nullable: true,
    description: `One pattern; a merged one answers with the pattern it was merged into. Null when there is none, and with the journal off or on a fault. ${NEEDS.reader}`,
    args: { id: t.arg.int({ required: true, description: "The pattern's id." }) },
    resolve: (_root, args, ctx, info) => ctx.journal.pattern(args.id, callOf(ctx, info)),
  }),
}));

const UpdatePatternInput = builder.inputType('UpdatePatternInput', {
  description: "A change of a pattern's lifecycle; absent fields are left alone.",
  fields: (t) => ({
    status: t.string({
      description:
        "open (reopen: clears fixedAt and fixRef), closed (a fix shipped: closes its open lessons too) or muted (known noise: never regresses). regressed is the journal's to set.",
    }),
    fixedAt: t.field({
      type: 'DateTime',
      description:
        'When the fix shipped, with status closed or on a closed pattern: default now; may be in the past, never in the future (BAD_USER_INPUT).',
    }),
    fixRef: t.string({
      description:
        'The fix (a commit, a pull request, a task), with status closed or on a closed pattern.',
    }),
    reason: t.string({
      description: 'Why, for the history (of the pattern and of each lesson it closes).',
    }),
    expectedVersion: t.int({
      description:
        'Change it only if its version is this one (what you saw); otherwise nothing changes, the answer is false and extensions.lessons says version_conflict.',
    }),
  }),
});

builder.mutationFields((t) => ({
  updatePattern: t.boolean({
    authScopes: { admin: true },
    description: `Closes, reopens or mutes a pattern, or amends a closed pattern's fix; closing closes its open lessons, each with its own history event. True iff the pattern exists and is now as asked (a change that changes nothing is true and writes no event); false for an unknown id, a stale expectedVersion (extensions.lessons: version_conflict), with the journal off or on a fault. Input it can't take (status regressed, a future fixedAt, a fix on a pattern that isn't closed) is BAD_USER_INPUT with the reason. ${NEEDS.admin}`,
    args: {
      id: t.arg.int({
        required: true,
        description: "The pattern's id (a merged one's: its survivor).",
      }),
      input: t.arg({ type: UpdatePatternInput, required: true, description: 'What to change.' }),
    },
    resolve: (_root, args, ctx, info) =>
      answered(ctx, info, (call) => ctx.journal.updatePattern(args.id, args.input, call)),
  }),
  mergePatterns: t.boolean({
    authScopes: { admin: true },
    description: `Moves every lesson of \`from\` into \`into\`; later lessons of their fingerprints join \`into\`. False, changing nothing, when a pattern is missing or already merged or \`into\` is among \`from\`, and with the journal off or on a fault. ${NEEDS.admin}`,
    args: {
      into: t.arg.int({ required: true, description: 'The id of the pattern that remains.' }),
      from: t.arg.intList({
        required: true,
        description: `The ids of the patterns merged into it (at most ${MAX_LIST_VALUES}); each then answers as \`into\`.`,
      }),
      reason: t.arg.string({ description: 'Why, for the history of every pattern merged.' }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.journal.merge(args.into, args.from, args.reason, callOf(ctx, info)),
  }),
}));
