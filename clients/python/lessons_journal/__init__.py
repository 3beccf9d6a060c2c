"""lessons_journal: the orchestrator's lessons-journal module, as a client of the
lessons-journal GraphQL service. The seed's functions and constants, same names and
signatures, so a caller changes only its import; plus ``record_async`` / ``flush`` /
``dropped`` for fire-and-forget recording.

Promises: with ``LESSONS_ENABLED`` off every function returns its default at once and opens
no connection; otherwise no function ever raises (a failure logs one warning on the
``orchestrator.lessons`` logger and returns the default), each call is bounded by
``LESSONS_TIMEOUT_S``, and every function is thread-safe. Standard library only."""

from .api import advice_feedback, advisories, get, record, snapshot, update
from .background import dropped, flush, record_async
from .slugs import Attribution, Domain, LessonType, Status

__all__ = [
    "Attribution",
    "Domain",
    "LessonType",
    "Status",
    "advice_feedback",
    "advisories",
    "dropped",
    "flush",
    "get",
    "record",
    "record_async",
    "snapshot",
    "update",
]
