// lessonSlugs: the canonical slugs, from the one module that defines them.
import type { Slugs } from '../journal/slugs.ts';
import { builder } from './builder.ts';
import { NEEDS, slugsDoc } from './docs.ts';

const LessonSlugsRef = builder.objectRef<Slugs>('LessonSlugs').implement({
  description:
    'The canonical slugs of the fields that take them; a value not listed is stored as given.',
  fields: (t) => ({
    lessonTypes: t.exposeStringList('lessonTypes', { description: slugsDoc('lessonTypes') }),
    attributions: t.exposeStringList('attributions', { description: slugsDoc('attributions') }),
    domains: t.exposeStringList('domains', { description: slugsDoc('domains') }),
    statuses: t.exposeStringList('statuses', { description: slugsDoc('statuses') }),
    sources: t.exposeStringList('sources', { description: slugsDoc('sources') }),
  }),
});

builder.queryField('lessonSlugs', (t) =>
  t.field({
    authScopes: { writer: true, reader: true },
    type: LessonSlugsRef,
    description: `The canonical slugs; static, so answered even with the journal off. ${NEEDS.any}`,
    resolve: (_root, _args, ctx) => ctx.journal.slugs(),
  }),
);
