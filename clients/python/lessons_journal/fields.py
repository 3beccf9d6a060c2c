"""The one table of field names: snake_case in Python, camelCase in GraphQL, and the
surfaces each field is on. Every conversion between the two goes through it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Surface(enum.Flag):
    LESSON = enum.auto()  # a field of `Lesson`: a key of get()'s dicts
    RECORD = enum.auto()  # of `RecordLessonInput`: a keyword of record()
    UPDATE = enum.auto()  # of `UpdateLessonInput`: a keyword of update()
    FILTER = enum.auto()  # of `LessonFilter`: a keyword of get()
    SNAPSHOT = enum.auto()  # of `LessonsSnapshot`: a key of snapshot()'s dict


@dataclass(frozen=True)
class Field:
    python: str
    graphql: str
    surfaces: Surface
    buckets: bool = False  # a list of `CountBucket`s (`{ key count }`), a dict in Python


L, R, U, F, S = Surface.LESSON, Surface.RECORD, Surface.UPDATE, Surface.FILTER, Surface.SNAPSHOT

FIELDS: tuple[Field, ...] = (
    Field("id", "id", L),
    Field("lesson_type", "lessonType", L | R | F),
    Field("work_item_id", "workItemId", L | R | F),
    Field("task_id", "taskId", L | R),
    Field("stage", "stage", L | R),
    Field("agent", "agent", L | R),
    Field("repo", "repo", L | R | F),
    Field("root_cause", "rootCause", L | R | U),
    Field("suggestion", "suggestion", L | R | U),
    Field("status", "status", L | R | U | F),
    Field("related_task", "relatedTask", L | R | U),
    Field("attribution", "attribution", L | R | U),
    Field("target_repo", "targetRepo", L | R | U),
    Field("target_domain", "targetDomain", L | R | U),
    Field("source", "source", L | R),
    Field("detail", "detail", L | R),
    Field("fingerprint", "fingerprint", L),
    Field("occurrences", "occurrences", L),
    Field("last_seen_at", "lastSeenAt", L),
    Field("created_at", "createdAt", L),
    Field("updated_at", "updatedAt", L),
    Field("enabled", "enabled", S),
    Field("total", "total", S),
    Field("open", "open", S),
    Field("recorded_24h", "recorded24h", S),
    Field("last_recorded_at", "lastRecordedAt", S),
    Field("by_type", "byType", S, buckets=True),
    Field("by_status", "byStatus", S, buckets=True),
    Field("by_domain", "byDomain", S, buckets=True),
    Field("by_attribution", "byAttribution", S, buckets=True),
)


def on(surface: Surface) -> tuple[Field, ...]:
    """The fields of one surface, in the table's order."""
    return tuple(field for field in FIELDS if surface in field.surfaces)


def selection(surface: Surface) -> str:
    """The GraphQL selection of every field of an output surface."""
    return " ".join(
        f"{field.graphql} {{ key count }}" if field.buckets else field.graphql
        for field in on(surface)
    )


def to_graphql(values: Mapping[str, Any], surface: Surface) -> dict[str, Any]:
    """Python keywords -> a GraphQL input object; a name not on the surface is a ValueError."""
    names = {field.python: field.graphql for field in on(surface)}
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValueError(f"not a field of {surface.name}: {', '.join(unknown)}")
    return {names[name]: value for name, value in values.items()}


def from_graphql(obj: Mapping[str, Any], surface: Surface) -> dict[str, Any]:
    """A GraphQL output object -> a dict with Python keys (buckets as ``{key: count}``)."""
    out: dict[str, Any] = {}
    for field in on(surface):
        value = obj[field.graphql]
        if field.buckets and value is not None:
            value = {bucket["key"]: bucket["count"] for bucket in value}
        out[field.python] = value
    return out
