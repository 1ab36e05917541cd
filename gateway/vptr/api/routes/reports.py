"""Reports for the area manager (F4.2): per provider, rights registered and amounts collected;
permit credits used and left, per plate by pseudonym (F2.5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import required_instant
from vptr.services import credits, rights

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/providers", summary="Rights and amounts per provider in a period")
def provider_report(
    runtime: RuntimeDep, caller: CurrentCaller,
    start: Annotated[str, Query(alias="from", description="Start of the period (inclusive).")],
    end: Annotated[str, Query(alias="to", description="End of the period (exclusive).")],
) -> JSONResponse:
    """Counts the rights that started in [from, to) in your zones, per provider: registered,
    revoked, and the amounts paid for those not revoked, per currency."""
    providers = rights.report(runtime, caller, required_instant(start, "from"),
                              required_instant(end, "to"))
    return JSONResponse({"areaManager": caller.principal.organisation, "from": start, "to": end,
                         "providers": providers})


@router.get("/credits", summary="Permit credits: used and left, per plate (by pseudonym)")
def credit_report(runtime: RuntimeDep, caller: CurrentCaller) -> JSONResponse:
    """Per permit of yours with a credit: minutes available, used and left, and per plate (its
    pseudonym, never the plate) the minutes and rights it took."""
    return JSONResponse({"areaManager": caller.principal.organisation,
                         "credits": credits.report(runtime, caller)})
