// The retrospective agent: which (type, stage, repo) patterns recurred in the last 30 days,
// then every gate failure of that period, page by page. A logger that counts warnings
// tells a complete answer from one cut short by a failure (the client never raises, so a
// failed page reads as an empty last page).
import { createLessonsClient, type Lesson, LessonType } from 'lessons-journal/client';

let failures = 0;
const lessons = createLessonsClient({
  url: process.env.LESSONS_URL ?? 'http://127.0.0.1:4000/graphql',
  token: process.env.LESSONS_TOKEN, // a reader token, when the service requires tokens
  timeoutMs: 10_000, // not a hot path
  logger: {
    warn(details, message) {
      failures += 1;
      console.warn(message, details);
    },
  },
});

const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
const patterns = await lessons.aggregates({
  groupBy: ['LESSON_TYPE', 'STAGE', 'REPO'],
  filter: { since },
  limit: 20,
});
for (const p of patterns) {
  console.log(
    `${p.lessonType} at ${p.stage ?? '-'} in ${p.repo ?? '-'}: ${p.occurrences} occurrences, ${p.lessons} lessons, ${p.workItems} work items`,
  );
}

const gateFailures: Lesson[] = [];
let after: string | null = null;
let total = 0;
do {
  const page = await lessons.getPage({
    filter: { lessonType: LessonType.GATE_FAILURE, since },
    first: 100,
    after,
    totalCount: after === null, // one COUNT, on the first page only
  });
  total = page.totalCount ?? total;
  gateFailures.push(...page.nodes);
  after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
} while (after !== null);

console.log(
  failures === 0
    ? `walked ${gateFailures.length} of ${total} gate failures`
    : `incomplete: ${failures} failed call(s); try again later`,
);
