"""Shared test support: this tree's package first on sys.path, a clean LESSONS_* environment
per test, the one-warning assertion, and misbehaving servers on the loopback (a closed port,
one that accepts and never answers, one that drips its answer, one canned answer)."""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
import time
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

CLIENT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CLIENT_ROOT))

# A running lessons-journal's GraphQL URL, for the round trips (test/python-client.test.ts
# starts one); without it those tests are skipped, visibly.
TEST_URL = os.environ.get("LESSONS_TEST_URL", "")
NEEDS_SERVER = unittest.skipUnless(TEST_URL, "LESSONS_TEST_URL is not set (a running service)")
SEED_PATH = Path(os.environ.get("LESSONS_SEED_PATH", "/work/shared/seed/000_e29a7ce419845388.txt"))
SCHEMA_PATH = CLIENT_ROOT.parent.parent / "schema.graphql"

# Variables of the test run itself, kept; every other LESSONS_* is cleared for each test.
_RUN_VARIABLES = {"LESSONS_TEST_URL", "LESSONS_SEED_PATH"}
T = TypeVar("T")


class JournalTestCase(unittest.TestCase):
    """Each test starts with no LESSONS_* configuration and gets its environment back after."""

    def setUp(self) -> None:
        patcher = mock.patch.dict(os.environ)
        patcher.start()
        self.addCleanup(patcher.stop)
        for name in [n for n in os.environ if n.startswith("LESSONS_")]:
            if name not in _RUN_VARIABLES:
                del os.environ[name]

    def use(self, **variables: str) -> None:
        os.environ.update(variables)

    def one_warning(self, call: Callable[[], T]) -> tuple[T, str]:
        """``call()``'s result and its one log record, which must be a warning."""
        with self.assertLogs("orchestrator.lessons", logging.DEBUG) as logs:
            result = call()
        self.assertEqual([r.levelname for r in logs.records], ["WARNING"], logs.output)
        return result, logs.records[0].getMessage()

    def no_log(self, call: Callable[[], T]) -> T:
        with self.assertNoLogs("orchestrator.lessons", logging.DEBUG):
            return call()


def closed_port_url() -> str:
    """A URL on which nothing listens (a port that was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


@contextmanager
def hung_server() -> Iterator[str]:
    """Accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/graphql"


class Stub:
    """An HTTP server answering every request with one canned answer; keeps what it got."""

    def __init__(self, status: int, body: bytes | str | dict[str, Any], content_type: str) -> None:
        self.requests: list[dict[str, Any]] = []
        payload = json.dumps(body).encode() if isinstance(body, dict) else body
        answer = payload.encode() if isinstance(payload, str) else payload
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                stub.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/graphql"
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def stub(
    status: int, body: bytes | str | dict[str, Any], content_type: str = "application/json"
) -> Iterator[Stub]:
    server = Stub(status, body, content_type)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def dripping_server(interval_s: float = 0.05) -> Iterator[str]:
    """Answers a status line, then one byte of a header every ``interval_s``, for up to 10 s:
    each read gets data in time, so only a bound on the whole call stops the client."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nx-slow: ")
            for _ in range(int(10 / interval_s)):
                if stop.wait(interval_s):
                    return
                try:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                except OSError:  # the client gave up: that is the point
                    return

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/graphql"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started
