"""Permits: the area manager's long-running rights (resident cards, visitor cards, ...)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.accounting import audit
from vptr.api import bodies
from vptr.api.deps import JsonBody, PageDep, StoreDep, area_manager, instant, one_of, plate_query
from vptr.api.negotiation import collection_response, document_response
from vptr.api.routes._common import codes
from vptr.auth.principal import CurrentPrincipal
from vptr.repositories import permits
from vptr.store.plate_keys import hash_for

router = APIRouter(prefix="/permits", tags=["permits"])


@router.post("", status_code=201, summary="Issue a permit",
             openapi_extra=bodies.PERMIT)
def create_permit(request: Request, store: StoreDep, principal: CurrentPrincipal,
                  body: JsonBody) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = permits.create(connection, store.iris, tenant, body)
        audit.record_for_request(request, connection, audit.of_ids(
            connection, audit.AuditAction.CREATE, "permit", [document["id"]]))
    ref = store.iris.reference("permit", document["id"])
    return document_response(request, document, 201, {"Location": f"/permits/{ref}"})


@router.get("", summary="List permits")
def list_permits(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    plate: Annotated[str | None, Query(description="A plate on the permit (needs country).")
                     ] = None,
    country: Annotated[str | None, Query(description="The plate's country.")] = None,
    zone: Annotated[str | None, Query(description="A zone (IRI or reference).")] = None,
    status: Annotated[str | None, Query(description="active, suspended or revoked.")] = None,
    permit_type: Annotated[str | None, Query(alias="permitType")] = None,
    at: Annotated[str | None, Query(description="Permits valid at this instant.")] = None,
) -> Response:
    tenant = area_manager(principal)
    plate_and_country = plate_query(plate, country)
    one_of(status, codes("PermitStatus"), "status")
    one_of(permit_type, codes("PermitType"), "permitType")
    with store.reading() as connection:
        hashed = hash_for(connection, tenant, plate_and_country[1], plate_and_country[0]) \
            if plate_and_country else None
        rows, total = permits.listing(connection, tenant, page, hashed,
                                      store.iris.resolve("zone", zone) if zone else None,
                                      status, permit_type, instant(at, "at"))
        documents = permits.render_all(connection, rows)
        revealed = audit.of_ids(connection, audit.AuditAction.SEARCH if hashed else
                                audit.AuditAction.LIST, "permit", [row.id for row in rows])
    audit.record_read(request, store, revealed)
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a permit")
def get_permit(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
               ) -> Response:
    tenant = area_manager(principal)
    with store.reading() as connection:
        row = permits.get(connection, tenant, store.iris.from_path("permit", ref))
        document = permits.render(connection, row)
        revealed = audit.of_ids(connection, audit.AuditAction.READ, "permit", [row.id])
    audit.record_read(request, store, revealed)
    return document_response(request, document)


@router.put("/{ref}", summary="Replace a permit",
             openapi_extra=bodies.PERMIT)
def replace_permit(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
                   body: JsonBody) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        before = audit.of_ids(connection, audit.AuditAction.UPDATE, "permit",
                              [store.iris.from_path("permit", ref)])
        document = permits.replace(connection, store.iris, tenant,
                                   store.iris.from_path("permit", ref), body)
        after = audit.of_ids(connection, audit.AuditAction.UPDATE, "permit", [document["id"]])
        audit.record_for_request(request, connection, list(dict.fromkeys(before + after)))
    return document_response(request, document)


@router.delete("/{ref}", status_code=204, summary="Delete a permit")
def delete_permit(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
                  ) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        gone = audit.of_ids(connection, audit.AuditAction.DELETE, "permit",
                            [store.iris.from_path("permit", ref)])
        permits.delete(connection, tenant, store.iris.from_path("permit", ref))
        audit.record_for_request(request, connection, gone)
    return Response(status_code=204)
