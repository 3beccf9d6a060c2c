// The Lesson type, its inputs (all from the field registry) and the operations on lessons: lessons, lesson, recordLesson,
// updateLesson. Each resolver is one call into the journal, which never throws.
import { FIELD_NAMES, FILTERABLE, RECORDABLE, spec, UPDATABLE } from '../journal/fields.ts';
import type { LessonSelection, RecordInput, UpdateInput } from '../journal/index.ts';
import { builder } from './builder.ts';

/** The GraphQL scalar of each kind of field. */
const SCALAR = { int: 'Int', text: 'String', json: 'JSON', timestamp: 'DateTime' } as const;

export const LessonRef = builder.prismaObject('Lesson', {
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
        expose(name, { type: SCALAR[spec(name).kind], nullable: spec(name).nullable }),
      ]),
    );
  },
});

/** One connection type for every list of lessons (the journal's, a pattern's). */
export const LessonConnection = builder.connectionObject(
  {
    type: LessonRef,
    name: 'LessonConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'lessons matching, on every page',
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
  { name: 'LessonEdge' },
);

const anyOf = { required: { list: false, items: true } } as const;

export const LessonFilterInput = builder.inputType('LessonFilter', {
  description:
    'Every list means "any of" (a single value is accepted too); all given fields must match.',
  fields: (t) => ({
    ...Object.fromEntries(FILTERABLE.map((name) => [name, t.stringList(anyOf)])),
    since: t.field({ type: 'DateTime', description: 'created_at >= since' }),
    until: t.field({ type: 'DateTime', description: 'created_at < until' }),
    text: t.string({ description: 'Case-insensitive substring of rootCause or suggestion' }),
  }),
});

const RecordLessonInput = builder.inputType('RecordLessonInput', {
  fields: (t) =>
    Object.fromEntries(
      RECORDABLE.map((name) => {
        const { kind, record } = spec(name);
        if (kind === 'json') return [name, t.field({ type: 'JSON' })];
        if (record?.required) return [name, t.string({ required: true })];
        return [name, t.string(record?.default ? { defaultValue: record.default } : {})];
      }),
    ),
});

const UpdateLessonInput = builder.inputType('UpdateLessonInput', {
  fields: (t) => Object.fromEntries(UPDATABLE.map((name) => [name, t.string()])),
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
    LessonConnection,
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
    resolve: (_query, _root, args, ctx) => ctx.journal.record(args.input as RecordInput),
  }),
  updateLesson: t.boolean({
    authScopes: { admin: true },
    args: {
      id: t.arg.int({ required: true }),
      input: t.arg({ type: UpdateLessonInput, required: true }),
    },
    resolve: (_root, args, ctx) => ctx.journal.update(args.id, args.input as UpdateInput),
  }),
}));
