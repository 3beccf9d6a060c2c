"""Round trips against a real lessons-journal (LESSONS_TEST_URL): record / get / update /
snapshot with exact values, dedup, record_async, and 20 threads recording at once. Every
test uses its own work item, so a service with other lessons in it does not disturb them."""

from __future__ import annotations

import logging
import threading
import time
import unittest
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from support import NEEDS_SERVER, TEST_URL, JournalTestCase  # first: puts the package on the path

import lessons_journal as lessons
from lessons_journal import Attribution, Domain, LessonType, Status
from lessons_journal.fields import Surface, on

LESSON_KEYS = {field.python for field in on(Surface.LESSON)}
SNAPSHOT_KEYS = {field.python for field in on(Surface.SNAPSHOT)}


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@NEEDS_SERVER
class RoundTrips(JournalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.use(LESSONS_URL=TEST_URL)
        self.work_item = f"PY-{uuid.uuid4().hex[:12]}"

    def full(self, **changes: Any) -> dict[str, Any]:
        """Every argument record() takes, for this test's work item."""
        return {
            "work_item_id": self.work_item,
            "task_id": "T-1",
            "stage": "post_deploy",
            "agent": "deployer",
            "repo": "enduro-trails",
            "root_cause": "p99 doubled after deploy",
            "suggestion": "canary first",
            "status": Status.NEW,
            "related_task": "T-2",
            "attribution": Attribution.PROJECT,
            "target_repo": "enduro-trails",
            "target_domain": Domain.RELIABILITY,
            "source": "auto",
            "detail": {"verdict": "DEGRADED", "p99_ms": [120, 250]},
            **changes,
        }

    def only(self, **criteria: Any) -> dict[str, Any]:
        [lesson] = self.no_log(lambda: lessons.get(**criteria))
        return lesson

    def test_record_then_get_gives_back_every_field_exactly(self) -> None:
        before = datetime.now(UTC) - timedelta(seconds=5)
        arguments = self.full()
        lesson_id = self.no_log(lambda: lessons.record(LessonType.DEPLOY_DEGRADED, **arguments))
        self.assertIsInstance(lesson_id, int)
        lesson = self.only(work_item_id=self.work_item)
        self.assertEqual(set(lesson), LESSON_KEYS)
        times = {k: lesson.pop(k) for k in ("created_at", "updated_at", "last_seen_at")}
        fingerprint = lesson.pop("fingerprint")
        expected = {
            "id": lesson_id,
            "lesson_type": "deploy_degraded",
            **arguments,
            "occurrences": 1,
        }
        self.assertEqual(lesson, expected)
        self.assertRegex(fingerprint, r"^[0-9a-f]{16,}$")
        self.assertEqual(len(set(times.values())), 1, times)
        self.assertTrue(before <= when(times["created_at"]) <= datetime.now(UTC))

    def test_an_auto_repeat_is_deduplicated_a_manual_one_never(self) -> None:
        key = {"work_item_id": self.work_item, "stage": "quality_gate"}
        first = lessons.record(LessonType.GATE_FAILURE, **key)
        self.assertIsInstance(first, int)
        time.sleep(0.01)  # so the repeat is seen at a later millisecond
        with self.assertLogs("orchestrator.lessons", logging.DEBUG) as logs:
            self.assertIsNone(lessons.record(LessonType.GATE_FAILURE, **key))
        self.assertEqual([r.levelname for r in logs.records], ["DEBUG"])  # test_outcomes.py
        lesson = self.only(work_item_id=self.work_item)
        self.assertEqual((lesson["id"], lesson["occurrences"]), (first, 2))
        self.assertGreater(when(lesson["last_seen_at"]), when(lesson["created_at"]))
        manual = [lessons.record(LessonType.GATE_FAILURE, source="manual", **key) for _ in range(2)]
        self.assertEqual(len({first, *manual}), 3)
        self.assertEqual(len(lessons.get(work_item_id=self.work_item)), 3)

    def test_get_filters_and_limits_newest_first(self) -> None:
        ids = [
            lessons.record(
                LessonType.MERGE_HOLD, work_item_id=self.work_item, stage=f"s{i}", repo=repo
            )
            for i, repo in enumerate(["a", "b", "a"])
        ]
        self.assertEqual([x["id"] for x in lessons.get(work_item_id=self.work_item)], ids[::-1])
        self.assertEqual(
            [x["id"] for x in lessons.get(work_item_id=self.work_item, repo="a")], [ids[2], ids[0]]
        )
        self.assertEqual(
            [x["id"] for x in lessons.get(work_item_id=self.work_item, limit=1)], [ids[2]]
        )
        criteria: dict[str, Any] = {
            "lesson_type": "merge_hold",
            "status": "new",
            "repo": ["a", "b"],
        }
        self.assertEqual(len(lessons.get(work_item_id=self.work_item, **criteria)), 3)
        self.assertEqual(lessons.get(work_item_id=self.work_item, lesson_type="gate_failure"), [])

    def test_update_reclassifies_clears_and_stamps(self) -> None:
        lesson_id = lessons.record(LessonType.DEPLOY_DEGRADED, **self.full())
        assert lesson_id is not None
        changes = {
            "status": Status.CLOSED,
            "attribution": Attribution.PLATFORM,
            "target_repo": None,
            "target_domain": Domain.QUALITY,
            "related_task": "T-9",
            "root_cause": "a cold cache",
            "suggestion": None,
        }
        time.sleep(0.01)  # so the update is stamped at a later millisecond
        self.assertTrue(self.no_log(lambda: lessons.update(lesson_id, **changes)))
        lesson = self.only(work_item_id=self.work_item)
        self.assertEqual({k: lesson[k] for k in changes}, changes)
        self.assertEqual(lesson["task_id"], "T-1")  # untouched
        self.assertGreater(when(lesson["updated_at"]), when(lesson["created_at"]))

    def test_update_is_false_for_a_missing_lesson_or_no_fields(self) -> None:
        lesson_id = lessons.record(LessonType.GATE_FAILURE, work_item_id=self.work_item)
        assert lesson_id is not None
        self.assertFalse(self.no_log(lambda: lessons.update(2**31 - 1, status=Status.CLOSED)))
        self.assertFalse(self.no_log(lambda: lessons.update(lesson_id)))
        self.assertEqual(self.only(work_item_id=self.work_item)["status"], "new")

    def test_snapshot_counts_a_new_lesson_exactly(self) -> None:
        tag = uuid.uuid4().hex[:8]
        kind, domain, who = f"type_{tag}", f"domain_{tag}", f"who_{tag}"
        before = self.no_log(lessons.snapshot)
        self.assertEqual(set(before) - {"last_recorded_at"}, SNAPSHOT_KEYS - {"last_recorded_at"})
        lesson_id = lessons.record(
            kind, work_item_id=self.work_item, target_domain=domain, attribution=who
        )
        after = self.no_log(lessons.snapshot)
        created = self.only(work_item_id=self.work_item)["created_at"]
        self.assertIsInstance(lesson_id, int)
        self.assertEqual(set(after), SNAPSHOT_KEYS)
        self.assertEqual(after["enabled"], True)
        for count in ("total", "open", "recorded_24h"):
            self.assertEqual(after[count], before[count] + 1, count)
        self.assertEqual(after["last_recorded_at"], created)
        self.assertEqual(after["by_type"][kind], 1)
        self.assertEqual(after["by_domain"][domain], 1)
        self.assertEqual(after["by_attribution"][who], 1)
        self.assertEqual(after["by_status"]["new"], before["by_status"].get("new", 0) + 1)

    def test_advisories_before_a_stage_and_feedback_after_it(self) -> None:
        stage = f"stage_{uuid.uuid4().hex[:8]}"  # a stage of this test's own
        cause = "flaky checkout test"
        for n in range(3):
            lessons.record(
                LessonType.GATE_FAILURE,
                work_item_id=f"{self.work_item}-{n}",
                stage=stage,
                repo="shop",
                root_cause=cause,
                suggestion="quarantine it",
                source="manual",
            )
        [advice] = self.no_log(
            lambda: lessons.advisories(stage, repo="shop", work_item_id=self.work_item)
        )
        self.assertEqual(
            {k: advice[k] for k in ("title", "status", "suggestion")},
            {"title": cause, "status": "open", "suggestion": "quarantine it"},
        )
        self.assertEqual(sorted(advice), sorted(
            ["id", "pattern_id", "title", "status", "suggestion", "score", "why"]
        ))
        self.assertIsInstance(advice["pattern_id"], int)
        self.assertGreater(advice["score"], 0)
        self.assertTrue(advice["why"].startswith("3 lessons in the last 7 days"))
        self.assertTrue(self.no_log(lambda: lessons.advice_feedback(advice["id"], "helped")))
        self.assertFalse(self.no_log(lambda: lessons.advice_feedback("987654321", "helped")))
        self.assertEqual(self.no_log(lambda: lessons.advisories(stage, repo="elsewhere")), [])

    def test_record_async_sends_every_lesson(self) -> None:
        dropped = lessons.dropped()
        for i in range(5):
            self.assertTrue(
                lessons.record_async("transient_retry", work_item_id=self.work_item, stage=f"s{i}")
            )
        self.assertTrue(lessons.flush(5))
        stages = sorted(x["stage"] for x in lessons.get(work_item_id=self.work_item))
        self.assertEqual(stages, [f"s{i}" for i in range(5)])
        self.assertEqual(lessons.dropped(), dropped)


@NEEDS_SERVER
class Threads(JournalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.use(LESSONS_URL=TEST_URL)
        self.work_item = f"PY-{uuid.uuid4().hex[:12]}"

    def at_once(self, source: str) -> list[int | None]:
        """20 threads recording the same lesson at the same moment; their results."""
        start = threading.Barrier(20)
        results: list[int | None] = [None] * 20

        def run(i: int) -> None:
            start.wait()
            results[i] = lessons.record(
                LessonType.GATE_FAILURE,
                work_item_id=self.work_item,
                stage="quality_gate",
                source=source,
                root_cause=f"thread {i}",
            )

        threads = [threading.Thread(target=run, args=(i,)) for i in range(20)]
        with self.assertNoLogs("orchestrator.lessons"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10)
        return results

    def test_20_threads_get_20_distinct_ids_and_every_lesson_is_there(self) -> None:
        ids = self.at_once("manual")
        self.assertTrue(all(isinstance(i, int) for i in ids), ids)
        self.assertEqual(len(set(ids)), 20)
        stored = lessons.get(work_item_id=self.work_item, limit=100)
        self.assertEqual({x["id"] for x in stored}, set(ids))
        self.assertEqual({x["root_cause"] for x in stored}, {f"thread {i}" for i in range(20)})

    def test_20_identical_auto_records_at_once_make_one_lesson_seen_20_times(self) -> None:
        ids = self.at_once("auto")
        self.assertEqual(sum(i is not None for i in ids), 1, ids)
        [lesson] = lessons.get(work_item_id=self.work_item)
        self.assertEqual(lesson["occurrences"], 20)


if __name__ == "__main__":
    unittest.main()
