"""The store as the rest of the code holds it: an engine, the IRI minter, and the start-up that
brings the schema to the newest version (and loads the demo when asked).

The process keeps nothing another instance would need: every answer comes from the database, so any
number of instances can serve one PostgreSQL database behind a load balancer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from ..settings import Settings
from . import migrations
from .db import is_postgresql, make_engine
from .iris import Iris


class Store:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.iris = Iris(settings.data_base_iri)
        self._ready = False
        self._lock = threading.Lock()

    @property
    def reads_inline(self) -> bool:
        """Whether a short indexed read may run on the server's event loop rather than in its
        thread pool. On the embedded store it may: SQLite answers from the local file in tens of
        microseconds and never waits for a writer (WAL), while the hop to a pool thread and back,
        and the fight for the GIL with the loop, cost several times the read itself. On
        PostgreSQL it may not: a network round trip must not stall every other request."""
        return not is_postgresql(self.engine)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def prepare(self) -> None:
        """Migrates the schema to the newest version and loads the demo if the settings ask."""
        with self._lock:
            if self._ready:
                return
            migrations.upgrade(self.engine)
            if self.settings.demo:
                from sqlalchemy.exc import IntegrityError

                from .demo import is_loaded, load_demo

                try:
                    load_demo(self)
                except IntegrityError:
                    # Another instance loaded it at the same moment; fine if it is complete now.
                    with self.reading() as connection:
                        if not is_loaded(connection):
                            raise
            self._ready = True

    def ensure_ready(self) -> None:
        if not self._ready:
            self.prepare()

    def warm_up(self) -> None:
        """Migrates if needed and loads the in-memory catalogue the checks read
        (``vptr.register.catalogue``), so the first request does not pay for it."""
        from . import catalogue

        self.ensure_ready()
        with self.reading() as connection:
            catalogue.current(connection)

    def mark_ready(self) -> None:
        """For a store whose schema someone else just prepared (tests, `vptr serve`)."""
        self._ready = True

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
