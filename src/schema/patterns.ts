// Patterns: the recurring problems behind lessons (src/journal/patterns.ts), their
// connection, a pattern's lessons, series and grouping, and merging. Each resolver is one
// call into the journal, which never throws; a lesson's pattern is loaded for a whole
// result at once (one statement per list, not one per lesson).
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import {
  groupingInfo,
  type Journal,
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
import { builder } from './builder.ts';
import { LessonConnection } from './lesson.ts';

const PatternOrderEnum = builder.enumType('PatternOrder', {
  description: 'All descending; id breaks ties.',
  values: ['LAST_SEEN', 'FIRST_SEEN', 'OCCURRENCES', 'LESSONS', 'WORK_ITEMS'] as const,
});

const GroupingComponentRef = builder
  .objectRef<{ name: string; value: string | null; contributes: boolean }>('GroupingComponent')
  .implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      value: t.exposeString('value', { nullable: true }),
      contributes: t.exposeBoolean('contributes', {
        description: 'whether it went into the fingerprint',
      }),
    }),
  });

const GroupingInfoRef = builder
  .objectRef<ReturnType<typeof groupingInfo>>('GroupingInfo')
  .implement({
    description:
      'Why these lessons group: the components of the fingerprint (a caller-given fingerprint alone, when it was given).',
    fields: (t) => ({
      version: t.exposeInt('version', { description: 'the grouping rules version' }),
      components: t.field({ type: [GroupingComponentRef], resolve: (info) => info.components }),
    }),
  });

const SeriesPointRef = builder.objectRef<SeriesPoint>('SeriesPoint').implement({
  fields: (t) => ({
    bucketStart: t.expose('bucketStart', { type: 'DateTime' }),
    lessons: t.exposeInt('lessons'),
    occurrences: t.exposeInt('occurrences'),
  }),
});

/**
 * Loads the patterns of the lessons one response resolves, in one call per tick: each
 * Lesson.pattern asks for its lesson's id, and the journal answers them all at once.
 */
function patternLoader(journal: Journal) {
  let batch: Map<number, ((p: Pattern | null) => void)[]> | null = null;
  return (lessonId: number): Promise<Pattern | null> =>
    new Promise((resolve) => {
      if (!batch) {
        const current = new Map<number, ((p: Pattern | null) => void)[]>();
        batch = current;
        queueMicrotask(async () => {
          batch = null;
          const found = await journal.patternsOfLessons([...current.keys()]);
          for (const [id, waiting] of current) {
            for (const done of waiting) done(found.get(id) ?? null);
          }
        });
      }
      const waiting = batch.get(lessonId) ?? [];
      waiting.push(resolve);
      batch.set(lessonId, waiting);
    });
}
const loaders = new WeakMap<object, ReturnType<typeof patternLoader>>();

export const PatternRef = builder.objectRef<Pattern>('Pattern');

PatternRef.implement({
  description:
    'A recurring problem: the lessons of one fingerprint across work items and repos, with exact counters.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    fingerprint: t.exposeString('fingerprint'),
    lessonType: t.exposeString('lessonType'),
    stage: t.exposeString('stage', { nullable: true }),
    title: t.exposeString('title', {
      description: 'the root cause of its first lesson (or its type and stage)',
    }),
    status: t.exposeString('status', { description: 'open | closed | regressed | muted' }),
    lessons: t.exposeInt('lessons', { description: 'its lessons (rows)' }),
    occurrences: t.exposeInt('occurrences', { description: "the sum of its lessons' occurrences" }),
    workItems: t.exposeInt('workItems', { description: 'distinct non-null work items' }),
    repos: t.exposeInt('repos', { description: 'distinct non-null repos' }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime', description: 'min createdAt' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', description: 'max lastSeenAt' }),
    suggestion: t.exposeString('suggestion', {
      nullable: true,
      description: 'the suggestion of its newest lesson that has one',
    }),
    groupingInfo: t.field({ type: GroupingInfoRef, resolve: (pattern) => groupingInfo(pattern) }),
    series: t.field({
      type: [SeriesPointRef],
      description:
        'Lessons and occurrences per whole UTC bucket of createdAt, from the one holding since to the one before until (default now), zero-filled.',
      args: {
        bucket: t.arg({ type: TimeBucket, defaultValue: 'day', required: true }),
        since: t.arg({ type: 'DateTime', required: true }),
        until: t.arg({ type: 'DateTime' }),
      },
      resolve: (pattern, args, ctx) => {
        const until = args.until ?? new Date();
        if (seriesBuckets(args.bucket, args.since, until).length > MAX_SERIES_POINTS) {
          throw createGraphQLError(
            `a series has at most ${MAX_SERIES_POINTS} points: narrow since..until or use a larger bucket`,
            { extensions: { code: 'BAD_USER_INPUT' } },
          );
        }
        return ctx.journal.series(pattern.id, args.bucket, args.since, until);
      },
    }),
    lessonsConnection: t.prismaConnection(
      {
        type: 'Lesson',
        cursor: 'id',
        defaultSize: (_args, ctx) => ctx.journal.limits().defaultSize,
        maxSize: (_args, ctx) => ctx.journal.limits().maxSize,
        resolve: (query, pattern, _args, ctx) =>
          ctx.journal.page({ patternId: pattern.id }, query, query as LessonSelection),
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
    description: 'the pattern it belongs to',
    resolve: (lesson, _args, ctx) => {
      let load = loaders.get(ctx);
      if (!load) {
        load = patternLoader(ctx.journal);
        loaders.set(ctx, load);
      }
      return load(lesson.id);
    },
  }),
);

const PatternFilterInput = builder.inputType('PatternFilter', {
  description: 'Every list means "any of"; all given fields must match.',
  fields: (t) => ({
    lessonType: t.stringList({ required: { list: false, items: true } }),
    stage: t.stringList({ required: { list: false, items: true } }),
    status: t.stringList({ required: { list: false, items: true } }),
    repo: t.stringList({
      required: { list: false, items: true },
      description: 'patterns with a lesson in any of these repos',
    }),
    since: t.field({ type: 'DateTime', description: 'lastSeenAt >= since' }),
    until: t.field({ type: 'DateTime', description: 'lastSeenAt < until' }),
    text: t.string({ description: 'Case-insensitive substring of the title or suggestion' }),
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
      args: {
        filter: t.arg({ type: PatternFilterInput }),
        orderBy: t.arg({ type: PatternOrderEnum, defaultValue: 'LAST_SEEN', required: true }),
      },
      resolve: async (_root, args, ctx) => {
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
            ctx.journal.patterns(args.filter, {
              order,
              limit,
              after: position(order, inverted ? before : after),
              backward: inverted,
            }),
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
    { name: 'PatternConnection' },
    { name: 'PatternEdge' },
  ),
  pattern: t.field({
    authScopes: { reader: true },
    type: PatternRef,
    nullable: true,
    description: 'A merged pattern answers with the pattern it was merged into.',
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => ctx.journal.pattern(args.id),
  }),
}));

builder.mutationFields((t) => ({
  mergePatterns: t.boolean({
    authScopes: { admin: true },
    description:
      'Moves every lesson of `from` into `into`; later lessons of their fingerprints join `into`. False when a pattern is missing or already merged, or `into` is among `from`.',
    args: {
      into: t.arg.int({ required: true }),
      from: t.arg.intList({ required: true }),
    },
    resolve: (_root, args, ctx) => ctx.journal.merge(args.into, args.from),
  }),
}));
