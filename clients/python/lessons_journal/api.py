"""The seed module's public functions, over the service's GraphQL API, with the seed's two
promises: the kill-switch (``LESSONS_ENABLED`` off -> the default at once, no connection)
and never-raise (any failure -> exactly one warning on ``orchestrator.lessons`` and the
default). Each call is independent (no shared state), so every function is thread-safe."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from . import config
from .fields import Surface, from_graphql, selection, to_graphql
from .transport import CallFailed, call_with_extensions

logger = logging.getLogger("orchestrator.lessons")

# A get() filter: one value, or several (any of them).
Criterion = str | Sequence[str] | None

# Returned when the journal is off or can't be asked (the seed's disabled snapshot).
DISABLED_SNAPSHOT: dict[str, Any] = {"enabled": False}
# The seed's answer on a failure with the switch on: enabled, nothing else known.
FAILED_SNAPSHOT: dict[str, Any] = {"enabled": True}


_RECORD = """mutation RecordLesson($input: RecordLessonInput!) {
  recordLesson(input: $input) { id }
}"""
_LESSONS = f"""query Lessons($filter: LessonFilter, $limit: Int) {{
  lessons(filter: $filter, limit: $limit) {{ {selection(Surface.LESSON)} }}
}}"""
_UPDATE = """mutation UpdateLesson($id: Int!, $input: UpdateLessonInput!) {
  updateLesson(id: $id, input: $input)
}"""
_ADVISORIES = """query Advisories($stage: String!, $repo: String, $agent: String,
    $workItemId: String, $limit: Int!) {
  advisories(stage: $stage, repo: $repo, agent: $agent, workItemId: $workItemId, limit: $limit) {
    id suggestion score why pattern { id title status }
  }
}"""
_ADVICE_FEEDBACK = """mutation AdviceFeedback($advisoryId: ID!, $verdict: String!) {
  adviceFeedback(advisoryId: $advisoryId, verdict: $verdict)
}"""
_SNAPSHOT = f"""query LessonsSnapshot {{
  lessonsSnapshot {{ {selection(Surface.SNAPSHOT)} }}
}}"""


def record(
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
) -> int | None:
    """Record one lesson (``recordLesson``); its new id, or ``None`` (off / error / deduped).

    * Kill-switch off -> ``None`` at once, without a connection. Blank ``lesson_type`` ->
      ``None`` at once.
    * ``source="auto"`` lessons are deduplicated by the service: a repeat of the same
      ``(work_item_id, lesson_type, stage)`` within its window -> ``None``, and the earlier
      lesson's ``occurrences`` goes up. ``source="manual"`` is never deduplicated.
    * Arguments left ``None`` are not sent (so ``status``/``source`` ``None`` -> the service's
      defaults, ``"new"``/``"auto"``); a ``detail`` value JSON can't encode is sent as its str().
    * Never raises: any failure -> one warning and ``None``.
    * When the service answers ``None`` it says why, and that is logged: deduplicated (into
      which lesson) or the journal off at debug level; refused (a blank type) or a fault
      inside the journal as a warning.
    """
    # First, while the only locals are the parameters: the arguments given, by name.
    values = {name: value for name, value in locals().items() if value is not None}
    if not config.enabled() or not lesson_type:
        return None
    try:
        variables = {"input": to_graphql(values, Surface.RECORD)}
        data, extensions = call_with_extensions(_RECORD, variables)
        lesson = data["recordLesson"]
        if lesson is None:
            _explain(lesson_type, extensions)
            return None
        return int(lesson["id"])
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.record(%s) error: %s", lesson_type, _reason(e))
        return None


def get(
    *,
    lesson_type: Criterion = None,
    status: Criterion = None,
    repo: Criterion = None,
    work_item_id: Criterion = None,
    limit: int | None = None,
) -> list[dict]:
    """Read lessons (``lessons(filter, limit)``), newest first, as dicts with snake_case keys
    (every field of the table; timestamps as ISO-8601 UTC strings, ``detail`` as decoded JSON).

    Each filter is one value (or a list: any of them); ``limit=None`` -> the service's default
    (100). Never raises: off / any failure -> ``[]``; when the service answers ``[]`` because
    of a fault inside the journal (or the journal is off there), it says so and that is logged.
    """
    criteria = {
        "lesson_type": lesson_type,
        "status": status,
        "repo": repo,
        "work_item_id": work_item_id,
    }
    if not config.enabled():
        return []
    try:
        given = {name: value for name, value in criteria.items() if value is not None}
        variables = {"filter": to_graphql(given, Surface.FILTER), "limit": limit}
        data, extensions = call_with_extensions(_LESSONS, variables)
        _explain_default("get", "lessons", extensions)
        return [from_graphql(lesson, Surface.LESSON) for lesson in data["lessons"]]
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.get error: %s", _reason(e))
        return []


def update(lesson_id: int, **fields: str | None) -> bool:
    """Re-classify / re-status a lesson (``updateLesson(id, input)``): any of ``status``,
    ``attribution``, ``target_repo``, ``target_domain``, ``related_task``, ``root_cause``,
    ``suggestion``; ``None`` clears a field (``status`` can't be cleared). Stamps
    ``updated_at``. ``True`` iff the lesson exists and was updated; no fields -> ``False``.

    Never raises: off / an unknown field (not sent) / any failure -> ``False``.
    """
    if not config.enabled() or not fields:
        return False  # no fields: nothing to change, as the seed answers (no call made)
    try:
        variables = {"id": lesson_id, "input": to_graphql(fields, Surface.UPDATE)}
        data, extensions = call_with_extensions(_UPDATE, variables)
        _explain_default(f"update({lesson_id})", "updateLesson", extensions)
        return data["updateLesson"] is True
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.update(%s) error: %s", lesson_id, _reason(e))
        return False


def snapshot() -> dict:
    """A light summary for the queue page (``lessonsSnapshot``): ``enabled``, ``total``,
    ``open``, ``recorded_24h``, ``last_recorded_at`` and ``by_type`` / ``by_status`` /
    ``by_domain`` / ``by_attribution`` as ``{slug: count}``. A field the service leaves null
    is left out, so the service's own defaults come through as the seed's: journal off ->
    ``{"enabled": False}``, a fault inside it -> ``{"enabled": True}``.

    Never raises: off here -> ``{"enabled": False}``; the service can't be asked ->
    ``{"enabled": True}``, as the seed answers a failure.
    """
    if not config.enabled():
        return dict(DISABLED_SNAPSHOT)
    try:
        data, extensions = call_with_extensions(_SNAPSHOT, {})
        _explain_default("snapshot", "lessonsSnapshot", extensions)
        summary = from_graphql(data["lessonsSnapshot"], Surface.SNAPSHOT)
        return {name: value for name, value in summary.items() if value is not None}
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.snapshot error: %s", _reason(e))
        return dict(FAILED_SNAPSHOT)


def advisories(
    stage: str,
    *,
    repo: str | None = None,
    agent: str | None = None,
    work_item_id: str | None = None,
    limit: int = 3,
) -> list[dict]:
    """The open or regressed patterns worth knowing before ``stage`` runs (``advisories``),
    best first, each as ``{"id", "pattern_id", "title", "status", "suggestion", "score",
    "why"}``; ``id`` is this advisory's, for ``advice_feedback`` after the stage ran.

    Never raises: off / any failure -> ``[]`` (a fault inside the journal is logged).
    """
    if not config.enabled():
        return []
    try:
        variables = {
            "stage": stage,
            "repo": repo,
            "agent": agent,
            "workItemId": work_item_id,
            "limit": limit,
        }
        data, extensions = call_with_extensions(_ADVISORIES, variables)
        _explain_default("advisories", "advisories", extensions)
        return [
            {
                "id": advisory["id"],
                "pattern_id": advisory["pattern"]["id"],
                "title": advisory["pattern"]["title"],
                "status": advisory["pattern"]["status"],
                "suggestion": advisory["suggestion"],
                "score": advisory["score"],
                "why": advisory["why"],
            }
            for advisory in data["advisories"]
        ]
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.advisories(%s) error: %s", stage, _reason(e))
        return []


def advice_feedback(advisory_id: str, verdict: str) -> bool:
    """How an advisory went, after the stage ran (``adviceFeedback``): ``verdict`` is one of
    ``"helped"``, ``"not_relevant"``, ``"wrong"``; the latest answer counts.

    True iff the service recorded it. Never raises: off / unknown id / any failure -> False.
    """
    if not config.enabled():
        return False
    try:
        data, extensions = call_with_extensions(
            _ADVICE_FEEDBACK, {"advisoryId": str(advisory_id), "verdict": verdict}
        )
        _explain_default("advice_feedback", "adviceFeedback", extensions)
        return data["adviceFeedback"] is True
    except Exception as e:  # noqa: BLE001 - never-raise contract
        logger.warning("lessons.advice_feedback(%s) error: %s", advisory_id, _reason(e))
        return False


def _told(extensions: dict[str, Any], field: str) -> dict[str, Any] | None:
    """What the answer's ``extensions.lessons`` says of ``field``; None when it says nothing
    (a field answered for real, or a service that does not say)."""
    lessons = extensions.get("lessons")
    told = lessons.get(field) if isinstance(lessons, dict) else None
    return told if isinstance(told, dict) else None


def _explain(lesson_type: str, extensions: dict[str, Any]) -> None:
    """Log why the service answered a record with null (its ``extensions.lessons``)."""
    told = _told(extensions, "recordLesson")
    if told is None:
        return
    outcome, reason = told.get("outcome"), told.get("reason")
    if outcome == "deduped":
        logger.debug("lessons.record(%s): deduplicated into lesson %s", lesson_type, told.get("id"))
    elif outcome == "off":
        logger.debug("lessons.record(%s): the journal is off on the service", lesson_type)
    elif outcome == "rejected":
        logger.warning("lessons.record(%s) refused by the service: %s", lesson_type, reason)
    elif outcome == "fault":
        logger.warning(
            "lessons.record(%s) not recorded: a fault in the journal: %s", lesson_type, reason
        )
    else:
        logger.debug("lessons.record(%s): answered null (%s)", lesson_type, outcome)


def _explain_default(operation: str, field: str, extensions: dict[str, Any]) -> None:
    """Log why the service answered ``field`` with its safe default, when it says so: the
    journal off at debug level, a refusal (over the write rate limit, nothing to change) or
    a fault inside the journal (a timed-out read's ``[]`` included) as a warning."""
    told = _told(extensions, field)
    if told is None:
        return
    outcome, reason = told.get("outcome"), told.get("reason")
    if outcome == "off":
        logger.debug("lessons.%s: the journal is off on the service", operation)
    elif outcome == "rejected":
        logger.warning("lessons.%s refused by the service: %s", operation, reason)
    elif outcome == "fault":
        logger.warning(
            "lessons.%s answered its safe default: a fault in the journal: %s", operation, reason
        )


def _reason(error: Exception) -> str:
    """A failure's reason for the warning: the service's, or the kind of an unexpected one."""
    return str(error) if isinstance(error, CallFailed) else f"{type(error).__name__}: {error}"
