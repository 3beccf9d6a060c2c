"""The orchestrator's hot path in Python, with plain HTTP (urllib): record a lesson, never
raise. Any failure (refused, timeout, HTTP error, not JSON, GraphQL errors, auth) logs one
warning and returns None within the timeout, so a rollback / HOLD / retry goes on."""
import json
import logging
import os
import urllib.request

logger = logging.getLogger("orchestrator.lessons")

LESSONS_URL = os.environ.get("LESSONS_URL", "http://127.0.0.1:4000/graphql")
LESSONS_TOKEN = os.environ.get("LESSONS_TOKEN")  # a writer token, when the service requires one

RECORD = """mutation Record($input: RecordLessonInput!) {
  recordLesson(input: $input) { id occurrences }
}"""


def record(lesson_type, timeout=2.0, **fields):
    """Record one lesson; its id, or None (deduplicated, journal off, or any failure)."""
    try:
        body = json.dumps({"query": RECORD, "variables": {"input": {"lessonType": lesson_type, **fields}}})
        headers = {"content-type": "application/json", "accept": "application/json"}
        if LESSONS_TOKEN:
            headers["authorization"] = f"Bearer {LESSONS_TOKEN}"
        request = urllib.request.Request(LESSONS_URL, data=body.encode(), headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
        if answer.get("errors"):
            raise RuntimeError("; ".join(str(e.get("message")) for e in answer["errors"]))
        lesson = answer["data"]["recordLesson"]
        return lesson["id"] if lesson else None
    except Exception as e:  # noqa: BLE001 - never-raise: the hot path must go on
        logger.warning("lessons.record(%s) failed: %s", lesson_type, e)
        return None


if __name__ == "__main__":
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    lesson_id = record("gate_failure", workItemId="ORCH-98", stage="quality_gate",
                       repo="orchestrator", rootCause="flaky e2e test", detail={"attempt": 3})
    print(f"recorded lesson {lesson_id}" if lesson_id else "not recorded (deduplicated, off, or down)")
