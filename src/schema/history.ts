// The lifecycle's history in the API: Lesson.history and Pattern.history, oldest first,
// each loaded for a whole result at once (one statement per list, not one per item).
import type { HistoryEvent } from '../journal/index.ts';
import { batched } from './batch.ts';
import { builder } from './builder.ts';
import { callOf } from './call.ts';
import { PatternRef } from './patterns.ts';

const FieldChangeRef = builder
  .objectRef<{ field: string; from: string | null; to: string | null }>('FieldChange')
  .implement({
    description: 'One field of a change, its values as text (times in ISO 8601).',
    fields: (t) => ({
      field: t.exposeString('field', { description: 'The field, by its API name.' }),
      from: t.exposeString('from', {
        nullable: true,
        description: 'Its value before; null for none.',
      }),
      to: t.exposeString('to', { nullable: true, description: 'Its value after; null for none.' }),
    }),
  });

export const HistoryEventRef = builder.objectRef<HistoryEvent>('HistoryEvent').implement({
  description:
    'One change of a lesson or a pattern, written in the same transaction as the change and never altered.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the change was made.' }),
    kind: t.exposeString('kind', {
      description: 'recorded, updated, closed, reopened, regressed or merged.',
    }),
    actor: t.exposeString('actor', {
      description:
        "Who made it: the token's name (LESSONS_TOKENS_FILE), else its role; system for the journal's own changes (a regression); anonymous when no token is configured.",
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why, as the actor said.' }),
    version: t.exposeInt('version', {
      description: "The lesson's or pattern's version after the change (1 for a recorded lesson).",
    }),
    changes: t.field({
      type: [FieldChangeRef],
      description: 'Each changed field, from and to (empty for a recorded lesson).',
      resolve: (event) => event.changes,
    }),
  }),
});

const HISTORY_DOC =
  'Its history, oldest first: one event per change; [] with the journal off or on a fault.';

builder.prismaObjectField('Lesson', 'history', (t) =>
  t.field({
    type: [HistoryEventRef],
    description: HISTORY_DOC,
    resolve: (lesson, _args, ctx, info) =>
      batched<HistoryEvent[]>(
        ctx,
        'lessonHistory',
        (ids, call) => ctx.journal.history('lesson', ids, call),
        [],
      )(lesson.id, callOf(ctx, info)),
  }),
);

builder.objectField(PatternRef, 'history', (t) =>
  t.field({
    type: [HistoryEventRef],
    description: HISTORY_DOC,
    resolve: (pattern, _args, ctx, info) =>
      batched<HistoryEvent[]>(
        ctx,
        'patternHistory',
        (ids, call) => ctx.journal.history('pattern', ids, call),
        [],
      )(pattern.id, callOf(ctx, info)),
  }),
);
