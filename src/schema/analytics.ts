// The consumers' analytics (src/journal/rice.ts, escapes.ts, efficacy.ts): riceInputs for
// the RICE prioritiser, escapes for the gates' owners, Pattern.efficacy for the
// retrospective agent. Each resolver is one call into the journal, which never throws;
// a page of patterns' efficacies is one call for the page.

import type { Efficacy, EscapeGroup, RiceDimension, RiceInput } from '../journal/index.ts';
import { MAX_WINDOW_DAYS } from '../journal/index.ts';
import { batched } from './batch.ts';
import { builder } from './builder.ts';
import { answered } from './call.ts';
import { LIMIT_RULE, NEEDS } from './docs.ts';
import { LessonFilterInput } from './lesson.ts';
import { PatternRef } from './patterns.ts';

const WINDOW_RULE = `whole days, 1 to ${MAX_WINDOW_DAYS} (another is BAD_USER_INPUT)`;
const AS_OF_DOC = 'Where the window ends (exclusive); absent: now.';

const RiceDimensionEnum = builder.enumType('RiceDimension', {
  description: 'What riceInputs can group by.',
  values: {
    ATTRIBUTION: { value: 'attribution', description: 'Who the lessons are about.' },
    TARGET_REPO: { value: 'targetRepo', description: 'The repo a fix would land in.' },
    TARGET_DOMAIN: { value: 'targetDomain', description: 'The improvement axis.' },
    LESSON_TYPE: { value: 'lessonType', description: 'What went off the happy path.' },
    STAGE: { value: 'stage', description: 'The pipeline stage.' },
    REPO: { value: 'repo', description: 'The repo it happened in.' },
    PATTERN: { value: 'pattern', description: 'The recurring problem (patternId).' },
  } as const satisfies Record<string, { value: RiceDimension; description: string }>,
});

const key = (what: string, dim: string) =>
  `The group's ${what}; null unless grouped by ${dim} (then null is a group of its own).`;

const RiceInputRef = builder.objectRef<RiceInput>('RiceInput').implement({
  description:
    "What the RICE prioritiser scores for one group, over the lessons created in [asOf - windowDays, asOf): every figure is computed here, exactly; Effort is the prioritiser's.",
  fields: (t) => ({
    attribution: t.exposeString('attribution', {
      nullable: true,
      description: key('attribution', 'ATTRIBUTION'),
    }),
    targetRepo: t.exposeString('targetRepo', {
      nullable: true,
      description: key('targetRepo', 'TARGET_REPO'),
    }),
    targetDomain: t.exposeString('targetDomain', {
      nullable: true,
      description: key('targetDomain', 'TARGET_DOMAIN'),
    }),
    lessonType: t.exposeString('lessonType', {
      nullable: true,
      description: key('lessonType', 'LESSON_TYPE'),
    }),
    stage: t.exposeString('stage', { nullable: true, description: key('stage', 'STAGE') }),
    repo: t.exposeString('repo', { nullable: true, description: key('repo', 'REPO') }),
    patternId: t.exposeInt('patternId', {
      nullable: true,
      description: key('pattern id', 'PATTERN'),
    }),
    reach: t.exposeInt('reach', {
      description: 'Reach: distinct work items with a lesson in the window (nulls not counted).',
    }),
    lessons: t.exposeInt('lessons', { description: 'Lessons created in the window.' }),
    occurrences: t.exposeInt('occurrences', {
      description: "The sum of those lessons' occurrences.",
    }),
    frequencyPerDay: t.exposeFloat('frequencyPerDay', { description: 'lessons / windowDays.' }),
    lastSeenAt: t.expose('lastSeenAt', {
      type: 'DateTime',
      nullable: true,
      description:
        "The latest lastSeenAt of the window's lessons; null when it has none (only the previous window).",
    }),
    recencyDays: t.exposeFloat('recencyDays', {
      nullable: true,
      description: '(asOf - lastSeenAt) in days; null with lastSeenAt.',
    }),
    repos: t.exposeInt('repos', { description: "Distinct repos of the window's lessons." }),
    previousLessons: t.exposeInt('previousLessons', {
      description:
        'Lessons created in the window of equal length before: [asOf - 2 windowDays, asOf - windowDays).',
    }),
    trendRatio: t.exposeFloat('trendRatio', {
      nullable: true,
      description: 'lessons / previousLessons; null when previousLessons is 0.',
    }),
    trendPValue: t.exposeFloat('trendPValue', {
      nullable: true,
      description:
        'The two-sided exact binomial test of k = lessons in n = lessons + previousLessons at p = 1/2: min(1, 2 min(P(K <= k), P(K >= k))); null when n is 0.',
    }),
    unknownAttributionShare: t.exposeFloat('unknownAttributionShare', {
      description:
        "The share of the window's lessons with attribution null or unknown (0 without lessons).",
    }),
    confidence: t.exposeFloat('confidence', {
      description:
        "Intercom's bands: 1.0 when lessons >= 20 and unknownAttributionShare <= 0.2; 0.8 when lessons >= 5; else 0.5.",
    }),
  }),
});

const EscapeGroupRef = builder.objectRef<EscapeGroup>('EscapeGroup').implement({
  description:
    'Per repo: deploys that came back degraded, and how many of them no gate caught first.',
  fields: (t) => ({
    repo: t.exposeString('repo', {
      nullable: true,
      description: 'The repo (null: lessons without one).',
    }),
    degradedWorkItems: t.exposeInt('degradedWorkItems', {
      description: 'Work items with a deploy_degraded lesson created in the window.',
    }),
    escapedWorkItems: t.exposeInt('escapedWorkItems', {
      description:
        'Those of them with no gate_failure lesson (same work item, any repo, any earlier time) created before their first deploy_degraded lesson of the window: the gates let it through.',
    }),
    escapeRate: t.exposeFloat('escapeRate', {
      description: 'escapedWorkItems / degradedWorkItems.',
    }),
  }),
});

const EfficacyRef = builder.objectRef<Efficacy>('Efficacy').implement({
  description:
    "Did the fix work? Counts of the pattern's lessons by occurrence time (createdAt) before and after fixedAt, and an exact test of a decrease.",
  fields: (t) => ({
    fixedAt: t.expose('fixedAt', { type: 'DateTime', description: 'When the fix shipped.' }),
    windowDays: t.exposeInt('windowDays', { description: 'The length of each window, in days.' }),
    before: t.exposeInt('before', { description: 'Lessons in [fixedAt - windowDays, fixedAt).' }),
    after: t.exposeInt('after', {
      description: 'Lessons in [fixedAt, min(asOf, fixedAt + windowDays)).',
    }),
    afterDays: t.exposeFloat('afterDays', {
      description: 'The length of the after window, in days.',
    }),
    rateBefore: t.exposeFloat('rateBefore', { description: 'before / windowDays, per day.' }),
    rateAfter: t.exposeFloat('rateAfter', {
      description: 'after / afterDays, per day (0 when afterDays is 0).',
    }),
    rateRatio: t.exposeFloat('rateRatio', {
      nullable: true,
      description: 'rateAfter / rateBefore; null when rateBefore is 0.',
    }),
    pValue: t.exposeFloat('pValue', {
      nullable: true,
      description:
        'The one-sided exact conditional test of a decrease: P(K <= after) for K ~ Binomial(before + after, afterDays / (windowDays + afterDays)); null when before + after is 0 or afterDays is 0.',
    }),
    verdict: t.exposeString('verdict', {
      description:
        'INSUFFICIENT_DATA when before + after < 5 or afterDays < 1; else EFFECTIVE when pValue < 0.05, REGRESSED when P(K >= after) < 0.05, else INCONCLUSIVE.',
    }),
  }),
});

builder.objectField(PatternRef, 'efficacy', (t) =>
  t.field({
    type: EfficacyRef,
    nullable: true,
    description:
      'Whether its fix made it rarer; null while it has no fixedAt, with the journal off or on a fault.',
    args: {
      windowDays: t.arg.int({
        defaultValue: 14,
        required: true,
        description: `The length of each window: ${WINDOW_RULE}.`,
      }),
      asOf: t.arg({
        type: 'DateTime',
        description: 'Where the after window ends at the latest; absent: now.',
      }),
    },
    resolve: (pattern, args, ctx, info) =>
      answered(ctx, info, (call) =>
        batched<Efficacy | null>(
          ctx,
          `efficacy:${args.windowDays}:${args.asOf?.getTime() ?? ''}`,
          (ids, batch) =>
            ctx.journal.efficacy(ids, { windowDays: args.windowDays, asOf: args.asOf }, batch),
          null,
        )(pattern.id, call),
      ),
  }),
);

builder.queryFields((t) => ({
  riceInputs: t.field({
    authScopes: { reader: true },
    type: [RiceInputRef],
    description: `What the RICE prioritiser scores, per group of the lessons created in the window [asOf - windowDays, asOf): reach, frequency, recency, trend with its p-value, confidence. A group with lessons in the window or the one before it is a group. Ordered by reach desc, lessons desc, then the keys (nulls last); [] with the journal off or on a fault. ${NEEDS.reader}`,
    args: {
      groupBy: t.arg({
        type: [RiceDimensionEnum],
        required: true,
        description: 'The dimensions to group by; an empty list gives one group of every lesson.',
      }),
      windowDays: t.arg.int({
        defaultValue: 30,
        required: true,
        description: `The window's length: ${WINDOW_RULE}.`,
      }),
      asOf: t.arg({ type: 'DateTime', description: AS_OF_DOC }),
      filter: t.arg({
        type: LessonFilterInput,
        description:
          'Which lessons count (its since/until narrow both windows further); absent: all.',
      }),
      limit: t.arg.int({ description: `How many groups at most: ${LIMIT_RULE}.` }),
    },
    resolve: (_root, args, ctx, info) =>
      answered(ctx, info, (call) =>
        ctx.journal.riceInputs(
          args.groupBy,
          { windowDays: args.windowDays, asOf: args.asOf },
          args.filter,
          args.limit,
          call,
        ),
      ),
  }),
  escapes: t.field({
    authScopes: { reader: true },
    type: [EscapeGroupRef],
    description: `Per repo, the work items whose deploy came back degraded in the window [asOf - windowDays, asOf), and how many of them had no gate failure before it. Ordered by escapedWorkItems desc, degradedWorkItems desc, then the repo (nulls last); [] with the journal off or on a fault. ${NEEDS.reader}`,
    args: {
      windowDays: t.arg.int({
        defaultValue: 30,
        required: true,
        description: `The window's length: ${WINDOW_RULE}.`,
      }),
      asOf: t.arg({ type: 'DateTime', description: AS_OF_DOC }),
      repo: t.arg.string({ description: 'Only this repo; absent: every repo.' }),
    },
    resolve: (_root, args, ctx, info) =>
      answered(ctx, info, (call) =>
        ctx.journal.escapes({ windowDays: args.windowDays, asOf: args.asOf }, args.repo, call),
      ),
  }),
}));
