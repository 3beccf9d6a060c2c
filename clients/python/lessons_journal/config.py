"""Configuration from the environment, read at every call, so a change (a test's, or an
operator's flipping the kill-switch) takes effect on the next call. Never raises: a value
that can't be used falls back to its default, except the kill-switch, which is then off."""

from __future__ import annotations

import logging
import math
import os

logger = logging.getLogger("orchestrator.lessons")

DEFAULT_URL = "http://127.0.0.1:4000/graphql"
DEFAULT_TIMEOUT_S = 2.0
DEFAULT_QUEUE_SIZE = 1000

# The service's own spellings of LESSONS_ENABLED (any case, surrounding blanks ignored).
_ON = frozenset({"true", "1", "yes", "on"})
_OFF = frozenset({"false", "0", "no", "off"})


def enabled() -> bool:
    """The kill-switch ``LESSONS_ENABLED``: on when unset; anything unrecognised is off, with
    one warning (the seed's "a config read fault -> treated as off")."""
    raw = os.environ.get("LESSONS_ENABLED")
    if raw is None:
        return True
    value = raw.strip().lower()
    if value in _ON:
        return True
    if value not in _OFF:
        logger.warning(
            "lessons: kill-switch read error: LESSONS_ENABLED=%r is none of %s; treated as off",
            raw,
            "/".join(sorted(_ON | _OFF)),
        )
    return False


def url() -> str:
    """``LESSONS_URL``: the service's GraphQL endpoint."""
    return os.environ.get("LESSONS_URL") or DEFAULT_URL


def token() -> str | None:
    """``LESSONS_TOKEN``: sent as ``authorization: Bearer <token>`` when set and not empty."""
    return os.environ.get("LESSONS_TOKEN") or None


def timeout_s() -> float:
    """``LESSONS_TIMEOUT_S``: the bound of one whole call, in seconds (a positive number)."""
    try:
        value = float(os.environ.get("LESSONS_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if math.isfinite(value) and value > 0 else DEFAULT_TIMEOUT_S


def queue_size() -> int:
    """``LESSONS_QUEUE_SIZE``: how many lessons ``record_async`` holds before it drops (>= 1)."""
    try:
        value = int(os.environ.get("LESSONS_QUEUE_SIZE", DEFAULT_QUEUE_SIZE))
    except ValueError:
        return DEFAULT_QUEUE_SIZE
    return value if value >= 1 else DEFAULT_QUEUE_SIZE
