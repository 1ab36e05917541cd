"""A short-lived in-process memory of who a credential is and what it may read.

Authenticating a request costs three reads (the key's row, the organisation's roles, and for a
check the organisation's authorisations); at a few hundred requests a second that is most of a
check. Each instance therefore remembers, for at most ``ttl`` seconds (``VPTR_AUTH_CACHE_SECONDS``,
default 2 s; 0 switches the cache off):

- the principal behind a credential, keyed by the SHA-256 of the credential presented (never the
  credential itself); a credential that does not authenticate is not remembered;
- an organisation's authorisations with ``readRights`` in force.

The bound: a revoked key, a change of roles or a withdrawn (or expiring) authorisation takes effect
on every instance at most ``ttl`` seconds later; a new key or authorisation is honoured at once
(nothing negative is remembered). No instance relies on another's memory: each one reads the store
again when its entry expires, so several instances stay correct, each within the same bound.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

#: Entries kept at most; beyond, expired entries are dropped, and if none, everything.
MAX_ENTRIES = 10_000


class TtlCache:
    """A thread-safe map whose entries expire ``ttl`` seconds after they were stored."""

    def __init__(self, ttl: float, *, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self._clock = clock
        self._max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def get(self, key: Hashable) -> Any | None:
        if not self.enabled:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            with self._lock:
                if self._entries.get(key) is entry:
                    del self._entries[key]
            return None
        return value

    def put(self, key: Hashable, value: Any) -> None:
        if not self.enabled or value is None:
            return
        now = self._clock()
        with self._lock:
            if len(self._entries) >= self._max_entries:
                live = {k: e for k, e in self._entries.items() if e[0] > now}
                self._entries = live if len(live) < self._max_entries else {}
            self._entries[key] = (now + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def credential_key(credential: str) -> str:
    """What the cache keys a credential by: its SHA-256, so memory never holds the credential."""
    return hashlib.sha256(credential.encode()).hexdigest()
