"""Quotes (APDS 3.0+ ``Quote``; F1.4): the price of a right at a place for a period, before
anything is booked, answered with one option per right specification (regime version) that
prices it. The calculation is the trial price's (:mod:`vptr.domain.pricing`); tariffs are open
data, so any authenticated organisation may ask, for any zone. Nothing is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from vptr.domain.errors import DomainError
from vptr.domain.pricing import AmbiguousRegimeError, NoTariffError, TrialPrice, trial_price
from vptr.errors import FieldError, Invalid, NotFound
from vptr.services.runtime import Caller, Runtime
from vptr.store.check_sources import StoreCheckSources

#: The most right specifications one quote prices.
MAX_OPTIONS = 10


@dataclass(frozen=True)
class Option:
    id: str
    price: TrialPrice


@dataclass(frozen=True)
class Quotation:
    id: str
    options: list[Option]


def quote(runtime: Runtime, caller: Caller, zone: str, start: datetime, end: datetime,
          regimes: list[str] | None = None) -> Quotation:
    """One option per regime (IRI, or version IRI) asked for; without any, the regime in force
    with a tariff, or one option per regime when several are."""
    if end <= start:
        raise Invalid.field("periodEnd", "must be after periodStart")
    if regimes and len(regimes) > MAX_OPTIONS:
        raise Invalid.field("referencedRightSpecifications", f"at most {MAX_OPTIONS}")
    with runtime.store.reading() as connection:
        sources = StoreCheckSources(connection)
        found = sources.zones_by_ids([zone])
        if not found:
            raise NotFound(f"no place {zone.rsplit('/', 1)[-1]}",
                           [FieldError("hierarchyElement", "unknown place")])
        versions = sources.regime_history(zone)
    time_zone = found[0].time_zone

    def price(regime: str | None) -> TrialPrice:
        try:
            return trial_price(versions, zone, start, end=end, time_zone_name=time_zone,
                               regime_ref=regime)
        except NoTariffError as exc:
            raise NotFound(str(exc), [FieldError(exc.field, str(exc))]) from exc
        except DomainError as exc:
            if isinstance(exc, AmbiguousRegimeError) and regime is None:
                raise
            field = "referencedRightSpecifications" if exc.field == "regime" else exc.field
            raise Invalid.field(field, str(exc)) from exc

    if regimes:
        prices = [price(regime) for regime in regimes]
    else:
        try:
            prices = [price(None)]
        except AmbiguousRegimeError as exc:
            prices = [price(candidate) for candidate in exc.candidates[:MAX_OPTIONS]]
    return Quotation(str(uuid.uuid4()), [Option(str(n), p) for n, p in enumerate(prices, 1)])
