"""Whitelists and their entries (F2.3): managed through the API, not spreadsheets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.accounting import audit
from vptr.api import bodies
from vptr.api.deps import JsonBody, PageDep, StoreDep, area_manager, instant, one_of, plate_query
from vptr.api.negotiation import collection_response, document_response
from vptr.api.routes._common import codes
from vptr.auth.principal import CurrentPrincipal
from vptr.repositories import whitelists
from vptr.store.plate_keys import hash_for

router = APIRouter(prefix="/whitelists", tags=["whitelists"])


@router.post("", status_code=201, summary="Create a whitelist (entries may be included)",
             openapi_extra=bodies.WHITELIST)
def create_whitelist(request: Request, store: StoreDep, principal: CurrentPrincipal,
                     body: JsonBody) -> Response:
    """A Whitelist document; its ``entries`` (optional) are stored as separate entries, served at
    /whitelists/{ref}/entries."""
    tenant = area_manager(principal)
    with store.transaction() as connection:
        document = whitelists.create(connection, store.iris, tenant, body)
        audit.record_for_request(request, connection, audit.of_whitelist(
            connection, audit.AuditAction.CREATE, document["id"]))
    ref = store.iris.reference("whitelist", document["id"])
    return document_response(request, document, 201, {"Location": f"/whitelists/{ref}"})


@router.get("", summary="List whitelists")
def list_whitelists(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    zone: Annotated[str | None, Query(description="A zone (IRI or reference).")] = None,
    reason: Annotated[str | None, Query(description="A whitelist reason.")] = None,
    at: Annotated[str | None, Query(description="Whitelists valid at this instant.")] = None,
) -> Response:
    tenant = area_manager(principal)
    one_of(reason, codes("WhitelistReason"), "reason")
    with store.reading() as connection:
        rows, total = whitelists.listing(connection, tenant, page,
                                         store.iris.resolve("zone", zone) if zone else None,
                                         reason, instant(at, "at"))
    return collection_response(request, [whitelists.render(r) for r in rows], page.number,
                               page.size, total)


@router.get("/{ref}", summary="Read a whitelist (without its entries)")
def get_whitelist(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
                  ) -> Response:
    tenant = area_manager(principal)
    with store.reading() as connection:
        row = whitelists.get(connection, tenant, store.iris.from_path("whitelist", ref))
    return document_response(request, whitelists.render(row))


@router.put("/{ref}", summary="Replace a whitelist (and its entries, if the body lists them)",
             openapi_extra=bodies.WHITELIST)
def replace_whitelist(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
                      body: JsonBody) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        before = audit.of_whitelist(connection, audit.AuditAction.UPDATE,
                                    store.iris.from_path("whitelist", ref))
        document = whitelists.replace(connection, store.iris, tenant,
                                      store.iris.from_path("whitelist", ref), body)
        if isinstance(body, dict) and "entries" in body:  # the entries were replaced too
            after = audit.of_whitelist(connection, audit.AuditAction.UPDATE, document["id"])
            audit.record_for_request(request, connection, list(dict.fromkeys(before + after)))
    return document_response(request, document)


@router.delete("/{ref}", status_code=204, summary="Delete a whitelist and its entries")
def delete_whitelist(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
                     ) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        gone = audit.of_whitelist(connection, audit.AuditAction.DELETE,
                                  store.iris.from_path("whitelist", ref))
        whitelists.delete(connection, tenant, store.iris.from_path("whitelist", ref))
        audit.record_for_request(request, connection, gone)
    return Response(status_code=204)


@router.post("/{ref}/entries", status_code=201, summary="Add entries (one object or a list)",
             openapi_extra=bodies.WHITELIST_ENTRY)
def add_whitelist_entries(ref: str, request: Request, store: StoreDep,
                          principal: CurrentPrincipal, body: JsonBody) -> Response:
    tenant = area_manager(principal)
    bodies = body if isinstance(body, list) else [body]
    with store.transaction() as connection:
        documents = whitelists.add_entries(connection, store.iris, tenant,
                                           store.iris.from_path("whitelist", ref), bodies)
        audit.record_for_request(request, connection, audit.of_ids(
            connection, audit.AuditAction.CREATE, "whitelist-entry", [d["id"] for d in documents]))
    if not isinstance(body, list):
        entry = store.iris.reference("whitelist-entry", documents[0]["id"])
        return document_response(request, documents[0], 201,
                                 {"Location": f"/whitelists/{ref}/entries/{entry}"})
    return collection_response(request, documents, 1, max(len(documents), 1), len(documents),
                               status=201)


@router.get("/{ref}/entries", summary="List a whitelist's entries")
def list_whitelist_entries(
    ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
    plate: Annotated[str | None, Query(description="A plate (needs country).")] = None,
    country: Annotated[str | None, Query(description="The plate's country.")] = None,
) -> Response:
    tenant = area_manager(principal)
    plate_and_country = plate_query(plate, country)
    with store.reading() as connection:
        hashed = hash_for(connection, tenant, plate_and_country[1], plate_and_country[0]) \
            if plate_and_country else None
        rows, total = whitelists.list_entries(connection, tenant,
                                              store.iris.from_path("whitelist", ref), page, hashed)
    audit.record_read(request, store, audit.of_rows(
        audit.AuditAction.SEARCH if hashed else audit.AuditAction.LIST, "whitelist-entry", rows))
    return collection_response(request, [whitelists.render_entry(r) for r in rows], page.number,
                               page.size, total)


@router.get("/{ref}/entries/{entry_ref}", summary="Read an entry")
def get_whitelist_entry(ref: str, entry_ref: str, request: Request, store: StoreDep,
                        principal: CurrentPrincipal) -> Response:
    tenant = area_manager(principal)
    with store.reading() as connection:
        row = whitelists.get_entry(connection, tenant, store.iris.from_path("whitelist", ref),
                                   store.iris.from_path("whitelist-entry", entry_ref))
    audit.record_read(request, store, audit.of_rows(
        audit.AuditAction.READ, "whitelist-entry", [row]))
    return document_response(request, whitelists.render_entry(row))


@router.put("/{ref}/entries/{entry_ref}", summary="Replace an entry",
             openapi_extra=bodies.WHITELIST_ENTRY)
def replace_whitelist_entry(ref: str, entry_ref: str, request: Request, store: StoreDep,
                            principal: CurrentPrincipal, body: JsonBody) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        before = audit.of_ids(connection, audit.AuditAction.UPDATE, "whitelist-entry",
                              [store.iris.from_path("whitelist-entry", entry_ref)])
        document = whitelists.replace_entry(
            connection, store.iris, tenant, store.iris.from_path("whitelist", ref),
            store.iris.from_path("whitelist-entry", entry_ref), body)
        after = audit.of_ids(connection, audit.AuditAction.UPDATE, "whitelist-entry",
                             [document["id"]])
        audit.record_for_request(request, connection, list(dict.fromkeys(before + after)))
    return document_response(request, document)


@router.delete("/{ref}/entries/{entry_ref}", status_code=204, summary="Remove an entry")
def delete_whitelist_entry(ref: str, entry_ref: str, request: Request, store: StoreDep,
                           principal: CurrentPrincipal) -> Response:
    tenant = area_manager(principal)
    with store.transaction() as connection:
        gone = audit.of_ids(connection, audit.AuditAction.DELETE, "whitelist-entry",
                            [store.iris.from_path("whitelist-entry", entry_ref)])
        whitelists.delete_entry(connection, tenant, store.iris.from_path("whitelist", ref),
                                store.iris.from_path("whitelist-entry", entry_ref))
        audit.record_for_request(request, connection, gone)
    return Response(status_code=204)
