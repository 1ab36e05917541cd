"""Zones written through a channel that versions them (APDS ``/places``): the zone row's version
counter is the message's ``version`` (a change must carry the next one, else 409), and a delete
is logical: the zone's validity ends now (docs/mapping-apds-npr.md, "deletions"), so rights,
regimes and history that refer to it stay intact. Only the area manager writes its zones; the
zone is validated against the application profile as on the native API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vptr.auth.access import managed_tenant
from vptr.errors import Conflict, FieldError
from vptr.repositories import change_stream
from vptr.repositories import zones as repository
from vptr.services.runtime import Caller, Runtime
from vptr.times import format_instant, now, parse_instant


def create(runtime: Runtime, caller: Caller, document: dict[str, Any], version: int
           ) -> dict[str, Any]:
    tenant = managed_tenant(caller.principal)
    if version != 1:
        raise Conflict("a new place is version 1", [FieldError("version", "must be 1")])
    with runtime.store.transaction() as connection:
        created = repository.create(connection, runtime.store.iris, tenant, document)
        change_stream.record(connection, "zone", [created["id"]])
        return created


def change(runtime: Runtime, caller: Caller, iri: str, document: dict[str, Any], version: int
           ) -> dict[str, Any]:
    """The next version of a zone (``version`` = the stored one + 1)."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        row = repository.get(connection, {tenant}, iri)
        if version != row.version + 1:
            raise Conflict(f"version {version} is outdated or not the next one: the current "
                           f"version is {row.version}",
                           [FieldError("version", f"must be {row.version + 1}")])
        prepared = repository.prepare(runtime.store.iris, tenant,
                                      {**document, "id": iri}, iri)
        repository.update(connection, tenant, row, prepared)
        change_stream.record(connection, "zone", [iri])
        return prepared


def withdraw(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    """Ends the zone's validity now (a logical delete)."""
    tenant = managed_tenant(caller.principal)
    moment = now()
    with runtime.store.transaction() as connection:
        row = repository.get(connection, {tenant}, iri)
        document = dict(row.document)
        validity = dict(document.get("validityPeriod") or
                        {"startTime": format_instant(row.created_at)})
        if row.valid_to is not None and row.valid_to <= moment:
            raise Conflict(f"zone {iri} was already deleted (its validity ended)")
        start = parse_instant(validity["startTime"], "validityPeriod.startTime")
        # A period ends after it starts: a place deleted in the second it was made ends a
        # second later.
        validity["endTime"] = format_instant(max(moment, start + timedelta(seconds=1)))
        document["validityPeriod"] = validity
        prepared = repository.prepare(runtime.store.iris, tenant, document, iri)
        repository.update(connection, tenant, row, prepared)
        change_stream.record(connection, "zone", [iri])
        return prepared
