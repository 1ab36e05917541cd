"""Zones: an area manager creates, replaces, deletes and imports its own; every caller reads the
zones of the tenants it may see (its own, or those that authorised it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vptr.auth.access import managed_tenant, visible_tenants
from vptr.domain.checking import CheckError, checked_point
from vptr.errors import Invalid
from vptr.paging import Page
from vptr.repositories import change_stream, zone_import
from vptr.repositories import zones as repository
from vptr.repositories.zone_import import ImportOptions, ImportResult
from vptr.services.codes import one_of
from vptr.services.runtime import Caller, Runtime
from vptr.times import now

__all__ = ["Filter", "ImportOptions", "ImportResult", "create", "delete", "get", "get_version",
           "import_collection", "listing", "replace", "versions"]


@dataclass(frozen=True)
class Filter:
    kind: str | None = None
    name: str | None = None
    at: datetime | None = None
    point: tuple[float, float] | None = None  # (lon, lat): zones containing it


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.create(connection, runtime.store.iris, tenant, body)
        change_stream.record(connection, "zone", [document["id"]])
        return document


def import_collection(runtime: Runtime, caller: Caller, collection: Any,
                      options: ImportOptions) -> ImportResult:
    """All or nothing: every feature becomes a zone (or updates the one with its GIS id), or
    nothing is stored and each bad feature is named by its index."""
    tenant = managed_tenant(caller.principal)
    one_of(options.zone_kind, "ZoneKind", "zoneKind")
    with runtime.store.transaction() as connection:
        result = zone_import.import_collection(connection, runtime.store.iris, tenant,
                                               collection, options)
        change_stream.record(connection, "zone",
                             [d["id"] for d in result.created + result.updated])
        return result


def listing(runtime: Runtime, caller: Caller, where: Filter, page: Page
            ) -> tuple[list[dict[str, Any]], int]:
    one_of(where.kind, "ZoneKind", "kind")
    if where.point is not None:  # the same bounds as a check at a point
        try:
            checked_point(*where.point)
        except CheckError as exc:
            raise Invalid.field(exc.field, str(exc)) from exc
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        rows, total = repository.listing(connection, tenants, page, where.kind, where.name,
                                         where.at, where.point)
    return [repository.render(r) for r in rows], total


def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        row = repository.get(connection, tenants, iri)
    caller.serve(row.tenant_id)
    return repository.render(row)


def versions(runtime: Runtime, caller: Caller, iri: str, page: Page
             ) -> tuple[list[dict[str, Any]], int]:
    """The history of a zone, oldest first: each version under its own IRI with the period it
    was in force."""
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        rows, total = repository.versions(connection, tenants, iri, page)
    return [repository.render_version(r) for r in rows], total


def get_version(runtime: Runtime, caller: Caller, iri: str, number: int) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        row = repository.get_version(connection, tenants, iri, number)
    caller.serve(row.tenant_id)
    return repository.render_version(row)


def replace(runtime: Runtime, caller: Caller, iri: str, body: Any) -> dict[str, Any]:
    """The next version of the zone, in force from now (the current one ends now); sending
    ``version`` (the one read) makes the change conditional."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.replace(connection, runtime.store.iris, tenant, iri, body)
        change_stream.record(connection, "zone", [iri])
        return document


def delete(runtime: Runtime, caller: Caller, iri: str) -> None:
    """Deletes a zone nothing refers to."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        repository.delete(connection, tenant, iri)
        change_stream.record(connection, "zone", [iri])
