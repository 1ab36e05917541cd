"""Rights: register (idempotent), end early, revoke, adjust; search by plate or by zone and
period."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from sqlalchemy import Connection

from vptr.accounting import audit
from vptr.api import bodies
from vptr.api.deps import (
    JsonBody,
    OptionalJsonBody,
    PageDep,
    StoreDep,
    instant,
    one_of,
    plate_query,
    run_write,
)
from vptr.api.negotiation import collection_response, document_response
from vptr.auth.principal import CurrentPrincipal
from vptr.errors import Invalid
from vptr.repositories import rights
from vptr.store.database import Store
from vptr.times import parse_instant

router = APIRouter(prefix="/rights", tags=["rights"])
MAX_IDEMPOTENCY_KEY = 255


@router.post("", status_code=201, summary="Register a right",
             openapi_extra=bodies.RIGHT)
async def register_right(
    request: Request, store: StoreDep, principal: CurrentPrincipal, body: JsonBody,
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key",
        description="Re-sending with the same key returns the first result (200).")] = None,
) -> Response:
    """A Right document. The register sets ``id`` (unless given), ``rightStatus`` (active),
    ``created``, ``provider`` (the calling provider) and ``authorisation`` (the one that lets the
    provider write in the zone). Re-sent with the same clientReference or Idempotency-Key: 200
    with the first right; the same reference with another body: 409."""
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise Invalid.field("Idempotency-Key", f"1 to {MAX_IDEMPOTENCY_KEY} characters")

    def audited(connection: Connection, result: rights.Registered) -> None:
        action = audit.AuditAction.CREATE if result.created else audit.AuditAction.READ
        audit.record_for_request(request, connection, [audit.Access(
            action, "right", result.document["id"], result.tenant, result.plate_hash)])

    result = await run_write(request, rights.register_in, store, principal, body,
                             idempotency_key, then=audited)
    ref = store.iris.reference("right", result.document["id"])
    return document_response(request, result.document, 201 if result.created else 200,
                             {"Location": f"/rights/{ref}"})


@router.get("", summary="Search rights by plate, or by zone and period")
def search_rights(
    request: Request, store: StoreDep, principal: CurrentPrincipal, page: PageDep,
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
    one_of(status, rights.STATUSES, "status")
    criteria = rights.Search(
        plate=plate_and_country[0] if plate_and_country else None,
        country=plate_and_country[1] if plate_and_country else None,
        zone=store.iris.resolve("zone", zone) if zone else None,
        start=instant(start, "from"), end=instant(end, "to"), status=status,
        provider=store.iris.resolve("organisation", provider) if provider else None,
        client_reference=client_reference)
    if criteria.start and criteria.end and criteria.end <= criteria.start:
        raise Invalid.field("to", "must be after from")
    with store.reading() as connection:
        rows, total = rights.search(connection, principal, criteria, page)
    audit.record_read(request, store, audit.of_rows(
        audit.AuditAction.SEARCH if criteria.plate else audit.AuditAction.LIST, "right", rows))
    return collection_response(request, [rights.render(r) for r in rows], page.number, page.size,
                               total)


@router.get("/{ref}", summary="Read a right")
def get_right(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal
              ) -> Response:
    with store.reading() as connection:
        row = rights.get(connection, principal, store.iris.from_path("right", ref))
    audit.record_read(request, store, audit.of_rows(audit.AuditAction.READ, "right", [row]))
    return document_response(request, rights.render(row))


@router.patch("/{ref}", summary="Adjust a right's end time or amount",
             openapi_extra=bodies.RIGHT_ADJUST)
async def adjust_right(ref: str, request: Request, store: StoreDep,
                       principal: CurrentPrincipal, body: JsonBody) -> Response:
    """A merge patch with ``validityPeriod.endTime`` and/or ``amountPaid`` (null removes it);
    the adjusted right is validated again."""
    iri = store.iris.from_path("right", ref)
    return document_response(request, await run_write(
        request, _change, request, store, lambda c: rights.adjust(c, principal, iri, body)))


@router.post("/{ref}/end", summary="End a right early",
             openapi_extra=bodies.RIGHT_END)
async def end_right(ref: str, request: Request, store: StoreDep, principal: CurrentPrincipal,
                    body: OptionalJsonBody) -> Response:
    """Optional body ``{"endTime": "..."}``; without it the right ends now."""
    end_time = None
    if body is not None:
        if not isinstance(body, dict) or set(body) - {"endTime"}:
            raise Invalid.field(None, 'the body is empty or {"endTime": "<ISO 8601 instant>"}')
        if body.get("endTime") is not None:
            end_time = parse_instant(body["endTime"], "endTime")
    iri = store.iris.from_path("right", ref)
    return document_response(request, await run_write(
        request, _change, request, store, lambda c: rights.end(c, principal, iri, end_time)))


@router.post("/{ref}/revoke", summary="Revoke a right")
async def revoke_right(ref: str, request: Request, store: StoreDep,
                       principal: CurrentPrincipal) -> Response:
    iri = store.iris.from_path("right", ref)
    return document_response(request, await run_write(
        request, _change, request, store, lambda c: rights.revoke(c, principal, iri)))


def _change(request: Request, store: Store, change: Callable[[Connection], dict[str, Any]]
            ) -> dict[str, Any]:
    """A change of one right and its audit entry, in one transaction (vptr.accounting.audit)."""
    with store.transaction() as connection:
        document = change(connection)
        audit.record_for_request(request, connection, audit.of_ids(
            connection, audit.AuditAction.UPDATE, "right", [document["id"]]))
    return document
