// The Lesson type and the operations on lessons: lessons, lesson, recordLesson,
// updateLesson. Each resolver is one call into the journal, which never throws.
import type { LessonSelection } from '../journal/index.ts';
import { builder } from './builder.ts';

builder.prismaObject('Lesson', {
  // Select mode: a query reads only the columns its selection needs (`lessons { id }`
  // never reads `detail`).
  select: { id: true },
  fields: (t) => ({
    id: t.exposeInt('id'),
    lessonType: t.exposeString('lessonType'),
    workItemId: t.exposeString('workItemId', { nullable: true }),
    taskId: t.exposeString('taskId', { nullable: true }),
    stage: t.exposeString('stage', { nullable: true }),
    agent: t.exposeString('agent', { nullable: true }),
    repo: t.exposeString('repo', { nullable: true }),
    rootCause: t.exposeString('rootCause', { nullable: true }),
    suggestion: t.exposeString('suggestion', { nullable: true }),
    status: t.exposeString('status'),
    relatedTask: t.exposeString('relatedTask', { nullable: true }),
    attribution: t.exposeString('attribution', { nullable: true }),
    targetRepo: t.exposeString('targetRepo', { nullable: true }),
    targetDomain: t.exposeString('targetDomain', { nullable: true }),
    source: t.exposeString('source'),
    detail: t.expose('detail', { type: 'JSON', nullable: true }),
    occurrences: t.exposeInt('occurrences'),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const anyOf = { required: { list: false, items: true } } as const;

export const LessonFilterInput = builder.inputType('LessonFilter', {
  description:
    'Every list means "any of" (a single value is accepted too); all given fields must match.',
  fields: (t) => ({
    lessonType: t.stringList(anyOf),
    status: t.stringList(anyOf),
    repo: t.stringList(anyOf),
    workItemId: t.stringList(anyOf),
    taskId: t.stringList(anyOf),
    stage: t.stringList(anyOf),
    agent: t.stringList(anyOf),
    attribution: t.stringList(anyOf),
    targetRepo: t.stringList(anyOf),
    targetDomain: t.stringList(anyOf),
    source: t.stringList(anyOf),
    since: t.field({ type: 'DateTime', description: 'created_at >= since' }),
    until: t.field({ type: 'DateTime', description: 'created_at < until' }),
    text: t.string({ description: 'Case-insensitive substring of rootCause or suggestion' }),
  }),
});

const RecordLessonInput = builder.inputType('RecordLessonInput', {
  fields: (t) => ({
    lessonType: t.string({ required: true }),
    workItemId: t.string(),
    taskId: t.string(),
    stage: t.string(),
    agent: t.string(),
    repo: t.string(),
    rootCause: t.string(),
    suggestion: t.string(),
    status: t.string({ defaultValue: 'new' }),
    relatedTask: t.string(),
    attribution: t.string(),
    targetRepo: t.string(),
    targetDomain: t.string(),
    source: t.string({ defaultValue: 'auto' }),
    detail: t.field({ type: 'JSON' }),
  }),
});

const UpdateLessonInput = builder.inputType('UpdateLessonInput', {
  fields: (t) => ({
    status: t.string(),
    attribution: t.string(),
    targetRepo: t.string(),
    targetDomain: t.string(),
    relatedTask: t.string(),
    rootCause: t.string(),
    suggestion: t.string(),
  }),
});

builder.queryFields((t) => ({
  lessons: t.prismaField({
    authScopes: { reader: true },
    type: ['Lesson'],
    args: { filter: t.arg({ type: LessonFilterInput }), limit: t.arg.int() },
    resolve: (query, _root, args, ctx) => ctx.journal.list(args.filter, args.limit, query),
  }),
  lessonsConnection: t.prismaConnection(
    {
      authScopes: { reader: true },
      type: 'Lesson',
      cursor: 'id',
      args: { filter: t.arg({ type: LessonFilterInput }) },
      defaultSize: (_args, ctx) => ctx.journal.limits().defaultSize,
      maxSize: (_args, ctx) => ctx.journal.limits().maxSize,
      // The planned query carries the node selection too (select mode), untyped here.
      resolve: (query, _root, args, ctx) =>
        ctx.journal.page(args.filter, query, query as LessonSelection),
      // Counted only when the field is asked for: one COUNT over the filter.
      totalCount: (_connection, args, ctx) => ctx.journal.count(args.filter),
    },
    { name: 'LessonConnection' },
    { name: 'LessonEdge' },
  ),
  lesson: t.prismaField({
    authScopes: { reader: true },
    type: 'Lesson',
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.journal.get(args.id, query),
  }),
}));

builder.mutationFields((t) => ({
  recordLesson: t.prismaField({
    authScopes: { writer: true },
    type: 'Lesson',
    nullable: true,
    args: { input: t.arg({ type: RecordLessonInput, required: true }) },
    // The journal returns the whole new row, which covers any selection.
    resolve: (_query, _root, args, ctx) => ctx.journal.record(args.input),
  }),
  updateLesson: t.boolean({
    authScopes: { admin: true },
    args: {
      id: t.arg.int({ required: true }),
      input: t.arg({ type: UpdateLessonInput, required: true }),
    },
    resolve: (_root, args, ctx) => ctx.journal.update(args.id, args.input),
  }),
}));
