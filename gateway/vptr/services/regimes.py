"""Regimes, versioned: creating one makes version 1, changing it makes the next version; every
caller reads the regimes of the tenants it may see, at any moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vptr.auth.access import managed_tenant, visible_tenants
from vptr.paging import Page
from vptr.repositories import change_stream
from vptr.repositories import regimes as repository
from vptr.services.codes import one_of
from vptr.services.runtime import Caller, Runtime
from vptr.times import now


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """Version 1 of a new regime; without a validityPeriod it is in force from now."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.create(connection, runtime.store.iris, tenant, body)
        change_stream.record(connection, "regime", [document["id"]])
        return document


def new_version(runtime: Runtime, caller: Caller, regime: str, body: Any) -> dict[str, Any]:
    """The next version, starting at its validityPeriod.startTime (now if absent), which ends the
    current one; conditional when the body names ``version``."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.new_version(connection, runtime.store.iris, tenant, regime, body)
        # The previous version's validity ended where this one starts: both changed.
        change_stream.record(connection, "regime",
                             [f"{regime}/{document['version'] - 1}", document["id"]])
        return document


def listing(runtime: Runtime, caller: Caller, page: Page, zone: str | None = None,
            at: datetime | None = None, usage: str | None = None
            ) -> tuple[list[dict[str, Any]], int]:
    """The newest versions, or those in force at ``at``."""
    one_of(usage, "Usage", "usage")
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        rows, total = repository.listing(connection, tenants, page, zone, at, usage)
    return [repository.render(r) for r in rows], total


def get(runtime: Runtime, caller: Caller, regime: str, at: datetime | None = None
        ) -> dict[str, Any]:
    """The newest version, or the one in force at ``at``."""
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        row = repository.get(connection, tenants, regime, at)
    caller.serve(row.tenant_id)
    return repository.render(row)


def versions(runtime: Runtime, caller: Caller, regime: str, page: Page
             ) -> tuple[list[dict[str, Any]], int]:
    """The history of a regime, oldest first."""
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        rows, total = repository.versions(connection, tenants, regime, page)
    return [repository.render(r) for r in rows], total


def get_version(runtime: Runtime, caller: Caller, regime: str, number: int) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, now())
        row = repository.get_version(connection, tenants, regime, number)
    caller.serve(row.tenant_id)
    return repository.render(row)
