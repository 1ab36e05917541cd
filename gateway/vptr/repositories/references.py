"""Checks that what a document refers to exists, belongs to the tenant and is of the right kind.

SHACL checks the shape of one payload; only the store knows whether ``zone`` names a zone of this
area manager. Every failure names the field, and an unknown IRI and another tenant's IRI get the
same answer, so nobody learns what another tenant has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, or_, select

from vptr.errors import Invalid
from vptr.store import tables


def zone_rows(connection: Connection, tenant: str, iris: list[str], field: str) -> dict[str, Row]:
    """The tenant's zones named by ``iris``; 422 naming the first that is not one."""
    if not iris:
        return {}
    z = tables.zones.c
    rows = {r.id: r for r in connection.execute(
        select(z.id, z.tenant_id, z.document, z.version)
        .where(z.id.in_(iris), z.tenant_id == tenant)
    )}
    for i, iri in enumerate(iris):
        if iri not in rows:
            where = f"{field}[{i}]" if len(iris) > 1 else field
            raise Invalid.field(where, f"no zone {iri} in the register of {tenant}")
    return rows


def organisation_row(connection: Connection, iri: str, field: str, role: str | None = None) -> Row:
    o = tables.organisations.c
    row = connection.execute(select(tables.organisations).where(o.id == iri)).first()
    if row is None:
        raise Invalid.field(field, f"no organisation {iri} in the register")
    flags = {"areaManager": row.is_area_manager, "provider": row.is_provider,
             "enforcement": row.is_enforcement}
    if role is not None and not flags[role]:
        raise Invalid.field(field, f"{iri} is not an organisation with the role {role}")
    return row


def regime_document(connection: Connection, tenant: str, iri: str, field: str,
                    at: datetime | None = None) -> dict[str, Any]:
    """A regime named by a version IRI, or by the regime's IRI (then: the version in force at
    ``at``, else the newest)."""
    rv = tables.regime_versions.c
    row = connection.execute(
        select(rv.document).where(rv.id == iri, rv.tenant_id == tenant)
    ).first()
    if row is not None:
        return row.document
    query = select(rv.document).where(rv.regime_id == iri, rv.tenant_id == tenant)
    if at is not None:
        in_force = connection.execute(query.where(
            rv.valid_from <= at, or_(rv.valid_to.is_(None), rv.valid_to > at))).first()
        if in_force is not None:
            return in_force.document
    newest = connection.execute(query.order_by(rv.version_number.desc())).first()
    if newest is None:
        raise Invalid.field(field, f"no regime {iri} in the register of {tenant}")
    return newest.document


def exists_in_tenant(connection: Connection, table: Table, tenant: str, iri: str,
                     field: str, what: str) -> None:
    found = connection.execute(
        select(table.c.id).where(and_(table.c.id == iri, table.c.tenant_id == tenant))
    ).first()
    if found is None:
        raise Invalid.field(field, f"no {what} {iri} in the register of {tenant}")
