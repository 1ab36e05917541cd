"""Organisations (a directory every caller reads), their API keys, and authorisations
(:mod:`vptr.services.organisations`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import JsonBody, OptionalJsonBody, PageDep, instant
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.errors import Invalid
from vptr.services import organisations

router = APIRouter(tags=["organisations"])


@router.post("/organisations", status_code=201, summary="Register a provider or enforcement org",
             openapi_extra=bodies.ORGANISATION)
def create_organisation(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                        body: JsonBody) -> Response:
    """An Organisation document with roles provider and/or enforcement; the calling area manager
    becomes its registrar. New area managers (tenants) are created by the operator."""
    document = organisations.create(runtime, caller, body)
    return document_response(request, document, 201,
                             location(runtime.store.iris, "organisation", document["id"]))


@router.get("/organisations", summary="The directory of organisations")
def list_organisations(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    role: Annotated[str | None, Query(description="areaManager, provider or enforcement.")
                    ] = None,
    name: Annotated[str | None, Query(description="Part of the name.")] = None,
) -> Response:
    documents, total = organisations.listing(runtime, caller, page, role, name)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/organisations/{ref}", summary="Read an organisation")
def get_organisation(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
                     ) -> Response:
    return document_response(request, organisations.get(
        runtime, caller, runtime.store.iris.from_path("organisation", ref)))


@router.put("/organisations/{ref}", summary="Replace an organisation (its registrar only)",
             openapi_extra=bodies.ORGANISATION)
def replace_organisation(ref: str, request: Request, runtime: RuntimeDep,
                         caller: CurrentCaller, body: JsonBody) -> Response:
    return document_response(request, organisations.replace(
        runtime, caller, runtime.store.iris.from_path("organisation", ref), body))


@router.delete("/organisations/{ref}", status_code=204, summary="Remove an organisation")
def delete_organisation(ref: str, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    organisations.delete(runtime, caller, runtime.store.iris.from_path("organisation", ref))
    return Response(status_code=204)


@router.post("/organisations/{ref}/api-keys", status_code=201, openapi_extra=bodies.API_KEY,
             summary="Issue an API key for an organisation you registered")
def create_api_key(ref: str, runtime: RuntimeDep, caller: CurrentCaller,
                   body: OptionalJsonBody) -> Response:
    """Answers the key once; the register keeps only its salted hash. Optional body
    ``{"label": "..."}``."""
    if body is not None and (not isinstance(body, dict) or set(body) - {"label"}):
        raise Invalid.field(None, 'the body is empty or {"label": "<text>"}')
    label = body.get("label") if body else None
    issued = organisations.issue_api_key(runtime, caller,
                                         runtime.store.iris.from_path("organisation", ref), label)
    return JSONResponse({"organisation": issued.organisation, "prefix": issued.prefix,
                         "key": issued.key}, status_code=201)


@router.post("/authorisations", status_code=201, tags=["authorisations"],
             openapi_extra=bodies.AUTHORISATION,
             summary="Authorise a provider or enforcement service")
def create_authorisation(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                         body: JsonBody) -> Response:
    """An Authorisation: grantee, scopes (writeRights, readRights, managePermits,
    manageWhitelists), zones (none: all of yours),
    validityPeriod. ``grantor`` is the calling area manager."""
    document = organisations.create_authorisation(runtime, caller, body)
    return document_response(request, document, 201,
                             location(runtime.store.iris, "authorisation", document["id"]))


@router.get("/authorisations", tags=["authorisations"],
            summary="Authorisations you gave (area manager) or received")
def list_authorisations(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    grantee: Annotated[str | None, Query(description="Only those of this grantee.")] = None,
    at: Annotated[str | None, Query(description="Only those in force at this instant.")] = None,
) -> Response:
    documents, total = organisations.list_authorisations(
        runtime, caller, page,
        runtime.store.iris.resolve("organisation", grantee) if grantee else None,
        instant(at, "at"))
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/authorisations/{ref}", tags=["authorisations"], summary="Read an authorisation")
def get_authorisation(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
                      ) -> Response:
    return document_response(request, organisations.get_authorisation(
        runtime, caller, runtime.store.iris.from_path("authorisation", ref)))


@router.put("/authorisations/{ref}", tags=["authorisations"], summary="Replace an authorisation",
             openapi_extra=bodies.AUTHORISATION)
def replace_authorisation(ref: str, request: Request, runtime: RuntimeDep,
                          caller: CurrentCaller, body: JsonBody) -> Response:
    return document_response(request, organisations.replace_authorisation(
        runtime, caller, runtime.store.iris.from_path("authorisation", ref), body))


@router.delete("/authorisations/{ref}", status_code=204, tags=["authorisations"],
               summary="Withdraw an authorisation")
def delete_authorisation(ref: str, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    organisations.delete_authorisation(runtime, caller,
                                       runtime.store.iris.from_path("authorisation", ref))
    return Response(status_code=204)
