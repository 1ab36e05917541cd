"""The trial price (F1.4): what a right in a zone from a start for a duration would cost.

How the price is reckoned (the register's rules, stated once here):

1. **Which version.** The regime version in force at the start prices the whole interval, as a
   right is priced under the version it is registered under (``Right.regime``). A later version
   that takes effect inside the interval does not re-price the remainder; it is listed in
   ``later_versions`` so the caller can see the price may differ for a new registration then.
2. **Which regime.** Of the regimes in force in the zone at the start, only those with a tariff
   (on the regime or a time slot) can price; if several do, the base one is taken, and if that still
   leaves several the caller must name one (``regime``), else :class:`AmbiguousRegimeError`.
3. **When one pays.** The interval is walked in the zone's local time (DST-correct): only stretches
   where the regime applies are charged; exempt days, public holidays (when exempt) and time
   outside the slots are free and listed as free periods with their reason.
4. **Paid time, not wall-clock time, drives the steps.** A tariff step's ``startDuration`` and
   ``endDuration`` count *paid* minutes since the right started: the clock stops while parking is
   free, so a night or a Sunday does not push a stay into later, dearer steps, nor is free time
   billed as a started step. The clock does not reset at midnight: a stay from Monday 17:00 to
   Tuesday 10:00 under 09:00-18:00 paid hours is in its second paid hour at 09:00 on Tuesday.
5. **Started steps.** Each step is a grid of ``stepSize`` cells from its own ``startDuration``;
   every cell that starts inside the paid time costs ``amount`` in full, even if the right ends, the
   paid time ends, or the step's ``endDuration`` falls inside it. A cell is charged once, to the
   local calendar day and the tariff in force at the minute it starts.
6. **Day maximum per calendar day.** What one tariff charges on one local calendar day is capped at
   its ``dayMaximum``. A right crossing midnight is capped separately on each day.
7. **Money.** Decimal throughout, amounts VAT included; the VAT share of each day's amount is
   ``amount * p / (100 + p)`` rounded half-up to the cent, and the total VAT is the sum of those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from vptr.domain.calendar import require_aware, time_zone
from vptr.domain.errors import DomainError
from vptr.domain.linked_regimes import excluded, granted
from vptr.domain.regime_time import (
    RegimeLike,
    as_regime,
    enum_value,
    has_tariff,
    tariff_of,
    timeline,
    version_in_force,
    versions_starting_within,
)
from vptr.standard.datamodel import Regime, Tariff, TariffStep
from vptr.times import FIRST_YEAR, LAST_YEAR, in_range

_CENT = Decimal("0.01")
_US = timedelta(microseconds=1)
_US_PER_MINUTE = 60_000_000
#: Longest interval priced in one request (a year): bounds the work a single request can cause.
MAX_INTERVAL = timedelta(days=366)
#: Why a stretch was free although the regime applied: no tariff holds in that slot.
NO_TARIFF = "noTariff"


class PricingError(DomainError):
    """A trial price that cannot be given; ``field`` names the request parameter at fault."""


class NoTariffError(PricingError):
    """No regime with a tariff is in force in the zone at the start."""


class AmbiguousRegimeError(PricingError):
    """Several regimes with a tariff are in force; the caller must name one."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message, "regime")
        self.candidates = list(candidates)


@dataclass(frozen=True, slots=True)
class StepCharge:
    """What one tariff step charged on one day."""

    index: int
    start_duration: int
    end_duration: int | None
    step_size: int
    unit_amount: Decimal
    minutes: Decimal
    steps: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class DayCharge:
    """What one tariff charged on one local calendar day, before and after its day maximum."""

    day: date
    tariff_name: str | None
    steps: tuple[StepCharge, ...]
    minutes: Decimal
    charged: Decimal
    day_maximum: Decimal | None
    capped: bool
    amount: Decimal
    vat_percentage: Decimal | None
    vat_amount: Decimal | None


@dataclass(frozen=True, slots=True)
class FreePeriod:
    """A stretch of the interval that costs nothing, and why."""

    start: datetime
    end: datetime
    reason: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class TrialPrice:
    """The answer to a trial calculation."""

    zone: str
    regime: str
    regime_series: str
    regime_version: int
    start: datetime
    end: datetime
    currency: str
    total: Decimal
    vat_amount: Decimal | None
    paid_minutes: Decimal
    days: tuple[DayCharge, ...]
    free_periods: tuple[FreePeriod, ...]
    maximum_duration: int | None
    exceeds_maximum_duration: bool
    later_versions: tuple[str, ...] = field(default=())
    #: Linked regimes (F1.6): where the priced right would also count, and which it excludes.
    grants: tuple[str, ...] = field(default=())
    excludes: tuple[str, ...] = field(default=())

    @property
    def duration_minutes(self) -> Decimal:
        return _minutes((self.end - self.start) // _US)


def _minutes(microseconds: int) -> Decimal:
    return (Decimal(microseconds) / _US_PER_MINUTE).quantize(_CENT)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def choose_regime(
    versions: Iterable[RegimeLike], start: datetime, regime_ref: str | None = None
) -> Regime:
    """The regime version that prices a right starting at ``start`` (rules 1 and 2)."""
    in_force = version_in_force(versions, start)
    if regime_ref:
        in_force = [r for r in in_force if regime_ref in (r.id, r.isVersionOf)]
    priced = [r for r in in_force if has_tariff(r)]
    if not priced:
        named = f" named {regime_ref}" if regime_ref else ""
        raise NoTariffError(f"no regime{named} with a tariff is in force in the zone at the start",
                            "regime" if regime_ref else "start")
    if len(priced) > 1:
        base = [r for r in priced if enum_value(r.regulationType or "base") == "base"]
        priced = base or priced
    if len(priced) > 1:
        ids = [r.id for r in priced]
        raise AmbiguousRegimeError(
            "several regimes with a tariff are in force in the zone; name one with 'regime'", ids)
    return priced[0]


def _step_order(tariff: Tariff) -> list[tuple[int, TariffStep]]:
    return sorted(enumerate(tariff.tariffSteps), key=lambda p: p[1].startDuration)


@dataclass
class _Line:
    """Running totals for one (day, tariff) while the interval is walked."""

    day: date
    tariff: Tariff
    minutes_us: int = 0
    steps: dict[int, list[int]] = field(default_factory=dict)  # index -> [microseconds, cells]


def trial_price(
    versions: Iterable[RegimeLike],
    zone: str,
    start: datetime,
    *,
    end: datetime | None = None,
    duration: timedelta | None = None,
    time_zone_name: str | None = None,
    regime_ref: str | None = None,
) -> TrialPrice:
    """Price a right in ``zone`` from ``start`` to ``end`` (or for ``duration``) before booking."""
    require_aware(start, "start")
    if not in_range(start):
        raise PricingError(f"start must lie in the years {FIRST_YEAR} to {LAST_YEAR}", "start")
    if (end is None) == (duration is None):
        raise PricingError("give either an end or a duration", "end")
    if end is None:
        assert duration is not None
        if duration <= timedelta(0):
            raise PricingError("duration must be positive", "duration")
        if duration > MAX_INTERVAL:
            raise PricingError("a trial price covers at most 366 days", "duration")
        end = start + duration
    require_aware(end, "end")
    if not in_range(end):
        raise PricingError(f"end must lie in the years {FIRST_YEAR} to {LAST_YEAR}", "end")
    if end <= start:
        raise PricingError("end must be after start", "end")
    if end - start > MAX_INTERVAL:
        raise PricingError("a trial price covers at most 366 days", "end")
    versions = [as_regime(v) for v in versions]
    regime = choose_regime(versions, start, regime_ref)
    tz = time_zone(time_zone_name)
    series = regime.isVersionOf or regime.id

    lines: dict[tuple[date, int], _Line] = {}
    free: list[FreePeriod] = []
    currencies: set[str] = set()
    paid_us = 0
    max_durations: list[int] = [regime.maximumDuration] if regime.maximumDuration else []
    for stretch in timeline(regime, start, end, tz):
        tariff = tariff_of(regime, stretch.slot) if stretch.applies else None
        if tariff is None:
            reason = stretch.reason or NO_TARIFF
            _add_free(free, FreePeriod(stretch.start, stretch.end, reason, stretch.name))
            continue
        if stretch.slot is not None and stretch.slot.maximumDuration:
            max_durations.append(stretch.slot.maximumDuration)
        currencies.add(tariff.currency)
        length = (stretch.end - stretch.start) // _US
        line = lines.setdefault((stretch.day, id(tariff)), _Line(stretch.day, tariff))
        _charge(line, paid_us, paid_us + length)
        paid_us += length
    if len(currencies) > 1:
        raise PricingError(f"the regime's tariffs mix currencies {sorted(currencies)}", "regime")

    days = tuple(_day_charge(line) for line in lines.values())
    total = sum((d.amount for d in days), Decimal("0"))
    vats = [d.vat_amount for d in days if d.vat_amount is not None]
    maximum = min(max_durations) if max_durations else None
    paid_minutes = _minutes(paid_us)
    currency = currencies.pop() if currencies else _currency_of(regime)
    later = versions_starting_within(versions, series, start, end)
    return TrialPrice(
        zone=zone,
        regime=regime.id,
        regime_series=series,
        regime_version=regime.version,
        grants=tuple(sorted(granted(regime))),
        excludes=tuple(sorted(excluded(regime))),
        start=start,
        end=end,
        currency=currency,
        total=total.quantize(_CENT),
        vat_amount=sum(vats, Decimal("0")).quantize(_CENT) if vats else None,
        paid_minutes=paid_minutes,
        days=days,
        free_periods=tuple(free),
        maximum_duration=maximum,
        exceeds_maximum_duration=maximum is not None and paid_us > maximum * _US_PER_MINUTE,
        later_versions=tuple(r.id for r in later),
    )


def _currency_of(regime: Regime) -> str:
    tariffs = [regime.tariff] + [s.tariff for s in regime.timeSlots or ()]
    return next(t.currency for t in tariffs if t is not None)


def _add_free(free: list[FreePeriod], period: FreePeriod) -> None:
    """Append, merging with the previous free period when they touch for the same reason (a night
    outside paid hours is one period, not two halves split at midnight)."""
    if free:
        last = free[-1]
        if last.end == period.start and (last.reason, last.name) == (period.reason, period.name):
            free[-1] = FreePeriod(last.start, period.end, last.reason, last.name)
            return
    free.append(period)


def _charge(line: _Line, p0: int, p1: int) -> None:
    """Charge the paid-clock span [p0, p1), in microseconds since the right started (rule 5)."""
    line.minutes_us += p1 - p0
    for index, step in _step_order(line.tariff):
        s0 = step.startDuration * _US_PER_MINUTE
        s1 = step.endDuration * _US_PER_MINUTE if step.endDuration is not None else None
        lo = max(p0, s0)
        hi = p1 if s1 is None else min(p1, s1)
        if lo >= hi:
            continue
        size = step.stepSize * _US_PER_MINUTE
        cells = _ceil_div(hi - s0, size) - _ceil_div(lo - s0, size)
        totals = line.steps.setdefault(index, [0, 0])
        totals[0] += hi - lo
        totals[1] += cells


def _day_charge(line: _Line) -> DayCharge:
    tariff = line.tariff
    steps = []
    for index, (micro, cells) in sorted(line.steps.items()):
        step = tariff.tariffSteps[index]
        amount = Decimal(step.amount) * cells
        steps.append(StepCharge(index, step.startDuration, step.endDuration, step.stepSize,
                                Decimal(step.amount), _minutes(micro), cells, amount))
    charged = sum((s.amount for s in steps), Decimal("0"))
    cap = Decimal(tariff.dayMaximum) if tariff.dayMaximum is not None else None
    capped = cap is not None and charged > cap
    amount = (cap if capped else charged).quantize(_CENT)
    pct = Decimal(tariff.vatPercentage) if tariff.vatPercentage is not None else None
    vat = None
    if pct is not None:
        vat = (amount * pct / (Decimal(100) + pct)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return DayCharge(line.day, tariff.name, tuple(steps), _minutes(line.minutes_us),
                     charged.quantize(_CENT), cap, capped, amount, pct, vat)
