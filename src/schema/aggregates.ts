// lessonAggregates: group-by counts for the RICE prioritiser and the retrospective agent.

import { DIMENSIONS, spec } from '../journal/fields.ts';
import type { Dimension, LessonGroup } from '../journal/index.ts';
import { builder } from './builder.ts';
import { callOf } from './call.ts';
import { COUNTER_DOCS, dimensionDoc, groupFieldDoc, LIMIT_RULE, NEEDS } from './docs.ts';
import { LessonFilterInput } from './lesson.ts';
import { selects } from './selection.ts';

const LessonDimension = builder.enumType('LessonDimension', {
  description: 'A field of a lesson that lessonAggregates can group by.',
  values: Object.fromEntries(
    DIMENSIONS.map((name) => [spec(name).group, { value: name, description: dimensionDoc(name) }]),
  ) as {
    [name: string]: { value: Dimension; description: string };
  },
});

export const TimeBucket = builder.enumType('TimeBucket', {
  description: 'A UTC time bucket of createdAt.',
  values: {
    HOUR: { value: 'hour', description: 'One UTC hour.' },
    DAY: { value: 'day', description: 'One UTC day, from midnight.' },
    WEEK: { value: 'week', description: 'One UTC week, from Monday midnight.' },
  } as const,
});

const TimeToCloseRef = builder
  .objectRef<NonNullable<LessonGroup['timeToClose']>>('TimeToClose')
  .implement({
    description:
      "How long a group's closed lessons took to close: closedAt - createdAt (createdAt is when it happened), over the lessons of the group that are closed.",
    fields: (t) => ({
      closed: t.exposeInt('closed', { description: 'How many of its lessons are closed.' }),
      medianSeconds: t.exposeFloat('medianSeconds', {
        nullable: true,
        description:
          'The median, in seconds (interpolated, as percentile_cont(0.5)); null when none is closed.',
      }),
      p90Seconds: t.exposeFloat('p90Seconds', {
        nullable: true,
        description:
          'The 90th percentile, in seconds (interpolated, as percentile_cont(0.9)); null when none is closed.',
      }),
    }),
  });

const LessonGroupRef = builder.objectRef<LessonGroup>('LessonGroup').implement({
  description:
    'One group of lessons: each dimension field is set only when grouped by it, and a null value is a group of its own.',
  fields: (t) => ({
    ...Object.fromEntries(
      DIMENSIONS.map((name) => [
        name,
        t.exposeString(name, { nullable: true, description: groupFieldDoc(name) }),
      ]),
    ),
    bucketStart: t.expose('bucketStart', {
      type: 'DateTime',
      nullable: true,
      description: 'The start of its UTC time bucket; null without a bucket.',
    }),
    lessons: t.exposeInt('lessons', { description: COUNTER_DOCS.lessons }),
    occurrences: t.exposeInt('occurrences', {
      description: "The sum of its lessons' occurrences.",
    }),
    workItems: t.exposeInt('workItems', {
      description: COUNTER_DOCS.workItems,
    }),
    firstSeenAt: t.expose('firstSeenAt', {
      type: 'DateTime',
      description: COUNTER_DOCS.firstSeenAt,
    }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      description: COUNTER_DOCS.lastSeenAt,
    }),
    timeToClose: t.field({
      type: TimeToCloseRef,
      description:
        "Time to close of the group's closed lessons (the retrospective agent's measure of triage); read only when asked for.",
      resolve: (group) => group.timeToClose ?? { closed: 0, medianSeconds: null, p90Seconds: null },
    }),
  }),
});

builder.queryField('lessonAggregates', (t) =>
  t.field({
    authScopes: { reader: true },
    type: [LessonGroupRef],
    description: `Group-by counts of lessons, ordered by occurrences desc, lessons desc, then the group's values (nulls last, oldest bucket first); [] with the journal off or on a fault. ${NEEDS.reader}`,
    args: {
      groupBy: t.arg({
        type: [LessonDimension],
        required: true,
        description:
          'The fields to group by; an empty list gives one group of every matching lesson (per bucket).',
      }),
      bucket: t.arg({
        type: TimeBucket,
        description: 'Also group by this UTC time bucket of createdAt; absent: no time grouping.',
      }),
      filter: t.arg({ type: LessonFilterInput, description: 'Which lessons count; absent: all.' }),
      limit: t.arg.int({ description: `How many groups at most: ${LIMIT_RULE}.` }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.journal.aggregate(
        args.groupBy,
        args.bucket,
        args.filter,
        args.limit,
        { workItems: selects(info, 'workItems'), timeToClose: selects(info, 'timeToClose') },
        callOf(ctx, info),
      ),
  }),
);
