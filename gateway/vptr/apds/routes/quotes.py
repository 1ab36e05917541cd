"""``POST /apds/quotes``: the price of a right at a place for a period (general APDS Quote;
apds4.yaml has none, so the register publishes the schemas it serves at ``/apds/schemas``).
The calculation is :mod:`vptr.services.quotes` (the trial price)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vptr.apds import schemas, translate
from vptr.apds.http import ApdsRoute, Reader, RuntimeDep, body_of
from vptr.services import quotes

router = APIRouter(prefix="/apds", tags=["APDS: quotes"], route_class=ApdsRoute)


@router.post("/quotes", operation_id="apdsCreateQuote",
             summary="Quote a right at a place for a period (APDS QuoteRightRequest)")
async def create_quote(request: Request, runtime: RuntimeDep, caller: Reader) -> JSONResponse:
    """A QuoteRightRequest (``hierarchyElement``, ``periodStart``, ``periodEnd``, optionally
    ``referencedRightSpecifications``) answered by a QuoteResponse: one option per right
    specification, with its ``financialQuote`` (VAT included). Nothing is booked: an option is
    booked within an hour by POSTing an AssignedRight with ``quoteResponseId`` and
    ``optionId`` (its place, period and price are the option's)."""
    message = await body_of(request, "QuoteRightRequest")
    start = datetime.fromisoformat(message["periodStart"])
    end = datetime.fromisoformat(message["periodEnd"])
    regimes = [f"{translate.REGIME}{r['id']}/{r['version']}"
               for r in message.get("referencedRightSpecifications", [])]
    quotation = await runtime.run_write(  # the quotation is kept, for booking
        quotes.quote, runtime, caller, translate.ZONE + message["hierarchyElement"]["id"],
        start, end, regimes or None)
    options = []
    for option in quotation.options:
        price = option.price
        reference = {"id": translate.local(price.regime_series), "version": price.regime_version}
        options.append({
            "optionId": option.id, "rightSpecification": reference, "rateTable": reference,
            "periodStart": translate.utc(price.start), "periodEnd": translate.utc(price.end),
            "financialQuote": {"taxIncluded": True, "value": {
                "currencyType": price.currency, "currencyValue": float(price.total)}}})
    return JSONResponse({"id": quotation.id,
                         "quoteCreationTime": translate.utc(datetime.now(UTC).replace(
                             microsecond=0)),
                         "quoteRightRequest": message, "options": options})


@router.get("/schemas", operation_id="apdsPublishedSchemas",
            summary="The schemas the gateway serves where apds4.yaml has none (Quote, events)")
async def published_schemas() -> JSONResponse:
    return JSONResponse(schemas.published_document())
