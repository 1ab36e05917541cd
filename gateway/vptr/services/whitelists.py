"""Whitelists and their entries (F2.3), managed by the area manager, and by a whitelist supplier
it authorised with ``manageWhitelists`` for the zones that authorisation covers
(vptr.services.delegation). Every change and every read of entries is audited: an entry names a
plate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from vptr.accounting.audit import AuditAction, of_ids, of_rows, of_whitelist
from vptr.auth.access import WHITELISTS, Managed, managed_by
from vptr.errors import FieldError
from vptr.paging import Page
from vptr.repositories import whitelists as repository
from vptr.services import delegation
from vptr.services.codes import one_of
from vptr.services.plate_queries import PlateQuery
from vptr.services.runtime import Caller, Runtime
from vptr.store import tables
from vptr.times import now


def _managed(connection: Connection, caller: Caller) -> Managed:
    return managed_by(connection, caller.principal, WHITELISTS, now())


def _tenant(connection: Connection, caller: Caller, iri: str, body: Any = None) -> str:
    """The tenant of a whitelist the caller manages (by its zones, and a change's new ones)."""
    return delegation.tenant_of(connection, _managed(connection, caller), tables.whitelists,
                                tables.whitelist_zones, "whitelist_id", iri, "whitelist", body)


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """A whitelist; its ``entries`` (optional) are stored as separate entries."""
    with runtime.store.transaction() as connection:
        tenant = delegation.tenant_of_new(connection, _managed(connection, caller),
                                          caller.principal.tenant, body, "whitelists")
        document = repository.create(connection, runtime.store.iris, tenant, body)
        runtime.audit_change(connection, caller, of_whitelist(
            connection, AuditAction.CREATE, document["id"]))
    return document


def listing(runtime: Runtime, caller: Caller, page: Page, zone: str | None = None,
            reason: str | None = None, at: datetime | None = None
            ) -> tuple[list[dict[str, Any]], int]:
    one_of(reason, "UserClass", "reason")
    with runtime.store.reading() as connection:
        own = caller.principal.tenant
        scope = own if own else delegation.condition(
            _managed(connection, caller), tables.whitelists, tables.whitelist_zones,
            "whitelist_id")
        rows, total = repository.listing(connection, scope, page, zone, reason, at)
    return [repository.render(r) for r in rows], total


def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    """A whitelist without its entries."""
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, caller, iri)
        return repository.render(repository.get(connection, tenant, iri))


def replace(runtime: Runtime, caller: Caller, iri: str, body: Any) -> dict[str, Any]:
    """The whitelist as sent, and its entries too if the body lists them (then audited)."""
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, iri, body)
        before = of_whitelist(connection, AuditAction.UPDATE, iri)
        document = repository.replace(connection, runtime.store.iris, tenant, iri, body)
        if isinstance(body, dict) and "entries" in body:
            after = of_whitelist(connection, AuditAction.UPDATE, document["id"])
            runtime.audit_change(connection, caller, list(dict.fromkeys(before + after)))
    return document


def delete(runtime: Runtime, caller: Caller, iri: str) -> None:
    """The whitelist and its entries."""
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, iri)
        gone = of_whitelist(connection, AuditAction.DELETE, iri)
        repository.delete(connection, tenant, iri)
        runtime.audit_change(connection, caller, gone)


def add_entries(runtime: Runtime, caller: Caller, whitelist: str, bodies: list[Any]
                ) -> list[dict[str, Any]]:
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, whitelist)
        documents = repository.add_entries(connection, runtime.store.iris, tenant, whitelist,
                                           bodies)
        runtime.audit_change(connection, caller, of_ids(
            connection, AuditAction.CREATE, "whitelist-entry", [d["id"] for d in documents]))
    return documents


def check_entries(runtime: Runtime, caller: Caller, whitelist: str, bodies: list[Any]
                  ) -> list[list[FieldError]]:
    """Each entry's refusals if it were added on its own (an empty list: fine), storing nothing:
    a preview of an upload before anything is stored. Reveals no stored plate, so it is not
    audited."""
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, caller, whitelist)
        return repository.check_entries(connection, runtime.store.iris, tenant, whitelist,
                                        bodies)


def list_entries(runtime: Runtime, caller: Caller, whitelist: str, page: Page,
                 plate: tuple[str, str] | None = None) -> tuple[list[dict[str, Any]], int]:
    """A whitelist's entries, or those of one plate ((plate, country) as typed: see
    :class:`PlateQuery`)."""
    query = PlateQuery(*plate) if plate else None
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, caller, whitelist)
        hashed = query.hash_in(connection, tenant) if query else None
        rows, total = repository.list_entries(connection, tenant, whitelist, page, hashed)
    runtime.audit_reads(caller, of_rows(
        AuditAction.SEARCH if hashed else AuditAction.LIST, "whitelist-entry", rows))
    return [repository.render_entry(r) for r in rows], total


def get_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, caller, whitelist)
        row = repository.get_entry(connection, tenant, whitelist, iri)
    runtime.audit_reads(caller, of_rows(AuditAction.READ, "whitelist-entry", [row]))
    return repository.render_entry(row)


def replace_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str, body: Any
                  ) -> dict[str, Any]:
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, whitelist)
        before = of_ids(connection, AuditAction.UPDATE, "whitelist-entry", [iri])
        document = repository.replace_entry(connection, runtime.store.iris, tenant, whitelist,
                                            iri, body)
        after = of_ids(connection, AuditAction.UPDATE, "whitelist-entry", [document["id"]])
        runtime.audit_change(connection, caller, list(dict.fromkeys(before + after)))
    return document


def delete_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str) -> None:
    with runtime.store.transaction() as connection:
        tenant = _tenant(connection, caller, whitelist)
        gone = of_ids(connection, AuditAction.DELETE, "whitelist-entry", [iri])
        repository.delete_entry(connection, tenant, whitelist, iri)
        runtime.audit_change(connection, caller, gone)
