"""When a regime applies: versions, slots, midnight, exempt days, public holidays and DST."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from vptr.domain.regime_time import (
    EXEMPT_DAY,
    OUTSIDE_HOURS,
    PUBLIC_HOLIDAY,
    RegimeError,
    applicability,
    as_regime,
    exempt_dates_on_holidays,
    timeline,
    version_in_force,
)

from .builders import BRUSSELS, WEEKDAYS, at, paid_weekdays, regime, slot, tariff


def applies(r, when: str) -> bool:
    return applicability(r, at(when), BRUSSELS).applies


def test_opens_is_inclusive_and_closes_is_exclusive() -> None:
    r = paid_weekdays()
    assert not applies(r, "2026-03-02 08:59:59")
    assert applies(r, "2026-03-02 09:00")
    assert applies(r, "2026-03-02 17:59:59")
    assert not applies(r, "2026-03-02 18:00")


def test_outside_hours_and_sunday_say_why() -> None:
    r = paid_weekdays()
    evening = applicability(r, at("2026-03-02 20:00"), BRUSSELS)
    sunday = applicability(r, at("2026-03-01 12:00"), BRUSSELS)
    assert (evening.applies, evening.reason) == (False, OUTSIDE_HOURS)
    assert (sunday.applies, sunday.reason) == (False, OUTSIDE_HOURS)


def test_a_slot_closing_at_midnight_runs_to_the_end_of_the_day() -> None:
    r = regime(timeSlots=[slot(["friday"], "18:00:00", "00:00:00")])
    assert applies(r, "2026-03-06 23:59:59")
    assert not applies(r, "2026-03-07 00:00")  # Saturday: the Friday slot is over
    assert not applies(r, "2026-03-06 00:00")  # the start of Friday is not its end


def test_a_regime_without_time_slots_applies_always() -> None:
    r = regime()
    for when in ["2026-03-01 03:00", "2026-12-25 12:00", "2026-03-29 02:30"]:
        assert applies(r, when)


def test_exempt_days_free_the_whole_local_day() -> None:
    r = paid_weekdays(exemptDays=[{"calendarDate": "2026-03-04", "name": "Jaarmarkt"}])
    state = applicability(r, at("2026-03-04 10:00"), BRUSSELS)
    assert (state.applies, state.reason, state.name) == (False, EXEMPT_DAY, "Jaarmarkt")
    assert applies(r, "2026-03-05 10:00")


def test_public_holidays_are_free_all_day_with_the_recurring_exempt_day() -> None:
    exempt = paid_weekdays(exemptDays=[{"recurringDay": "publicHoliday"}])
    for moment in ("2026-05-14 00:00", "2026-05-14 10:00", "2026-05-14 23:59"):  # Ascension
        state = applicability(exempt, at(moment), BRUSSELS)
        assert (state.applies, state.reason, state.name) == (False, PUBLIC_HOLIDAY,
                                                             "Ascension Day")
    assert applies(exempt, "2026-05-13 10:00")  # the Wednesday before is an ordinary day
    not_exempt = paid_weekdays(exemptDays=[])
    assert applies(not_exempt, "2026-05-14 10:00")  # paid as the Thursday it is


def test_dated_and_recurring_exempt_days_together() -> None:
    r = paid_weekdays(exemptDays=[{"calendarDate": "2026-07-20", "name": "Gentse Feesten"},
                                  {"recurringDay": "publicHoliday"}])
    feesten = applicability(r, at("2026-07-20 10:00"), BRUSSELS)
    national = applicability(r, at("2026-07-21 10:00"), BRUSSELS)
    assert (feesten.applies, feesten.reason, feesten.name) == (False, EXEMPT_DAY, "Gentse Feesten")
    assert (national.applies, national.reason, national.name) == (
        False, PUBLIC_HOLIDAY, "Belgian National Day")
    assert applies(r, "2026-07-22 10:00")


def test_a_dated_exempt_day_alone_leaves_public_holidays_paid() -> None:
    r = paid_weekdays(exemptDays=[{"calendarDate": "2026-07-20", "name": "Gentse Feesten"}])
    assert not applies(r, "2026-07-20 10:00")
    assert applies(r, "2026-07-21 10:00")


def test_only_redundant_dated_exempt_days_are_found() -> None:
    recurring = {"recurringDay": "publicHoliday"}
    days = [{"calendarDate": "2026-07-20"}, {"calendarDate": "2026-12-25"}, recurring,
            {"calendarDate": "not a date"}]
    assert exempt_dates_on_holidays(days) == [(1, "Christmas Day")]
    assert exempt_dates_on_holidays(days[:2]) == []  # without the recurring entry: a choice
    assert exempt_dates_on_holidays(None) == []


def test_holiday_slots_replace_the_weekday_slots_on_a_holiday() -> None:
    r = regime(timeSlots=[
        slot(WEEKDAYS, "09:00:00", "18:00:00"),
        slot(["publicHoliday"], "12:00:00", "14:00:00"),
    ])
    assert not applies(r, "2026-04-06 10:00")  # Easter Monday: only the holiday slot holds
    assert applies(r, "2026-04-06 12:30")
    assert applies(r, "2026-04-07 10:00")  # the Tuesday after is an ordinary day


def test_first_listed_slot_wins_where_slots_overlap() -> None:
    cheap = tariff((0, None, "1.00", 60), name="cheap")
    dear = tariff((0, None, "3.00", 60), name="dear")
    r = regime(timeSlots=[
        slot(WEEKDAYS, "12:00:00", "14:00:00", tariff=cheap, maximumDuration=60),
        slot(WEEKDAYS, "09:00:00", "18:00:00", tariff=dear),
    ], maximumDuration=180)
    noon = applicability(r, at("2026-03-02 12:30"), BRUSSELS)
    morning = applicability(r, at("2026-03-02 10:00"), BRUSSELS)
    assert (noon.tariff.name, noon.maximum_duration) == ("cheap", 60)
    assert (morning.tariff.name, morning.maximum_duration) == ("dear", 180)


def test_a_slot_closing_before_it_opens_is_refused_naming_the_slot() -> None:
    r = regime(timeSlots=[slot(WEEKDAYS, "09:00:00", "18:00:00"),
                          slot(WEEKDAYS, "22:00:00", "06:00:00")])
    with pytest.raises(RegimeError) as caught:
        applicability(r, at("2026-03-02 10:00"), BRUSSELS)
    assert caught.value.field == "timeSlots[1]"


def test_slots_are_read_in_local_time_on_dst_days() -> None:
    r = paid_weekdays(timeSlots=[slot(["sunday"], "09:00:00", "18:00:00")])
    for day in ["2026-03-29", "2026-10-25"]:  # spring forward, fall back (both Sundays)
        assert not applies(r, f"{day} 08:59")
        assert applies(r, f"{day} 09:00")
        assert not applies(r, f"{day} 18:00")
    stretches = timeline(r, at("2026-10-25 00:00"), at("2026-10-26 00:00"), BRUSSELS)
    paid = [s for s in stretches if s.applies]
    assert [s.end - s.start for s in paid] == [timedelta(hours=9)]
    assert sum((s.end - s.start for s in stretches), timedelta()) == timedelta(hours=25)


def test_timeline_covers_the_interval_without_gaps() -> None:
    r = paid_weekdays()
    start, end = at("2026-03-06 17:00"), at("2026-03-09 10:00")  # Friday to Monday
    stretches = timeline(r, start, end, BRUSSELS)
    assert stretches[0].start == start and stretches[-1].end == end
    for before, after in itertools.pairwise(stretches):
        assert before.end == after.start
    paid = sum((s.end - s.start for s in stretches if s.applies), timedelta())
    assert paid == timedelta(hours=1 + 9 + 1)  # Fri 17-18, Sat 9-18, Mon 9-10


def test_version_in_force_uses_start_inclusive_end_exclusive() -> None:
    v1 = regime(version=1, valid_to="2026-06-01 00:00")
    v2 = regime(version=2, valid_from="2026-06-01 00:00")
    assert [r.version for r in version_in_force([v1, v2], at("2026-05-31 23:59"))] == [1]
    assert [r.version for r in version_in_force([v1, v2], at("2026-06-01 00:00"))] == [2]
    assert version_in_force([v1, v2], at("2019-12-31 23:59")) == []


def test_json_documents_are_accepted_as_regimes() -> None:
    doc = paid_weekdays().model_dump(mode="json", exclude_none=True)
    doc["type"] = "Regime"
    assert applies(as_regime(doc), "2026-03-02 10:00")
