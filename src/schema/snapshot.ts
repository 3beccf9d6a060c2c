// lessonsSnapshot: the light summary for the orchestrator's queue page.

import type { CountBucket, Snapshot } from '../journal/snapshot.ts';
import { builder } from './builder.ts';
import { callOf } from './call.ts';
import { NEEDS } from './docs.ts';

const CountBucketRef = builder.objectRef<CountBucket>('CountBucket').implement({
  description: 'How many lessons have one value of a field.',
  fields: (t) => ({
    key: t.exposeString('key', {
      nullable: true,
      description: 'The value; null for the lessons without one.',
    }),
    count: t.exposeInt('count', {
      description: 'How many lessons (rows, not occurrences) have it; never 0.',
    }),
  }),
});

/** A breakdown's description: which field, the order, and what a null means. */
const breakdown = (field: string) =>
  `Lessons per ${field}, largest count first (then by key, null last); null with the journal off or on a fault.`;

const LessonsSnapshotRef = builder.objectRef<Snapshot>('LessonsSnapshot').implement({
  description:
    'A light summary of the journal (of one repo, when given); its counts are of lessons (rows), not occurrences.',
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', {
      description:
        'False when the journal is off (every other field is then null); true when it is on, even when a fault left the other fields null.',
    }),
    total: t.exposeInt('total', {
      nullable: true,
      description: 'How many lessons; null with the journal off or on a fault.',
    }),
    open: t.exposeInt('open', {
      nullable: true,
      description:
        'How many lessons have status new or in_progress; null with the journal off or on a fault.',
    }),
    recorded24h: t.exposeInt('recorded24h', {
      nullable: true,
      description:
        'How many lessons were created in the last 24 hours; null with the journal off or on a fault.',
    }),
    lastRecordedAt: t.expose('lastRecordedAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'The newest createdAt; null when there are no lessons, with the journal off or on a fault.',
    }),
    byType: t.expose('byType', {
      type: [CountBucketRef],
      nullable: true,
      description: breakdown('lessonType'),
    }),
    byStatus: t.expose('byStatus', {
      type: [CountBucketRef],
      nullable: true,
      description: breakdown('status'),
    }),
    byDomain: t.expose('byDomain', {
      type: [CountBucketRef],
      nullable: true,
      description: breakdown('targetDomain'),
    }),
    byAttribution: t.expose('byAttribution', {
      type: [CountBucketRef],
      nullable: true,
      description: breakdown('attribution'),
    }),
  }),
});

builder.queryField('lessonsSnapshot', (t) =>
  t.field({
    authScopes: { writer: true, reader: true },
    type: LessonsSnapshotRef,
    description: `A light summary for the orchestrator's queue page: {enabled: false} with the journal off, {enabled: true} and every other field null on a fault. ${NEEDS.any}`,
    args: {
      repo: t.arg.string({
        description: 'Restricts every count to this repo; absent or empty: every repo.',
      }),
    },
    resolve: (_root, args, ctx, info) => ctx.journal.snapshot(args.repo, callOf(ctx, info)),
  }),
);
