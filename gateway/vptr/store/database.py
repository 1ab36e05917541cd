"""The store as the rest of the code holds it: an engine, the IRI minter, and the start-up that
brings the schema to the newest version (and loads the demo when asked).

The process keeps nothing another instance would need: every answer comes from the database, so any
number of instances can serve one PostgreSQL database behind a load balancer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from vptr.iris import Iris
from vptr.settings import Settings
from vptr.store import migrations
from vptr.store import plate_keys as plates
from vptr.store.db import is_postgresql, make_engine
from vptr.store.sqlite_writes import write_transaction

P = ParamSpec("P")
T = TypeVar("T")


class _WriteAttempt:
    """A :meth:`Store.write_now` under way: whether its first write transaction began."""

    began = False


_write_now: ContextVar[_WriteAttempt | None] = ContextVar("vptr_write_now", default=None)


class Store:
    def __init__(self, settings: Settings,
                 seed: Callable[[Store], object] | None = None) -> None:
        """``seed`` runs once the schema is migrated (the demo's loader: the store itself knows
        nothing of what is loaded into it)."""
        self.settings = settings
        self._seed = seed
        self.engine = make_engine(settings.database_url)
        secret = settings.plate_key_secret
        plates.use_secret(self.engine, secret.get_secret_value() if secret is not None else None)
        self.iris = Iris(settings.data_base_iri)
        self._ready = False
        self._lock = threading.Lock()
        #: The connection :meth:`hot_reading` keeps, the thread it serves, and whether in use.
        self._hot_connection: Connection | None = None
        self._hot_owner: int | None = None
        self._hot_busy = False

    @property
    def works_inline(self) -> bool:
        """Whether short store work (a check's reads, a registration) may run on the server's
        event loop rather than in its thread pool. On the embedded store it may: SQLite answers
        from the local file in tens of microseconds, readers never wait for a writer (WAL), and
        the hop to a pool thread and back, and the fight for the GIL with the loop at each
        statement, cost several times the work itself. On PostgreSQL it may not: a network
        round trip must not stall every other request."""
        return not is_postgresql(self.engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def file(self) -> Path | None:
        """The embedded store's file; None for PostgreSQL or an in-memory SQLite database."""
        url = self.engine.url
        if is_postgresql(self.engine) or url.database in (None, "", ":memory:") or \
                (url.query.get("mode") == "memory"):
            return None
        return Path(url.database)

    def present(self) -> bool:
        """Whether there is a store to reach, asked without creating one: connecting to SQLite
        creates a missing file, so a readiness probe on a mistyped path or an unmounted volume
        would otherwise make an empty database and report it as merely "migrating"."""
        return self.file is None or self.file.is_file()

    def prepare(self) -> None:
        """Migrates the schema to the newest version, then runs the seed (the demo's loader,
        when the composition root gave one)."""
        with self._lock:
            if self._ready:
                return
            migrations.upgrade(self.engine)
            with self.reading() as connection:
                plates.check_secret(connection)
            if self._seed is not None:
                self._seed(self)
            self._ready = True

    @property
    def ready(self) -> bool:
        """Whether the schema is prepared (:meth:`ensure_ready` has nothing to do)."""
        return self._ready

    def ensure_ready(self) -> None:
        if not self._ready:
            self.prepare()

    def warm_up(self) -> None:
        """Migrates if needed and loads the in-memory catalogue the checks read
        (``vptr.store.catalogue``), so the first request does not pay for it."""
        from vptr.store import catalogue

        self.ensure_ready()
        with self.reading() as connection:
            catalogue.current(connection)

    def mark_ready(self) -> None:
        """For a store whose schema someone else just prepared (tests, `vptr serve`)."""
        self._ready = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction that writes: committed when the block ends, rolled back if it raises.
        On SQLite it waits its turn among the process's writers and holds the write lock from its
        start (:func:`vptr.store.sqlite_writes.write_transaction`); read with :meth:`reading`.

        Inside :meth:`write_now`, the first one does not wait for another process's writer: it
        raises WriteBusy instead."""
        attempt = _write_now.get()
        patient = attempt is None or attempt.began
        if attempt is not None:
            attempt.began = True
        with write_transaction(self.engine, wait_for_other_processes=patient) as connection:
            yield connection

    def write_now(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(*args, **kwargs)`` here and now, if its first write transaction can begin
        without waiting for another process (it may wait, briefly, for a writer of this one);
        else WriteBusy, raised as that transaction begins, so before ``work`` changed anything
        in the store (run it again where it may wait: what ``work`` does before its first
        transaction must bear repeating)."""
        token = _write_now.set(_WriteAttempt())
        try:
            return work(*args, **kwargs)
        finally:
            _write_now.reset(token)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def hot_reading(self) -> Iterator[Connection]:
        """A connection for a few short reads (the check's), without a pool checkout on the
        embedded store: the one thread that runs them inline (the server's event loop, the first
        to ask) keeps one connection open and gets it again each time.

        Why: checking a connection out of SQLAlchemy's pool and back (events, reset on return)
        cost a check about as much as its permit and whitelist reads together. Keeping one is safe
        on SQLite: the driver opens no transaction for a SELECT, so every statement reads what
        is committed at that moment, exactly as a fresh connection would, and a transaction
        something did open is rolled back when the block ends. Any other thread, a nested block,
        and PostgreSQL (whose connections the pool checks for life) get an ordinary
        :meth:`reading`."""
        me = threading.get_ident()
        if not self.works_inline or self._hot_busy or self._hot_owner not in (None, me):
            with self.reading() as connection:
                yield connection
            return
        connection = self._hot_connection
        if connection is None or connection.closed or connection.invalidated:
            with self._lock:
                if self._hot_owner not in (None, me):  # another thread claimed it meanwhile
                    connection = None
                else:
                    self._hot_owner = me
            if connection is None and self._hot_owner != me:
                with self.reading() as other:
                    yield other
                return
            connection = self._hot_connection = self.engine.connect()
        self._hot_busy = True
        try:
            yield connection
        except DBAPIError:  # the driver failed: start afresh next time
            self._hot_connection = None
            connection.close()
            raise
        finally:
            self._hot_busy = False
            if not connection.closed and connection.in_transaction():
                connection.rollback()

    def dispose(self) -> None:
        with self._lock:
            kept, self._hot_connection, self._hot_owner = self._hot_connection, None, None
        if kept is not None:
            with suppress(Exception):  # the owner's: closing it only releases the file
                kept.close()
        self.engine.dispose()
