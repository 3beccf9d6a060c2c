// lessonsSnapshot: the light summary for the orchestrator's queue page.
import type { CountBucket, Snapshot } from '../journal/snapshot.ts';
import { builder } from './builder.ts';

const CountBucketRef = builder.objectRef<CountBucket>('CountBucket').implement({
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true }),
    count: t.exposeInt('count'),
  }),
});

const LessonsSnapshotRef = builder.objectRef<Snapshot>('LessonsSnapshot').implement({
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled'),
    total: t.exposeInt('total', { nullable: true }),
    open: t.exposeInt('open', { nullable: true, description: 'status new or in_progress' }),
    recorded24h: t.exposeInt('recorded24h', {
      nullable: true,
      description: 'created in the last 24 hours',
    }),
    lastRecordedAt: t.expose('lastRecordedAt', { type: 'DateTime', nullable: true }),
    byType: t.expose('byType', { type: [CountBucketRef], nullable: true }),
    byStatus: t.expose('byStatus', { type: [CountBucketRef], nullable: true }),
    byDomain: t.expose('byDomain', { type: [CountBucketRef], nullable: true }),
    byAttribution: t.expose('byAttribution', { type: [CountBucketRef], nullable: true }),
  }),
});

builder.queryField('lessonsSnapshot', (t) =>
  t.field({
    authScopes: { writer: true, reader: true },
    type: LessonsSnapshotRef,
    args: { repo: t.arg.string() },
    resolve: (_root, args, ctx) => ctx.journal.snapshot(args.repo),
  }),
);
