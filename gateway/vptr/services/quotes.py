"""Quotes (APDS 3.0+ ``Quote``; F1.4): the price of a right at a place for a period, before
anything is booked, answered with one option per right specification (regime version) that
prices it. The calculation is the trial price's (:mod:`vptr.domain.pricing`); tariffs are open
data, so any authenticated organisation may ask, for any zone. Nothing is booked: the quotation
is kept (without any plate) so that the caller can book one of its options within
``VALID_FOR`` by assigning a right that names it (vptr.services.holdings, APDS ``quoteResponseId``
and ``optionId``); retention removes it like the gateway's other records.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from vptr.domain.errors import DomainError
from vptr.domain.pricing import AmbiguousRegimeError, NoTariffError, TrialPrice, trial_price
from vptr.errors import FieldError, Invalid, NotFound
from vptr.repositories import apds as records
from vptr.services.runtime import Caller, Runtime
from vptr.store.check_sources import StoreCheckSources
from vptr.times import format_instant, now

#: The most right specifications one quote prices.
MAX_OPTIONS = 10
#: How long a quotation can be booked.
VALID_FOR = timedelta(hours=1)
QUOTE = "Quote"


@dataclass(frozen=True)
class Booked:
    """A quotation's option as a booking uses it."""

    zone: str
    regime: str  # the regime version IRI
    start: str
    end: str
    amount: Decimal
    currency: str


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
    quotation = Quotation(str(uuid.uuid4()),
                          [Option(str(n), p) for n, p in enumerate(prices, 1)])
    with runtime.store.transaction() as connection:
        records.insert_record(
            connection, class_name=QUOTE, record_id=quotation.id, version=1,
            tenant=found[0].area_manager, owner=caller.principal.organisation,
            target_kind="zone", target=zone, moment=now(), document={"options": [
                {"id": o.id, "regime": o.price.regime, "start": format_instant(o.price.start),
                 "end": format_instant(o.price.end), "amount": str(o.price.total),
                 "currency": o.price.currency} for o in quotation.options]})
    return quotation


def booked(connection: object, caller: Caller, quote_id: str, option_id: str) -> Booked:
    """The option of a quotation the caller asked for less than ``VALID_FOR`` ago."""
    row = records.record(connection, QUOTE, quote_id)  # type: ignore[arg-type]
    if row is None or row.owner_id != caller.principal.organisation:
        raise Invalid.field("quoteResponseId", f"no quotation {quote_id} of yours")
    if now() - row.created_at > VALID_FOR:
        raise Invalid.field("quoteResponseId", f"quotation {quote_id} has expired (it can be "
                                               f"booked for {VALID_FOR})")
    for option in row.document["options"]:
        if option["id"] == option_id:
            return Booked(row.target, option["regime"], option["start"], option["end"],
                          Decimal(option["amount"]), option["currency"])
    raise Invalid.field("optionId", f"quotation {quote_id} has no option {option_id}")
