"""The kill-switch: with LESSONS_ENABLED off every function returns its default at once and
opens no socket; an unrecognised value is off, with one warning; it is read at every call."""

from __future__ import annotations

import os
import socket
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from support import JournalTestCase, closed_port_url, timed  # first: puts the package on the path

import lessons_journal as lessons
from lessons_journal import config

CALLS: dict[str, tuple[Callable[[], Any], Any]] = {
    "record": (lambda: lessons.record("gate_failure", work_item_id="W-1"), None),
    "get": (lambda: lessons.get(work_item_id="W-1"), []),
    "update": (lambda: lessons.update(1, status="closed"), False),
    "snapshot": (lambda: lessons.snapshot(), {"enabled": False}),
    "advisories": (lambda: lessons.advisories("quality_gate"), []),
    "advice_feedback": (lambda: lessons.advice_feedback("1", "helped"), False),
    "record_async": (lambda: lessons.record_async("gate_failure"), False),
}


@contextmanager
def no_sockets() -> Iterator[list[Any]]:
    """Every attempt to connect is recorded (and refused) instead of made."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("a connection was attempted")

    with (
        mock.patch.object(socket.socket, "connect", refuse),
        mock.patch.object(socket.socket, "connect_ex", refuse),
        mock.patch.object(socket, "create_connection", refuse),
    ):
        yield attempts


class KillSwitch(JournalTestCase):
    def test_off_values_return_defaults_at_once_without_a_socket(self) -> None:
        for value in ("false", "0", "no", "off", "OFF", " False "):
            self.use(LESSONS_ENABLED=value, LESSONS_URL=closed_port_url())
            for name, (call, default) in CALLS.items():
                with self.subTest(value=value, function=name), no_sockets() as attempts:
                    result, elapsed = timed(lambda: self.no_log(call))
                    self.assertEqual(result, default)
                    self.assertEqual(attempts, [])
                    self.assertLess(elapsed, 0.25)  # at once: no connection, no wait
        self.assertTrue(lessons.flush(1))

    def test_the_socket_guard_does_see_a_connection_when_on(self) -> None:
        self.use(LESSONS_ENABLED="on", LESSONS_URL=closed_port_url())
        with no_sockets() as attempts:
            result, message = self.one_warning(lambda: lessons.record("gate_failure"))
        self.assertIsNone(result)
        self.assertEqual(len(attempts), 1)
        self.assertIn("a connection was attempted", message)

    def test_an_unrecognised_value_is_off_with_one_warning_per_call(self) -> None:
        self.use(LESSONS_ENABLED="maybe", LESSONS_URL=closed_port_url())
        for name, (call, default) in CALLS.items():
            with self.subTest(name), no_sockets() as attempts:
                result, message = self.one_warning(call)
                self.assertEqual(result, default)
                self.assertEqual(attempts, [])
                self.assertIn("lessons: kill-switch read error: LESSONS_ENABLED='maybe'", message)

    def test_on_values_and_unset_are_on(self) -> None:
        for value in ("true", "1", "yes", "on", "TRUE", " On "):
            self.use(LESSONS_ENABLED=value)
            self.assertTrue(config.enabled(), value)
        del os.environ["LESSONS_ENABLED"]
        self.assertTrue(config.enabled())

    def test_the_switch_is_read_at_every_call(self) -> None:
        self.use(LESSONS_URL=closed_port_url())
        with no_sockets() as attempts:
            self.use(LESSONS_ENABLED="off")
            self.no_log(lambda: lessons.get())
            self.use(LESSONS_ENABLED="on")
            self.one_warning(lambda: lessons.get())
            self.use(LESSONS_ENABLED="off")
            self.no_log(lambda: lessons.get())
        self.assertEqual(len(attempts), 1)


class Settings(JournalTestCase):
    def test_defaults(self) -> None:
        self.assertEqual(config.url(), "http://127.0.0.1:4000/graphql")
        self.assertIsNone(config.token())
        self.assertEqual(config.timeout_s(), 2.0)
        self.assertEqual(config.queue_size(), 1000)

    def test_values_read_from_the_environment(self) -> None:
        self.use(
            LESSONS_URL="http://127.0.0.1:9/graphql",
            LESSONS_TOKEN="s3cret",
            LESSONS_TIMEOUT_S="0.25",
            LESSONS_QUEUE_SIZE="5",
        )
        self.assertEqual(config.url(), "http://127.0.0.1:9/graphql")
        self.assertEqual(config.token(), "s3cret")
        self.assertEqual(config.timeout_s(), 0.25)
        self.assertEqual(config.queue_size(), 5)

    def test_unusable_numbers_fall_back_to_their_defaults(self) -> None:
        for timeout, size in (("abc", "x"), ("0", "0"), ("-1", "-3"), ("nan", "1.5"), ("inf", "")):
            self.use(LESSONS_TIMEOUT_S=timeout, LESSONS_QUEUE_SIZE=size, LESSONS_TOKEN="")
            self.assertEqual(config.timeout_s(), 2.0, timeout)
            self.assertEqual(config.queue_size(), 1000, size)
            self.assertIsNone(config.token())


if __name__ == "__main__":
    unittest.main()
