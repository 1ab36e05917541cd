"""Organisations (a directory every caller reads), their API keys, and authorisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from vptr.api import bodies
from vptr.api.deps import (
    JsonBody,
    OptionalJsonBody,
    PageDep,
    StoreDep,
    area_manager,
    instant,
    one_of,
)
from vptr.api.negotiation import collection_response, document_response
from vptr.auth.api_keys import issue_key
from vptr.auth.principal import CurrentPrincipal
from vptr.errors import Forbidden
from vptr.repositories import organisations

router = APIRouter(tags=["organisations"])


@router.post("/organisations", status_code=201, summary="Register a provider or enforcement org",
             openapi_extra=bodies.ORGANISATION)
def create_organisation(request: Request, store: StoreDep, principal: CurrentPrincipal,
                        body: JsonBody) -> Response:
    """An Organisation document with roles provider and/or enforcement; the calling area manager
    becomes its registrar. New area managers (tenants) are created by the operator."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = organisations.create(connection, store.iris, tenant, body)
    ref = store.iris.reference("organisation", document["id"])
    return document_response(request, document, 201, {"Location": f"/organisations/{ref}"})


@router.get("/organisations", summary="The directory of organisations")
def list_organisations(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    role: Annotated[str | None, Query(description="areaManager, provider or enforcement.")
                    ] = None,
    name: Annotated[str | None, Query(description="Part of the name.")] = None,
) -> Response:
    one_of(role, organisations.ROLES, "role")
    with store.reading() as connection:
        rows, total = organisations.listing(connection, page, role, name)
    return collection_response(request, [r.document for r in rows], page.number, page.size, total)


@router.get("/organisations/{ref}", summary="Read an organisation")
def get_organisation(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
                     ) -> Response:
    with store.reading() as connection:
        row = organisations.get(connection, store.iris.from_path("organisation", ref))
    return document_response(request, row.document)


@router.put("/organisations/{ref}", summary="Replace an organisation (its registrar only)",
             openapi_extra=bodies.ORGANISATION)
def replace_organisation(ref: str, request: Request, store: StoreDep,
                         principal: CurrentPrincipal, body: JsonBody) -> Response:
    with store.transaction() as connection:
        document = organisations.replace(connection, store.iris, principal,
                                         store.iris.from_path("organisation", ref), body)
    return document_response(request, document)


@router.delete("/organisations/{ref}", status_code=204, summary="Remove an organisation")
def delete_organisation(ref: str, store: StoreDep, principal: CurrentPrincipal) -> Response:
    area_manager(principal)
    with store.transaction() as connection:
        organisations.delete(connection, principal, store.iris.from_path("organisation", ref))
    return Response(status_code=204)


@router.post("/organisations/{ref}/api-keys", status_code=201, openapi_extra=bodies.API_KEY,
             summary="Issue an API key for an organisation you registered")
def create_api_key(ref: str, store: StoreDep, principal: CurrentPrincipal,
                   body: OptionalJsonBody) -> Response:
    """Answers the key once; the register keeps only its salted hash. Optional body
    ``{"label": "..."}``."""
    tenant = area_manager(principal)
    label = body.get("label") if isinstance(body, dict) else None
    with store.transaction() as connection:
        row = organisations.get(connection, store.iris.from_path("organisation", ref))
        if row.tenant_id != tenant:
            raise Forbidden("only the area manager that registered an organisation issues its keys")
        issued = issue_key(connection, row.id, str(label)[:200] if label else None)
    return JSONResponse({"organisation": issued.organisation, "prefix": issued.prefix,
                         "key": issued.key}, status_code=201)


@router.post("/authorisations", status_code=201, tags=["authorisations"],
             openapi_extra=bodies.AUTHORISATION,
             summary="Authorise a provider or enforcement service")
def create_authorisation(request: Request, store: StoreDep, principal: CurrentPrincipal,
                         body: JsonBody) -> Response:
    """An Authorisation: grantee, scopes (writeRights, readRights), zones (none: all of yours),
    validityPeriod. ``grantor`` is the calling area manager."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = organisations.create_authorisation(connection, store.iris, tenant, body)
    ref = store.iris.reference("authorisation", document["id"])
    return document_response(request, document, 201, {"Location": f"/authorisations/{ref}"})


@router.get("/authorisations", tags=["authorisations"],
            summary="Authorisations you gave (area manager) or received")
def list_authorisations(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    grantee: Annotated[str | None, Query(description="Only those of this grantee.")] = None,
    at: Annotated[str | None, Query(description="Only those in force at this instant.")] = None,
) -> Response:
    with store.reading() as connection:
        rows, total = organisations.list_authorisations(
            connection, principal, page,
            store.iris.resolve("organisation", grantee) if grantee else None, instant(at, "at"))
    return collection_response(request, [r.document for r in rows], page.number, page.size, total)


@router.get("/authorisations/{ref}", tags=["authorisations"], summary="Read an authorisation")
def get_authorisation(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
                      ) -> Response:
    with store.reading() as connection:
        row = organisations.get_authorisation(connection, principal,
                                              store.iris.from_path("authorisation", ref))
    return document_response(request, row.document)


@router.put("/authorisations/{ref}", tags=["authorisations"], summary="Replace an authorisation",
             openapi_extra=bodies.AUTHORISATION)
def replace_authorisation(ref: str, request: Request, store: StoreDep,
                          principal: CurrentPrincipal, body: JsonBody) -> Response:
    with store.transaction() as connection:
        document = organisations.replace_authorisation(
            connection, store.iris, principal, store.iris.from_path("authorisation", ref), body)
    return document_response(request, document)


@router.delete("/authorisations/{ref}", status_code=204, tags=["authorisations"],
               summary="Withdraw an authorisation")
def delete_authorisation(ref: str, store: StoreDep, principal: CurrentPrincipal) -> Response:
    with store.transaction() as connection:
        organisations.delete_authorisation(connection, principal,
                                           store.iris.from_path("authorisation", ref))
    return Response(status_code=204)
