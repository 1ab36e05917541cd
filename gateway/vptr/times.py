"""Instants as the register handles them: always with a time zone, compared in UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

from vptr.errors import Invalid

#: The years an instant may be written in (docs/api.md, the model's date-time pattern): every
#: instant the register stores or is asked about lies between FIRST_YEAR-01-01 and
#: LAST_YEAR-12-31 as written, so adding a grace period, a day or a year to it never leaves the
#: calendar Python (and PostgreSQL) can hold.
FIRST_YEAR = 1900
LAST_YEAR = 2999
#: The same bounds in UTC, offsets of up to a day included.
EARLIEST = datetime(FIRST_YEAR - 1, 12, 31, tzinfo=UTC)
LATEST = datetime(LAST_YEAR + 1, 1, 2, tzinfo=UTC)
#: The longest instant the register reads: 2026-03-02T10:00:00.123456789+01:00 is 35 characters.
_LONGEST_INSTANT = 40
_TOO_FINE = re.compile(r"[.,][0-9]{10}")
_FLOOR = datetime.min.replace(tzinfo=UTC)
_CEILING = datetime.max.replace(tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC)


def in_range(moment: datetime) -> bool:
    """Whether an instant lies within the years the register handles."""
    return EARLIEST <= moment <= LATEST


def shifted(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, held at the ends of the calendar instead of overflowing: what is
    stored may come from before the register bounded instants, and a check never fails on it."""
    try:
        return moment + delta
    except OverflowError:
        return _CEILING if delta > timedelta(0) else _FLOOR


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` in a time zone's local time, or as it is where that local time would leave the
    calendar: the last microsecond of 9999 in Brussels is in the year 10000, which no datetime
    holds. Such an instant can only come from what was stored before instants were bounded, and
    writing it with its own offset (UTC, as the store returns it) still names the same instant,
    so rendering an answer never fails on it."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


def stored_instant(value: str) -> datetime:
    """An instant read back from a stored document, in UTC. Unlike :func:`parse_instant` (which
    reads what a client sends) it does not refuse years outside FIRST_YEAR..LAST_YEAR: what was
    stored before the bound is read as it is, so a search over stored documents never answers
    "the year must be from ..." to a question that named no year at all."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return in_zone(moment, UTC)


def minutes(count: int) -> timedelta:
    """A count of minutes as a duration, held at a thousand years (a stored grace period may be
    any integer)."""
    return timedelta(minutes=max(-_MAX_MINUTES, min(int(count), _MAX_MINUTES)))


_MAX_MINUTES = 1000 * 366 * 24 * 60


def parse_instant(value: object, field: str) -> datetime:
    """An ISO 8601 date-time with an offset (``2026-03-02T10:00:00+01:00`` or ``...Z``).

    A date-time without an offset is refused: it would mean a different instant in every time zone.
    """
    if not isinstance(value, str):
        raise Invalid.field(field, "must be an ISO 8601 date-time string with a time zone offset")
    if len(value) > _LONGEST_INSTANT or _TOO_FINE.search(value):
        # fromisoformat reads any number of decimals (and the profile's pattern sees the value
        # rdflib normalised to microseconds): without this, a 900 kB fraction would be stored
        raise Invalid.field(field, "not an ISO 8601 date-time: at most nine decimals of a second")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field(field, f"not an ISO 8601 date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise Invalid.field(field, f"needs a time zone offset (such as +01:00 or Z): {value!r}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise Invalid.field(field, f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    return parsed.astimezone(UTC)


def optional_instant(value: object, field: str) -> datetime | None:
    return None if value is None else parse_instant(value, field)


def format_instant(value: datetime) -> str:
    """How the register writes an instant it sets itself: UTC, seconds, ``Z``."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def period(document: dict, field: str = "validityPeriod", required: bool = False
           ) -> tuple[datetime | None, datetime | None]:
    """The start and end of a document's period; the end must come after the start."""
    value = document.get(field)
    if value is None:
        if required:
            raise Invalid.field(field, "is required")
        return None, None
    if not isinstance(value, dict):
        raise Invalid.field(field, "must be an object with startTime and endTime")
    start = optional_instant(value.get("startTime"), f"{field}.startTime")
    end = optional_instant(value.get("endTime"), f"{field}.endTime")
    if required and start is None:
        raise Invalid.field(f"{field}.startTime", "is required")
    if start is not None and end is not None and end <= start:
        raise Invalid.field(f"{field}.endTime", "must be after startTime")
    return start, end
