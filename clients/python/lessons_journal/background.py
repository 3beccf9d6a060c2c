"""Fire-and-forget recording for the hottest path: ``record_async`` puts the lesson on a
bounded queue and returns at once; one daemon thread sends the queue with ``record``. It
never blocks the caller: a full queue drops the lesson, counts it (``dropped()``) and logs
one warning. ``flush(timeout)`` waits for the queue to drain (tests, shutdown)."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from . import config
from .api import record

logger = logging.getLogger("orchestrator.lessons")


class AsyncRecorder:
    """A bounded queue of lessons (``record`` keyword dicts) and the one thread sending it."""

    def __init__(self, maxsize: int, send: Callable[..., object]) -> None:
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize)
        self._send = send
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0  # queued or being sent
        self._dropped = 0
        self._thread: threading.Thread | None = None

    def submit(self, lesson: dict[str, Any]) -> bool:
        """Queue one lesson without waiting; False (dropped, counted, warned) when full."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="lessons-journal-sender", daemon=True
                )
                self._thread.start()
            try:
                self._queue.put_nowait(lesson)
            except queue.Full:
                self._dropped += 1
                dropped = self._dropped
            else:
                self._pending += 1
                return True
        logger.warning(
            "lessons.record_async(%s) error: queue full (%d), lesson dropped (%d dropped so far)",
            lesson.get("lesson_type"),
            self._queue.maxsize,
            dropped,
        )
        return False

    def dropped(self) -> int:
        with self._lock:
            return self._dropped

    def flush(self, timeout: float) -> bool:
        """Wait until every queued lesson was sent; False if some are left after ``timeout``."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            lesson = self._queue.get()
            try:
                self._send(**lesson)
            except Exception as e:  # noqa: BLE001 - the sender must outlive any send
                logger.warning("lessons.record_async(%s) error: %s", lesson.get("lesson_type"), e)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


_default: AsyncRecorder | None = None
_default_lock = threading.Lock()


def _recorder() -> AsyncRecorder:
    """The process's recorder, made on first use with ``LESSONS_QUEUE_SIZE``."""
    global _default
    with _default_lock:
        if _default is None:
            _default = AsyncRecorder(config.queue_size(), record)
        return _default


def record_async(
    lesson_type: str,
    *,
    work_item_id: str | None = None,
    task_id: str | None = None,
    stage: str | None = None,
    agent: str | None = None,
    repo: str | None = None,
    root_cause: str | None = None,
    suggestion: str | None = None,
    status: str | None = "new",
    related_task: str | None = None,
    attribution: str | None = None,
    target_repo: str | None = None,
    target_domain: str | None = None,
    source: str | None = "auto",
    detail: Any = None,
) -> bool:
    """``record`` with the same arguments, in the background: returns at once, True iff queued.

    Kill-switch off or blank ``lesson_type`` -> False, nothing queued. The id is not returned
    (the send happens later); a failed send logs ``record``'s one warning.
    """
    lesson = dict(locals())  # first, while the only locals are the parameters
    if not config.enabled() or not lesson_type:
        return False
    return _recorder().submit(lesson)


def dropped() -> int:
    """How many lessons ``record_async`` dropped because its queue was full."""
    return _recorder().dropped()


def flush(timeout: float = 5.0) -> bool:
    """Wait up to ``timeout`` seconds for ``record_async``'s queue to be sent; True if it was."""
    return _recorder().flush(timeout)
