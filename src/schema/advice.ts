// Advisories before a stage runs, their feedback, and a pattern's advice counts
// (src/journal/advice.ts). On the orchestrator's hot path: one journal call each, which
// never throws ([] / false with the journal off or on a fault).

import type { AdviceStats, Advisory } from '../journal/index.ts';
import { MAX_ADVISORIES, VERDICTS } from '../journal/index.ts';
import { batched } from './batch.ts';
import { builder } from './builder.ts';
import { answered, callOf } from './call.ts';
import { NEEDS } from './docs.ts';
import { PatternRef } from './patterns.ts';

const AdvisoryRef = builder.objectRef<Advisory>('Advisory').implement({
  description: 'One pattern worth knowing before a stage runs, as shown this time (an impression).',
  fields: (t) => ({
    id: t.exposeID('id', { description: "This impression's id: answer it with adviceFeedback." }),
    pattern: t.field({ type: PatternRef, description: 'The pattern.', resolve: (a) => a.pattern }),
    suggestion: t.exposeString('suggestion', {
      nullable: true,
      description: 'The latest non-null suggestion of its lessons.',
    }),
    score: t.exposeFloat('score', {
      description:
        '(frequency + recency) * reach * regression: lessons per day over the last 7 UTC days, 1 / (1 + days since last seen), log2(2 + distinct work items), 2 when regressed else 1 (the README says why).',
    }),
    why: t.exposeString('why', { description: 'Why it is shown, in one line.' }),
  }),
});

const AdviceStatsRef = builder.objectRef<AdviceStats>('AdviceStats').implement({
  description: "How a pattern's advisories went.",
  fields: (t) => ({
    shown: t.exposeInt('shown', { description: 'How many times it was shown.' }),
    helped: t.exposeInt('helped', { description: 'Impressions answered helped.' }),
    notRelevant: t.exposeInt('notRelevant', { description: 'Impressions answered not_relevant.' }),
    wrong: t.exposeInt('wrong', { description: 'Impressions answered wrong.' }),
    recurredAfterShown: t.exposeInt('recurredAfterShown', {
      description:
        'Impressions whose work item got a lesson of this pattern within 24 hours after (createdAt in [shownAt, shownAt + 24 h)): the advice did not prevent it.',
    }),
  }),
});

builder.objectField(PatternRef, 'advice', (t) =>
  t.field({
    type: AdviceStatsRef,
    description:
      'How its advisories went (its own and those of patterns merged into it); all 0 with the journal off or on a fault.',
    resolve: (pattern, _args, ctx, info) =>
      batched<AdviceStats>(ctx, 'advice', (ids, call) => ctx.journal.adviceStats(ids, call), {
        shown: 0,
        helped: 0,
        notRelevant: 0,
        wrong: 0,
        recurredAfterShown: 0,
      })(pattern.id, callOf(ctx, info)),
  }),
);

builder.queryField('advisories', (t) =>
  t.field({
    authScopes: { writer: true, reader: true },
    type: [AdvisoryRef],
    description: `Before a stage runs: the open or regressed patterns of that stage most worth knowing (of the repo when given: a lesson in it, or attributed to platform), best score first; each is recorded as shown. Closed and muted patterns never appear. [] with the journal off or on a fault. ${NEEDS.any}`,
    args: {
      stage: t.arg.string({ required: true, description: 'The stage about to run.' }),
      repo: t.arg.string({ description: 'The repo it runs in; absent: any.' }),
      agent: t.arg.string({
        description: 'The agent that will run it (kept with the impression).',
      }),
      workItemId: t.arg.string({
        description: 'The work item (kept with the impression: recurredAfterShown reads it).',
      }),
      limit: t.arg.int({
        defaultValue: 3,
        required: true,
        description: `How many at most: 0 to ${MAX_ADVISORIES} (clamped).`,
      }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.journal.advisories(
        {
          stage: args.stage,
          repo: args.repo,
          agent: args.agent,
          workItemId: args.workItemId,
          limit: args.limit,
        },
        callOf(ctx, info),
      ),
  }),
);

builder.mutationField('adviceFeedback', (t) =>
  t.boolean({
    authScopes: { writer: true },
    description: `The answer to an advisory after the stage ran (the latest answer counts). True iff the advisory exists; false for an unknown id, with the journal off or on a fault. A verdict other than ${VERDICTS.join(', ')} is BAD_USER_INPUT. ${NEEDS.writer}`,
    args: {
      advisoryId: t.arg.id({ required: true, description: 'Advisory.id, as it was given.' }),
      verdict: t.arg.string({ required: true, description: `One of ${VERDICTS.join(', ')}.` }),
    },
    resolve: (_root, args, ctx, info) =>
      answered(ctx, info, (call) =>
        ctx.journal.adviceFeedback(String(args.advisoryId), args.verdict, call),
      ),
  }),
);
