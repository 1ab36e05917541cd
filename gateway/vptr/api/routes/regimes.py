"""Regimes: versioned. PUT makes a new version; ``?at=`` answers for any moment; the history is
listed at ``/regimes/{ref}/versions`` (:mod:`vptr.services.regimes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import JsonBody, PageDep, instant
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.services import regimes
from vptr.validation.replaced import deprecation_headers, replaced_keys_in

#: The model's bound on a regime's version (model/regime.yaml).
MAX_VERSION = 1_000_000

router = APIRouter(prefix="/regimes", tags=["regimes"])


@router.post("", status_code=201, summary="Create a regime (version 1)",
             openapi_extra=bodies.REGIME)
def create_regime(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                  body: JsonBody) -> Response:
    """A Regime document; ``id``, ``version``, ``isVersionOf`` and ``areaManager`` are set by the
    register. Without a validityPeriod the regime is in force from now."""
    document = regimes.create(runtime, caller, body)
    return document_response(request, document, 201, {
        **location(runtime.store.iris, "regime", document["isVersionOf"]),
        **deprecation_headers(replaced_keys_in(body, "Regime"))})


@router.get("", summary="List regimes (newest versions, or those in force at an instant)")
def list_regimes(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    zone: Annotated[str | None, Query(description="Only regimes of this zone (IRI or ref).")
                    ] = None,
    at: Annotated[str | None, Query(description="The versions in force at this instant.")] = None,
    usage: Annotated[str | None, Query(description="Only regimes with this usage.")] = None,
) -> Response:
    documents, total = regimes.listing(
        runtime, caller, page, runtime.store.iris.resolve("zone", zone) if zone else None,
        instant(at, "at"), usage)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a regime: the newest version, or the one in force at ?at=")
def get_regime(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
               at: Annotated[str | None, Query(description="An instant (ISO 8601).")] = None
               ) -> Response:
    return document_response(request, regimes.get(
        runtime, caller, runtime.store.iris.from_path("regime", ref), instant(at, "at")))


@router.put("/{ref}", summary="Change a regime: makes the next version",
             openapi_extra=bodies.REGIME_CHANGE)
def change_regime(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                  body: JsonBody) -> Response:
    """The new version starts at its validityPeriod.startTime (now if absent), which must be after
    the current version's start; the current version's validity ends there. Sending ``version``
    makes the change conditional: 409 unless it is the next number."""
    document = regimes.new_version(runtime, caller, runtime.store.iris.from_path("regime", ref),
                                   body)
    return document_response(request, document, 200, {
        "Content-Location": f"/regimes/{ref}/versions/{document['version']}",
        **deprecation_headers(replaced_keys_in(body, "Regime"))})


@router.get("/{ref}/versions", summary="The history of a regime, oldest first")
def list_regime_versions(ref: str, request: Request, runtime: RuntimeDep,
                         caller: CurrentCaller, page: PageDep) -> Response:
    documents, total = regimes.versions(runtime, caller,
                                        runtime.store.iris.from_path("regime", ref), page)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}/versions/{number}", summary="One version of a regime")
def get_regime_version(ref: str,
                       number: Annotated[int, Path(ge=1, le=MAX_VERSION,
                                                   description="The version, from 1.")],
                       request: Request, runtime: RuntimeDep,
                       caller: CurrentCaller) -> Response:
    return document_response(request, regimes.get_version(
        runtime, caller, runtime.store.iris.from_path("regime", ref), number))
