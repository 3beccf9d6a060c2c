"""One GraphQL operation over HTTP POST (``content-type: application/json``), bounded as a
whole by ``LESSONS_TIMEOUT_S``: connecting, sending and every read of the answer get only
what is left of that time, so neither a hung nor a slowly dripping server holds a caller
longer. Anything but a clean ``data`` answer raises ``CallFailed``; the caller (api.py)
turns that into one warning and a safe default; ``call_with_extensions`` gives the answer's
``extensions`` too (``record`` logs from them why a lesson was not recorded). No state is
kept between calls: one connection per call, closed before it returns. Proxy variables are
not used."""

from __future__ import annotations

import http.client
import io
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from . import config

MAX_ANSWER_BYTES = 64 * 1024 * 1024
_ACCEPT = "application/graphql-response+json, application/json"


class CallFailed(Exception):
    """The service gave no usable answer; the message says why."""


def call(query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """POST one operation to ``LESSONS_URL``; its ``data`` object."""
    return call_with_extensions(query, variables)[0]


def call_with_extensions(
    query: str, variables: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """POST one operation to ``LESSONS_URL``; its ``data`` and ``extensions`` (or ``{}``)."""
    timeout = config.timeout_s()
    deadline = time.monotonic() + timeout
    target = config.url()
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CallFailed(f"LESSONS_URL {target!r} is not an http(s) URL")
    body = json.dumps({"query": query, "variables": variables}, default=str).encode()
    headers = {"content-type": "application/json", "accept": _ACCEPT}
    bearer = config.token()
    if bearer:
        headers["authorization"] = f"Bearer {bearer}"
    kind = _DeadlineHTTPS if parts.scheme == "https" else _DeadlineHTTP
    connection = kind(parts.hostname, parts.port, deadline)
    try:
        connection.request("POST", _path(parts.path, parts.query), body, headers)
        response = connection.getresponse()
        payload = response.read(MAX_ANSWER_BYTES + 1)
    except TimeoutError as e:
        raise CallFailed(f"no answer from {target} within {timeout:g}s") from e
    except (OSError, http.client.HTTPException) as e:
        raise CallFailed(f"{target}: {str(e) or type(e).__name__}") from e
    finally:
        connection.close()
    if len(payload) > MAX_ANSWER_BYTES:
        raise CallFailed(f"the answer from {target} is larger than {MAX_ANSWER_BYTES} bytes")
    return _answer_of(response.status, payload)


def _path(path: str, query: str) -> str:
    return (path or "/") + (f"?{query}" if query else "")


def _answer_of(status: int, payload: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer's ``data`` and ``extensions``; CallFailed for a non-2xx status, errors, or
    no GraphQL answer."""
    try:
        answer = json.loads(payload)
    except ValueError:  # not JSON, or not UTF-8
        answer = None
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        listed = errors if isinstance(errors, list) else [errors]
        said = "; ".join(str(e.get("message", e) if isinstance(e, dict) else e) for e in listed)
        raise CallFailed(f"HTTP {status}: {said}" if status != 200 else f"GraphQL errors: {said}")
    if not 200 <= status < 300:
        raise CallFailed(f"HTTP {status}: {_excerpt(payload)}")
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        raise CallFailed(f"HTTP {status}, not a GraphQL answer: {_excerpt(payload)}")
    extensions = answer.get("extensions")
    return data, extensions if isinstance(extensions, dict) else {}


def _excerpt(payload: bytes) -> str:
    """The answer's first 200 bytes on one line, for the warning."""
    if not payload:
        return "(empty body)"
    text = " ".join(payload[:200].decode("utf-8", "replace").split())
    return text + ("..." if len(payload) > 200 else "")


class _DeadlineSocket:
    """A connected socket whose every send and receive waits only for what is left."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the call's time is up")
        self._sock.settimeout(left)

    def sendall(self, data: bytes) -> None:
        self.arm()
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", buffering: int = -1) -> io.BufferedReader:
        # The socket's own raw file keeps it open until the answer is read, as http.client
        # expects when it closes the connection early (an HTTP/1.0 or "connection: close" answer).
        return io.BufferedReader(_Reader(self, self._sock.makefile("rb", buffering=0)))

    def close(self) -> None:
        self._sock.close()


class _Reader(io.RawIOBase):
    """The raw stream http.client reads the answer from: each read through the deadline."""

    def __init__(self, sock: _DeadlineSocket, raw: Any) -> None:
        self._sock = sock
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.arm()
        count: int = self._raw.readinto(buffer)
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineHTTP(http.client.HTTPConnection):
    """Connects within what is left, then hands http.client a deadline-bound socket."""

    def __init__(self, host: str, port: int | None, deadline: float) -> None:
        super().__init__(host, port, timeout=max(deadline - time.monotonic(), 0.001))
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._deadline)


class _DeadlineHTTPS(_DeadlineHTTP, http.client.HTTPSConnection):
    """The same over TLS (the handshake is bounded by the connect timeout)."""
