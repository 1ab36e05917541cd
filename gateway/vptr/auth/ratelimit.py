"""A token bucket per organisation, so one heavy client cannot starve the others.

Every organisation (or, for anonymous open-data requests, every client address) gets a bucket of
``burst`` tokens refilled at ``rate`` tokens a second; a request takes one token, and a request
finding the bucket empty is answered 429 with ``Retry-After`` set to when the next token arrives.

The buckets live in the memory of each gateway instance, not in the database. A shared bucket would
cost a database round trip and a contended row lock on every request of the busiest client, which is
exactly the load this limiter is there to shed; and the resource it protects (an instance's workers
and its share of the connection pool) is itself per instance. The price is that with N instances
behind a load balancer an organisation may reach up to N times the configured rate in total: set
the rate per instance as (rate agreed for the register) / N. This is stated in docs/security.md.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """Thread-safe token buckets keyed by any string (an organisation IRI, ``ip:`` + an address)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_buckets: int = 100_000,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least one")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when the request may go ahead, otherwise the seconds
        until it may be retried (never 0 for a refusal, so callers can test the result's truth)."""
        with self._lock:
            now = self._clock()
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self._max_buckets:
                    self._forget_full_buckets(now)
                bucket = self._buckets[key] = _Bucket(tokens=float(self.burst), updated=now)
            else:
                elapsed = max(0.0, now - bucket.updated)
                bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * self.rate)
                bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    def _forget_full_buckets(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no state a new bucket would not.

        Keeps memory bounded when many one-off clients (open-data readers) pass by.
        """
        refill = self.burst / self.rate
        idle = [key for key, b in self._buckets.items() if now - b.updated >= refill]
        for key in idle:
            del self._buckets[key]


def retry_after_header(seconds: float) -> str:
    """``Retry-After`` in whole seconds, rounded up so a client that obeys it is served."""
    return str(max(1, math.ceil(seconds)))
