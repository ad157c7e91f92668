"""Fixed-window rate limits: one counter per client and window, incremented atomically in the cache.

DRF's default throttles keep a list of request times per client and rewrite it on every request, which costs
time in proportion to the rate and races between processes. A counter costs the same at any rate, and with
Redis (``REDIS_URL``) it is shared and atomic across every web process.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # importing rest_framework.views here would be circular (settings load this module)
    from rest_framework.request import Request


class _FixedWindowMixin:
    cache_format = "throttle:%(scope)s:%(ident)s"
    rate: str | None
    num_requests: int
    duration: int

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if ident is None:
            return True
        window = int(time.time() // self.duration)
        key = f"{ident}:{window}"
        cache.add(key, 0, timeout=self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: start the window again
            cache.add(key, 1, timeout=self.duration + 1)
            count = 1
        self._window_end = (window + 1) * self.duration
        return count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, getattr(self, "_window_end", 0) - time.time())


class FixedWindowAnonThrottle(_FixedWindowMixin, AnonRateThrottle):
    """Anonymous clients, per IP address."""


class FixedWindowUserThrottle(_FixedWindowMixin, UserRateThrottle):
    """Signed-in clients and API tokens, per user."""
