"""Zones: the areas, with outlines from the municipality's GIS, that everything else applies to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry import Point
from sqlalchemy import Connection, Row, Select, and_, or_, select

from vptr.domain.geometry import outline, prepared
from vptr.errors import Conflict, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import normalise, validate
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.times import now, period

GIS_ID = "gisId"


def gis_id(document: dict[str, Any]) -> str | None:
    """The zone's identifier in the municipality's GIS, the key a re-import matches on."""
    for identifier in document.get("identifiers") or []:
        if isinstance(identifier, dict) and identifier.get("identifierScheme") == GIS_ID:
            notation = identifier.get("notation")
            return str(notation) if notation is not None else None
    return None


def prepare(iris: Iris, tenant: str, body: Any, iri: str | None = None) -> dict[str, Any]:
    """A zone document ready to store: id, area manager, both outline encodings, validated."""
    document = normalise(body, "Zone")
    document.setdefault("areaManager", tenant)
    if document["areaManager"] != tenant:
        raise Invalid.field("areaManager", f"must be {tenant}, the authenticated area manager")
    iris.assign("zone", document, iri)
    if isinstance(document.get("geometry"), dict):
        outline(document)  # fills in the other encoding before validation sees it
    validate(document)
    return document


def _columns(tenant: str, document: dict[str, Any]) -> dict[str, Any]:
    geometry, wkt_text, geojson_text = outline(document)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    start, end = period(document)
    return {
        "tenant_id": tenant, "name": document["name"], "zone_kind": document["zoneKind"],
        "gis_id": gis_id(document), "wkt": wkt_text, "geojson": geojson_text,
        "min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat,
        "valid_from": start, "valid_to": end, "document": document,
    }


def insert(connection: Connection, tenant: str, document: dict[str, Any]) -> dict[str, Any]:
    z = tables.zones.c
    if connection.execute(select(z.id).where(z.id == document["id"])).first():
        raise Conflict.taken(document["id"])
    moment = now()
    connection.execute(tables.zones.insert().values(
        id=document["id"], created_at=moment, updated_at=moment, version=1,
        **_columns(tenant, document)))
    return document


def create(connection: Connection, iris: Iris, tenant: str, body: Any) -> dict[str, Any]:
    return insert(connection, tenant, prepare(iris, tenant, body))


def get(connection: Connection, tenants: set[str], iri: str) -> Row:
    row = connection.execute(select(tables.zones).where(tables.zones.c.id == iri)).first()
    if row is None or row.tenant_id not in tenants:
        raise NotFound(f"no zone {iri}")
    return row


def update(connection: Connection, tenant: str, row: Row, document: dict[str, Any]) -> None:
    connection.execute(tables.zones.update().where(tables.zones.c.id == row.id).values(
        updated_at=now(), version=row.version + 1, **_columns(tenant, document)))


def replace(connection: Connection, iris: Iris, tenant: str, iri: str, body: Any
            ) -> dict[str, Any]:
    row = get(connection, {tenant}, iri)
    document = prepare(iris, tenant, body, iri)
    update(connection, tenant, row, document)
    return document


def listing(connection: Connection, tenants: set[str], page: Page, kind: str | None = None,
            name: str | None = None, at: datetime | None = None,
            point: tuple[float, float] | None = None) -> tuple[list[Row], int]:
    z = tables.zones.c
    query: Select = select(tables.zones).where(z.tenant_id.in_(sorted(tenants)))
    if kind:
        query = query.where(z.zone_kind == kind)
    if name:
        query = query.where(z.name.ilike(f"%{name}%"))
    if at is not None:
        query = query.where(or_(z.valid_from.is_(None), z.valid_from <= at),
                            or_(z.valid_to.is_(None), z.valid_to > at))
    if point is not None:
        ids = [r.id for r in at_point(connection, tenants, point[0], point[1], at)]
        query = query.where(z.id.in_(ids))
    return fetch_page(connection, query.order_by(z.name, z.id), page)


def at_point(connection: Connection, tenants: set[str] | None, lon: float, lat: float,
             at: datetime | None = None) -> list[Row]:
    """The zones (of ``tenants``, or all) whose outline contains the point, valid at ``at``."""
    z = tables.zones.c
    query = select(z.id, z.tenant_id, z.version, z.wkt, z.document).where(
        and_(z.min_lon <= lon, z.max_lon >= lon, z.min_lat <= lat, z.max_lat >= lat))
    if tenants is not None:
        query = query.where(z.tenant_id.in_(sorted(tenants)))
    if at is not None:
        query = query.where(or_(z.valid_from.is_(None), z.valid_from <= at),
                            or_(z.valid_to.is_(None), z.valid_to > at))
    point = Point(lon, lat)
    return [r for r in connection.execute(query)
            if prepared(r.id, r.version, r.wkt).covers(point)]


def delete(connection: Connection, tenant: str, iri: str) -> None:
    get(connection, {tenant}, iri)
    users = (
        (tables.rights.c.zone_id, "rights"),
        (tables.regime_zones.c.zone_id, "regimes"),
        (tables.permit_zones.c.zone_id, "permits"),
        (tables.whitelist_zones.c.zone_id, "whitelists"),
        (tables.whitelist_entry_zones.c.zone_id, "whitelist entries"),
        (tables.authorisation_zones.c.zone_id, "authorisations"),
    )
    for column, what in users:
        if connection.execute(select(column).where(column == iri).limit(1)).first():
            raise Conflict(f"zone {iri} is still referred to by {what}; end its validity instead")
    connection.execute(tables.zones.delete().where(tables.zones.c.id == iri))


def render(row: Row) -> dict[str, Any]:
    return row.document
