"""Permits: the area manager's long-running rights (resident cards, visitor cards, ...), managed
and read by the area manager, and by a permit portal it authorised with ``managePermits`` for the
zones that authorisation covers (vptr.services.delegation). Every read and change is audited: a
permit names plates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from vptr.accounting.audit import AuditAction, of_ids
from vptr.auth.access import PERMITS, Managed, managed_by
from vptr.paging import Page
from vptr.repositories import permits as repository
from vptr.services import delegation
from vptr.services.codes import one_of
from vptr.services.plate_queries import PlateQuery
from vptr.services.runtime import Caller, Runtime
from vptr.store import tables
from vptr.times import now


@dataclass(frozen=True)
class Filter:
    plate: tuple[str, str] | None = None  # (plate, country) as typed: see PlateQuery
    zone: str | None = None
    status: str | None = None
    permit_type: str | None = None
    at: datetime | None = None


def _managed(connection: Connection, caller: Caller) -> Managed:
    return managed_by(connection, caller.principal, PERMITS, now())


def _tenant(connection: Connection, caller: Caller, iri: str, body: Any = None) -> str:
    return delegation.tenant_of(connection, _managed(connection, caller), tables.permits,
                                tables.permit_zones, "permit_id", iri, "permit", body)


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    with runtime.store.transaction() as connection:
        tenant = delegation.tenant_of_new(connection, _managed(connection, caller),
                                          caller.principal.tenant, body, "permits")
        document = repository.create(connection, runtime.store.iris, tenant, body)
        runtime.audit_change(connection, caller, of_ids(
            connection, AuditAction.CREATE, "permit", [document["id"]]))
    return document


def listing(runtime: Runtime, caller: Caller, where: Filter, page: Page
            ) -> tuple[list[dict[str, Any]], int]:
    """The permits the caller manages that meet the filter; by plate, matched by pseudonym."""
    query = PlateQuery(*where.plate) if where.plate else None
    one_of(where.status, "PermitStatus", "status")
    one_of(where.permit_type, "PermitType", "permitType")
    with runtime.store.reading() as connection:
        managed = _managed(connection, caller)
        own = caller.principal.tenant
        tenants = [own] if own else sorted(managed)
        hashed = [query.hash_in(connection, t) for t in tenants] if query else None
        scope = own if own else delegation.condition(managed, tables.permits,
                                                     tables.permit_zones, "permit_id")
        rows, total = repository.listing(connection, scope, page, hashed, where.zone,
                                         where.status, where.permit_type, where.at)
        documents = repository.render_all(connection, rows)
        revealed = of_ids(connection, AuditAction.SEARCH if hashed else AuditAction.LIST,
                          "permit", [row.id for row in rows])
    runtime.audit_reads(caller, revealed)
    return documents, total


def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, caller, iri)
        row = repository.get(connection, tenant, iri)
        document = repository.render(connection, row)
        revealed = of_ids(connection, AuditAction.READ, "permit", [row.id])
    runtime.audit_reads(caller, revealed)
    return document


def replace(runtime: Runtime, caller: Caller, iri: str, body: Any) -> dict[str, Any]:
    """The permit as sent; the plates it held before and after are audited."""
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, iri, body)
        before = of_ids(connection, AuditAction.UPDATE, "permit", [iri])
        document = repository.replace(connection, runtime.store.iris, tenant, iri, body)
        after = of_ids(connection, AuditAction.UPDATE, "permit", [document["id"]])
        runtime.audit_change(connection, caller, list(dict.fromkeys(before + after)))
    return document


def delete(runtime: Runtime, caller: Caller, iri: str) -> None:
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, iri)
        gone = of_ids(connection, AuditAction.DELETE, "permit", [iri])
        repository.delete(connection, tenant, iri)
        runtime.audit_change(connection, caller, gone)
