"""Permits: the area manager's long-running rights (resident cards, visitor cards, ...)
(:mod:`vptr.services.permits`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import JsonBody, PageDep, instant, plate_query
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.services import permits

router = APIRouter(prefix="/permits", tags=["permits"])


@router.post("", status_code=201, summary="Issue a permit",
             openapi_extra=bodies.PERMIT)
def create_permit(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                  body: JsonBody) -> Response:
    document = permits.create(runtime, caller, body)
    return document_response(request, document, 201,
                             location(runtime.store.iris, "permit", document["id"]))


@router.get("", summary="List permits")
def list_permits(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    plate: Annotated[str | None, Query(description="A plate on the permit (needs country).")
                     ] = None,
    country: Annotated[str | None, Query(description="The plate's country.")] = None,
    zone: Annotated[str | None, Query(description="A zone (IRI or reference).")] = None,
    status: Annotated[str | None, Query(description="active, suspended or revoked.")] = None,
    permit_type: Annotated[str | None, Query(alias="permitType")] = None,
    at: Annotated[str | None, Query(description="Permits valid at this instant.")] = None,
) -> Response:
    where = permits.Filter(plate_query(plate, country),
                           runtime.store.iris.resolve("zone", zone) if zone else None,
                           status, permit_type, instant(at, "at"))
    documents, total = permits.listing(runtime, caller, where, page)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a permit")
def get_permit(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
               ) -> Response:
    return document_response(request, permits.get(
        runtime, caller, runtime.store.iris.from_path("permit", ref)))


@router.put("/{ref}", summary="Replace a permit",
             openapi_extra=bodies.PERMIT)
def replace_permit(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                   body: JsonBody) -> Response:
    return document_response(request, permits.replace(
        runtime, caller, runtime.store.iris.from_path("permit", ref), body))


@router.delete("/{ref}", status_code=204, summary="Delete a permit")
def delete_permit(ref: str, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    permits.delete(runtime, caller, runtime.store.iris.from_path("permit", ref))
    return Response(status_code=204)
