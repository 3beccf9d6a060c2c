// lessonAggregates: group-by counts for the RICE prioritiser and the retrospective agent.
import type { LessonGroup } from '../journal/index.ts';
import { builder } from './builder.ts';
import { LessonFilterInput } from './lesson.ts';

const LessonDimension = builder.enumType('LessonDimension', {
  values: {
    LESSON_TYPE: { value: 'lessonType' },
    STAGE: { value: 'stage' },
    AGENT: { value: 'agent' },
    REPO: { value: 'repo' },
    STATUS: { value: 'status' },
    ATTRIBUTION: { value: 'attribution' },
    TARGET_REPO: { value: 'targetRepo' },
    TARGET_DOMAIN: { value: 'targetDomain' },
    SOURCE: { value: 'source' },
    WORK_ITEM: { value: 'workItemId' },
  } as const,
});

const TimeBucket = builder.enumType('TimeBucket', {
  description: 'UTC buckets of created_at; weeks start on Monday.',
  values: { HOUR: { value: 'hour' }, DAY: { value: 'day' }, WEEK: { value: 'week' } } as const,
});

const LessonGroupRef = builder.objectRef<LessonGroup>('LessonGroup').implement({
  description: 'One group: each dimension field is set only when grouped by it.',
  fields: (t) => ({
    lessonType: t.exposeString('lessonType', { nullable: true }),
    stage: t.exposeString('stage', { nullable: true }),
    agent: t.exposeString('agent', { nullable: true }),
    repo: t.exposeString('repo', { nullable: true }),
    status: t.exposeString('status', { nullable: true }),
    attribution: t.exposeString('attribution', { nullable: true }),
    targetRepo: t.exposeString('targetRepo', { nullable: true }),
    targetDomain: t.exposeString('targetDomain', { nullable: true }),
    source: t.exposeString('source', { nullable: true }),
    workItemId: t.exposeString('workItemId', { nullable: true }),
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
    resolve: (_root, args, ctx) =>
      ctx.journal.aggregate(args.groupBy, args.bucket, args.filter, args.limit),
  }),
);
