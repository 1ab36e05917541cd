"""Reports for the area manager (F4.2): per provider, rights registered and amounts collected."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from vptr.api.deps import StoreDep, area_manager, instant
from vptr.auth.principal import CurrentPrincipal
from vptr.errors import Invalid
from vptr.repositories import rights

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/providers", summary="Rights and amounts per provider in a period")
def provider_report(
    store: StoreDep, principal: CurrentPrincipal,
    start: Annotated[str, Query(alias="from", description="Start of the period (inclusive).")],
    end: Annotated[str, Query(alias="to", description="End of the period (exclusive).")],
) -> JSONResponse:
    """Counts the rights that started in [from, to) in your zones, per provider: registered,
    revoked, and the amounts paid for those not revoked, per currency."""
    tenant = area_manager(principal)
    period_start, period_end = instant(start, "from"), instant(end, "to")
    assert period_start is not None and period_end is not None
    if period_end <= period_start:
        raise Invalid.field("to", "must be after from")
    with store.reading() as connection:
        providers = rights.provider_report(connection, tenant, period_start, period_end)
    return JSONResponse({"areaManager": tenant, "from": start, "to": end, "providers": providers})
