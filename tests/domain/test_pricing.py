"""The trial price: steps, paid time, day maxima, free periods, VAT and regime versions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from vptr.domain.pricing import (
    AmbiguousRegimeError,
    NoTariffError,
    PricingError,
    trial_price,
)
from vptr.domain.regime_time import EXEMPT_DAY, OUTSIDE_HOURS, PUBLIC_HOLIDAY

from .builders import WEEKDAYS, at, paid_weekdays, regime, slot, tariff, zone_iri

ZONE = zone_iri("centrum")


def price(regimes, start: str, *, minutes: int | None = None, end: str | None = None, **kw):
    return trial_price(
        regimes if isinstance(regimes, list) else [regimes], ZONE, at(start),
        duration=timedelta(minutes=minutes) if minutes is not None else None,
        end=at(end) if end else None, **kw)


@pytest.mark.parametrize(("minutes", "total"), [
    (1, "1.00"),     # one started 30-minute step
    (30, "1.00"),
    (31, "2.00"),    # the second half hour has started
    (60, "2.00"),    # the first step ends at 60 (exclusive)
    (61, "3.50"),    # and the hourly step starts
    (120, "3.50"),
    (121, "5.00"),
])
def test_started_steps_are_charged_in_full(minutes: int, total: str) -> None:
    assert price(paid_weekdays(), "2026-03-02 10:00", minutes=minutes).total == Decimal(total)


def test_breakdown_names_each_step_with_minutes_steps_and_amount() -> None:
    result = price(paid_weekdays(), "2026-03-02 10:00", minutes=150)
    (day,) = result.days
    assert day.day == date(2026, 3, 2)
    assert [(s.index, s.minutes, s.steps, s.amount) for s in day.steps] == [
        (0, Decimal("60.00"), 2, Decimal("2.00")),
        (1, Decimal("90.00"), 2, Decimal("3.00")),
    ]
    assert (day.charged, day.capped, day.amount) == (Decimal("5.00"), False, Decimal("5.00"))
    assert result.paid_minutes == Decimal("150.00")
    assert result.free_periods == ()


def test_day_maximum_caps_what_a_day_costs() -> None:
    result = price(paid_weekdays(), "2026-03-02 09:00", end="2026-03-02 18:00")
    (day,) = result.days
    assert day.charged == Decimal("2.00") + 8 * Decimal("1.50")
    assert (day.capped, day.amount, result.total) == (True, Decimal("10.00"), Decimal("10.00"))


def test_time_outside_paid_hours_is_free_and_listed() -> None:
    result = price(paid_weekdays(), "2026-03-02 17:30", end="2026-03-02 20:00")
    assert result.total == Decimal("1.00")
    assert [(p.start, p.end, p.reason) for p in result.free_periods] == [
        (at("2026-03-02 18:00"), at("2026-03-02 20:00"), OUTSIDE_HOURS)]


def test_paid_minutes_not_wall_clock_drive_the_steps_across_midnight() -> None:
    # Monday 17:00 to Tuesday 10:00: one paid hour on Monday, one on Tuesday. The night is free,
    # and Tuesday's hour is the second paid hour (the hourly step), not a fresh first hour.
    result = price(paid_weekdays(), "2026-03-02 17:00", end="2026-03-03 10:00")
    monday, tuesday = result.days
    assert (monday.day, monday.amount) == (date(2026, 3, 2), Decimal("2.00"))
    assert (tuesday.day, tuesday.amount) == (date(2026, 3, 3), Decimal("1.50"))
    assert [s.index for s in tuesday.steps] == [1]
    assert result.total == Decimal("3.50")
    assert [(p.start, p.end) for p in result.free_periods] == [
        (at("2026-03-02 18:00"), at("2026-03-03 09:00"))]  # one night, not two halves


def test_each_calendar_day_is_capped_separately() -> None:
    result = price(paid_weekdays(), "2026-03-02 09:00", end="2026-03-04 12:00")
    assert [d.amount for d in result.days] == [Decimal("10.00"), Decimal("10.00"),
                                               Decimal("4.50")]
    assert [d.capped for d in result.days] == [True, True, False]
    assert result.total == Decimal("24.50")


def test_a_day_maximum_applies_to_a_tariff_running_through_midnight() -> None:
    always = regime(tariff=tariff((0, None, "2.00", 60), day_maximum="15.00"))
    result = price(always, "2026-03-02 20:00", end="2026-03-03 20:00")
    # Monday 20:00-24:00 is 4 hours (8.00); Tuesday 00:00-20:00 is 20 hours, capped at 15.00.
    assert [(d.charged, d.amount) for d in result.days] == [
        (Decimal("8.00"), Decimal("8.00")), (Decimal("40.00"), Decimal("15.00"))]


def test_a_step_started_before_midnight_is_charged_to_the_day_it_started() -> None:
    always = regime(tariff=tariff((0, None, "2.00", 60)))
    result = price(always, "2026-03-02 23:30", end="2026-03-03 00:45")
    monday, tuesday = result.days
    assert (monday.amount, tuesday.amount) == (Decimal("2.00"), Decimal("2.00"))
    assert monday.steps[0].minutes == Decimal("30.00")
    assert tuesday.steps[0].minutes == Decimal("45.00")


def test_exempt_days_and_holidays_are_free_with_their_reason() -> None:
    r = paid_weekdays(exemptDays=[{"calendarDate": "2026-05-13", "name": "Jaarmarkt"},
                                  {"recurringDay": "publicHoliday"}])
    # Wednesday 13 May is a market day, Thursday 14 May is Ascension.
    result = price(r, "2026-05-13 10:00", end="2026-05-14 12:00")
    assert result.total == Decimal("0.00")
    reasons = [(p.reason, p.name) for p in result.free_periods]
    assert (EXEMPT_DAY, "Jaarmarkt") in reasons
    assert (PUBLIC_HOLIDAY, "Ascension Day") in reasons


def test_a_holiday_is_free_all_day_with_the_recurring_exempt_day_and_paid_without_it() -> None:
    # Ascension, Thursday 14 May 2026, 10:00 for two hours.
    free = price(paid_weekdays(exemptDays=[{"recurringDay": "publicHoliday"}]),
                 "2026-05-14 10:00", minutes=120)
    paid = price(paid_weekdays(exemptDays=[]), "2026-05-14 10:00", minutes=120)
    assert free.total == Decimal("0.00")
    assert [(p.reason, p.name) for p in free.free_periods] == [(PUBLIC_HOLIDAY, "Ascension Day")]
    assert paid.total == Decimal("3.50")  # 2 x 1.00 for the first hour, 1.50 for the second


def test_a_dated_exempt_day_is_free_and_the_next_day_paid() -> None:
    r = paid_weekdays(exemptDays=[{"calendarDate": "2026-07-20", "name": "Gentse Feesten"},
                                  {"recurringDay": "publicHoliday"}])
    assert price(r, "2026-07-20 10:00", minutes=60).total == Decimal("0.00")
    assert price(r, "2026-07-21 10:00", minutes=60).total == Decimal("0.00")  # National Day
    assert price(r, "2026-07-22 10:00", minutes=60).total == Decimal("2.00")


def test_holiday_hours_are_priced_on_a_holiday_only_within_them() -> None:
    r = regime(timeSlots=[slot(WEEKDAYS, "09:00:00", "18:00:00"),
                          slot(["publicHoliday"], "12:00:00", "14:00:00")],
               tariff=tariff((0, None, "1.00", 60)))
    # Easter Monday 6 April 2026, 10:00-16:00: only the two holiday hours are charged.
    assert price(r, "2026-04-06 10:00", end="2026-04-06 16:00").total == Decimal("2.00")
    # The Tuesday after: six hours of the weekday slot.
    assert price(r, "2026-04-07 10:00", end="2026-04-07 16:00").total == Decimal("6.00")


def test_vat_is_the_included_share_rounded_to_the_cent() -> None:
    result = price(paid_weekdays(), "2026-03-02 10:00", minutes=60)
    assert result.total == Decimal("2.00")
    assert result.vat_amount == Decimal("0.35")  # 2.00 * 21 / 121 = 0.347...
    assert price(regime(tariff=tariff((0, None, "1.00", 60))), "2026-03-02 10:00",
                 minutes=60).vat_amount is None


def test_a_dst_day_charges_the_hours_that_really_pass() -> None:
    always = regime(tariff=tariff((0, None, "1.00", 60)))
    assert price(always, "2026-03-29 00:00", end="2026-03-30 00:00").total == Decimal("23.00")
    assert price(always, "2026-10-25 00:00", end="2026-10-26 00:00").total == Decimal("25.00")


def test_the_version_in_force_at_the_start_prices_the_whole_right() -> None:
    old = paid_weekdays(version=1, valid_to="2026-03-02 12:00")
    new = paid_weekdays(version=2, valid_from="2026-03-02 12:00",
                        tariff=tariff((0, None, "5.00", 60)))
    result = price([old, new], "2026-03-02 11:00", minutes=120)
    assert (result.regime_version, result.total) == (1, Decimal("3.50"))
    assert result.later_versions == (new.id,)
    after = price([old, new], "2026-03-02 12:00", minutes=120)
    assert (after.regime_version, after.total, after.later_versions) == (2, Decimal("10.00"), ())


def test_slot_tariffs_override_the_regimes_tariff() -> None:
    r = regime(timeSlots=[
        slot(WEEKDAYS, "09:00:00", "12:00:00", tariff=tariff((0, None, "1.00", 60), name="am")),
        slot(WEEKDAYS, "12:00:00", "18:00:00"),
    ], tariff=tariff((0, None, "3.00", 60), name="pm"))
    result = price(r, "2026-03-02 11:00", minutes=120)
    assert sorted((d.tariff_name, d.amount) for d in result.days) == [
        ("am", Decimal("1.00")), ("pm", Decimal("3.00"))]


def test_exceeding_the_maximum_duration_is_flagged_not_refused() -> None:
    r = paid_weekdays(maximumDuration=120)
    assert not price(r, "2026-03-02 10:00", minutes=120).exceeds_maximum_duration
    over = price(r, "2026-03-02 10:00", minutes=121)
    assert over.exceeds_maximum_duration and over.maximum_duration == 120
    # Free time does not count towards the maximum: 17:00-20:00 is one paid hour.
    assert not price(r, "2026-03-02 17:00", end="2026-03-02 20:00").exceeds_maximum_duration


def test_end_or_duration_must_be_given_once_and_positive() -> None:
    r = paid_weekdays()
    with pytest.raises(PricingError) as both:
        trial_price([r], ZONE, at("2026-03-02 10:00"), end=at("2026-03-02 11:00"),
                    duration=timedelta(hours=1))
    assert both.value.field == "end"
    with pytest.raises(PricingError) as negative:
        price(r, "2026-03-02 10:00", minutes=-5)
    assert negative.value.field == "duration"
    with pytest.raises(PricingError) as backwards:
        price(r, "2026-03-02 10:00", end="2026-03-02 09:00")
    assert backwards.value.field == "end"
    with pytest.raises(PricingError, match="366"):
        price(r, "2026-03-02 10:00", end="2027-03-10 10:00")


def test_no_tariff_in_force_and_ambiguous_tariffs_are_refused() -> None:
    with pytest.raises(NoTariffError):
        price(paid_weekdays(valid_from="2027-01-01 00:00"), "2026-03-02 10:00", minutes=60)
    with pytest.raises(NoTariffError):
        price(regime(usage="permitParking"), "2026-03-02 10:00", minutes=60)
    extra = paid_weekdays("avond", zones=[ZONE], regulationType="additional")
    base = paid_weekdays()
    assert price([base, extra], "2026-03-02 10:00", minutes=60).regime == base.id
    twin = paid_weekdays("tweede", zones=[ZONE])
    with pytest.raises(AmbiguousRegimeError) as caught:
        price([base, twin], "2026-03-02 10:00", minutes=60)
    assert set(caught.value.candidates) == {base.id, twin.id}
    chosen = price([base, twin], "2026-03-02 10:00", minutes=60, regime_ref=twin.isVersionOf)
    assert chosen.regime == twin.id
