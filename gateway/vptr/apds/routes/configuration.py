"""The read paths of the configuration: zones as places (hierarchy elements), regime versions as
right specifications, their tariffs as rate tables. Each route parses the APDS parameters, asks
:func:`vptr.services.publication.configuration` and renders through :mod:`vptr.apds.translate`.

An area manager (scope ``po``) also writes its places (POST/PUT/DELETE, versions and logical
deletes as for every APDS entity: :mod:`vptr.services.places`), its right specifications (a
regime version each) and its rate tables (the tariff of the regime version of the same id):
:mod:`vptr.services.specifications`, through the same regime repository as the native API, so a
regime is validated against the profile as a whole whichever channel wrote it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from vptr.apds import translate
from vptr.apds.http import (
    PO,
    ApdsRoute,
    Reader,
    RuntimeDep,
    body_of,
    caller_for,
    comma_list,
    epoch,
    response_status,
    same_id,
)
from vptr.apds.routes.common import Circle, paginated
from vptr.errors import Invalid, NotFound, RegisterError
from vptr.services import places, publication, specifications
from vptr.services.publication import Configuration, PublishedRegime
from vptr.services.runtime import Caller

router = APIRouter(prefix="/apds", tags=["APDS: places, right specifications, rates"],
                   route_class=ApdsRoute)

Page = Annotated[int, Query(ge=1, description="The page number, from 1.")]
Latitude = Annotated[float | None, Query(description="With longitude and radius.")]
Longitude = Annotated[float | None, Query(description="With latitude and radius.")]
Radius = Annotated[int | None, Query(description="Metres around latitude/longitude.")]
ModifiedSince = Annotated[int | None, Query(description="Unix epoch seconds.")]
Version = Annotated[int | None, Query(ge=1, description="A previous version.")]
Expand = Annotated[str | None, Query(description="Accepted; every attribute is included.")]

HIERARCHY_TYPES = ("campus", "identifiedArea", "place", "space", "subplaceElement")
RIGHT_TYPES = ("accessPermission", "loadingUnloading", "oneTimeUseParking", "permitParking",
               "setdownPickup", "waiting")


def _page_size(request: Request) -> int:
    return request.app.state.settings.default_page_size


def _checked(values: list[str], allowed: tuple[str, ...], name: str) -> list[str]:
    for value in values:
        if value not in allowed:
            raise Invalid.field(name, f"{value!r} is not one of {', '.join(allowed)}")
    return values


def _since(modified_since: int | None) -> datetime | None:
    return epoch(modified_since, "modified_since")


def _zone_ids(configuration: Configuration, places: list[str]) -> set[str]:
    return {translate.ZONE + p for p in places}


# --- places -----------------------------------------------------------------------------------

@router.get("/places", operation_id="apdsGetPlaces", summary="List places (APDS)")
async def get_places(
    request: Request, runtime: RuntimeDep, caller: Reader, page: Page = 1,
    latitude: Latitude = None, longitude: Longitude = None, radius: Radius = None,
    types: Annotated[str | None, Query(alias="type")] = None,
    right_type: str | None = None, structure_type: str | None = None,
    structure_grade: str | None = None, name: str | None = None,
    layer: Annotated[int | None, Query(ge=0)] = None, operator: str | None = None,
    modified_since: ModifiedSince = None, expand: Expand = None,
) -> JSONResponse:
    circle = Circle(latitude, longitude, radius)
    wanted_types = _checked(comma_list(types), HIERARCHY_TYPES, "type")
    right_types = _checked(comma_list(right_type), RIGHT_TYPES, "right_type")
    since = _since(modified_since)
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    spec_types = _right_types(configuration)
    found, deleted = [], []
    for zone in configuration.zones.values():
        document = zone.document
        if zone.ended is not None:
            if since is not None and zone.ended > since:
                deleted.append({"id": translate.apds_id(document) or translate.local(
                    document["id"]), "className": "Place",
                    "deleteTimestamp": translate.utc(zone.ended)})
            continue
        if since and zone.modified <= since:
            continue
        if layer is not None and zone.layer > layer:
            continue
        if operator and translate.local(document.get("areaManager", "")) != operator:
            continue
        if name and name.lower() not in document.get("name", "").lower():
            continue
        if right_types and not {spec_types.get(v) for v in zone.regimes} & set(right_types):
            continue
        if not circle.touches(document.get("geometry")):
            continue
        message = translate.place(zone, configuration)
        if wanted_types and message["type"] not in wanted_types:
            continue
        found.append(message)
    return JSONResponse(paginated(found, page, _page_size(request),
                                  deleted if since is not None else None))


def _right_types(configuration: Configuration) -> dict[str, str]:
    """Regime version IRI -> its APDS right specification type."""
    types = {}
    for regime in configuration.regimes:
        spec = translate.right_specification(regime, configuration)
        types[regime.document["id"]] = spec.get("type", "")
    return types


@router.get("/places/{id}", operation_id="apdsGetPlace", summary="Read a place (APDS)")
async def get_place(id: str, runtime: RuntimeDep, caller: Reader, version: Version = None,
                    expand: Expand = None) -> JSONResponse:
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    for zone in configuration.zones.values():
        if zone.ended is None and (translate.local(zone.document["id"]) == id
                                   or translate.apds_id(zone.document) == id):
            if version is not None and version != zone.version:
                raise NotFound(f"place {id} has no version {version} here (the register keeps "
                               f"the latest, {zone.version})")
            return JSONResponse(translate.place(zone, configuration))
    raise NotFound(f"no place {id}")


AreaManager = Annotated[Caller, Depends(caller_for(PO))]


@router.post("/places", operation_id="apdsCreatePlace", status_code=201,
             summary="Create a place (APDS): a zone of the caller's")
async def create_place(request: Request, runtime: RuntimeDep, caller: AreaManager
                       ) -> JSONResponse:
    """A HierarchyElement of type ``place`` (or ``subplaceElement``) with ``placeBoundedZone``:
    a zone of the area manager, validated as on the native API; its version is 1."""
    message = await body_of(request, "HierarchyElement")
    document = translate.zone(message, caller.principal.organisation)
    await runtime.run_write(places.create, runtime, caller, document, message["version"])
    return response_status(201, f"Place {message['id']} created successfully.")


@router.put("/places/{id}", operation_id="apdsUpdatePlace",
            summary="Update a place (APDS): the next version")
async def update_place(id: str, request: Request, runtime: RuntimeDep, caller: AreaManager
                       ) -> JSONResponse:
    message = await body_of(request, "HierarchyElement")
    if message["id"] != id:
        raise Invalid.field("id", f"must be {id}, the id in the path")
    document = translate.zone(message, caller.principal.organisation)
    await runtime.run_write(places.change, runtime, caller, translate.ZONE + id, document,
                            message["version"])
    return response_status(200, f"Place {id} updated successfully (version "
                                f"{message['version']}).")


@router.delete("/places/{id}", operation_id="apdsDeletePlace",
               summary="Delete a place (APDS): logical, its validity ends now")
async def delete_place(id: str, runtime: RuntimeDep, caller: AreaManager) -> JSONResponse:
    await runtime.run_write(places.withdraw, runtime, caller, translate.ZONE + id)
    return response_status(200, f"Place {id} deleted successfully.")


# --- right specifications ---------------------------------------------------------------------

def _deleted(configuration: Configuration, since: datetime | None, class_name: str
             ) -> list[dict[str, Any]] | None:
    """The right specifications (or rate tables) deleted after ``since``: regimes whose
    validity ended, and for rate tables also regimes whose newest version dropped its tariff."""
    if since is None:
        return None
    deleted = []
    previous: dict[str, PublishedRegime] = {}
    for regime in configuration.regimes:
        if regime.newest:
            dropped = class_name == "RateTable" and not regime.document.get("tariff") and \
                regime.regime in previous and previous[regime.regime].document.get("tariff")
            if regime.ended is not None and regime.ended > since and (
                    class_name != "RateTable" or regime.document.get("tariff")):
                deleted.append({"id": translate.local(regime.regime), "className": class_name,
                                "deleteTimestamp": translate.utc(regime.ended)})
            elif dropped and regime.created > since:
                deleted.append({"id": translate.local(regime.regime), "className": class_name,
                                "deleteTimestamp": translate.utc(regime.created)})
        previous[regime.regime] = regime
    return deleted


def _regimes(configuration: Configuration, places: list[str], issuer: str | None,
             circle: Circle, since: datetime | None) -> list[PublishedRegime]:
    zones = _zone_ids(configuration, places)
    found = []
    for regime in configuration.regimes:
        document = regime.document
        if not regime.newest or regime.ended is not None:
            continue
        if zones and not zones & set(document.get("zones", [])):
            continue
        if issuer and translate.local(document.get("areaManager", "")) != issuer:
            continue
        if since and regime.created <= since:
            continue
        if circle.active and not any(
                circle.touches(configuration.zones[z].document.get("geometry"))
                for z in document.get("zones", []) if z in configuration.zones):
            continue
        found.append(regime)
    return found


@router.get("/rights/specs", operation_id="apdsGetRightSpecs",
            summary="List right specifications (APDS)")
async def get_right_specs(
    request: Request, runtime: RuntimeDep, caller: Reader, page: Page = 1,
    latitude: Latitude = None, longitude: Longitude = None, radius: Radius = None,
    place: str | None = None, types: Annotated[str | None, Query(alias="type")] = None,
    modified_since: ModifiedSince = None, issuer: str | None = None, expand: Expand = None,
) -> JSONResponse:
    circle = Circle(latitude, longitude, radius)
    _checked(comma_list(types), HIERARCHY_TYPES, "type")
    since = _since(modified_since)
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    regimes = _regimes(configuration, comma_list(place), issuer, circle, since)
    data = [translate.right_specification(r, configuration) for r in regimes]
    return JSONResponse(paginated(data, page, _page_size(request),
                                  _deleted(configuration, since, "RightSpecification")))


def _one_regime(configuration: Configuration, id: str, version: int | None) -> PublishedRegime:
    versions = [r for r in configuration.regimes if translate.local(r.regime) == id]
    if not versions or (version is None and versions[-1].ended is not None):
        raise NotFound(f"no right specification {id}")
    if version is None:
        return versions[-1]
    for regime in versions:
        if regime.version == version:
            return regime
    raise NotFound(f"right specification {id} has no version {version}")


@router.get("/rights/specs/{id}", operation_id="apdsGetRightSpec",
            summary="Read a right specification (APDS)")
async def get_right_spec(id: str, runtime: RuntimeDep, caller: Reader, version: Version = None,
                         expand: Expand = None) -> JSONResponse:
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    regime = _one_regime(configuration, id, version)
    return JSONResponse(translate.right_specification(regime, configuration))


# --- rate tables ------------------------------------------------------------------------------

@router.get("/rates", operation_id="apdsGetRates", summary="List rate tables (APDS)")
async def get_rates(
    request: Request, runtime: RuntimeDep, caller: Reader, page: Page = 1,
    latitude: Latitude = None, longitude: Longitude = None, radius: Radius = None,
    place: str | None = None, right_spec: str | None = None,
    modified_since: ModifiedSince = None, expand: Expand = None, issuer: str | None = None,
) -> JSONResponse:
    circle = Circle(latitude, longitude, radius)
    since = _since(modified_since)
    specs = set(comma_list(right_spec))
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    regimes = _regimes(configuration, comma_list(place), issuer, circle, since)
    data: list[dict[str, Any]] = [
        translate.rate_table(r) for r in regimes
        if r.document.get("tariff") and (not specs or translate.local(r.regime) in specs)]
    return JSONResponse(paginated(data, page, _page_size(request),
                                  _deleted(configuration, since, "RateTable")))


@router.get("/rates/{id}", operation_id="apdsGetRate", summary="Read a rate table (APDS)")
async def get_rate(id: str, runtime: RuntimeDep, caller: Reader, version: Version = None,
                   expand: Expand = None) -> JSONResponse:
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    regime = _one_regime(configuration, id, version)
    if not regime.document.get("tariff"):
        raise NotFound(f"right specification {id} (version {regime.version}) has no rate table")
    return JSONResponse(translate.rate_table(regime))


# --- right specifications and rate tables written (scope po) ----------------------------------

async def _regime_write(runtime: Any, work: Any, *args: Any) -> Any:
    """A write of the regime repository, its refusals naming the APDS fields."""
    try:
        return await runtime.run_write(work, *args)
    except RegisterError as exc:
        raise translate.in_apds_terms(exc) from None


@router.post("/rights/specs", operation_id="apdsCreateRightSpec", status_code=201,
             summary="Create a right specification (APDS): a regime of the caller's, version 1")
async def create_right_spec(request: Request, runtime: RuntimeDep, caller: AreaManager
                            ) -> JSONResponse:
    message = await body_of(request, "RightSpecification")
    spec = translate.regime(message, caller.principal.organisation)
    await _regime_write(runtime, specifications.create, runtime, caller, spec.document,
                        spec.version, spec.rate_table)
    return response_status(201, f"RightSpecification {spec.id} created successfully.")


@router.put("/rights/specs/{id}", operation_id="apdsUpdateRightSpec",
            summary="Update a right specification (APDS): the regime's next version")
async def update_right_spec(id: str, request: Request, runtime: RuntimeDep,
                            caller: AreaManager) -> JSONResponse:
    message = await body_of(request, "RightSpecification")
    same_id(message, id)
    spec = translate.regime(message, caller.principal.organisation)
    await _regime_write(runtime, specifications.change, runtime, caller, translate.REGIME + id,
                        spec.document, spec.version, spec.rate_table)
    return response_status(200, f"RightSpecification {id} updated successfully (version "
                                f"{spec.version}).")


@router.delete("/rights/specs/{id}", operation_id="apdsDeleteRightSpec",
               summary="Delete a right specification (APDS): logical, the regime ends now")
async def delete_right_spec(id: str, runtime: RuntimeDep, caller: AreaManager) -> JSONResponse:
    await _regime_write(runtime, specifications.withdraw, runtime, caller,
                        translate.REGIME + id)
    return response_status(200, f"RightSpecification {id} deleted successfully.")


@router.post("/rates", operation_id="apdsCreateRate",
             summary="Create a rate table (APDS): the price of the right specification of the "
                     "same id, from its next version")
async def create_rate(request: Request, runtime: RuntimeDep, caller: AreaManager
                      ) -> JSONResponse:
    message = await body_of(request, "RateTable")
    rate = translate.rate(message, caller.principal.organisation)
    await _regime_write(runtime, specifications.price, runtime, caller,
                        translate.REGIME + rate.id, rate.tariff, rate.maximum_duration,
                        rate.version, rate.start, True)
    return response_status(200, f"Rate table {rate.id} created successfully (version "
                                f"{rate.version}).")


@router.put("/rates/{id}", operation_id="apdsUpdateRate",
            summary="Update a rate table (APDS): a new price from the regime's next version")
async def update_rate(id: str, request: Request, runtime: RuntimeDep, caller: AreaManager
                      ) -> JSONResponse:
    message = await body_of(request, "RateTable")
    same_id(message, id)
    rate = translate.rate(message, caller.principal.organisation)
    await _regime_write(runtime, specifications.price, runtime, caller,
                        translate.REGIME + id, rate.tariff, rate.maximum_duration,
                        rate.version, rate.start, False)
    return response_status(200, f"Rate table {id} updated successfully (version "
                                f"{rate.version}).")


@router.delete("/rates/{id}", operation_id="apdsDeleteRate",
               summary="Delete a rate table (APDS): from now the regime has no tariff")
async def delete_rate(id: str, runtime: RuntimeDep, caller: AreaManager) -> JSONResponse:
    await _regime_write(runtime, specifications.unprice, runtime, caller,
                        translate.REGIME + id)
    return response_status(200, f"Rate table {id} deleted successfully.")
