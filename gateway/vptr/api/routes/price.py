"""``/price``: the trial price of a right before anything is booked (F1.4, NPR CalculatePrice).

The use case is :func:`vptr.services.pricing.quote`; this module reads the question, calls it, and
writes the answer.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from vptr.api.authentication import CurrentPrincipal, caller_of, current_runtime
from vptr.api.deps import instant
from vptr.domain.calendar import time_zone
from vptr.domain.pricing import TrialPrice
from vptr.errors import Invalid
from vptr.services import pricing
from vptr.times import in_zone

router = APIRouter(tags=["questions"])

_ISO_DURATION = re.compile(
    r"^P(?:(?P<days>[0-9]+)D)?(?:T(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?"
    r"(?:(?P<seconds>[0-9]+)S)?)?$")


def parse_duration(text: str, field: str = "duration") -> timedelta:
    """Whole minutes (``90``) or an ISO 8601 duration of days, hours, minutes, seconds
    (``PT1H30M``); years and months are refused because their length depends on the calendar."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        parts = {"minutes": int(text)}
    else:
        match = _ISO_DURATION.match(text)
        if not match or text in ("P", "PT") or text.endswith("T"):
            raise Invalid.field(field,
                                "whole minutes (90) or an ISO 8601 duration such as PT1H30M")
        parts = {k: int(v) for k, v in match.groupdict().items() if v}
    if any(v > _MAX_PART for v in parts.values()):
        raise Invalid.field(field, "at most 366 days")
    return timedelta(**parts)


#: No part of a duration may exceed the minutes in 366 days: larger ones are refused before any
#: arithmetic (the trial price covers at most 366 days anyway).
_MAX_PART = 366 * 24 * 60 * 60


@router.get("/price", operation_id="trialPrice", summary="Trial price of a right in a zone")
async def get_price(
    request: Request,
    principal: CurrentPrincipal,
    zone: Annotated[str, Query(description="The zone (IRI or reference).")],
    start: Annotated[str, Query(description="When the right would start (ISO 8601 with offset).")],
    duration: Annotated[str | None, Query(description="Minutes, or ISO 8601 such as PT2H.")]
    = None,
    end: Annotated[str | None, Query(description="When it would end; instead of duration.")]
    = None,
    regime: Annotated[str | None, Query(description="The regime (or version) IRI, when several "
                                                    "tariffs apply in the zone.")] = None,
) -> dict[str, Any]:
    """The price with its breakdown per day and tariff step, day maxima and free periods."""
    begin = instant(start, "start")
    if begin is None:
        raise Invalid.field("start", "is required")
    question = pricing.Question(zone, begin,
                                parse_duration(duration) if duration is not None else None,
                                instant(end, "end"), regime)
    # The runtime and the caller are taken here rather than as dependencies: a hot route.
    runtime, caller = await current_runtime(request), caller_of(request, principal)
    answer = await runtime.run_read(pricing.quote, runtime, caller, question)
    return render(answer.price, answer.time_zone)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _minutes(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def render(result: TrialPrice, tz_name: str | None) -> dict[str, Any]:
    """The answer as JSON: money as decimal strings (as in the model), instants in local time."""
    tz = time_zone(tz_name)

    def local(value: Any) -> str:
        return in_zone(value, tz).isoformat(timespec="seconds")

    return {
        "type": "TrialPrice",
        "zone": result.zone,
        "regime": result.regime,
        "isVersionOf": result.regime_series,
        "regimeVersion": result.regime_version,
        "startTime": local(result.start),
        "endTime": local(result.end),
        "durationMinutes": _minutes(result.duration_minutes),
        "paidMinutes": _minutes(result.paid_minutes),
        "price": {"value": _money(result.total), "currency": result.currency,
                  "vatAmount": _money(result.vat_amount)},
        "days": [
            {
                "date": day.day.isoformat(),
                "tariff": day.tariff_name,
                "minutes": _minutes(day.minutes),
                "steps": [
                    {"step": s.index, "startDuration": s.start_duration,
                     "endDuration": s.end_duration, "stepSize": s.step_size,
                     "amountPerStep": _money(s.unit_amount), "minutes": _minutes(s.minutes),
                     "steps": s.steps, "amount": _money(s.amount)}
                    for s in day.steps
                ],
                "charged": _money(day.charged),
                "dayMaximum": _money(day.day_maximum),
                "capped": day.capped,
                "amount": _money(day.amount),
                "vatPercentage": _money(day.vat_percentage),
                "vatAmount": _money(day.vat_amount),
            }
            for day in result.days
        ],
        "freePeriods": [
            {"startTime": local(p.start), "endTime": local(p.end), "reason": p.reason,
             **({"name": p.name} if p.name else {})}
            for p in result.free_periods
        ],
        "maximumDuration": result.maximum_duration,
        "exceedsMaximumDuration": result.exceeds_maximum_duration,
        "laterVersions": list(result.later_versions),
        # Linked regimes (F1.6): the right would also count where these regimes are in force,
        # and cannot be held together with a right under those it excludes.
        "grants": list(result.grants),
        "excludes": list(result.excludes),
    }
