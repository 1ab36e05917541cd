"""When a regime applies: its versions, time slots, exempt days and public holidays, in local time.

Rules decided here (and relied on by the check and the trial price):

- A regime *version* is in force from its validity start (inclusive) to its end (exclusive).
- Time slots are read in the zone's local time. ``opens`` is inclusive, ``closes`` exclusive;
  ``closes`` "00:00:00" (or "24:00:00") means midnight at the end of the day. A slot that closes
  before it opens is refused (:class:`RegimeError`): an overnight rule is written as two slots
  (22:00-00:00 and 00:00-06:00), which keeps every slot inside one calendar day so exempt days and
  holidays cut cleanly at midnight.
- A regime without time slots applies all day, every day.
- An exempt day (``exemptDays``) makes the whole local calendar day free: a dated one its date, the
  recurring ``publicHoliday`` every Belgian public holiday.
- On a Belgian public holiday that is not exempt: if any slot lists ``publicHoliday``, only those
  slots hold that day (holiday hours replace the weekday's); otherwise the weekday's slots hold as
  on any other day (Easter Monday paid as a Monday).
- Where slots overlap, the first listed wins for the overlapping time (its tariff and maximum).
- A slot's tariff, maximum duration and minimum interruption override the regime's; absent ones
  fall back to the regime's.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from vptr.domain.calendar import (
    local_dates,
    local_instant,
    public_holiday_name,
    require_aware,
    to_local,
)
from vptr.domain.errors import DomainError
from vptr.standard.datamodel import Regime, Tariff, TimeSlot

RegimeLike = Regime | Mapping[str, Any]

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_END_OF_DAY = 24 * 3600

#: Why a regime does not apply at a moment (the ``reason`` of a free period or regime exemption).
OUTSIDE_HOURS = "outsideHours"
EXEMPT_DAY = "exemptDay"
PUBLIC_HOLIDAY = "publicHoliday"


class RegimeError(DomainError):
    """A regime whose time rules cannot be read; ``field`` names the offending slot."""


def as_regime(value: RegimeLike) -> Regime:
    """Accept the generated Pydantic object or its JSON document (slot names as keys)."""
    if isinstance(value, Regime):
        return value
    doc = {k: v for k, v in value.items() if k not in ("@context", "type", "@type")}
    try:
        return Regime.model_validate(doc)
    except ValidationError as exc:
        return _beyond_maxima(doc, exc)


def _beyond_maxima(doc: dict[str, Any], exc: ValidationError) -> Regime:
    """A regime stored before the model bounded its numbers (a grace period of 120 minutes, or
    of 2^70) is read at the model's bounds: what was accepted once keeps answering, and every
    figure the register computes with or writes back (a check's ``gracePeriod``, NPR's two-digit
    GracePeriodAfter, a 64-bit JSON integer) is one the model allows. Anything else wrong with it
    is an error."""
    over = [e for e in exc.errors() if e["type"] == "less_than_equal"]
    if not over or len(over) < len(exc.errors()):
        raise exc
    held = copy.deepcopy(doc)
    for error in over:
        *parents, last = error["loc"]
        _at(held, parents)[last] = error["ctx"]["le"]
    return Regime.model_validate(held)


def _at(root: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        root = root[step]
    return root


def enum_value(value: object) -> str:
    """An enumeration value as its short name, whether Pydantic kept the Enum or its value."""
    return str(getattr(value, "value", value))


@lru_cache(maxsize=1024)
def _seconds_of_day(text: str, *, closing: bool) -> int:
    """A time-of-day literal as seconds since midnight; a closing midnight is the end of the day."""
    if text.startswith("24:00"):
        return _END_OF_DAY
    moment = time.fromisoformat(text)
    if moment.tzinfo is not None:
        raise ValueError("a time of day in a time slot must not carry an offset")
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    if closing and seconds == 0:
        return _END_OF_DAY
    return seconds


def _time_of(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


# --- versions ---------------------------------------------------------------------------------


def in_force(regime: Regime, instant: datetime) -> bool:
    """Whether the version's validity period contains the instant (start in, end out)."""
    period = regime.validityPeriod
    if instant < period.startTime:
        return False
    return period.endTime is None or instant < period.endTime


def version_in_force(versions: Iterable[RegimeLike], instant: datetime) -> list[Regime]:
    """The versions in force at the instant, most recent version number first."""
    require_aware(instant)
    found = [r for r in map(as_regime, versions) if in_force(r, instant)]
    return sorted(found, key=lambda r: (r.isVersionOf or r.id, -r.version))


def versions_starting_within(
    versions: Iterable[RegimeLike], series: str, start: datetime, end: datetime
) -> list[Regime]:
    """Later versions of the same regime that take effect strictly inside (start, end)."""
    out = []
    for regime in map(as_regime, versions):
        if (regime.isVersionOf or regime.id) != series:
            continue
        if start < regime.validityPeriod.startTime < end:
            out.append(regime)
    return sorted(out, key=lambda r: r.validityPeriod.startTime)


# --- one local day ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """A part of a local day in which the regime applies, in seconds since local midnight."""

    opens: int
    closes: int
    slot: TimeSlot | None
    slot_index: int | None


@dataclass(frozen=True, slots=True)
class DayRules:
    """How the regime treats one local calendar day."""

    day: date
    windows: tuple[Window, ...]
    exempt_reason: str | None = None
    exempt_name: str | None = None


def _slot_window(slot: TimeSlot, index: int) -> Window:
    field = f"timeSlots[{index}]"
    try:
        opens = _seconds_of_day(slot.opens, closing=False)
        closes = _seconds_of_day(slot.closes, closing=True)
    except ValueError as exc:
        raise RegimeError(f"unreadable time of day in {field}: {exc}", field) from exc
    if closes <= opens:
        raise RegimeError(
            f"{field} closes ({slot.closes}) before it opens ({slot.opens}); write an overnight "
            "rule as two slots, one closing at 00:00 and one opening at 00:00",
            field,
        )
    return Window(opens, closes, slot, index)


def _subtract(window: Window, taken: Sequence[Window]) -> list[Window]:
    """The parts of ``window`` not covered by earlier (higher-priority) windows."""
    parts = [window]
    for other in taken:
        next_parts = []
        for part in parts:
            if other.closes <= part.opens or other.opens >= part.closes:
                next_parts.append(part)
                continue
            if part.opens < other.opens:
                next_parts.append(Window(part.opens, other.opens, part.slot, part.slot_index))
            if other.closes < part.closes:
                next_parts.append(Window(other.closes, part.closes, part.slot, part.slot_index))
        parts = next_parts
    return parts


def day_rules(regime: Regime, day: date) -> DayRules:
    """The windows in which the regime applies on the local day, or why the whole day is free."""
    exempt = regime.exemptDays or ()
    for special in exempt:
        if special.calendarDate == day:
            return DayRules(day, (), EXEMPT_DAY, special.name)
    holiday = public_holiday_name(day)
    if holiday is not None and any(enum_value(s.recurringDay) == PUBLIC_HOLIDAY
                                   for s in exempt if s.recurringDay is not None):
        return DayRules(day, (), PUBLIC_HOLIDAY, holiday)
    slots = regime.timeSlots or []
    if not slots:
        return DayRules(day, (Window(0, _END_OF_DAY, None, None),))
    days_of = [{enum_value(d) for d in slot.daysOfWeek} for slot in slots]
    wanted = _DAY_NAMES[day.weekday()]
    if holiday is not None and any(PUBLIC_HOLIDAY in names for names in days_of):
        wanted = PUBLIC_HOLIDAY
    taken: list[Window] = []
    for index, (slot, names) in enumerate(zip(slots, days_of, strict=True)):
        window = _slot_window(slot, index)
        if wanted in names:
            taken.extend(_subtract(window, taken))
    return DayRules(day, tuple(sorted(taken, key=lambda w: w.opens)))


def exempt_dates_on_holidays(exempt_days: object) -> list[tuple[int, str]]:
    """The dated exempt days (index, holiday name) that fall on a Belgian public holiday while the
    recurring ``publicHoliday`` entry already exempts every holiday: redundant, so the register
    refuses them rather than keep two entries of which removing one changes nothing (a reader
    would think it does). ``exempt_days`` is the document's list; anything unreadable in it is the
    profile's to report, not this rule's."""
    if not isinstance(exempt_days, list):
        return []
    if not any(isinstance(d, Mapping) and d.get("recurringDay") == PUBLIC_HOLIDAY
               for d in exempt_days):
        return []
    found = []
    for index, entry in enumerate(exempt_days):
        text = entry.get("calendarDate") if isinstance(entry, Mapping) else None
        try:
            day = date.fromisoformat(text) if isinstance(text, str) else None
        except ValueError:
            continue
        name = public_holiday_name(day) if day is not None else None
        if name is not None:
            found.append((index, name))
    return found


# --- a timeline of instants -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stretch:
    """A stretch of time within one local day in which the regime either applies or not."""

    start: datetime
    end: datetime
    day: date
    applies: bool
    slot: TimeSlot | None = None
    slot_index: int | None = None
    reason: str | None = None
    name: str | None = None


def timeline(regime: Regime, start: datetime, end: datetime, tz: tzinfo) -> list[Stretch]:
    """Cut [start, end) into stretches at local midnights and slot edges, each saying whether the
    regime applies, so pricing and checking read the same rules the same way."""
    require_aware(start, "start")
    require_aware(end, "end")
    stretches: list[Stretch] = []
    for day in local_dates(start, end, tz):
        rules = day_rules(regime, day)
        day_start = local_instant(day, time(0), tz)
        day_end = local_instant(day + timedelta(days=1), time(0), tz)
        lo, hi = max(start, day_start), min(end, day_end)
        if lo >= hi:
            continue
        if rules.exempt_reason is not None:
            stretches.append(Stretch(lo, hi, day, False, reason=rules.exempt_reason,
                                     name=rules.exempt_name))
            continue
        cursor = day_start
        for window in rules.windows:
            w_start = local_instant(day, _time_of(window.opens), tz)
            w_end = day_end if window.closes == _END_OF_DAY else local_instant(
                day, _time_of(window.closes), tz)
            _append(stretches, cursor, w_start, lo, hi, day, None)
            _append(stretches, w_start, w_end, lo, hi, day, window)
            cursor = max(cursor, w_end)
        _append(stretches, cursor, day_end, lo, hi, day, None)
    return stretches


def _append(out: list[Stretch], a: datetime, b: datetime, lo: datetime, hi: datetime, day: date,
            window: Window | None) -> None:
    a, b = max(a, lo), min(b, hi)
    if a >= b:
        return
    if window is None:
        out.append(Stretch(a, b, day, False, reason=OUTSIDE_HOURS))
    else:
        out.append(Stretch(a, b, day, True, window.slot, window.slot_index))


# --- one instant ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Applicability:
    """Whether a regime version applies at an instant, and what holds then."""

    applies: bool
    local_time: datetime
    reason: str | None = None
    name: str | None = None
    slot: TimeSlot | None = None
    slot_index: int | None = None
    tariff: Tariff | None = None
    maximum_duration: int | None = None
    minimum_interruption: int | None = None
    right_claimable: bool = True


def applicability(regime: RegimeLike, instant: datetime, tz: tzinfo) -> Applicability:
    """Does the regime apply at the instant (in the zone's time zone), and under which slot?

    Validity of the version is the caller's business (:func:`version_in_force`): this answers for
    the rules of the version it is given, so a historical question uses the version then in force.
    """
    regime = as_regime(regime)
    local = to_local(instant, tz)
    stretch = timeline(regime, instant, instant + timedelta(microseconds=1), tz)[0]
    if not stretch.applies:
        return Applicability(False, local, stretch.reason, stretch.name)
    slot = stretch.slot
    return Applicability(
        True,
        local,
        slot=slot,
        slot_index=stretch.slot_index,
        tariff=tariff_of(regime, slot),
        maximum_duration=(slot.maximumDuration if slot and slot.maximumDuration is not None
                          else regime.maximumDuration),
        minimum_interruption=(slot.minimumInterruption
                              if slot and slot.minimumInterruption is not None
                              else regime.minimumInterruption),
        right_claimable=True if slot is None or slot.rightClaimable is None
        else bool(slot.rightClaimable),
    )


def tariff_of(regime: Regime, slot: TimeSlot | None) -> Tariff | None:
    """The tariff in a slot: the slot's own, else the regime's."""
    if slot is not None and slot.tariff is not None:
        return slot.tariff
    return regime.tariff


def has_tariff(regime: Regime) -> bool:
    return regime.tariff is not None or any(s.tariff is not None for s in regime.timeSlots or ())
