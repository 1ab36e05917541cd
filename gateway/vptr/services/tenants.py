"""Tenants: the area managers that own data in the register. A new tenant is the platform
operator's act (``vptr tenant create``), never a channel's: it gets its own plate key and a first
API key, shown once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vptr.auth.api_keys import issue_key
from vptr.repositories import change_stream, organisations
from vptr.services.runtime import Runtime


@dataclass(frozen=True)
class NewTenant:
    organisation: str
    api_key: str  # shown once: the register keeps only its salted hash


def create(runtime: Runtime, name: str, reference: str | None = None,
           nis_code: str | None = None) -> NewTenant:
    """The tenant and its first key, in one transaction."""
    document: dict[str, Any] = {"name": name, "roles": ["areaManager"]}
    if reference:
        document["id"] = runtime.store.iris.of("organisation", reference)
    if nis_code:
        document["identifiers"] = [{"notation": nis_code, "identifierScheme": "nisCode"}]
    with runtime.store.transaction() as connection:
        created = organisations.create_tenant(connection, runtime.store.iris, document)
        issued = issue_key(connection, created["id"], "first key")
        change_stream.record(connection, "organisation", [created["id"]])
    return NewTenant(created["id"], issued.key)
