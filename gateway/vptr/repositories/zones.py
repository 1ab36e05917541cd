"""Zones: the areas, with outlines from the municipality's GIS, that everything else applies to.

Zones come in versions, like regimes: a change never overwrites an outline, it adds version n+1 in
force from the moment of the change and closes version n there, so a check at a past moment uses
the outline of that moment (NF6.9). The zone keeps one IRI, ``.../zone/{ref}``, which everything
refers to; version n is ``.../zone/{ref}/{n}`` (``isVersionOf`` the zone), read at
``/zones/{ref}/versions/{n}``. The ``zones`` row holds the newest version; ``zone_versions`` all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.geometry import Point
from sqlalchemy import Connection, Row, Select, and_, or_, select

from vptr.domain.geometry import outline, prepared
from vptr.errors import Conflict, FieldError, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import normalise, validate
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.times import format_instant, now, period

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
    if document.get("isVersionOf", document["id"]) != document["id"]:
        raise Invalid.field("isVersionOf", f"must be {document['id']} (or leave it out)")
    document.pop("isVersionOf", None)
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


def _numbered(document: dict[str, Any], number: int, accepted: tuple[int, ...]) -> None:
    """Sets the version a write makes; a ``version`` the client sent makes the write conditional:
    it must be the version it read (or the one this write makes)."""
    given = document.get("version")
    if given is not None and given not in accepted:
        raise Conflict(f"version: this change makes version {number}, not {given}",
                       [FieldError("version", f"the current version is {accepted[0]}")])
    document["version"] = number


def _insert_version(connection: Connection, tenant: str, document: dict[str, Any],
                    columns: dict[str, Any], start: datetime | None) -> None:
    connection.execute(tables.zone_versions.insert().values(
        id=f"{document['id']}/{document['version']}", zone_id=document["id"], tenant_id=tenant,
        version_number=document["version"], valid_from=start, valid_to=None,
        wkt=columns["wkt"], min_lon=columns["min_lon"], min_lat=columns["min_lat"],
        max_lon=columns["max_lon"], max_lat=columns["max_lat"], document=document,
        created_at=now()))


def insert(connection: Connection, tenant: str, document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 of a new zone, in force for the zone's whole validity."""
    z = tables.zones.c
    if connection.execute(select(z.id).where(z.id == document["id"])).first():
        raise Conflict.taken(document["id"])
    _numbered(document, 1, (1,))
    moment = now()
    columns = _columns(tenant, document)
    connection.execute(tables.zones.insert().values(
        id=document["id"], created_at=moment, updated_at=moment, version=1, **columns))
    _insert_version(connection, tenant, document, columns, None)
    return document


def create(connection: Connection, iris: Iris, tenant: str, body: Any) -> dict[str, Any]:
    return insert(connection, tenant, prepare(iris, tenant, body))


def get(connection: Connection, tenants: set[str], iri: str) -> Row:
    row = connection.execute(select(tables.zones).where(tables.zones.c.id == iri)).first()
    if row is None or row.tenant_id not in tenants:
        raise NotFound(f"no zone {iri}")
    return row


def update(connection: Connection, tenant: str, row: Row, document: dict[str, Any]) -> None:
    """The next version of the zone, in force from now; the current one ends now."""
    current = int(row.document.get("version") or 1)
    _numbered(document, current + 1, (current, current + 1))
    moment = now()
    zv = tables.zone_versions.c
    connection.execute(tables.zone_versions.update().where(
        zv.zone_id == row.id, zv.version_number == current).values(valid_to=moment))
    columns = _columns(tenant, document)
    connection.execute(tables.zones.update().where(tables.zones.c.id == row.id).values(
        updated_at=moment, version=row.version + 1, **columns))
    _insert_version(connection, tenant, document, columns, moment)


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
    """The zones (of ``tenants``, or all) whose outline contains the point, valid at ``at`` with
    the outline in force at ``at`` (without ``at``: the newest outline)."""
    z = tables.zones.c
    point = Point(lon, lat)
    if at is None:
        query = select(z.id, z.tenant_id, z.version, z.wkt, z.document).where(
            and_(z.min_lon <= lon, z.max_lon >= lon, z.min_lat <= lat, z.max_lat >= lat))
        if tenants is not None:
            query = query.where(z.tenant_id.in_(sorted(tenants)))
        return [r for r in connection.execute(query)
                if prepared(r.id, r.version, r.wkt).covers(point)]
    zv = tables.zone_versions.c
    query = (select(z.id, z.tenant_id, zv.version_number, zv.wkt, z.document)
             .join(tables.zone_versions, zv.zone_id == z.id)
             .where(and_(zv.min_lon <= lon, zv.max_lon >= lon, zv.min_lat <= lat,
                         zv.max_lat >= lat),
                    or_(zv.valid_from.is_(None), zv.valid_from <= at),
                    or_(zv.valid_to.is_(None), zv.valid_to > at),
                    or_(z.valid_from.is_(None), z.valid_from <= at),
                    or_(z.valid_to.is_(None), z.valid_to > at)))
    if tenants is not None:
        query = query.where(z.tenant_id.in_(sorted(tenants)))
    return [r for r in connection.execute(query)
            if prepared(f"{r.id}/{r.version_number}", 1, r.wkt).covers(point)]


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


def _version_row(connection: Connection, tenants: set[str], iri: str, number: int) -> Row:
    zv = tables.zone_versions.c
    row = connection.execute(select(tables.zone_versions).where(
        zv.zone_id == iri, zv.version_number == number,
        zv.tenant_id.in_(sorted(tenants)))).first()
    if row is None:
        raise NotFound(f"no version {number} of zone {iri}")
    return row


def versions(connection: Connection, tenants: set[str], iri: str, page: Page
             ) -> tuple[list[Row], int]:
    """The history of a zone, oldest first."""
    get(connection, tenants, iri)
    zv = tables.zone_versions.c
    return fetch_page(connection, select(tables.zone_versions).where(zv.zone_id == iri)
                      .order_by(zv.version_number), page)


def get_version(connection: Connection, tenants: set[str], iri: str, number: int) -> Row:
    return _version_row(connection, tenants, iri, number)


def render_version(row: Row) -> dict[str, Any]:
    """A version as it was, under its own IRI, with the period it was (or is) in force: the zone's
    validity narrowed to the version's."""
    document = dict(row.document)
    zone_start, zone_end = period(document)
    starts = [t for t in (zone_start, row.valid_from) if t is not None]
    ends = [t for t in (zone_end, row.valid_to) if t is not None]
    validity: dict[str, str] = {}
    if starts:
        validity["startTime"] = format_instant(max(starts))
    if ends:
        validity["endTime"] = format_instant(min(ends))
    document.pop("validityPeriod", None)
    if validity:
        document["validityPeriod"] = validity
    document.update({"id": row.id, "isVersionOf": row.zone_id,
                     "version": row.version_number})
    return document
