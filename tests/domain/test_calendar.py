"""Belgian public holidays and local time: the calendar every regime is read against."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from vptr.domain.calendar import (
    UnknownTimeZoneError,
    belgian_public_holidays,
    easter_sunday,
    is_public_holiday,
    local_dates,
    local_instant,
    public_holiday_name,
    start_of_local_day,
    time_zone,
)

BXL = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(("year", "expected"), [
    (1818, date(1818, 3, 22)),   # the earliest possible date
    (1943, date(1943, 4, 25)),   # the latest possible date
    (2000, date(2000, 4, 23)),
    (2019, date(2019, 4, 21)),
    (2024, date(2024, 3, 31)),
    (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)),
    (2027, date(2027, 3, 28)),
    (2038, date(2038, 4, 25)),
])
def test_easter_sunday_is_computed_for_any_year(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


def test_easter_is_always_a_sunday_between_22_march_and_25_april() -> None:
    for year in range(1900, 2200):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)


@pytest.mark.parametrize(("year", "easter_monday", "ascension", "whit_monday"), [
    (2024, date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)),
    (2025, date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)),
    (2026, date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)),
])
def test_easter_derived_holidays(year: int, easter_monday: date, ascension: date,
                                 whit_monday: date) -> None:
    holidays = belgian_public_holidays(year)
    assert holidays[easter_monday] == "Easter Monday"
    assert holidays[ascension] == "Ascension Day"
    assert holidays[whit_monday] == "Whit Monday"
    assert ascension.weekday() == 3  # always a Thursday
    assert easter_monday.weekday() == whit_monday.weekday() == 0


def test_there_are_ten_holidays_including_the_fixed_ones() -> None:
    holidays = belgian_public_holidays(2026)
    assert len(holidays) == 10
    for month, day in [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]:
        assert date(2026, month, day) in holidays


def test_ordinary_days_are_not_holidays() -> None:
    assert not is_public_holiday(date(2026, 3, 2))
    assert public_holiday_name(date(2026, 12, 26)) is None  # Boxing Day is not a Belgian holiday
    assert public_holiday_name(date(2026, 7, 21)) == "Belgian National Day"


def test_local_days_are_23_24_and_25_hours_long_around_dst() -> None:
    def length(day: date) -> timedelta:
        return start_of_local_day(day + timedelta(days=1), BXL) - start_of_local_day(day, BXL)

    assert length(date(2026, 3, 29)) == timedelta(hours=23)  # spring forward
    assert length(date(2026, 3, 30)) == timedelta(hours=24)
    assert length(date(2026, 10, 25)) == timedelta(hours=25)  # fall back


def test_local_wall_clock_times_become_the_right_instants() -> None:
    utc = ZoneInfo("UTC")
    assert local_instant(date(2026, 1, 15), time(9), BXL) == datetime(2026, 1, 15, 8, tzinfo=utc)
    assert local_instant(date(2026, 7, 15), time(9), BXL) == datetime(2026, 7, 15, 7, tzinfo=utc)
    # A time skipped at spring-forward is read with the offset before the gap.
    assert local_instant(date(2026, 3, 29), time(2, 30), BXL) == datetime(2026, 3, 29, 1, 30,
                                                                          tzinfo=utc)


def test_local_dates_of_an_interval_follow_the_zone_not_utc() -> None:
    utc = ZoneInfo("UTC")
    # 23:30 UTC on 1 March is already 2 March in Brussels.
    start = datetime(2026, 3, 1, 23, 30, tzinfo=utc)
    assert local_dates(start, start + timedelta(hours=1), BXL) == [date(2026, 3, 2)]
    # An interval ending exactly at local midnight does not touch the next day.
    end = datetime(2026, 3, 3, 0, 0, tzinfo=BXL)
    assert local_dates(datetime(2026, 3, 2, 22, tzinfo=BXL), end, BXL) == [date(2026, 3, 2)]


def test_unknown_time_zone_is_refused_by_name() -> None:
    with pytest.raises(UnknownTimeZoneError, match="Europe/Atlantis"):
        time_zone("Europe/Atlantis")
    assert time_zone(None) == BXL
