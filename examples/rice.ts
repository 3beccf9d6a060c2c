// The RICE prioritiser: rank the open lessons' (type, target domain) groups of the last 90
// days by reach (work items hit) x impact (occurrences per lesson), next to the journal's
// snapshot. Everything comes from two reads: one GROUP BY, one rollup.
import { createLessonsClient, Status } from 'lessons-journal/client';

const lessons = createLessonsClient({
  url: process.env.LESSONS_URL ?? 'http://127.0.0.1:4000/graphql',
  token: process.env.LESSONS_TOKEN, // a reader token, when the service requires tokens
  timeoutMs: 10_000,
});

const groups = await lessons.aggregates({
  groupBy: ['LESSON_TYPE', 'TARGET_DOMAIN'],
  filter: {
    status: [Status.NEW, Status.IN_PROGRESS],
    since: new Date(Date.now() - 90 * 24 * 3600 * 1000),
  },
});
const ranked = groups
  .map((g) => ({
    group: `${g.lessonType} / ${g.targetDomain ?? 'unclassified'}`,
    reach: g.workItems,
    impact: g.occurrences / g.lessons,
  }))
  .map((r) => ({ ...r, score: r.reach * r.impact }))
  .sort((a, b) => b.score - a.score || a.group.localeCompare(b.group));
for (const r of ranked) {
  console.log(
    `${r.score.toFixed(1).padStart(6)}  ${r.group} (reach ${r.reach}, impact ${r.impact.toFixed(2)})`,
  );
}

const snapshot = await lessons.snapshot();
if (snapshot.reachable && snapshot.enabled) {
  const types = (snapshot.byType ?? []).map((b) => `${b.key} ${b.count}`).join(', ');
  console.log(`${snapshot.open} open of ${snapshot.total}; by type: ${types}`);
}
