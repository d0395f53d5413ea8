"""Fixed-window rate limits on the shared cache (Redis when configured)."""

from __future__ import annotations

import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def allow(scope: str, who: str, limit: int, window_seconds: int) -> bool:
    """True while `who` has done `scope` fewer than `limit` times in the current window.

    A cache that is down lets the action through: a rate limit must not stop a person in
    distress from posting because Redis went away.
    """
    window = int(time.time() // window_seconds)
    # Hashed: the cache never holds an address or a user id in the clear.
    digest = hashlib.sha256(f"{scope}:{who}".encode()).hexdigest()[:32]
    key = f"rate:{scope}:{window}:{digest}"
    try:
        added = cache.add(key, 1, timeout=window_seconds + 5)
        count = 1 if added else cache.incr(key)
    except Exception as error:
        logger.warning("rate limit cache unavailable (%s); allowing", type(error).__name__)
        return True
    return count <= limit


def anonymous_client(*_: object) -> str:
    """django-axes' name for a client in its log lines: nothing that identifies a person."""
    return "a client"
