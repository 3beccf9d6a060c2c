"""The orchestrator's hot path in Python, with the lessons_journal package (clients/python;
standard library only): ask what the journal learned before a stage, answer how it went
after, record a lesson when the stage leaves its happy path. Nothing here raises: any
failure (refused, timeout, HTTP error, not JSON, GraphQL errors, auth) logs one warning and
returns the default ([] / False / None) within LESSONS_TIMEOUT_S, so the stage, rollback,
HOLD or retry goes on. Configured by LESSONS_URL and LESSONS_TOKEN (a writer token, when
the service requires one)."""
import logging
import sys
from pathlib import Path

try:
    import lessons_journal as lessons
except ImportError:  # not installed: use the copy in this repository
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python"))
    import lessons_journal as lessons

if __name__ == "__main__":
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    advice = lessons.advisories("quality_gate", repo="orchestrator", work_item_id="ORCH-98")
    for a in advice:
        print(f"known problem {a['title']!r}: {a['suggestion']} ({a['why']})")
    # ... the stage runs, and its gate rolls the task back ...
    for a in advice:
        lessons.advice_feedback(a["id"], "not_relevant")
    lesson_id = lessons.record(lessons.LessonType.GATE_FAILURE, work_item_id="ORCH-98",
                               stage="quality_gate", repo="orchestrator",
                               root_cause="flaky e2e test", detail={"attempt": 3})
    print(f"recorded lesson {lesson_id}" if lesson_id else "not recorded (deduplicated, off, or down)")
