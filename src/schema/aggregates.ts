// lessonAggregates: group-by counts for the RICE prioritiser and the retrospective agent.
import { DIMENSIONS, spec } from '../journal/fields.ts';
import type { Dimension, LessonGroup } from '../journal/index.ts';
import { builder } from './builder.ts';
import { LessonFilterInput } from './lesson.ts';
import { selects } from './selection.ts';

const LessonDimension = builder.enumType('LessonDimension', {
  values: Object.fromEntries(DIMENSIONS.map((name) => [spec(name).group, { value: name }])) as {
    [name: string]: { value: Dimension };
  },
});

export const TimeBucket = builder.enumType('TimeBucket', {
  description: 'UTC buckets of created_at; weeks start on Monday.',
  values: { HOUR: { value: 'hour' }, DAY: { value: 'day' }, WEEK: { value: 'week' } } as const,
});

const LessonGroupRef = builder.objectRef<LessonGroup>('LessonGroup').implement({
  description: 'One group: each dimension field is set only when grouped by it.',
  fields: (t) => ({
    ...Object.fromEntries(
      DIMENSIONS.map((name) => [name, t.exposeString(name, { nullable: true })]),
    ),
    bucketStart: t.expose('bucketStart', {
      type: 'DateTime',
      nullable: true,
      description: 'set only with a bucket',
    }),
    lessons: t.exposeInt('lessons', { description: 'rows' }),
    occurrences: t.exposeInt('occurrences', { description: 'sum of occurrences' }),
    workItems: t.exposeInt('workItems', { description: 'distinct non-null work items' }),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime', description: 'min created_at' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', description: 'max last_seen_at' }),
  }),
});

builder.queryField('lessonAggregates', (t) =>
  t.field({
    authScopes: { reader: true },
    type: [LessonGroupRef],
    description: 'Ordered by occurrences desc, then lessons desc.',
    args: {
      groupBy: t.arg({ type: [LessonDimension], required: true }),
      bucket: t.arg({ type: TimeBucket }),
      filter: t.arg({ type: LessonFilterInput }),
      limit: t.arg.int(),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.journal.aggregate(args.groupBy, args.bucket, args.filter, args.limit, {
        workItems: selects(info, 'workItems'),
      }),
  }),
);
