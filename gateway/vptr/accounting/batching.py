"""Writing in batches from a background thread: the mechanism metering and the read audit share.

Per-request database writes would put a transaction (and, on SQLite, the write lock) on every
request; instead each instance collects in memory and writes at most ``flush_seconds`` later in one
transaction. The bound this buys and costs: a crash loses at most the last ``flush_seconds`` of one
instance; a graceful stop (or disposing of the engine) loses nothing; a failed write keeps the
batch and retries.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

#: Flushes with nothing to write before the thread ends (the next addition starts a new one), so
#: an idle instance, or an app a test made and forgot, keeps no thread awake.
IDLE_FLUSHES_BEFORE_EXIT = 10

Batch = TypeVar("Batch")


class BackgroundBatch(Generic[Batch]):
    """Pending items of type ``Batch`` written by a daemon thread; subclasses say how to hold,
    merge, count and write a batch."""

    #: Names the thread and the log lines.
    label = "batch"

    def __init__(self, engine: Engine, *, flush_seconds: float = 1.0,
                 before_write: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.flush_seconds = flush_seconds
        #: Called before each write (the store's lazy schema migration).
        self._before_write = before_write
        # A weak reference: the engine must not keep the batch alive.
        own = weakref.ref(self)

        def on_dispose(_engine: Engine) -> None:  # write what is pending while the store is there
            batch = own()
            if batch is not None:
                batch.close()

        event.listen(engine, "engine_disposed", on_dispose)
        self._pending: Batch = self._empty()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # What a subclass provides.
    def _empty(self) -> Batch:
        raise NotImplementedError

    def _merge(self, into: Batch, batch: Batch) -> None:
        raise NotImplementedError

    def _size(self, batch: Batch) -> int:
        raise NotImplementedError

    def _write_batch(self, engine: Engine, batch: Batch) -> None:
        raise NotImplementedError

    # The mechanism.
    def _add(self, batch: Batch) -> None:
        """Queue ``batch``; written at once when not buffering (``flush_seconds`` 0)."""
        if self.flush_seconds <= 0:
            self._write(batch)
            return
        with self._lock:
            self._merge(self._pending, batch)
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._run, name=f"vptr-{self.label}", daemon=True
                )
                self._thread.start()

    def flush(self) -> int:
        """Write what is pending now, in one transaction; returns how many items."""
        with self._lock:
            batch, self._pending = self._pending, self._empty()
        size = self._size(batch)
        if not size:
            return 0
        try:
            self._write(batch)
        except Exception:
            with self._lock:
                self._merge(self._pending, batch)
            raise
        return size

    def close(self) -> None:
        """Stop the background thread and write what is pending: a graceful stop loses nothing."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)
        self.flush()

    def _write(self, batch: Batch) -> None:
        if self._before_write is not None:
            self._before_write()
        self._write_batch(self.engine, batch)

    def _run(self) -> None:
        idle = failures = 0
        while not self._stop.wait(self.flush_seconds):
            try:
                idle = 0 if self.flush() else idle + 1
                failures = 0
            except Exception as exc:  # the batch stays pending and the next flush retries
                failures += 1
                idle = 0
                if failures == 1:
                    log.exception("%s flush failed; kept for the next attempt", self.label)
                elif failures % 60 == 0:  # an outage: say so now and then, not every second
                    log.warning("%s flush still failing after %d attempts: %s",
                                self.label, failures, exc)
            if idle >= IDLE_FLUSHES_BEFORE_EXIT:
                with self._lock:
                    if not self._size(self._pending):
                        self._thread = None
                        return
