"""How the question routes (``/check``, ``/price``) reach the store: one read-only connection per
request, wrapped in the register's implementation of :class:`vptr.domain.sources.CheckSources`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from sqlalchemy import Connection

from vptr.api.deps import get_store
from vptr.domain.sources import CheckSources


@contextmanager
def open_sources(request: Request) -> Iterator[tuple[Connection, CheckSources]]:
    from vptr.store.check_sources import StoreCheckSources

    store = get_store(request)
    with store.reading() as connection:
        yield connection, StoreCheckSources(connection)
