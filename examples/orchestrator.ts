// The orchestrator's hot path: record a lesson where the pipeline leaves its happy path.
// The client never raises: with the journal down, slow or refusing, `record` resolves to
// null within timeoutMs after one warning, and the rollback goes on regardless.
import { createLessonsClient, LessonType } from 'lessons-journal/client';

const lessons = createLessonsClient({
  url: process.env.LESSONS_URL ?? 'http://127.0.0.1:4000/graphql',
  token: process.env.LESSONS_TOKEN, // a writer token, when the service requires tokens
  timeoutMs: 2000,
});

async function rollBackToDevelopment(workItemId: string, reason: string): Promise<void> {
  // ... the rollback itself, then the lesson (its promise never rejects) ...
  const lesson = await lessons.record({
    lessonType: LessonType.GATE_FAILURE,
    workItemId,
    stage: 'quality_gate',
    repo: 'orchestrator',
    rootCause: reason,
    detail: { attempt: 3 },
  });
  console.log(
    lesson ? `recorded lesson ${lesson.id}` : 'not recorded (deduplicated, off, or down)',
  );
}

await rollBackToDevelopment('ORCH-98', 'flaky e2e test');
await rollBackToDevelopment('ORCH-98', 'flaky e2e test'); // the same again: deduplicated

// The `lessons` block of GET /queue.
const snapshot = await lessons.snapshot('orchestrator');
console.log(
  snapshot.reachable
    ? `journal ${snapshot.enabled ? 'on' : 'off'}: ${snapshot.open ?? 0} open of ${snapshot.total ?? 0}`
    : 'journal unreachable',
);
