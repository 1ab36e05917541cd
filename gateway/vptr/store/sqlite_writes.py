"""How the writers of one process take turns on a SQLite database, and how its log is
checkpointed off their path.

SQLite has one writer at a time, and how writers wait for each other decides the write path's tail
latency. Left to itself, a writer that finds the lock taken sleeps in SQLite's busy handler in
growing steps (up to 100 ms) and never hears that the lock came free; and the writer whose commit
crosses the WAL's size threshold checkpoints the log into the database file there and then, with
an fsync, while its client waits. So :func:`write_transaction` queues the writers of one process in
a :class:`WriteGate` (a waiting writer wakes the moment the one before it is done) and then takes
SQLite's write lock at BEGIN (IMMEDIATE), so a transaction that read first never finds, at its
first write, that another committed in between (SQLite ignores FOR UPDATE: without this, two
concurrent ends of one right could both succeed); and checkpoints run in a thread of their own
(:class:`Checkpointer`), off every request's path. On PostgreSQL a write transaction is an ordinary
one.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

#: How long a SQLite writer waits for the write lock held by another process before giving up, in
#: milliseconds (writers of one process queue on :func:`write_transaction`'s lock instead).
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: WAL pages after which a committing connection checkpoints by itself: only a backstop for when
#: the checkpoint thread cannot keep up (SQLite's default, 1,000 pages, puts an fsync on a request
#: every hundred or so registrations).
SQLITE_AUTOCHECKPOINT_PAGES = 10_000
#: How long the checkpoint thread lets commits gather before it checkpoints them, in seconds.
CHECKPOINT_DELAY_SECONDS = 0.5
#: Seconds without a commit after which the checkpoint thread ends (the next commit starts one).
CHECKPOINT_IDLE_SECONDS = 10.0

#: The longest a writer that must not wait for another process (the event loop) waits for one of
#: its own process: those finish in milliseconds, the sooner for the wait (it leaves them the CPU).
OWN_WRITER_WAIT_SECONDS = 0.1


class WriteBusy(Exception):  # noqa: N818 - a condition, not a failure: the caller waits elsewhere
    """Another process holds the SQLite write lock, or a writer of this one takes too long, and
    the transaction was asked not to wait for that."""


class WriteGate:
    """Where the writers of this process queue for one SQLite database file, before they hold a
    pooled connection: a waiting writer wakes the moment the one before it is done. Re-entrant,
    so a writer that (wrongly) nests a second write transaction gets SQLite's 'database is
    locked' after the busy timeout rather than hanging for ever."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        #: Whether the writer holding the gate is waiting for another process's write lock.
        self.holder_waits_elsewhere = False

    def enter(self, wait_for_other_processes: bool) -> None:
        if self.lock.acquire(blocking=False):
            return
        if wait_for_other_processes:
            self.lock.acquire()
        elif self.holder_waits_elsewhere or not self.lock.acquire(
                timeout=OWN_WRITER_WAIT_SECONDS):
            raise WriteBusy("the writer before this one waits for another process")

    def leave(self) -> None:
        self.lock.release()


def database_file(database: str | None) -> Path | None:
    """The file a SQLite URL's database names, resolved (so every spelling of one file is one
    key), or None for an in-memory or ``file:`` URI database."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def write_gate(engine: Engine) -> WriteGate:
    """The gate of the SQLite database of ``engine`` (one per file: every engine on it shares
    it)."""
    gate = _gate_by_engine.get(engine)
    if gate is None:  # resolving the path takes system calls: once per engine, not per write
        path = database_file(engine.url.database)
        gate = _gate_by_engine[engine] = _gate_of(
            str(path) if path is not None else engine.url.render_as_string())
    return gate


def _gate_of(key: str) -> WriteGate:
    with _gates_guard:
        return _gates.setdefault(key, WriteGate())


_gates: dict[str, WriteGate] = {}
_gates_guard = threading.Lock()
_gate_by_engine: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


@contextmanager
def write_transaction(engine: Engine, *, wait_for_other_processes: bool = True
                      ) -> Iterator[Connection]:
    """A transaction that will write: committed when the block ends, rolled back if it raises.

    On SQLite the process's writers take turns (:class:`WriteGate`), and the transaction takes
    the write lock as it begins (``BEGIN IMMEDIATE``): what it read is what it writes over, and it
    never meets SQLITE_BUSY half-way. A caller that must not block for long (the event loop)
    passes ``wait_for_other_processes=False``: when another process holds the write lock, or the
    writer before it in this process waits for one, it gets :class:`WriteBusy` at once, before
    anything is written. On PostgreSQL it is an ordinary transaction (row locks and MVCC let
    writers proceed together) and the flag does not matter."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    gate = write_gate(engine)
    gate.enter(wait_for_other_processes)
    try:
        with engine.connect() as connection, connection.begin():
            # The driver (legacy transaction control) sends BEGIN only before its first INSERT,
            # UPDATE or DELETE, and none once a transaction is open: this one opens it first,
            # straight on the driver's connection (SQLAlchemy's statement machinery would double
            # the cost of an empty transaction).
            driver = connection.connection.driver_connection
            if wait_for_other_processes:
                gate.holder_waits_elsewhere = True
                try:
                    driver.execute("BEGIN IMMEDIATE")
                finally:
                    gate.holder_waits_elsewhere = False
            else:
                _begin_without_waiting(driver)
            yield connection
    finally:
        gate.leave()


def _begin_without_waiting(driver: sqlite3.Connection) -> None:
    driver.execute("PRAGMA busy_timeout=0")
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
            raise
        raise WriteBusy("another process holds the write lock") from exc
    finally:
        driver.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


class Checkpointer:
    """Copies the WAL of one SQLite database file back into the file, in a daemon thread of its
    own, at most ``CHECKPOINT_DELAY_SECONDS`` after a commit.

    A checkpoint writes pages all over the database file and fsyncs it (tens of milliseconds, and
    seconds for a file just copied into place); run by SQLite's automatic checkpoint, that is
    inside the commit of whichever request crosses the threshold. Here it runs in PASSIVE mode on
    a connection of its own: it waits for nobody and nobody waits for it (writers go on appending
    to the log meanwhile). The thread ends after ``CHECKPOINT_IDLE_SECONDS`` without commits.

    A log is only rewound to its start by a writer that begins when every frame in it has been
    checkpointed, which never happens while writers append during every checkpoint: the log would
    grow until the backstop. So once it holds ``RESTART_FRAMES``, a last pass runs between two of
    the process's writers (in their :class:`WriteGate`); it has only the frames appended during
    the passes before it to copy, so the writers wait for little more than its fsync (1 to 10 ms,
    once every few thousand frames: every few seconds at a few hundred writes a second)."""

    #: Frames in the log (4 KiB each) after which a checkpoint lets the next writer rewind it.
    RESTART_FRAMES = 4000

    def __init__(self, path: Path) -> None:
        self.path = path
        self._due = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @classmethod
    def of(cls, path: Path) -> Checkpointer:
        """The one checkpointer of the file (engines on one file share it)."""
        with _checkpointers_guard:
            found = _checkpointers.get(path)
            if found is None:
                found = _checkpointers[path] = cls(path)
            return found

    def note_commit(self) -> None:
        """Ask for a checkpoint soon (cheap: it sits on every commit)."""
        self._due.set()
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name=f"vptr-checkpoint-{self.path.name}", daemon=True)
                    self._thread.start()

    def checkpoint(self) -> tuple[int, int, int] | None:
        """Checkpoint now: (busy, frames in the log, frames checkpointed) of the last pass, or
        None if the file is gone (a test's temporary store) or cannot be opened."""
        if not self.path.exists():
            return None
        try:
            # mode=rw: never create the file (a deleted store must not come back empty).
            connection = sqlite3.connect(f"{self.path.as_uri()}?mode=rw", uri=True,
                                         isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            connection.execute("PRAGMA busy_timeout=1000")
            result = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if result is not None and result[1] >= self.RESTART_FRAMES:
                # What was appended meanwhile, still without the gate: the pass inside it then
                # has only a few frames to copy, and the writers wait for little but its fsync.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                gate = _gate_of(str(self.path))
                gate.enter(wait_for_other_processes=True)
                try:
                    result = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                finally:
                    gate.leave()
            return result
        except sqlite3.Error as exc:
            log.debug("checkpoint of %s failed: %s", self.path, exc)
            return None
        finally:
            connection.close()

    def _run(self) -> None:
        try:
            while True:
                if not self._due.wait(CHECKPOINT_IDLE_SECONDS):
                    with self._lock:
                        if not self._due.is_set():
                            self._thread = None
                            return
                    continue
                time.sleep(CHECKPOINT_DELAY_SECONDS)  # let more commits gather
                self._due.clear()
                self.checkpoint()
        except BaseException:  # the next commit starts a new thread
            with self._lock:
                self._thread = None
            log.exception("the checkpoint thread of %s stopped", self.path)
            raise


_checkpointers: dict[Path, Checkpointer] = {}
_checkpointers_guard = threading.Lock()
