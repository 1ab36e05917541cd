"""Organisations and the authorisations between them (NF6.1, NF6.4).

Organisations form one directory every caller may read: a provider connects once and works for
every municipality that authorises it. An area manager registers the providers and enforcement
services it works with (it is their registrar: it alone changes or removes them and issues their
API keys); a new area manager is a new tenant, created by the operator, never through a channel.
An authorisation is seen by the area manager that gave it and the organisation that received it;
only the giver changes or withdraws it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row

from vptr.auth.access import managed_tenant, may_see_authorisation
from vptr.auth.api_keys import IssuedKey, issue_key
from vptr.auth.key_rotation import KeyInfo, list_keys, rotate_key
from vptr.errors import Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.repositories import change_stream
from vptr.repositories import organisations as repository
from vptr.services.codes import one_of
from vptr.services.runtime import Caller, Runtime

ROLES = repository.ROLES
#: The longest label an API key may have; a longer one is refused, never cut.
MAX_KEY_LABEL = 200
#: The longest grace window of a key rotation through a channel.
MAX_GRACE = timedelta(days=30)


def create(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """A provider or enforcement organisation; the calling area manager becomes its registrar."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        document = repository.create(connection, runtime.store.iris, tenant, body)
        change_stream.record(connection, "organisation", [document["id"]])
        return document


def listing(runtime: Runtime, caller: Caller, page: Page, role: str | None = None,
            name: str | None = None) -> tuple[list[dict[str, Any]], int]:
    one_of(role, ROLES, "role")
    with runtime.store.reading() as connection:
        rows, total = repository.listing(connection, page, role, name)
    return [r.document for r in rows], total


def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        return repository.get(connection, iri).document


def _registered_by_caller(connection: Connection, caller: Caller, iri: str, doing: str) -> Row:
    row = repository.get(connection, iri)
    if row.tenant_id != caller.principal.tenant:
        raise Forbidden(f"only the area manager that registered an organisation {doing}")
    return row


def replace(runtime: Runtime, caller: Caller, iri: str, body: Any) -> dict[str, Any]:
    with runtime.store.transaction() as connection:
        row = _registered_by_caller(connection, caller, iri, "may change it")
        document = repository.replace(connection, runtime.store.iris, row, body)
        change_stream.record(connection, "organisation", [iri])
        return document


def delete(runtime: Runtime, caller: Caller, iri: str) -> None:
    """Removes an organisation nothing refers to; never a tenant."""
    managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        row = repository.get(connection, iri)
        if row.tenant_id != caller.principal.tenant or row.is_area_manager:
            raise Forbidden("only the area manager that registered an organisation may remove "
                            "it, and never a tenant")
        repository.delete(connection, iri)
        change_stream.record(connection, "organisation", [iri])


def issue_api_key(runtime: Runtime, caller: Caller, iri: str, label: str | None) -> IssuedKey:
    """A new API key for an organisation the caller registered; the register keeps only its
    salted hash, so the key is answered once."""
    managed_tenant(caller.principal)
    if label is not None and (not isinstance(label, str) or not label.isprintable()):
        raise Invalid.field("label", "a line of text without control characters")
    if label is not None and len(label) > MAX_KEY_LABEL:
        # refused rather than cut: the caller would not find the label it sent
        raise Invalid.field("label", f"at most {MAX_KEY_LABEL} characters")
    with runtime.store.transaction() as connection:
        row = _registered_by_caller(connection, caller, iri, "issues its keys")
        return issue_key(connection, row.id, label or None)


def rotate_api_key(runtime: Runtime, caller: Caller, iri: str, grace: timedelta = timedelta(0)
                   ) -> IssuedKey:
    """A new API key for an organisation the caller registered (never a tenant); its other keys
    stop working after ``grace`` (both work meanwhile, so the provider can roll the new one out).
    The same rotation as ``vptr keys rotate``."""
    managed_tenant(caller.principal)
    if grace < timedelta(0) or grace > MAX_GRACE:
        raise Invalid.field("grace", f"0 to {int(MAX_GRACE.total_seconds() // 3600)} hours")
    with runtime.store.transaction() as connection:
        row = _registered_by_caller(connection, caller, iri, "rotates its keys")
        if row.is_area_manager:
            raise Forbidden("a tenant's keys are rotated by the operator (vptr keys rotate)")
        return rotate_key(connection, row.id, grace=grace)


def api_keys(runtime: Runtime, caller: Caller, iri: str) -> list[KeyInfo]:
    """The keys of an organisation the caller registered: prefixes, times and states, never a
    key."""
    managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        row = _registered_by_caller(connection, caller, iri, "lists its keys")
        return list_keys(connection, row.id)


# --- authorisations ---------------------------------------------------------------------------

def create_authorisation(runtime: Runtime, caller: Caller, body: Any) -> dict[str, Any]:
    """An authorisation given by the calling area manager (its ``grantor``)."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        return repository.create_authorisation(connection, runtime.store.iris, tenant, body)


def list_authorisations(runtime: Runtime, caller: Caller, page: Page,
                        grantee: str | None = None, at: datetime | None = None
                        ) -> tuple[list[dict[str, Any]], int]:
    """Those the caller gave (as area manager) or received."""
    with runtime.store.reading() as connection:
        rows, total = repository.list_authorisations(
            connection, caller.principal.organisation, caller.principal.tenant, page, grantee,
            at)
    return [r.document for r in rows], total


def _visible_authorisation(connection: Connection, caller: Caller, iri: str) -> Row:
    row = repository.get_authorisation(connection, iri)
    if row is None or not may_see_authorisation(caller.principal, row.tenant_id, row.grantee_id):
        raise NotFound(f"no authorisation {iri}")
    return row


def get_authorisation(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    with runtime.store.reading() as connection:
        return _visible_authorisation(connection, caller, iri).document


def replace_authorisation(runtime: Runtime, caller: Caller, iri: str, body: Any
                          ) -> dict[str, Any]:
    with runtime.store.transaction() as connection:
        row = _visible_authorisation(connection, caller, iri)
        if row.tenant_id != caller.principal.tenant:
            raise Forbidden("only the granting area manager may change an authorisation")
        return repository.replace_authorisation(connection, runtime.store.iris, row, body)


def delete_authorisation(runtime: Runtime, caller: Caller, iri: str) -> None:
    with runtime.store.transaction() as connection:
        row = _visible_authorisation(connection, caller, iri)
        if row.tenant_id != caller.principal.tenant:
            raise Forbidden("only the granting area manager may withdraw an authorisation")
        repository.delete_authorisation(connection, iri)
