"""Whose permits or whitelists a caller manages, and in which tenant a thing it names lies.

An area manager manages its own; a permit portal or a whitelist supplier those of the tenants that
authorised it with ``managePermits`` or ``manageWhitelists``, within the zones the authorisation
covers (:func:`vptr.auth.access.managed_by`). A thing in a tenant that never authorised the caller
is not found, exactly like a missing one; one in zones the authorisation does not cover is
forbidden.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, false, or_, select

from vptr.auth.access import Managed, covers
from vptr.errors import Forbidden, Invalid, NotFound
from vptr.repositories.documents import iri_list
from vptr.store import tables


def tenant_of_new(connection: Connection, managed: Managed, own: str | None, body: Any,
                  what: str) -> str:
    """The tenant a new thing (named by its body's ``zones``) is created in: the caller's own, or
    the one whose zones it names."""
    if own is not None:
        return own
    zones = iri_list(body, "zones") if isinstance(body, dict) else []
    z = tables.zones.c
    found = dict(connection.execute(select(z.id, z.tenant_id).where(z.id.in_(zones))).all()) \
        if zones else {}
    tenants = {t for t in found.values() if t in managed}
    unknown = [i for i in zones if found.get(i) not in managed]
    if unknown or len(tenants) != 1:
        field = "zones" if not unknown else f"zones[{zones.index(unknown[0])}]"
        raise Invalid.field(field, f"name zones of one area manager that authorised you to "
                                   f"manage {what}")
    tenant = tenants.pop()
    if not covers(managed, tenant, zones):
        raise Forbidden(f"no authorisation to manage {what} in all of these zones")
    return tenant


def tenant_of(connection: Connection, managed: Managed, table: Table, zone_table: Table,
              key: str, iri: str, what: str, body: Any = None) -> str:
    """The tenant of a stored thing the caller manages (and, for a change, whose new ``zones``
    it manages too)."""
    row = connection.execute(select(table.c.tenant_id).where(table.c.id == iri)).first()
    if row is None or row.tenant_id not in managed:
        raise NotFound(f"no {what} {iri}")
    zones = connection.execute(select(zone_table.c.zone_id)
                               .where(zone_table.c[key] == iri)).scalars().all()
    if isinstance(body, dict) and "zones" in body:
        zones = [*zones, *iri_list(body, "zones")]
    if not covers(managed, row.tenant_id, zones):
        raise Forbidden(f"no authorisation to manage {what} {iri} in all its zones")
    return row.tenant_id


def condition(managed: Managed, table: Table, zone_table: Table, key: str
              ) -> ColumnElement[bool]:
    """SQL: the row lies in a managed tenant, and (where the authorisation lists zones) has no
    zone outside them."""
    clauses: list[ColumnElement[bool]] = []
    for tenant, zones in managed.items():
        if zones is None:
            clauses.append(table.c.tenant_id == tenant)
        else:
            outside = select(zone_table.c[key]).where(zone_table.c.zone_id.not_in(sorted(zones)))
            clauses.append(and_(table.c.tenant_id == tenant, table.c.id.not_in(outside)))
    return or_(*clauses) if clauses else false()
