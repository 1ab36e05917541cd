"""Small builders for regime documents, so each test states only what it is about."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vptr.standard.datamodel import Regime

BRUSSELS = ZoneInfo("Europe/Brussels")
BASE = "https://data.parkeerregister.vlaanderen.be/id/"
AM_GENT = BASE + "organisation/gent"
AM_GENK = BASE + "organisation/genk"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def at(text: str) -> datetime:
    """A Brussels wall-clock time written as 'YYYY-MM-DD HH:MM' (tests read like a timetable)."""
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def zone_iri(ref: str) -> str:
    return f"{BASE}zone/{ref}"


def slot(days: list[str], opens: str, closes: str, **extra: Any) -> dict[str, Any]:
    return {"daysOfWeek": days, "opens": opens, "closes": closes, **extra}


def tariff(*steps: tuple[int, int | None, str, int], day_maximum: str | None = None,
           vat: str | None = None, name: str | None = None) -> dict[str, Any]:
    """Steps as (startDuration, endDuration, amount, stepSize)."""
    doc: dict[str, Any] = {
        "currency": "EUR",
        "tariffSteps": [
            {"startDuration": s, "amount": a, "stepSize": size,
             **({"endDuration": e} if e is not None else {})}
            for s, e, a, size in steps
        ],
    }
    if day_maximum is not None:
        doc["dayMaximum"] = day_maximum
    if vat is not None:
        doc["vatPercentage"] = vat
    if name is not None:
        doc["name"] = name
    return doc


def regime(ref: str = "centrum", version: int = 1, *, zones: list[str] | None = None,
           valid_from: str = "2020-01-01 00:00", valid_to: str | None = None,
           area_manager: str = AM_GENT, **fields: Any) -> Regime:
    period: dict[str, Any] = {"startTime": at(valid_from).isoformat()}
    if valid_to is not None:
        period["endTime"] = at(valid_to).isoformat()
    doc = {
        "id": f"{BASE}regime/{ref}/{version}",
        "isVersionOf": f"{BASE}regime/{ref}",
        "name": ref,
        "rightKind": "parking",
        "usage": "paidParking",
        "zones": zones or [zone_iri(ref)],
        "areaManager": area_manager,
        "version": version,
        "validityPeriod": period,
        **fields,
    }
    return Regime.model_validate(doc)


def paid_weekdays(ref: str = "centrum", **fields: Any) -> Regime:
    """Paid parking Monday to Saturday 09:00-18:00, EUR 1 per started 30 min for the first hour,
    then EUR 1.50 per started hour, day maximum EUR 10, 21 % VAT, free on public holidays."""
    fields.setdefault("timeSlots", [slot([*WEEKDAYS, "saturday"], "09:00:00", "18:00:00")])
    fields.setdefault("tariff", tariff((0, 60, "1.00", 30), (60, None, "1.50", 60),
                                       day_maximum="10.00", vat="21"))
    fields.setdefault("exemptDays", [{"recurringDay": "publicHoliday"}])
    return regime(ref, **fields)
