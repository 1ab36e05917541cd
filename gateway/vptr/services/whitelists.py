"""Whitelists and their entries (F2.3), managed by the area manager. Every change and every read
of entries is audited: an entry names a plate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vptr.accounting.audit import AuditAction, of_ids, of_rows, of_whitelist
from vptr.auth.access import managed_tenant
from vptr.errors import FieldError
from vptr.paging import Page
from vptr.repositories import whitelists as repository
from vptr.services.codes import one_of
from vptr.services.runtime import Caller, Runtime
from vptr.store.plate_keys import hash_for


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """A whitelist; its ``entries`` (optional) are stored as separate entries."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.create(connection, runtime.store.iris, tenant, body)
        runtime.audit_change(connection, caller, of_whitelist(
            connection, AuditAction.CREATE, document["id"]))
    return document


def listing(runtime: Runtime, caller: Caller, page: Page, zone: str | None = None,
            reason: str | None = None, at: datetime | None = None
            ) -> tuple[list[dict[str, Any]], int]:
    tenant = managed_tenant(caller.principal)
    one_of(reason, "UserClass", "reason")
    with runtime.store.reading() as connection:
        rows, total = repository.listing(connection, tenant, page, zone, reason, at)
    return [repository.render(r) for r in rows], total


def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    """A whitelist without its entries."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        return repository.render(repository.get(connection, tenant, iri))


def replace(runtime: Runtime, caller: Caller, iri: str, body: Any) -> dict[str, Any]:
    """The whitelist as sent, and its entries too if the body lists them (then audited)."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        before = of_whitelist(connection, AuditAction.UPDATE, iri)
        document = repository.replace(connection, runtime.store.iris, tenant, iri, body)
        if isinstance(body, dict) and "entries" in body:
            after = of_whitelist(connection, AuditAction.UPDATE, document["id"])
            runtime.audit_change(connection, caller, list(dict.fromkeys(before + after)))
    return document


def delete(runtime: Runtime, caller: Caller, iri: str) -> None:
    """The whitelist and its entries."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        gone = of_whitelist(connection, AuditAction.DELETE, iri)
        repository.delete(connection, tenant, iri)
        runtime.audit_change(connection, caller, gone)


def add_entries(runtime: Runtime, caller: Caller, whitelist: str, bodies: list[Any]
                ) -> list[dict[str, Any]]:
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
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
    tenant = managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        return repository.check_entries(connection, runtime.store.iris, tenant, whitelist,
                                        bodies)


def list_entries(runtime: Runtime, caller: Caller, whitelist: str, page: Page,
                 plate: tuple[str, str] | None = None) -> tuple[list[dict[str, Any]], int]:
    """A whitelist's entries, or those of one plate ((plate, country), in normal form)."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        hashed = hash_for(connection, tenant, plate[1], plate[0]) if plate else None
        rows, total = repository.list_entries(connection, tenant, whitelist, page, hashed)
    runtime.audit_reads(caller, of_rows(
        AuditAction.SEARCH if hashed else AuditAction.LIST, "whitelist-entry", rows))
    return [repository.render_entry(r) for r in rows], total


def get_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str) -> dict[str, Any]:
    tenant = managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        row = repository.get_entry(connection, tenant, whitelist, iri)
    runtime.audit_reads(caller, of_rows(AuditAction.READ, "whitelist-entry", [row]))
    return repository.render_entry(row)


def replace_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str, body: Any
                  ) -> dict[str, Any]:
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        before = of_ids(connection, AuditAction.UPDATE, "whitelist-entry", [iri])
        document = repository.replace_entry(connection, runtime.store.iris, tenant, whitelist,
                                            iri, body)
        after = of_ids(connection, AuditAction.UPDATE, "whitelist-entry", [document["id"]])
        runtime.audit_change(connection, caller, list(dict.fromkeys(before + after)))
    return document


def delete_entry(runtime: Runtime, caller: Caller, whitelist: str, iri: str) -> None:
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        gone = of_ids(connection, AuditAction.DELETE, "whitelist-entry", [iri])
        repository.delete_entry(connection, tenant, whitelist, iri)
        runtime.audit_change(connection, caller, gone)
