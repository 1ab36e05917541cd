"""Zones: CRUD and the bulk import of a GeoJSON FeatureCollection from any GIS; a change makes a
new version, listed at ``/zones/{ref}/versions`` (:mod:`vptr.services.zones`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import JsonBody, PageDep, instant
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.errors import Invalid
from vptr.services import zones

#: The model's bound on a version number (model/common.yaml).
MAX_VERSION = 1_000_000

router = APIRouter(prefix="/zones", tags=["zones"])


@router.post("", status_code=201, summary="Create a zone",
             openapi_extra=bodies.ZONE)
def create_zone(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                body: JsonBody) -> Response:
    """A Zone document (JSON-LD); ``id`` and ``areaManager`` may be left out. The outline may be
    given as WKT, GeoJSON or both; the register keeps both."""
    document = zones.create(runtime, caller, body)
    return document_response(request, document, 201,
                             location(runtime.store.iris, "zone", document["id"]))


@router.post("/import", summary="Import zones from a GeoJSON FeatureCollection",
             openapi_extra=bodies.ZONE_IMPORT)
def import_zones(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, body: JsonBody,
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
    overrides = {k: v for k, v in (("name", name_property), ("zoneKind", kind_property),
                                   ("gisId", gis_id_property)) if v}
    result = zones.import_collection(runtime, caller, body,
                                     zones.ImportOptions(zone_kind=zone_kind, overrides=overrides))
    documents = result.created + result.updated
    return collection_response(
        request, documents, 1, max(len(documents), 1), len(documents),
        extra={"created": [d["id"] for d in result.created],
               "updated": [d["id"] for d in result.updated]},
        status=201 if result.created else 200)


@router.get("", summary="List zones")
def list_zones(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    kind: Annotated[str | None, Query(description="Only zones of this kind.")] = None,
    name: Annotated[str | None, Query(description="Part of the name.")] = None,
    at: Annotated[str | None, Query(description="Only zones valid at this instant.")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180,
                                       description="With lat: zones containing the point.")
                   ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90,
                                       description="With lon: zones containing the point.")
                   ] = None,
) -> Response:
    if (lon is None) != (lat is None):
        raise Invalid.field("lat" if lat is None else "lon", "give lon and lat together")
    point = (lon, lat) if lon is not None and lat is not None else None
    documents, total = zones.listing(runtime, caller, zones.Filter(kind, name, instant(at, "at"),
                                                                   point), page)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a zone")
def get_zone(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
             ) -> Response:
    return document_response(request, zones.get(runtime, caller,
                                                runtime.store.iris.from_path("zone", ref)))


@router.put("/{ref}", summary="Change a zone: makes the next version, in force from now",
             openapi_extra=bodies.ZONE)
def replace_zone(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                 body: JsonBody) -> Response:
    """The zone's IRI stays; the version before stays readable at ``/zones/{ref}/versions/{n}``
    and checks at moments before the change use its outline. Sending ``version`` (the one read)
    makes the change conditional: 409 when the zone changed since."""
    document = zones.replace(runtime, caller, runtime.store.iris.from_path("zone", ref), body)
    return document_response(request, document, 200, {
        "Content-Location": f"/zones/{ref}/versions/{document['version']}"})


@router.get("/{ref}/versions", summary="The history of a zone, oldest first")
def list_zone_versions(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                       page: PageDep) -> Response:
    documents, total = zones.versions(runtime, caller,
                                      runtime.store.iris.from_path("zone", ref), page)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}/versions/{number}", summary="One version of a zone")
def get_zone_version(ref: str,
                     number: Annotated[int, Path(ge=1, le=MAX_VERSION,
                                                 description="The version, from 1.")],
                     request: Request, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    return document_response(request, zones.get_version(
        runtime, caller, runtime.store.iris.from_path("zone", ref), number))


@router.delete("/{ref}", status_code=204, summary="Delete a zone nothing refers to")
def delete_zone(ref: str, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    zones.delete(runtime, caller, runtime.store.iris.from_path("zone", ref))
    return Response(status_code=204)
