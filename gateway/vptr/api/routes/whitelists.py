"""Whitelists and their entries (F2.3): managed through the API, not spreadsheets
(:mod:`vptr.services.whitelists`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vptr.api import bodies
from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import JsonBody, PageDep, instant, plate_query
from vptr.api.locations import location
from vptr.api.negotiation import collection_response, document_response
from vptr.services import whitelists
from vptr.validation.replaced import deprecation_headers, replaced_keys_in

router = APIRouter(prefix="/whitelists", tags=["whitelists"])


@router.post("", status_code=201, summary="Create a whitelist (entries may be included)",
             openapi_extra=bodies.WHITELIST)
def create_whitelist(request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                     body: JsonBody) -> Response:
    """A Whitelist document; its ``entries`` (optional) are stored as separate entries, served at
    /whitelists/{ref}/entries."""
    document = whitelists.create(runtime, caller, body)
    return document_response(request, document, 201, {
        **location(runtime.store.iris, "whitelist", document["id"]),
        **deprecation_headers(replaced_keys_in(body, "Whitelist"))})


@router.get("", summary="List whitelists")
def list_whitelists(
    request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    zone: Annotated[str | None, Query(description="A zone (IRI or reference).")] = None,
    reason: Annotated[str | None, Query(description="A whitelist reason.")] = None,
    at: Annotated[str | None, Query(description="Whitelists valid at this instant.")] = None,
) -> Response:
    documents, total = whitelists.listing(
        runtime, caller, page, runtime.store.iris.resolve("zone", zone) if zone else None,
        reason, instant(at, "at"))
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}", summary="Read a whitelist (without its entries)")
def get_whitelist(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller
                  ) -> Response:
    return document_response(request, whitelists.get(
        runtime, caller, runtime.store.iris.from_path("whitelist", ref)))


@router.put("/{ref}", summary="Replace a whitelist (and its entries, if the body lists them)",
             openapi_extra=bodies.WHITELIST)
def replace_whitelist(ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller,
                      body: JsonBody) -> Response:
    return document_response(request, whitelists.replace(
        runtime, caller, runtime.store.iris.from_path("whitelist", ref), body),
        headers=deprecation_headers(replaced_keys_in(body, "Whitelist")) or None)


@router.delete("/{ref}", status_code=204, summary="Delete a whitelist and its entries")
def delete_whitelist(ref: str, runtime: RuntimeDep, caller: CurrentCaller) -> Response:
    whitelists.delete(runtime, caller, runtime.store.iris.from_path("whitelist", ref))
    return Response(status_code=204)


@router.post("/{ref}/entries", status_code=201, summary="Add entries (one object or a list)",
             openapi_extra=bodies.WHITELIST_ENTRY)
def add_whitelist_entries(ref: str, request: Request, runtime: RuntimeDep,
                          caller: CurrentCaller, body: JsonBody) -> Response:
    iris = runtime.store.iris
    documents = whitelists.add_entries(runtime, caller, iris.from_path("whitelist", ref),
                                       body if isinstance(body, list) else [body])
    if not isinstance(body, list):
        entry = iris.reference("whitelist-entry", documents[0]["id"])
        return document_response(request, documents[0], 201,
                                 {"Location": f"/whitelists/{ref}/entries/{entry}"})
    return collection_response(request, documents, 1, max(len(documents), 1), len(documents),
                               status=201)


@router.get("/{ref}/entries", summary="List a whitelist's entries")
def list_whitelist_entries(
    ref: str, request: Request, runtime: RuntimeDep, caller: CurrentCaller, page: PageDep,
    plate: Annotated[str | None, Query(description="A plate (needs country).")] = None,
    country: Annotated[str | None, Query(description="The plate's country.")] = None,
) -> Response:
    documents, total = whitelists.list_entries(
        runtime, caller, runtime.store.iris.from_path("whitelist", ref), page,
        plate_query(plate, country))
    return collection_response(request, documents, page.number, page.size, total)


@router.get("/{ref}/entries/{entry_ref}", summary="Read an entry")
def get_whitelist_entry(ref: str, entry_ref: str, request: Request, runtime: RuntimeDep,
                        caller: CurrentCaller) -> Response:
    iris = runtime.store.iris
    return document_response(request, whitelists.get_entry(
        runtime, caller, iris.from_path("whitelist", ref),
        iris.from_path("whitelist-entry", entry_ref)))


@router.put("/{ref}/entries/{entry_ref}", summary="Replace an entry",
             openapi_extra=bodies.WHITELIST_ENTRY)
def replace_whitelist_entry(ref: str, entry_ref: str, request: Request, runtime: RuntimeDep,
                            caller: CurrentCaller, body: JsonBody) -> Response:
    iris = runtime.store.iris
    return document_response(request, whitelists.replace_entry(
        runtime, caller, iris.from_path("whitelist", ref),
        iris.from_path("whitelist-entry", entry_ref), body))


@router.delete("/{ref}/entries/{entry_ref}", status_code=204, summary="Remove an entry")
def delete_whitelist_entry(ref: str, entry_ref: str, runtime: RuntimeDep,
                           caller: CurrentCaller) -> Response:
    iris = runtime.store.iris
    whitelists.delete_entry(runtime, caller, iris.from_path("whitelist", ref),
                            iris.from_path("whitelist-entry", entry_ref))
    return Response(status_code=204)
