// lessonSlugs: the canonical slugs, from the one module that defines them.
import type { Slugs } from '../journal/slugs.ts';
import { builder } from './builder.ts';

const LessonSlugsRef = builder.objectRef<Slugs>('LessonSlugs').implement({
  fields: (t) => ({
    lessonTypes: t.exposeStringList('lessonTypes'),
    attributions: t.exposeStringList('attributions'),
    domains: t.exposeStringList('domains'),
    statuses: t.exposeStringList('statuses'),
    sources: t.exposeStringList('sources'),
  }),
});

builder.queryField('lessonSlugs', (t) =>
  t.field({
    authScopes: { writer: true, reader: true },
    type: LessonSlugsRef,
    resolve: (_root, _args, ctx) => ctx.journal.slugs(),
  }),
);
