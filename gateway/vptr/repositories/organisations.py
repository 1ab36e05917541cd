"""Organisations (area managers, providers, enforcement) and the authorisations between them.

Organisations form one directory every caller may read: a provider connects once and works for every
municipality that authorises it. An area manager registers the providers and enforcement services it
works with (it is their registrar and may change them); a new area manager is a new tenant, created
by the operator (`vptr tenant create`), never through the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, select

from vptr.auth.principal import AREA_MANAGER, ENFORCEMENT, PROVIDER
from vptr.errors import Conflict, Forbidden, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import iri_list, iri_value, normalise, validate
from vptr.repositories.references import organisation_row, zone_rows
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.store.plate_keys import create_tenant_key
from vptr.times import now, period

ROLES = (AREA_MANAGER, PROVIDER, ENFORCEMENT)


def _roles(document: dict[str, Any]) -> set[str]:
    value = document.get("roles") or []
    return set(value if isinstance(value, list) else [value])


def _columns(document: dict[str, Any]) -> dict[str, Any]:
    roles = _roles(document)
    return {
        "name": str(document.get("name", "")),
        "is_area_manager": AREA_MANAGER in roles,
        "is_provider": PROVIDER in roles,
        "is_enforcement": ENFORCEMENT in roles,
        "document": document,
    }


def _prepared(iris: Iris, body: Any, iri: str | None = None) -> dict[str, Any]:
    document = normalise(body, "Organisation")
    iris.assign("organisation", document, iri)
    validate(document)
    return document


def _exists(connection: Connection, iri: str) -> bool:
    o = tables.organisations.c
    return connection.execute(select(o.id).where(o.id == iri)).first() is not None


def create_tenant(connection: Connection, iris: Iris, body: Any) -> dict[str, Any]:
    """A new area manager: its own tenant, with its own plate key. For the operator, not the API."""
    document = _prepared(iris, body)
    if AREA_MANAGER not in _roles(document):
        raise Invalid.field("roles", "a tenant is an organisation with the role areaManager")
    if _exists(connection, document["id"]):
        raise Conflict(f"organisation {document['id']} exists")
    moment = now()
    connection.execute(tables.organisations.insert().values(
        id=document["id"], tenant_id=document["id"], created_at=moment, updated_at=moment,
        version=1, **_columns(document)))
    create_tenant_key(connection, document["id"])
    return document


def create(connection: Connection, iris: Iris, registrar: str, body: Any) -> dict[str, Any]:
    document = _prepared(iris, body)
    if AREA_MANAGER in _roles(document):
        raise Forbidden("a new area manager is a new tenant: the operator creates it "
                        "(vptr tenant create)")
    if _exists(connection, document["id"]):
        raise Conflict.taken(document["id"])
    moment = now()
    connection.execute(tables.organisations.insert().values(
        id=document["id"], tenant_id=registrar, created_at=moment, updated_at=moment, version=1,
        **_columns(document)))
    return document


def get(connection: Connection, iri: str) -> Row:
    row = connection.execute(
        select(tables.organisations).where(tables.organisations.c.id == iri)).first()
    if row is None:
        raise NotFound(f"no organisation {iri}")
    return row


def listing(connection: Connection, page: Page, role: str | None = None,
            name: str | None = None) -> tuple[list[Row], int]:
    o = tables.organisations.c
    query: Select = select(tables.organisations)
    if role == AREA_MANAGER:
        query = query.where(o.is_area_manager)
    elif role == PROVIDER:
        query = query.where(o.is_provider)
    elif role == ENFORCEMENT:
        query = query.where(o.is_enforcement)
    elif role is not None:
        raise Invalid.field("role", f"one of {', '.join(ROLES)}")
    if name:
        query = query.where(o.name.ilike(f"%{name}%"))
    return fetch_page(connection, query.order_by(o.name, o.id), page)


def replace(connection: Connection, iris: Iris, row: Row, body: Any) -> dict[str, Any]:
    """The organisation as sent; its area manager role (being a tenant) cannot change."""
    iri = row.id
    document = _prepared(iris, body, iri)
    roles = _roles(document)
    if (AREA_MANAGER in roles) != row.is_area_manager:
        raise Forbidden("the role areaManager (being a tenant) is given and taken by the operator")
    connection.execute(tables.organisations.update().where(tables.organisations.c.id == iri).values(
        updated_at=now(), version=row.version + 1, **_columns(document)))
    return document


def delete(connection: Connection, iri: str) -> None:
    """Removes an organisation nothing refers to."""
    refs = [
        (tables.rights, tables.rights.c.provider_id, "rights"),
        (tables.authorisations, tables.authorisations.c.grantee_id, "authorisations"),
    ]
    for table, column, what in refs:
        if connection.execute(select(table.c.id).where(column == iri).limit(1)).first():
            raise Conflict(f"organisation {iri} is still referred to by {what}")
    connection.execute(tables.organisations.delete().where(tables.organisations.c.id == iri))


# --- authorisations ---------------------------------------------------------------------------

def _authorisation_columns(connection: Connection, tenant: str, document: dict[str, Any]
                           ) -> tuple[dict[str, Any], list[str]]:
    grantor = iri_value(document, "grantor")
    if grantor != tenant:
        raise Invalid.field("grantor", f"must be {tenant}, the authenticated area manager")
    grantee = iri_value(document, "grantee")
    assert grantee is not None  # required by the profile, validated before
    grantee_row = organisation_row(connection, grantee, "grantee")
    if not (grantee_row.is_provider or grantee_row.is_enforcement):
        raise Invalid.field("grantee", f"{grantee} is neither a provider nor enforcement")
    zone_iris = iri_list(document, "zones")
    zone_rows(connection, tenant, zone_iris, "zones")
    scopes = set(document.get("scopes") or [])
    start, end = period(document)
    return {
        "tenant_id": tenant, "grantee_id": grantee, "can_read": "readRights" in scopes,
        "can_write": "writeRights" in scopes, "can_manage_permits": "managePermits" in scopes,
        "can_manage_whitelists": "manageWhitelists" in scopes, "all_zones": not zone_iris,
        "valid_from": start,
        "valid_to": end, "document": document,
    }, zone_iris


def _prepared_authorisation(iris: Iris, tenant: str, body: Any, iri: str | None = None
                            ) -> dict[str, Any]:
    document = normalise(body, "Authorisation")
    document.setdefault("grantor", tenant)
    iris.assign("authorisation", document, iri)
    validate(document)
    return document


def _store_zones(connection: Connection, authorisation: str, zone_iris: list[str]) -> None:
    az = tables.authorisation_zones
    connection.execute(az.delete().where(az.c.authorisation_id == authorisation))
    if zone_iris:
        connection.execute(az.insert(), [{"authorisation_id": authorisation, "zone_id": z}
                                         for z in zone_iris])


def create_authorisation(connection: Connection, iris: Iris, tenant: str, body: Any
                         ) -> dict[str, Any]:
    document = _prepared_authorisation(iris, tenant, body)
    values, zone_iris = _authorisation_columns(connection, tenant, document)
    a = tables.authorisations.c
    if connection.execute(select(a.id).where(a.id == document["id"])).first():
        raise Conflict.taken(document["id"])
    moment = now()
    connection.execute(tables.authorisations.insert().values(
        id=document["id"], created_at=moment, updated_at=moment, version=1, **values))
    _store_zones(connection, document["id"], zone_iris)
    return document


def get_authorisation(connection: Connection, iri: str) -> Row | None:
    return connection.execute(
        select(tables.authorisations).where(tables.authorisations.c.id == iri)).first()


def list_authorisations(connection: Connection, received_by: str, given_by: str | None,
                        page: Page, grantee: str | None = None, at: datetime | None = None
                        ) -> tuple[list[Row], int]:
    """The authorisations an organisation received, and those a tenant gave."""
    a = tables.authorisations.c
    visible = a.grantee_id == received_by
    if given_by:
        visible = visible | (a.tenant_id == given_by)
    query = select(tables.authorisations).where(visible)
    if grantee:
        query = query.where(a.grantee_id == grantee)
    if at is not None:
        query = query.where((a.valid_from.is_(None)) | (a.valid_from <= at),
                            (a.valid_to.is_(None)) | (a.valid_to > at))
    return fetch_page(connection, query.order_by(a.created_at, a.id), page)


def replace_authorisation(connection: Connection, iris: Iris, row: Row, body: Any
                          ) -> dict[str, Any]:
    iri = row.id
    document = _prepared_authorisation(iris, row.tenant_id, body, iri)
    values, zone_iris = _authorisation_columns(connection, row.tenant_id, document)
    connection.execute(tables.authorisations.update().where(tables.authorisations.c.id == iri)
                       .values(updated_at=now(), version=row.version + 1, **values))
    _store_zones(connection, iri, zone_iris)
    return document


def delete_authorisation(connection: Connection, iri: str) -> None:
    connection.execute(tables.authorisations.delete().where(tables.authorisations.c.id == iri))
