"""Rights: register (idempotent), end early, revoke, adjust; search by plate or by zone and
period. The rules are :mod:`vptr.services.rights`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import (
    JsonBody,
    OptionalJsonBody,
    PageDep,
    instant,
    plate_query,
)
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.errors import Invalid
from vptr.services import rights
from vptr.times import parse_instant

router = APIRouter(prefix="/rights", tags=["rights"])


@router.post("", status_code=201, summary="Register a right",
             openapi_extra=bodies.RIGHT)
async def register_right(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, body: JsonBody,
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key",
        description="Re-sending with the same key returns the first result (200).")] = None,
) -> Response:
    """A Right document. The register sets ``id`` (unless given), ``rightStatus`` (active),
    ``created``, ``provider`` (the calling provider) and ``authorisation`` (the one that lets the
    provider write in the zone). Re-sent with the same clientReference or Idempotency-Key: 200
    with the first right; the same reference with another body: 409."""
    result = await runtime.run_write(rights.register, runtime, caller, body, idempotency_key)
    return document_response(request, result.document, 201 if result.created else 200,
                             location(runtime.store.iris, "right", result.document["id"]))


@router.get("", summary="Search rights by plate, or by zone and period")
def search_rights(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    plate: Annotated[str | None, Query(description="A licence plate (needs country).")] = None,
    country: Annotated[str | None, Query(description="The plate's country (ISO code).")] = None,
    zone: Annotated[str | None, Query(description="A zone (IRI or reference).")] = None,
    start: Annotated[str | None, Query(alias="from", description="Rights that end after this.")
                     ] = None,
    end: Annotated[str | None, Query(alias="to", description="Rights that start before this.")
                   ] = None,
    status: Annotated[str | None, Query(description="active, ended or revoked.")] = None,
    provider: Annotated[str | None, Query(description="The registering provider (IRI or ref).")
                        ] = None,
    client_reference: Annotated[str | None, Query(alias="clientReference")] = None,
) -> Response:
    plate_and_country = plate_query(plate, country)
    iris = runtime.store.iris
    criteria = rights.Search(
        plate=plate_and_country[0] if plate_and_country else None,
        country=plate_and_country[1] if plate_and_country else None,
        zone=iris.resolve("zone", zone) if zone else None,
        start=instant(start, "from"), end=instant(end, "to"), status=status,
        provider=iris.resolve("organisation", provider) if provider else None,
        client_reference=client_reference)
    documents, total = rights.search(runtime, caller, criteria, page)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a right")
def get_right(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
              ) -> Response:
    return document_response(request, rights.get(
        runtime, caller, runtime.store.iris.from_path("right", ref)))


@router.patch("/{ref}", summary="Adjust a right's end time or amount",
             openapi_extra=bodies.RIGHT_ADJUST)
async def adjust_right(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                       body: JsonBody) -> Response:
    """A merge patch with ``validityPeriod.endTime`` and/or ``amountPaid`` (null removes it);
    the adjusted right is validated again."""
    iri = runtime.store.iris.from_path("right", ref)
    return document_response(request, await runtime.run_write(
        rights.adjust, runtime, caller, iri, body))


@router.post("/{ref}/end", summary="End a right early",
             openapi_extra=bodies.RIGHT_END)
async def end_right(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                    body: OptionalJsonBody) -> Response:
    """Optional body ``{"endTime": "..."}``; without it the right ends now."""
    end_time = None
    if body is not None:
        if not isinstance(body, dict) or set(body) - {"endTime"}:
            raise Invalid.field(None, 'the body is empty or {"endTime": "<ISO 8601 instant>"}')
        if body.get("endTime") is not None:
            end_time = parse_instant(body["endTime"], "endTime")
    iri = runtime.store.iris.from_path("right", ref)
    return document_response(request, await runtime.run_write(
        rights.end, runtime, caller, iri, end_time))


@router.post("/{ref}/revoke", summary="Revoke a right")
async def revoke_right(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
                       ) -> Response:
    iri = runtime.store.iris.from_path("right", ref)
    return document_response(request, await runtime.run_write(
        rights.revoke, runtime, caller, iri))
