"""The public surface is the contract's and the seed's: the same signatures (names, kinds,
defaults, return annotations), the same constants, and field names that schema.graphql has."""

from __future__ import annotations

import inspect
import re
import unittest
from collections.abc import Callable
from typing import Any, ClassVar

from support import SCHEMA_PATH, SEED_PATH, JournalTestCase  # first: puts the package on the path

import lessons_journal
from lessons_journal.fields import Surface, on

# The signatures exactly as the contract ("Other surfaces" -> "Python client") lists them.
CONTRACT = """
def record(lesson_type, *, work_item_id=None, task_id=None, stage=None, agent=None, repo=None,
           root_cause=None, suggestion=None, status="new", related_task=None, attribution=None,
           target_repo=None, target_domain=None, source="auto", detail=None) -> int | None: ...
def get(*, lesson_type=None, status=None, repo=None, work_item_id=None, limit=None) -> list[dict]: ...
def update(lesson_id, **fields) -> bool: ...
def snapshot() -> dict: ...
def advisories(stage, *, repo=None, agent=None, work_item_id=None, limit=3) -> list[dict]: ...
"""
SEED_FUNCTIONS = ("record", "get", "update", "snapshot")
CONSTANTS = ("LessonType", "Attribution", "Domain", "Status")


def define(source: str) -> dict[str, Any]:
    """The functions ``source`` defines (annotations kept as written, as in the package)."""
    namespace: dict[str, Any] = {}
    exec(compile("from __future__ import annotations\n" + source, "<contract>", "exec"), namespace)
    return namespace


def shape(function: Callable[..., Any]) -> tuple[list[tuple[str, Any, Any]], Any]:
    """What the contract fixes: each parameter's name, kind and default, and the return type
    (parameter annotations are the package's own addition)."""
    signature = inspect.signature(function)
    parameters = [(p.name, p.kind, p.default) for p in signature.parameters.values()]
    return parameters, signature.return_annotation


def seed_text() -> str:
    return SEED_PATH.read_text()


class ContractSignatures(JournalTestCase):
    def test_each_function_has_the_contracts_signature(self) -> None:
        expected = define(CONTRACT)
        for name in (*SEED_FUNCTIONS, "advisories"):
            with self.subTest(name):
                self.assertEqual(shape(getattr(lessons_journal, name)), shape(expected[name]))

    def test_record_async_takes_exactly_records_arguments(self) -> None:
        self.assertEqual(shape(lessons_journal.record_async)[0], shape(lessons_journal.record)[0])

    def test_the_public_names(self) -> None:
        self.assertEqual(
            sorted(lessons_journal.__all__),
            sorted(
                [
                    *SEED_FUNCTIONS,
                    "advisories",
                    "advice_feedback",
                    "record_async",
                    "flush",
                    "dropped",
                    *CONSTANTS,
                ]
            ),
        )


@unittest.skipUnless(SEED_PATH.exists(), f"no seed module at {SEED_PATH} (LESSONS_SEED_PATH)")
class SeedModule(JournalTestCase):
    """Against the seed itself (a module flattened onto one line, so read, not imported)."""

    def test_each_function_has_the_seeds_signature(self) -> None:
        found = re.findall(r"def (\w+)\(([^)]*)\) -> ([^:]+):", seed_text())
        seed = define("\n".join(f"def {n}({p}) -> {r}: ..." for n, p, r in found))
        self.assertLessEqual(set(SEED_FUNCTIONS), set(seed))
        for name in SEED_FUNCTIONS:
            with self.subTest(name):
                self.assertEqual(shape(getattr(lessons_journal, name)), shape(seed[name]))

    def test_the_constants_are_the_seeds(self) -> None:
        classes = dict(re.findall(r'class (\w+):\s*""".*?"""(.*?)(?=\bclass |\bdef )', seed_text()))
        for name in CONSTANTS:
            with self.subTest(name):
                ours = {
                    k: v for k, v in vars(getattr(lessons_journal, name)).items() if k.isupper()
                }
                self.assertEqual(ours, dict(re.findall(r'\b([A-Z_]+) = "(\w+)"', classes[name])))
                self.assertGreater(len(ours), 3)


@unittest.skipUnless(SCHEMA_PATH.exists(), f"no schema.graphql at {SCHEMA_PATH}")
class SchemaNames(JournalTestCase):
    """Every GraphQL name in the field table is a field of its type in schema.graphql."""

    TYPES: ClassVar[dict[Surface, str]] = {
        Surface.LESSON: "Lesson",
        Surface.RECORD: "RecordLessonInput",
        Surface.UPDATE: "UpdateLessonInput",
        Surface.FILTER: "LessonFilter",
        Surface.SNAPSHOT: "LessonsSnapshot",
    }

    def fields_of(self, type_name: str) -> set[str]:
        body = re.search(
            rf"(?:type|input) {type_name} \{{(.*?)\n\}}", SCHEMA_PATH.read_text(), re.S
        )
        assert body, type_name
        return set(re.findall(r"^\s+(\w+)\s*[:(]", body.group(1), re.M))

    def test_the_table_names_schema_fields(self) -> None:
        for surface, type_name in self.TYPES.items():
            with self.subTest(type_name):
                names = {field.graphql for field in on(surface)}
                self.assertLessEqual(names, self.fields_of(type_name))

    def test_the_table_has_what_the_functions_take(self) -> None:
        record = inspect.signature(lessons_journal.record).parameters
        self.assertEqual([f.python for f in on(Surface.RECORD)], list(record))
        get = inspect.signature(lessons_journal.get).parameters
        self.assertEqual({f.python for f in on(Surface.FILTER)} | {"limit"}, set(get))
        # What the contract's updateLesson sets.
        updatable = "status attribution targetRepo targetDomain relatedTask rootCause suggestion"
        self.assertEqual({f.graphql for f in on(Surface.UPDATE)}, set(updatable.split()))


if __name__ == "__main__":
    unittest.main()
