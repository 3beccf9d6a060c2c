"""Never-raise against misbehaving servers: refused, hung, dripping, 500, HTML, bad JSON,
GraphQL errors, 401, 403, an answer of the wrong shape. Each function returns its safe
default within LESSONS_TIMEOUT_S and logs exactly one warning; and what a request looks like."""

from __future__ import annotations

import unittest
from collections.abc import Callable
from typing import Any, ClassVar

from support import (  # first: puts the package on the path
    JournalTestCase,
    closed_port_url,
    dripping_server,
    hung_server,
    stub,
    timed,
)

import lessons_journal as lessons

TIMEOUT_S = 0.4
CALLS: dict[str, tuple[Callable[[], Any], Any]] = {
    "record": (lambda: lessons.record("gate_failure", work_item_id="W-1"), None),
    "get": (lambda: lessons.get(work_item_id="W-1"), []),
    "update": (lambda: lessons.update(1, status="closed"), False),
    "snapshot": (lambda: lessons.snapshot(), {"enabled": True}),
}
WARNING_PREFIX = {
    "record": "lessons.record(gate_failure) error: ",
    "get": "lessons.get error: ",
    "update": "lessons.update(1) error: ",
    "snapshot": "lessons.snapshot error: ",
}
UNAUTHENTICATED = {
    "errors": [
        {
            "message": "a bearer token is required (Authorization: Bearer <token>)",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}


class Failures(JournalTestCase):
    def expect_defaults(self, url: str, reason: str, at_least_s: float = 0.0) -> None:
        """Every function against ``url``: its default, one warning naming ``reason``, in time."""
        self.use(LESSONS_URL=url, LESSONS_TIMEOUT_S=str(TIMEOUT_S))
        for name, (call, default) in CALLS.items():
            with self.subTest(name):
                (result, message), elapsed = timed(lambda: self.one_warning(call))
                self.assertEqual(result, default)
                self.assertTrue(message.startswith(WARNING_PREFIX[name]), message)
                self.assertIn(reason, message)
                self.assertLess(elapsed, TIMEOUT_S + 0.5)
                self.assertGreaterEqual(elapsed, at_least_s)

    def test_connection_refused(self) -> None:
        self.expect_defaults(closed_port_url(), "Connection refused")

    def test_a_hung_server_costs_the_timeout_and_no_more(self) -> None:
        with hung_server() as url:
            self.expect_defaults(url, f"within {TIMEOUT_S:g}s", at_least_s=TIMEOUT_S - 0.05)

    def test_a_dripping_server_is_bounded_by_the_whole_calls_timeout(self) -> None:
        with dripping_server() as url:
            self.expect_defaults(url, f"within {TIMEOUT_S:g}s", at_least_s=TIMEOUT_S - 0.05)

    def test_http_500(self) -> None:
        with stub(500, "Internal Server Error", "text/plain") as server:
            self.expect_defaults(server.url, "HTTP 500: Internal Server Error")

    def test_an_html_body(self) -> None:
        page = "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"
        with stub(200, page, "text/html") as server:
            self.expect_defaults(server.url, "HTTP 200, not a GraphQL answer: <!doctype html>")

    def test_bad_json(self) -> None:
        with stub(200, '{"data": {"recordLesson": ', "application/json") as server:
            self.expect_defaults(server.url, "not a GraphQL answer")

    def test_graphql_errors(self) -> None:
        body = {"data": None, "errors": [{"message": "boom"}, {"message": "and bang"}]}
        with stub(200, body) as server:
            self.expect_defaults(server.url, "GraphQL errors: boom; and bang")

    def test_http_401(self) -> None:
        with stub(401, UNAUTHENTICATED) as server:
            self.expect_defaults(server.url, "HTTP 401: a bearer token is required")

    def test_http_403(self) -> None:
        with stub(403, {"errors": [{"message": "forbidden for the reader role"}]}) as server:
            self.expect_defaults(server.url, "HTTP 403: forbidden for the reader role")

    def test_an_answer_of_the_wrong_shape(self) -> None:
        with stub(200, {"data": {}}) as server:
            self.expect_defaults(server.url, "KeyError")

    def test_a_url_that_is_not_http(self) -> None:
        self.expect_defaults("ftp://127.0.0.1/graphql", "is not an http(s) URL")


class Requests(JournalTestCase):
    def test_a_record_is_one_json_post_with_the_token(self) -> None:
        with stub(200, {"data": {"recordLesson": {"id": 7}}}) as server:
            self.use(LESSONS_URL=server.url, LESSONS_TOKEN="s3cret")
            lesson_id = self.no_log(lambda: lessons.record("gate_failure", work_item_id="W-1"))
        self.assertEqual(lesson_id, 7)
        [request] = server.requests
        self.assertEqual((request["method"], request["path"]), ("POST", "/graphql"))
        self.assertEqual(request["headers"]["content-type"], "application/json")
        self.assertEqual(request["headers"]["authorization"], "Bearer s3cret")
        self.assertIn("recordLesson(input: $input)", request["body"]["query"])
        self.assertEqual(
            request["body"]["variables"],
            {
                "input": {
                    "lessonType": "gate_failure",
                    "workItemId": "W-1",
                    "status": "new",
                    "source": "auto",
                }
            },
        )

    def test_no_token_no_authorization_header(self) -> None:
        with stub(200, {"data": {"updateLesson": True}}) as server:
            self.use(LESSONS_URL=server.url)
            self.assertTrue(self.no_log(lambda: lessons.update(3, target_repo=None)))
        [request] = server.requests
        self.assertNotIn("authorization", request["headers"])
        self.assertEqual(request["body"]["variables"], {"id": 3, "input": {"targetRepo": None}})

    def test_the_url_is_read_at_every_call(self) -> None:
        answer: dict[str, Any] = {"data": {"lessons": []}}
        with stub(200, answer) as first, stub(200, answer) as second:
            for server in (first, second, second):
                self.use(LESSONS_URL=server.url)
                self.assertEqual(self.no_log(lambda: lessons.get(limit=5)), [])
        self.assertEqual((len(first.requests), len(second.requests)), (1, 2))
        self.assertEqual(first.requests[0]["body"]["variables"], {"filter": {}, "limit": 5})

    def test_a_detail_json_cant_encode_is_sent_as_text(self) -> None:
        with stub(200, {"data": {"recordLesson": {"id": 1}}}) as server:
            self.use(LESSONS_URL=server.url)
            self.no_log(lambda: lessons.record("gate_failure", detail={"at": {1, 2}}))
        self.assertEqual(
            server.requests[0]["body"]["variables"]["input"]["detail"], {"at": "{1, 2}"}
        )

    def test_an_unknown_update_field_is_not_sent(self) -> None:
        with stub(200, {"data": {"updateLesson": True}}) as server:
            self.use(LESSONS_URL=server.url)
            result, message = self.one_warning(lambda: lessons.update(1, colour="red"))
        self.assertFalse(result)
        self.assertEqual(
            message, "lessons.update(1) error: ValueError: not a field of UPDATE: colour"
        )
        self.assertEqual(server.requests, [])

    def test_a_blank_lesson_type_is_not_sent(self) -> None:
        with stub(200, {"data": {"recordLesson": {"id": 1}}}) as server:
            self.use(LESSONS_URL=server.url)
            self.assertIsNone(self.no_log(lambda: lessons.record("")))
        self.assertEqual(server.requests, [])


class SnapshotDefaults(JournalTestCase):
    """The service's own safe defaults come through as the seed's minimal dicts."""

    NULLS: ClassVar[dict[str, None]] = {
        "total": None,
        "open": None,
        "recorded24h": None,
        "lastRecordedAt": None,
        "byType": None,
        "byStatus": None,
        "byDomain": None,
        "byAttribution": None,
    }

    def test_the_service_off_and_a_fault_inside_it(self) -> None:
        for enabled in (False, True):
            body = {"data": {"lessonsSnapshot": {"enabled": enabled, **self.NULLS}}}
            with self.subTest(enabled=enabled), stub(200, body) as server:
                self.use(LESSONS_URL=server.url)
                self.assertEqual(self.no_log(lessons.snapshot), {"enabled": enabled})


if __name__ == "__main__":
    unittest.main()
