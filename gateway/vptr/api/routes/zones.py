"""Zones: CRUD and the bulk import of a GeoJSON FeatureCollection from any GIS."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.api import bodies
from vptr.api.deps import JsonBody, PageDep, StoreDep, area_manager, instant, one_of
from vptr.api.negotiation import collection_response, document_response
from vptr.api.routes._common import codes
from vptr.auth import access
from vptr.auth.principal import CurrentPrincipal
from vptr.errors import Invalid
from vptr.repositories import zone_import, zones
from vptr.times import now

router = APIRouter(prefix="/zones", tags=["zones"])


@router.post("", status_code=201, summary="Create a zone",
             openapi_extra=bodies.ZONE)
def create_zone(request: Request, store: StoreDep, principal: CurrentPrincipal,
                body: JsonBody) -> Response:
    """A Zone document (JSON-LD); ``id`` and ``areaManager`` may be left out. The outline may be
    given as WKT, GeoJSON or both; the register keeps both."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = zones.create(connection, store.iris, tenant, body)
    ref = store.iris.reference("zone", document["id"])
    return document_response(request, document, 201, {"Location": f"/zones/{ref}"})


@router.post("/import", summary="Import zones from a GeoJSON FeatureCollection",
             openapi_extra=bodies.ZONE_IMPORT)
def import_zones(
    request: Request, store: StoreDep, principal: CurrentPrincipal, body: JsonBody,
    zone_kind: Annotated[str | None, Query(
        alias="zoneKind", description="Zone kind for features that have none.")] = None,
    name_property: Annotated[str | None, Query(
        alias="nameProperty", description="The feature property holding the name.")] = None,
    kind_property: Annotated[str | None, Query(
        alias="kindProperty", description="The feature property holding the zone kind.")] = None,
    gis_id_property: Annotated[str | None, Query(
        alias="gisIdProperty", description="The feature property holding the GIS id.")] = None,
) -> Response:
    """All or nothing: every feature becomes a zone, or nothing is stored and each bad feature is
    named by its index. A feature whose GIS id matches an existing zone updates that zone. Property
    mapping: see docs/api.md (name, zoneKind, description, gisId, capacity, validFrom, validTo)."""
    tenant = area_manager(principal)
    one_of(zone_kind, codes("ZoneKind"), "zoneKind")
    overrides = {k: v for k, v in (("name", name_property), ("zoneKind", kind_property),
                                   ("gisId", gis_id_property)) if v}
    options = zone_import.ImportOptions(zone_kind=zone_kind, overrides=overrides)
    with store.transaction() as connection:
        result = zone_import.import_collection(connection, store.iris, tenant, body, options)
    documents = result.created + result.updated
    return collection_response(
        request, documents, 1, max(len(documents), 1), len(documents),
        extra={"created": [d["id"] for d in result.created],
               "updated": [d["id"] for d in result.updated]},
        status=201 if result.created else 200)


@router.get("", summary="List zones")
def list_zones(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    kind: Annotated[str | None, Query(description="Only zones of this kind.")] = None,
    name: Annotated[str | None, Query(description="Part of the name.")] = None,
    at: Annotated[str | None, Query(description="Only zones valid at this instant.")] = None,
    lon: Annotated[float | None, Query(description="With lat: zones containing the point.")] = None,
    lat: Annotated[float | None, Query(description="With lon: zones containing the point.")] = None,
) -> Response:
    one_of(kind, codes("ZoneKind"), "kind")
    if (lon is None) != (lat is None):
        raise Invalid.field("lat" if lat is None else "lon", "give lon and lat together")
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        rows, total = zones.listing(connection, tenants, page, kind, name, instant(at, "at"),
                                    (lon, lat) if lon is not None and lat is not None else None)
    return collection_response(request, [zones.render(r) for r in rows], page.number, page.size,
                               total)


@router.get("/{ref}", summary="Read a zone")
def get_zone(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal) -> Response:
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        row = zones.get(connection, tenants, store.iris.from_path("zone", ref))
    return document_response(request, zones.render(row))


@router.put("/{ref}", summary="Replace a zone",
             openapi_extra=bodies.ZONE)
def replace_zone(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
                 body: JsonBody) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = zones.replace(connection, store.iris, tenant, store.iris.from_path("zone", ref),
                                 body)
    return document_response(request, document)


@router.delete("/{ref}", status_code=204, summary="Delete a zone nothing refers to")
def delete_zone(ref: str, store: StoreDep, principal: CurrentPrincipal) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        zones.delete(connection, tenant, store.iris.from_path("zone", ref))
    return Response(status_code=204)
