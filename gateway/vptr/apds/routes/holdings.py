"""``/apds/rights/assigned`` and ``/apds/sessions``: a provider assigns rights and starts and
stops sessions, enforcement finds them by place and plate. The rules (what a credential becomes,
versions, tenancy, audit) are :mod:`vptr.services.holdings`; these routes parse, call and render.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from vptr.apds import translate
from vptr.apds.http import (
    ApdsRoute,
    Reader,
    RuntimeDep,
    ServiceProvider,
    body_of,
    comma_list,
    epoch,
    response_status,
    same_id,
)
from vptr.apds.routes.common import Circle
from vptr.domain import plates
from vptr.errors import Invalid
from vptr.mapping.converters import apds_country
from vptr.paging import Page
from vptr.services import holdings, publication
from vptr.services.holdings import ASSIGNED_RIGHT, SESSION, Found, Search

router = APIRouter(prefix="/apds", tags=["APDS: assigned rights and sessions"],
                   route_class=ApdsRoute)

PLATE_CREDENTIALS = ("licensePlate", "vehicleplate")
CREDENTIAL_TYPES = ("barcode", "bluetooth", "eticket", "hangtag", "licensePlate", "permit",
                    "qrCode", "rfid", "ticket", "electronicID", "ticketcoupon", "vehicleplate")
#: APDS right specification types and the usages of the model they stand for.
USAGES = {"oneTimeUseParking": {"paidParking", "blueZoneParking", "garageParking",
                                "parkAndRide"},
          "permitParking": {"permitParking"}, "loadingUnloading": {"loading"},
          "setdownPickup": {"kissAndRide"}, "waiting": {"kissAndRide"},
          "accessPermission": {"lowTrafficZoneAccess", "pedestrianZoneAccess",
                               "lowEmissionZoneAccess"}}

PageNumber = Annotated[int, Query(ge=1)]
Epoch = Annotated[int | None, Query(description="Unix epoch seconds.")]


def _plates(value: str | None) -> tuple[tuple[str, str], ...]:
    """``credential_id``: plates, each optionally ``CC:PLATE`` (else the deployment's country,
    BE), in normal form; ``uk:`` is ``GB`` as in every APDS country code."""
    found = []
    for item in comma_list(value):
        country, _, plate = item.rpartition(":")
        try:
            found.append(plates.checked(
                plate, apds_country(country) if country else translate.DEFAULT_COUNTRY))
        except plates.PlateError as exc:
            raise Invalid.field("credential_id", str(exc)) from None
    return tuple(found)


def _criteria(place: str | None, credential_id: str | None, credential_type: str | None,
              right_spec: str | None, start_before: int | None, end_before: int | None,
              start_after: int | None, end_after: int | None, modified_since: int | None
              ) -> Search:
    for value in comma_list(credential_type):
        if value not in CREDENTIAL_TYPES:
            raise Invalid.field("credential_type", f"{value!r} is not a CredentialTypeEnum")
    return Search(
        plates=_plates(credential_id),
        zones=tuple(translate.ZONE + p for p in comma_list(place)),
        regimes=tuple(translate.REGIME + r for r in comma_list(right_spec)),
        start_after=epoch(start_after, "start_after"),
        start_before=epoch(start_before, "start_before"),
        end_after=epoch(end_after, "end_after"), end_before=epoch(end_before, "end_before"),
        modified_since=epoch(modified_since, "modified_since"))


def _types(value: str | None) -> set[str] | None:
    wanted = comma_list(value)
    for item in wanted:
        if item not in USAGES:
            raise Invalid.field("right_type", f"{item!r} is not a RightSpecificationTypeEnum")
    return set().union(*(USAGES[t] for t in wanted)) if wanted else None


async def _within(runtime, caller, criteria: Search, circle: Circle) -> Search:
    """The criteria limited to the places within the circle (none: nothing matches)."""
    if not circle.active:
        return criteria
    configuration = await runtime.run_read(publication.configuration, runtime, caller)
    near = {iri for iri, zone in configuration.zones.items()
            if circle.touches(zone.document.get("geometry"))}
    zones = tuple(sorted(near & set(criteria.zones) if criteria.zones else near))
    return replace(criteria, zones=zones or ("nowhere",))


def _listing(found: Found, render, page: int, size: int, since: datetime | None,
             usages: set[str] | None) -> dict:
    data = [render(h) for h in found.holdings
            if (usages is None or h.document.get("usage") in usages)]
    body: dict = {"meta": {"referenceInstant": translate_now(), "offset": (page - 1) * size,
                           "pageSize": size, "total": found.total}, "data": data}
    if since is not None:
        body["deletedReferences"] = [translate.deleted_reference(h) for h in found.deleted]
    return body


def translate_now() -> int:
    from vptr.apds.http import reference_instant
    return reference_instant()


async def _search(runtime, caller, class_name: str, request: Request, page: int,
                  criteria: Search) -> Found:
    size = request.app.state.settings.default_page_size
    return await runtime.run_read(holdings.search, runtime, caller, class_name, criteria,
                                  Page(page, size))


# --- assigned rights --------------------------------------------------------------------------

@router.get("/rights/assigned", operation_id="apdsGetAssignedRights",
            summary="List assigned rights (APDS): enforcement finds a plate's rights here")
async def get_assigned_rights(
    request: Request, runtime: RuntimeDep, caller: Reader, page: PageNumber = 1,
    latitude: float | None = None, longitude: float | None = None, radius: int | None = None,
    place: str | None = None, types: Annotated[str | None, Query(alias="type")] = None,
    credential_id: str | None = None, credential_type: str | None = None,
    right_spec: str | None = None, right_type: str | None = None,
    start_before: Epoch = None, end_before: Epoch = None, start_after: Epoch = None,
    end_after: Epoch = None, modified_since: Epoch = None, expand: str | None = None,
) -> JSONResponse:
    circle = Circle(latitude, longitude, radius)
    criteria = _criteria(place, credential_id, credential_type, right_spec, start_before,
                         end_before, start_after, end_after, modified_since)
    if comma_list(credential_type) and not set(comma_list(credential_type)) & set(
            PLATE_CREDENTIALS):
        criteria = replace(criteria, plates=(("NONE", "ZZ"),))  # the register holds plates only
    criteria = await _within(runtime, caller, criteria, circle)
    found = await _search(runtime, caller, ASSIGNED_RIGHT, request, page, criteria)
    size = request.app.state.settings.default_page_size
    return JSONResponse(_listing(found, translate.assigned_right, page, size,
                                 criteria.modified_since, _types(right_type)))


@router.post("/rights/assigned", operation_id="apdsCreateAssignedRight", status_code=201,
             summary="Create an assigned right (APDS): a right, a permit or a whitelist entry")
async def create_assigned_right(request: Request, runtime: RuntimeDep, caller: ServiceProvider
                                ) -> JSONResponse:
    message = await body_of(request, "AssignedRight")
    assignment = translate.assignment(message, caller.principal.organisation)
    holding, _ = await runtime.run_write(holdings.assign, runtime, caller, assignment)
    return response_status(201, f"Assigned right {holding.id} created successfully "
                                f"(a {holding.kind} of the register).")


@router.get("/rights/assigned/{id}", operation_id="apdsGetAssignedRight",
            summary="Read an assigned right (APDS)")
async def get_assigned_right(id: str, runtime: RuntimeDep, caller: Reader,
                             version: Annotated[int | None, Query(ge=1)] = None,
                             expand: str | None = None) -> JSONResponse:
    holding = await runtime.run_read(holdings.get, runtime, caller, ASSIGNED_RIGHT, id)
    _version(holding.version, version, "assigned right", id)
    return JSONResponse(translate.assigned_right(holding))


def _version(current: int, asked: int | None, what: str, id: str) -> None:
    if asked is not None and asked != current:
        from vptr.errors import NotFound
        raise NotFound(f"{what} {id} has no version {asked} here (the latest is {current})")


@router.put("/rights/assigned/{id}", operation_id="apdsUpdateAssignedRight",
            summary="Update an assigned right (APDS): the next version")
async def update_assigned_right(id: str, request: Request, runtime: RuntimeDep,
                                caller: ServiceProvider) -> JSONResponse:
    message = await body_of(request, "AssignedRight")
    same_id(message, id)
    assignment = translate.assignment(message, caller.principal.organisation)
    holding, _ = await runtime.run_write(holdings.change_assignment, runtime, caller,
                                              assignment)
    return response_status(200, f"Assigned right {id} updated successfully (version "
                                f"{holding.version}).")


@router.delete("/rights/assigned/{id}", operation_id="apdsDeleteAssignedRight",
               summary="Delete an assigned right (APDS): logical, the right is revoked")
async def delete_assigned_right(id: str, runtime: RuntimeDep, caller: ServiceProvider
                                ) -> JSONResponse:
    await runtime.run_write(holdings.unassign, runtime, caller, id)
    return response_status(200, f"Assigned right {id} deleted successfully.")


# --- sessions ---------------------------------------------------------------------------------

@router.get("/sessions", operation_id="apdsGetSessions", summary="List sessions (APDS)")
async def get_sessions(
    request: Request, runtime: RuntimeDep, caller: Reader, page: PageNumber = 1,
    latitude: float | None = None, longitude: float | None = None, radius: int | None = None,
    place: str | None = None, types: Annotated[str | None, Query(alias="type")] = None,
    credential_id: str | None = None, credential_type: str | None = None,
    right_spec: str | None = None, right_type: str | None = None,
    start_before: Epoch = None, end_before: Epoch = None, start_after: Epoch = None,
    end_after: Epoch = None, modified_since: Epoch = None, expand: str | None = None,
) -> JSONResponse:
    circle = Circle(latitude, longitude, radius)
    criteria = _criteria(place, credential_id, credential_type, right_spec, start_before,
                         end_before, start_after, end_after, modified_since)
    criteria = await _within(runtime, caller, criteria, circle)
    found = await _search(runtime, caller, SESSION, request, page, criteria)
    size = request.app.state.settings.default_page_size
    return JSONResponse(_listing(found, translate.session, page, size,
                                 criteria.modified_since, _types(right_type)))


@router.post("/sessions", operation_id="apdsCreateSession", status_code=201,
             summary="Create a session (APDS): pay on arrival creates its assigned right")
async def create_session(request: Request, runtime: RuntimeDep, caller: ServiceProvider
                         ) -> JSONResponse:
    message = await body_of(request, "Session")
    session = translate.session_message(message, caller.principal.organisation)
    holding, _ = await runtime.run_write(holdings.start_session, runtime, caller, session)
    return response_status(201, f"Session {holding.id} created successfully.")


@router.get("/sessions/{id}", operation_id="apdsGetSession", summary="Read a session (APDS)")
async def get_session(id: str, runtime: RuntimeDep, caller: Reader,
                      version: Annotated[int | None, Query(ge=1)] = None,
                      expand: str | None = None) -> JSONResponse:
    holding = await runtime.run_read(holdings.get, runtime, caller, SESSION, id)
    _version(holding.version, version, "session", id)
    return JSONResponse(translate.session(holding))


@router.put("/sessions/{id}", operation_id="apdsUpdateSession",
            summary="Update a session (APDS): its end ends the right it created")
async def update_session(id: str, request: Request, runtime: RuntimeDep,
                         caller: ServiceProvider) -> JSONResponse:
    message = await body_of(request, "Session")
    same_id(message, id)
    session = translate.session_message(message, caller.principal.organisation)
    holding, _ = await runtime.run_write(holdings.change_session, runtime, caller,
                                              session)
    return response_status(200, f"Session {id} updated successfully (version "
                                f"{holding.version}).")


@router.delete("/sessions/{id}", operation_id="apdsDeleteSession",
               summary="Delete a session (APDS): logical")
async def delete_session(id: str, runtime: RuntimeDep, caller: ServiceProvider
                         ) -> JSONResponse:
    await runtime.run_write(holdings.end_session, runtime, caller, id)
    return response_status(200, f"Session {id} deleted successfully.")
