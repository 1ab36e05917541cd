"""The public resources and their change stream: what open data publishes, read from the store.

Public are the zones, the regime versions (with their tariffs and exempt days, which they hold)
and the organisations that are area managers or providers. Nothing else is ever read here: rights,
permits, whitelists and authorisations hold plates or private arrangements, and an organisation's
keys and OIDC clients live in tables this module does not name.

Every change to a public resource appends one row to ``change_events`` in the change's own
transaction (:func:`record`), with the resource as the change left it. ``seq`` is given in commit
order: on PostgreSQL the writer holds the table's lock until it commits, on SQLite writers are
serial anyway; so a member once visible is never followed by one with a smaller ``seq``, and a full
page of the stream is final.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, func, or_, select, text

from vptr import kinds
from vptr.store import tables
from vptr.times import now

#: The public kinds (IRI segment) and their tables, as the registry (vptr.kinds) names them.
PUBLIC_TABLES: dict[str, Table] = {kind.name: tables.metadata.tables[kind.table]
                                   for kind in kinds.PUBLIC}
#: A dump and the catalogue list kinds in this order.
PUBLIC_KINDS = tuple(PUBLIC_TABLES)

events = tables.change_events
ev = events.c


@dataclass(frozen=True)
class PublicRow:
    kind: str
    id: str
    tenant: str
    document: dict[str, Any]


@dataclass(frozen=True)
class Change:
    seq: int
    at: datetime
    kind: str
    resource: str
    tenant: str
    document: dict[str, Any] | None  # None: deleted (or no longer public)


def _public_filter(kind: str) -> Any:
    if kind == "organisation":
        o = tables.organisations.c
        return or_(o.is_area_manager, o.is_provider)
    return None


def public_row(connection: Connection, kind: str, iri: str) -> PublicRow | None:
    """The public resource ``iri`` of ``kind``, or None (absent, or not public)."""
    table = PUBLIC_TABLES[kind]
    query = select(table.c.id, table.c.tenant_id, table.c.document).where(table.c.id == iri)
    condition = _public_filter(kind)
    if condition is not None:
        query = query.where(condition)
    row = connection.execute(query).first()
    return None if row is None else PublicRow(kind, row.id, row.tenant_id, row.document)


def public_rows(connection: Connection, kind: str, tenant: str | None = None,
                batch: int = 500) -> Iterator[PublicRow]:
    """Every public resource of ``kind`` (of one tenant, or all), by IRI, read ``batch`` rows at a
    time (keyset paging), so a dump never holds more than one batch."""
    table = PUBLIC_TABLES[kind]
    after = ""
    while True:
        query = (select(table.c.id, table.c.tenant_id, table.c.document)
                 .where(table.c.id > after).order_by(table.c.id).limit(batch))
        condition = _public_filter(kind)
        if condition is not None:
            query = query.where(condition)
        if tenant is not None:
            query = query.where(table.c.tenant_id == tenant)
        rows = connection.execute(query).all()
        for row in rows:
            yield PublicRow(kind, row.id, row.tenant_id, row.document)
        if len(rows) < batch:
            return
        after = rows[-1].id


def tenants(connection: Connection) -> list[Row]:
    """The area managers (the tenants): id and name, by name."""
    o = tables.organisations.c
    return list(connection.execute(select(o.id, o.name).where(o.is_area_manager)
                                   .where(o.id == o.tenant_id).order_by(o.name, o.id)))


def record(connection: Connection, kind: str, iris: Iterable[str]) -> list[int]:
    """Append the current state of each resource (deleted when it is gone or not public) to the
    change stream, in the caller's transaction; a resource never published and not public now
    is skipped. Returns the new members' seq."""
    iris = list(dict.fromkeys(iris))
    if not iris:
        return []
    if connection.dialect.name == "postgresql":
        # Held until the change commits: members become visible in seq order.
        connection.execute(text("LOCK TABLE change_events IN EXCLUSIVE MODE"))
    last = connection.execute(select(ev.seq, ev.at).order_by(ev.seq.desc()).limit(1)).first()
    seq = last.seq if last else 0
    moment = now()
    if last is not None and last.at > moment:
        moment = last.at  # the timestamps never go back, whatever the clocks do
    added = []
    for iri in iris:
        row = public_row(connection, kind, iri)
        if row is None:
            previous = connection.execute(
                select(ev.tenant_id, ev.document).where(ev.resource_id == iri)
                .order_by(ev.seq.desc()).limit(1)).first()
            if previous is None or previous.document is None:
                continue
            tenant, document = previous.tenant_id, None
        else:
            tenant, document = row.tenant, row.document
        seq += 1
        connection.execute(events.insert().values(
            seq=seq, at=moment, kind=kind, resource_id=iri, tenant_id=tenant, document=document))
        added.append(seq)
    return added


def record_everything(connection: Connection) -> list[int]:
    """Every public resource as it is now (a demo or a fresh import, loaded below the services)."""
    added = []
    for kind in PUBLIC_KINDS:
        added += record(connection, kind, [row.id for row in public_rows(connection, kind)])
    return added


def _change(row: Row) -> Change:
    return Change(row.seq, row.at, row.kind, row.resource_id, row.tenant_id, row.document)


def changes(connection: Connection, first: int, last: int, tenant: str | None = None
            ) -> list[Change]:
    """The members with ``first <= seq <= last`` (of one tenant, or all), in order."""
    query = select(events).where(ev.seq >= first, ev.seq <= last).order_by(ev.seq)
    if tenant is not None:
        query = query.where(ev.tenant_id == tenant)
    return [_change(row) for row in connection.execute(query)]


def head(connection: Connection) -> tuple[int, datetime | None]:
    """The newest member's seq (0 when empty) and time."""
    row = connection.execute(select(ev.seq, ev.at).order_by(ev.seq.desc()).limit(1)).first()
    return (row.seq, row.at) if row else (0, None)


def last_change(connection: Connection, iri: str) -> datetime | None:
    """When the resource last changed, as the stream knows it."""
    return connection.execute(select(func.max(ev.at)).where(ev.resource_id == iri)).scalar()


def newest_version(connection: Connection, regime: str) -> str | None:
    rv = tables.regime_versions.c
    return connection.execute(select(rv.id).where(rv.regime_id == regime)
                              .order_by(rv.version_number.desc()).limit(1)).scalar()
