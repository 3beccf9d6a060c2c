"""record_async: returns at once whatever the service does; a bounded queue that drops (and
counts, and warns) when full instead of blocking; one sender that survives a failing send;
flush(timeout) waits for the queue; its size comes from LESSONS_QUEUE_SIZE."""

from __future__ import annotations

import threading
import unittest
from typing import Any
from unittest import mock

from support import JournalTestCase, hung_server, timed  # first: puts the package on the path

import lessons_journal as lessons
from lessons_journal import background
from lessons_journal.background import AsyncRecorder


class BlockedSender:
    """A send that waits until released, so a test can fill the queue behind it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.sent: list[dict[str, Any]] = []

    def __call__(self, **lesson: Any) -> None:
        self.started.set()
        self.release.wait(5)
        self.sent.append(lesson)


class Queue(JournalTestCase):
    def test_a_full_queue_drops_counts_and_warns_without_blocking(self) -> None:
        sender = BlockedSender()
        recorder = AsyncRecorder(2, sender)
        self.assertTrue(recorder.submit({"lesson_type": "a"}))
        self.assertTrue(sender.started.wait(2))  # "a" is being sent; the queue is empty
        self.assertTrue(recorder.submit({"lesson_type": "b"}))
        self.assertTrue(recorder.submit({"lesson_type": "c"}))
        for name in ("d", "e", "f"):
            (queued, message), elapsed = timed(
                lambda: self.one_warning(lambda: recorder.submit({"lesson_type": name}))
            )
            self.assertFalse(queued)
            self.assertLess(elapsed, 0.25)  # at once: no connection, no wait
            self.assertTrue(message.startswith(f"lessons.record_async({name}) error: queue full"))
        self.assertEqual(recorder.dropped(), 3)
        self.assertFalse(recorder.flush(0.05))  # still sending
        sender.release.set()
        self.assertTrue(recorder.flush(2))
        self.assertEqual([s["lesson_type"] for s in sender.sent], ["a", "b", "c"])

    def test_the_sender_outlives_a_send_that_raises(self) -> None:
        sent: list[str] = []

        def send(lesson_type: str) -> None:
            if lesson_type == "bad":
                raise RuntimeError("broken send")
            sent.append(lesson_type)

        recorder = AsyncRecorder(10, send)
        with self.assertLogs("orchestrator.lessons") as logs:
            recorder.submit({"lesson_type": "bad"})
            recorder.submit({"lesson_type": "good"})
            self.assertTrue(recorder.flush(2))
        self.assertEqual(sent, ["good"])
        self.assertEqual(
            logs.output,
            ["WARNING:orchestrator.lessons:lessons.record_async(bad) error: broken send"],
        )

    def test_the_queue_size_comes_from_the_environment(self) -> None:
        self.use(LESSONS_QUEUE_SIZE="7")
        with mock.patch.object(background, "_default", None):
            self.assertEqual(background._recorder()._queue.maxsize, 7)


class RecordAsync(JournalTestCase):
    def test_returns_at_once_while_the_service_hangs(self) -> None:
        with hung_server() as url:
            self.use(LESSONS_URL=url, LESSONS_TIMEOUT_S="0.6")
            dropped = lessons.dropped()
            with self.assertLogs("orchestrator.lessons") as logs:
                for i in range(3):
                    queued, elapsed = timed(
                        lambda: lessons.record_async("gate_failure", stage=f"s{i}")
                    )
                    self.assertTrue(queued)
                    self.assertLess(elapsed, 0.25)  # at once: no connection, no wait
                self.assertTrue(lessons.flush(3))
        self.assertEqual(lessons.dropped(), dropped)
        self.assertEqual(len(logs.records), 3)  # record's one warning per failed send
        self.assertTrue(all("within 0.6s" in r.getMessage() for r in logs.records))

    def test_a_blank_lesson_type_is_not_queued(self) -> None:
        self.assertFalse(self.no_log(lambda: lessons.record_async("")))


if __name__ == "__main__":
    unittest.main()
