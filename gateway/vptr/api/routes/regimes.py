"""Regimes: versioned. PUT makes a new version; ``?at=`` answers for any moment; the history is
listed at ``/regimes/{ref}/versions``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.api import bodies
from vptr.api.deps import JsonBody, PageDep, StoreDep, area_manager, instant, one_of
from vptr.api.negotiation import collection_response, document_response
from vptr.api.routes._common import codes
from vptr.auth import access
from vptr.auth.principal import CurrentPrincipal
from vptr.repositories import regimes
from vptr.times import now

router = APIRouter(prefix="/regimes", tags=["regimes"])


@router.post("", status_code=201, summary="Create a regime (version 1)",
             openapi_extra=bodies.REGIME)
def create_regime(request: Request, store: StoreDep, principal: CurrentPrincipal,
                  body: JsonBody) -> Response:
    """A Regime document; ``id``, ``version``, ``isVersionOf`` and ``areaManager`` are set by the
    register. Without a validityPeriod the regime is in force from now."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = regimes.create(connection, store.iris, tenant, body)
    ref = store.iris.reference("regime", document["isVersionOf"])
    return document_response(request, document, 201, {"Location": f"/regimes/{ref}"})


@router.get("", summary="List regimes (newest versions, or those in force at an instant)")
def list_regimes(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    zone: Annotated[str | None, Query(description="Only regimes of this zone (IRI or ref).")
                    ] = None,
    at: Annotated[str | None, Query(description="The versions in force at this instant.")] = None,
    usage: Annotated[str | None, Query(description="Only regimes with this usage.")] = None,
) -> Response:
    one_of(usage, codes("Usage"), "usage")
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        rows, total = regimes.listing(connection, tenants, page,
                                      store.iris.resolve("zone", zone) if zone else None,
                                      instant(at, "at"), usage)
    return collection_response(request, [regimes.render(r) for r in rows], page.number, page.size,
                               total)


@router.get("/{ref}", summary="Read a regime: the newest version, or the one in force at ?at=")
def get_regime(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
               at: Annotated[str | None, Query(description="An instant (ISO 8601).")] = None
               ) -> Response:
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        row = regimes.get(connection, tenants, store.iris.from_path("regime", ref),
                          instant(at, "at"))
    return document_response(request, regimes.render(row))


@router.put("/{ref}", summary="Change a regime: makes the next version",
             openapi_extra=bodies.REGIME_CHANGE)
def change_regime(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
                  body: JsonBody) -> Response:
    """The new version starts at its validityPeriod.startTime (now if absent), which must be after
    the current version's start; the current version's validity ends there. Sending ``version``
    makes the change conditional: 409 unless it is the next number."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = regimes.new_version(connection, store.iris, tenant,
                                       store.iris.from_path("regime", ref), body)
    return document_response(request, document, 200, {
        "Content-Location": f"/regimes/{ref}/versions/{document['version']}"})


@router.get("/{ref}/versions", summary="The history of a regime, oldest first")
def list_regime_versions(ref: str, request: Request, store: StoreDep,
                         principal: CurrentPrincipal, page: PageDep) -> Response:
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        rows, total = regimes.versions(connection, tenants, store.iris.from_path("regime", ref),
                                       page)
    return collection_response(request, [regimes.render(r) for r in rows], page.number, page.size,
                               total)


@router.get("/{ref}/versions/{number}", summary="One version of a regime")
def get_regime_version(ref: str, number: int, request: Request, store: StoreDep,
                       principal: CurrentPrincipal) -> Response:
    with store.reading() as connection:
        tenants = access.visible_tenants(connection, principal, now())
        row = regimes.get_version(connection, tenants, store.iris.from_path("regime", ref), number)
    return document_response(request, regimes.render(row))
