"""Belgian public holidays and the local time of a zone.

Regimes speak in local wall-clock time ("paid from 09:00 to 18:00, not on public holidays"), while
the register stores instants. Everything that turns one into the other goes through here so there is
one DST-correct conversion, done with the IANA database (``zoneinfo``) of the zone's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vptr.domain.errors import DomainError

DEFAULT_TIME_ZONE = "Europe/Brussels"


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian (Meeus/Jones/Butcher) method.

    Computed rather than tabulated so holidays are right for any year a historical or future
    question names.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def belgian_public_holidays(year: int) -> dict[date, str]:
    """The ten legal public holidays of Belgium in ``year``, by date, with their English names."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "New Year's Day",
        easter + timedelta(days=1): "Easter Monday",
        date(year, 5, 1): "Labour Day",
        easter + timedelta(days=39): "Ascension Day",
        easter + timedelta(days=50): "Whit Monday",
        date(year, 7, 21): "Belgian National Day",
        date(year, 8, 15): "Assumption Day",
        date(year, 11, 1): "All Saints' Day",
        date(year, 11, 11): "Armistice Day",
        date(year, 12, 25): "Christmas Day",
    }


def public_holiday_name(day: date) -> str | None:
    """The holiday's name if ``day`` is a Belgian public holiday, else None."""
    return belgian_public_holidays(day.year).get(day)


def is_public_holiday(day: date) -> bool:
    return day in belgian_public_holidays(day.year)


class UnknownTimeZoneError(DomainError):
    """A zone names a time zone the IANA database does not know (a fault of the zone, so the field
    is ``zone``)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"the zone's unknown IANA time zone {name!r}", "zone")
        self.name = name


@cache
def time_zone(name: str | None) -> tzinfo:
    """The IANA time zone by name (Europe/Brussels when the zone names none)."""
    name = name or DEFAULT_TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZoneError(name) from exc


def require_aware(instant: datetime, what: str = "instant") -> datetime:
    """Refuse naive datetimes: a wall-clock time without an offset is ambiguous across zones."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{what} must carry a time zone offset")
    return instant


def to_local(instant: datetime, tz: tzinfo) -> datetime:
    """The wall-clock time of an instant in the zone's time zone."""
    return require_aware(instant).astimezone(tz)


def local_instant(day: date, at: time, tz: tzinfo) -> datetime:
    """The instant a local wall-clock time on a local day happens.

    A time skipped by the spring-forward gap is read with the offset before the gap (so 02:30 on the
    last Sunday of March in Brussels is 03:30 CEST); a time repeated at fall-back is its first
    occurrence. Returned in UTC so arithmetic on it is plain elapsed time.
    """
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=tz).astimezone(_UTC)


def start_of_local_day(day: date, tz: tzinfo) -> datetime:
    """The instant the local calendar day begins (a day is 23, 24 or 25 hours long)."""
    return local_instant(day, time(0), tz)


def local_dates(start: datetime, end: datetime, tz: tzinfo) -> list[date]:
    """Every local calendar date the half-open interval [start, end) touches, in order."""
    first = to_local(start, tz).date()
    last = to_local(end - timedelta(microseconds=1), tz).date() if end > start else first
    days = (last - first).days
    return [first + timedelta(days=n) for n in range(days + 1)]


_UTC = ZoneInfo("UTC")
