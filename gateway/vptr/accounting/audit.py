"""The audit log: who read or changed which right, permit or whitelist entry, when and from where.

The register must answer for every access to personal data (NF6.8). Every read, list, search,
check, export and change of a right, permit or whitelist entry is written to ``audit_events``,
one row per resource revealed or touched, in the same transaction as a change (so a change never
exists without its entry). A plate appears only as its pseudonym: the tenant-keyed ``plate_hash``
the register itself looks plates up by, so an area manager can find every access to one plate
(by hashing it) while the log itself names no vehicle.

The use cases (``vptr.services``) record changes through :func:`record` in the change's
transaction, and reads through the running register's :class:`ReadAuditBuffer`
(``vptr.services.runtime.Runtime.audit_reads``); channels never write the log themselves.

Reads (checks above all: hundreds a second) are not written one transaction each: their rows wait
in the instance's :class:`ReadAuditBuffer` and are written together, in one transaction, at most
``audit_flush_seconds`` (default 1 s) later, each with the moment of its request. A graceful stop
writes everything; a crash of an instance loses at most the read entries of its last
``audit_flush_seconds``; a failed write keeps its rows for the next attempt. Changes are never
buffered: a change and its entry commit together.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.engine import Engine

from vptr import kinds
from vptr.accounting.batching import BackgroundBatch
from vptr.store import tables
from vptr.store.sqlite_writes import write_transaction
from vptr.store.tables import audit_events
from vptr.times import format_instant
from vptr.times import now as utc_now

if TYPE_CHECKING:
    from vptr.domain.checking import CheckResult

log = logging.getLogger(__name__)
#: Empty flushes in a row after which the buffer's thread ends until the next read.


class AuditAction(StrEnum):
    READ = "read"
    LIST = "list"
    SEARCH = "search"
    CHECK = "check"
    EXPORT = "export"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


#: The resources holding plates, whose every access is logged (vptr.kinds).
AUDITED_KINDS = kinds.AUDITED


@dataclass(frozen=True)
class Access:
    """One resource of one tenant that a request revealed or changed.

    ``resource`` is None for a search or check that found nothing (the attempt is logged all the
    same, with the pseudonym of the plate asked about)."""

    action: AuditAction
    kind: str
    resource: str | None
    tenant: str
    plate_hash: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDITED_KINDS:
            raise ValueError(f"{self.kind!r} is not an audited kind of resource")


@dataclass(frozen=True)
class Actor:
    """Who made the request, from where, through which operation (as the log names them)."""

    organisation: str
    operation: str | None = None
    client_address: str | None = None
    #: The person acting for the organisation (the web app's logged-in staff member), if known.
    person: str | None = None


def rows_for(caller: Actor, accesses: Iterable[Access], at: datetime | None = None
             ) -> list[dict[str, Any]]:
    """The ``audit_events`` rows of the accesses (one each)."""
    moment = at or utc_now()
    return [
        {
            "at": moment,
            "organisation_id": caller.organisation,
            "tenant_id": access.tenant,
            "action": access.action.value,
            "resource_kind": access.kind,
            "resource_id": access.resource,
            "operation": caller.operation,
            "client_address": caller.client_address,
            "plate_hash": access.plate_hash,
            "person": caller.person,
        }
        for access in accesses
    ]


def record(
    connection: Connection, caller: Actor, accesses: Iterable[Access], at: datetime | None = None
) -> int:
    """Write one audit row per access; returns how many."""
    rows = rows_for(caller, accesses, at)
    if rows:
        connection.execute(_INSERT_EVENTS, rows)
    return len(rows)


#: Built once: a change writes its entry on every request, and building a statement costs more
#: than SQLite takes to run it.
_INSERT_EVENTS = audit_events.insert()
#: Rows of buffered read entries written per statement (about a millisecond of interpreter time).
AUDIT_CHUNK_ROWS = 50


class ReadAuditBuffer(BackgroundBatch[list[dict[str, Any]]]):
    """The audit rows of reads waiting to be written, by a background thread, in one transaction
    at most ``flush_seconds`` after they were added (``flush_seconds`` 0: at once)."""

    label = "audit"

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue rows (cheap: a list append under a lock); written at once if not buffering."""
        if rows:
            self._add(list(rows))

    def _empty(self) -> list[dict[str, Any]]:
        return []

    def _merge(self, into: list[dict[str, Any]], batch: list[dict[str, Any]]) -> None:
        into.extend(batch)

    def _size(self, batch: list[dict[str, Any]]) -> int:
        return len(batch)

    def _write_batch(self, engine: Engine, batch: list[dict[str, Any]]) -> None:
        """One transaction, written in chunks of :data:`AUDIT_CHUNK_ROWS` with a pause between
        them: preparing a few hundred rows holds the interpreter for milliseconds, during which
        the server's event loop (which answers checks inline on SQLite) cannot run; a chunk at a
        time, it waits for one chunk at most, and the flush stays out of the checks' tail."""
        with write_transaction(engine) as connection:
            for start in range(0, len(batch), AUDIT_CHUNK_ROWS):
                if start:
                    time.sleep(0)  # hand the interpreter to the event loop between chunks
                connection.execute(_INSERT_EVENTS, batch[start:start + AUDIT_CHUNK_ROWS])


def of_rows(action: AuditAction, kind: str, rows: Iterable[Any]) -> list[Access]:
    """Accesses for rows that carry ``id``, ``tenant_id`` and ``plate_hash`` (rights, whitelist
    entries), as the register's queries return them."""
    return [Access(action, kind, row.id, row.tenant_id, row.plate_hash) for row in rows]


def of_ids(connection: Connection, action: AuditAction, kind: str, ids: Iterable[str]
           ) -> list[Access]:
    """Accesses for resources named by IRI, with their tenant and plate pseudonyms read from the
    store (one access per plate of a permit; a permit without vehicles gets one with none)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return of_rows(action, kind, connection.execute(_BY_IDS[kind], {"ids": wanted}))


#: Built once (a change of a right audits on every request, and building a statement costs more
#: than SQLite takes to run it); the IRIs bind as an expanding list. A kind whose table carries
#: its plate's pseudonym is read from that table; the others say here where their plates are.
_p, _v = tables.permits.c, tables.permit_vehicles.c
_PLATES_ELSEWHERE = {
    "permit": select(_p.id, _p.tenant_id, _v.plate_hash)
    .select_from(tables.permits.outerjoin(tables.permit_vehicles, _v.permit_id == _p.id))
    .where(_p.id.in_(bindparam("ids", expanding=True))).order_by(_p.id, _v.position),
}
_BY_IDS = {
    **{kind.name: select(table.c.id, table.c.tenant_id, table.c.plate_hash)
       .where(table.c.id.in_(bindparam("ids", expanding=True))).order_by(table.c.id)
       for kind in kinds.KINDS if kind.holds_plates
       for table in (tables.metadata.tables[kind.table],) if "plate_hash" in table.c},
    **_PLATES_ELSEWHERE,
}
kinds.covered("the audit's queries (vptr.accounting.audit._BY_IDS)", set(_BY_IDS),
              kinds.AUDITED)


def of_whitelist(connection: Connection, action: AuditAction, whitelist: str) -> list[Access]:
    """Accesses for every entry of a whitelist (the plates a whitelist change touches)."""
    e = tables.whitelist_entries.c
    found = connection.execute(
        select(e.id, e.tenant_id, e.plate_hash).where(e.whitelist_id == whitelist).order_by(e.id)
    ).all()
    return of_rows(action, "whitelist-entry", found)


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    organisation: str
    tenant: str
    action: str
    resource_kind: str
    resource: str | None
    operation: str | None
    client_address: str | None
    plate_hash: str | None
    person: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "at": format_instant(self.at),
            "organisation": self.organisation or None,
            "tenant": self.tenant,
            "action": self.action,
            "resourceKind": self.resource_kind,
            "resource": self.resource,
            "operation": self.operation,
            "clientAddress": self.client_address,
            "platePseudonym": self.plate_hash,
            "person": self.person,
        }


def query(
    connection: Connection,
    *,
    tenants: Iterable[str] | None,
    since: datetime,
    until: datetime,
    resource: str | None = None,
    plate_hash: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """The entries of the given tenants (every tenant when None) from ``since`` (inclusive) to
    ``until`` (exclusive), newest first, and how many there are in all."""
    e = audit_events.c
    condition = [e.at >= since, e.at < until]
    if tenants is not None:
        condition.append(e.tenant_id.in_(sorted(tenants)))
    if resource is not None:
        condition.append(e.resource_id == resource)
    if plate_hash is not None:
        condition.append(e.plate_hash == plate_hash)
    total = connection.execute(select(func.count()).where(*condition)).scalar_one()
    rows = connection.execute(
        select(e.at, e.organisation_id, e.tenant_id, e.action, e.resource_kind, e.resource_id,
               e.operation, e.client_address, e.plate_hash, e.person)
        .where(*condition)
        .order_by(e.at.desc(), e.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [AuditEntry(*row) for row in rows], total


#: The check's kinds of grant that reveal a stored resource, by the audit's kind.
_CHECK_GRANT_KINDS = {"right": "right", "permit": "permit", "whitelistEntry": "whitelist-entry"}


def of_check(result: CheckResult) -> list[Access]:
    """What a check revealed: each right, permit or whitelist entry it found, and for a tenant
    where it found none, that too (a "no" says something about the plate as well)."""
    tenant_of = {zone.id: zone.area_manager for zone in result.zones}
    hashes = dict(sorted(result.plate_hashes))
    accesses = [
        Access(AuditAction.CHECK, _CHECK_GRANT_KINDS[grant.kind], grant.id,
               tenant_of[grant.zone], hashes[tenant_of[grant.zone]])
        for grant in result.grants
        if grant.kind in _CHECK_GRANT_KINDS and grant.zone in tenant_of
    ]
    revealed = {access.tenant for access in accesses}
    accesses += [Access(AuditAction.CHECK, "right", None, tenant, hashed)
                 for tenant, hashed in hashes.items() if tenant not in revealed]
    return accesses
