"""Why ``record`` returned None, as the service says it (``extensions.lessons``): logged on
``orchestrator.lessons`` at debug level for a deduplicated record (with the lesson it folded
into) and a journal that is off, as a warning for a refused lesson and a fault inside the
journal; ``record`` still returns None, and a service that says nothing gets nothing logged."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from support import NEEDS_SERVER, TEST_URL, JournalTestCase, stub  # first: the package path

import lessons_journal as lessons
from lessons_journal import LessonType


def null_record(outcome: dict[str, Any] | None) -> dict[str, Any]:
    """A service's answer to recordLesson: null, and (unless None) why."""
    answer: dict[str, Any] = {"data": {"recordLesson": None}}
    if outcome is not None:
        answer["extensions"] = {"lessons": {"recordLesson": outcome}}
    return answer


class Outcomes(JournalTestCase):
    def one_log(self, level: str, url: str) -> str:
        """``record`` against ``url``: None, and its one log record, at ``level``."""
        self.use(LESSONS_URL=url)
        with self.assertLogs("orchestrator.lessons", logging.DEBUG) as logs:
            self.assertIsNone(lessons.record(LessonType.GATE_FAILURE, work_item_id="W-1"))
        self.assertEqual([r.levelname for r in logs.records], [level], logs.output)
        return logs.records[0].getMessage()

    def test_a_fault_inside_the_journal_is_a_warning_with_its_reason(self) -> None:
        with stub(200, null_record({"outcome": "fault", "reason": "db_unreachable"})) as server:
            message = self.one_log("WARNING", server.url)
        self.assertEqual(
            message,
            "lessons.record(gate_failure) not recorded: a fault in the journal: db_unreachable",
        )

    def test_the_journal_off_on_the_service_is_logged_at_debug(self) -> None:
        with stub(200, null_record({"outcome": "off"})) as server:
            message = self.one_log("DEBUG", server.url)
        self.assertEqual(message, "lessons.record(gate_failure): the journal is off on the service")

    def test_a_service_that_does_not_say_why_gets_nothing_logged(self) -> None:
        with stub(200, null_record(None)) as server:
            self.use(LESSONS_URL=server.url)
            self.assertIsNone(self.no_log(lambda: lessons.record(LessonType.GATE_FAILURE)))


@NEEDS_SERVER
class OutcomesFromTheService(JournalTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.use(LESSONS_URL=TEST_URL)
        self.work_item = f"PY-{uuid.uuid4().hex[:12]}"

    def test_a_deduplicated_record_logs_at_debug_the_lesson_it_folded_into(self) -> None:
        key = {"work_item_id": self.work_item, "stage": "quality_gate"}
        first = self.no_log(lambda: lessons.record(LessonType.GATE_FAILURE, **key))
        self.assertIsInstance(first, int)
        time.sleep(0.01)
        with self.assertLogs("orchestrator.lessons", logging.DEBUG) as logs:
            self.assertIsNone(lessons.record(LessonType.GATE_FAILURE, **key))
        self.assertEqual(
            [(r.levelname, r.getMessage()) for r in logs.records],
            [("DEBUG", f"lessons.record(gate_failure): deduplicated into lesson {first}")],
        )

    def test_a_lesson_the_service_refuses_is_a_warning_with_the_reason(self) -> None:
        result, message = self.one_warning(lambda: lessons.record("   ", work_item_id="W-1"))
        self.assertIsNone(result)
        self.assertEqual(message, "lessons.record(   ) refused by the service: blank_lesson_type")


# The service's answer with the journal off: every field but `enabled` null.
OFF_SNAPSHOT_NULLS = {
    name: None
    for name in (
        "total open recorded24h lastRecordedAt byType byStatus byDomain byAttribution".split()
    )
}


class SafeDefaultsSaid(JournalTestCase):
    """A read or an update the service answered with its safe default says why, and that is
    logged: a fault (a timed-out read's [] looks like "nothing matched") as a warning."""

    def logs_of(self, answer: dict[str, Any], run: Any) -> tuple[Any, list[logging.LogRecord]]:
        with stub(200, answer) as server:
            self.use(LESSONS_URL=server.url)
            with self.assertLogs("orchestrator.lessons", logging.DEBUG) as logs:
                value = run()
        return value, logs.records

    def test_a_read_that_timed_out_is_a_warning(self) -> None:
        answer = {
            "data": {"lessons": []},
            "extensions": {"lessons": {"lessons": {"outcome": "fault", "reason": "timeout"}}},
        }
        value, records = self.logs_of(answer, lambda: lessons.get(repo="r"))
        self.assertEqual(value, [])
        self.assertEqual(
            [(r.levelname, r.getMessage()) for r in records],
            [("WARNING", "lessons.get answered its safe default: a fault in the journal: timeout")],
        )

    def test_an_update_over_the_rate_limit_is_a_warning(self) -> None:
        answer = {
            "data": {"updateLesson": False},
            "extensions": {
                "lessons": {"updateLesson": {"outcome": "rejected", "reason": "rate_limited"}}
            },
        }
        value, records = self.logs_of(answer, lambda: lessons.update(7, status="closed"))
        self.assertFalse(value)
        self.assertEqual(
            [(r.levelname, r.getMessage()) for r in records],
            [("WARNING", "lessons.update(7) refused by the service: rate_limited")],
        )

    def test_a_snapshot_with_the_journal_off_there_is_debug(self) -> None:
        answer = {
            "data": {"lessonsSnapshot": {"enabled": False, **OFF_SNAPSHOT_NULLS}},
            "extensions": {"lessons": {"lessonsSnapshot": {"outcome": "off"}}},
        }
        value, records = self.logs_of(answer, lessons.snapshot)
        self.assertEqual(value, {"enabled": False})
        self.assertEqual(
            [(r.levelname, r.getMessage()) for r in records],
            [("DEBUG", "lessons.snapshot: the journal is off on the service")],
        )

    def test_an_answer_that_says_nothing_logs_nothing(self) -> None:
        with stub(200, {"data": {"lessons": []}}) as server:
            self.use(LESSONS_URL=server.url)
            self.assertEqual(self.no_log(lessons.get), [])
