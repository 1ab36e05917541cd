"""The check and the trial price never fail on what is stored (issue 18, item 1): a right that ends
at the end of the calendar, a grace period of 2^70 minutes stored before the model bounded it, an
instant outside the years the register handles (a refusal naming the field, never an overflow)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vptr.domain.checking import RIGHT, CheckError, check
from vptr.domain.memory_sources import InMemorySources
from vptr.domain.pricing import PricingError, trial_price
from vptr.domain.regime_time import as_regime
from vptr.domain.sources import RightRecord, ZoneRecord
from vptr.times import shifted

from .builders import AM_GENT, BASE, at, paid_weekdays, regime, slot, tariff, zone_iri

CENTRUM = zone_iri("centrum")
PLATE, COUNTRY = "1ABC123", "BE"
END_OF_CALENDAR = datetime.max.replace(tzinfo=UTC)
WKT = "POLYGON((3.70 51.04, 3.74 51.04, 3.74 51.06, 3.70 51.06, 3.70 51.04))"


def _sources(**regime_fields) -> InMemorySources:
    sources = InMemorySources()
    sources.add_zone(ZoneRecord(CENTRUM, AM_GENT), WKT)
    document = paid_weekdays().model_dump(mode="json", exclude_none=True)
    sources.add_regime(as_regime({**document, **regime_fields}))  # as the store reads it
    return sources


@pytest.mark.parametrize("end", [datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC), END_OF_CALENDAR])
def test_a_right_ending_at_the_end_of_the_calendar_grants_without_overflow(end) -> None:
    sources = _sources(gracePeriod=10)
    sources.add_right(COUNTRY, PLATE, RightRecord(f"{BASE}right/far", CENTRUM,
                                                  at("2026-03-02 09:00"), end, "active"))
    result = check(sources, country=COUNTRY, plate=PLATE, moment=at("2026-03-02 10:00"),
                   zone_ids=[CENTRUM])
    assert result.allowed and result.grants[0].kind == RIGHT


@pytest.mark.parametrize("grace", [2**70, 10**12, 120])
def test_a_grace_period_stored_before_the_bound_still_counts(grace: int) -> None:
    sources = _sources(gracePeriod=grace, gracePeriodBefore=grace)
    sources.add_right(COUNTRY, PLATE, RightRecord(f"{BASE}right/r", CENTRUM,
                                                  at("2026-03-02 09:00"), at("2026-03-02 10:00"),
                                                  "active"))
    result = check(sources, country=COUNTRY, plate=PLATE, moment=at("2026-03-02 11:30"),
                   zone_ids=[CENTRUM])
    assert result.allowed and result.grants[0].within_grace


@pytest.mark.parametrize("moment", [datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
                                    datetime(1, 1, 1, tzinfo=UTC)])
def test_a_check_outside_the_years_handled_is_refused_naming_at(moment) -> None:
    with pytest.raises(CheckError) as refused:
        check(_sources(), country=COUNTRY, plate=PLATE, moment=moment, zone_ids=[CENTRUM])
    assert refused.value.field == "at"


@pytest.mark.parametrize(("start", "end", "field"), [
    (datetime(9999, 12, 31, 23, tzinfo=UTC), None, "start"),
    (at("2026-03-02 10:00"), datetime(9999, 12, 31, tzinfo=UTC), "end"),
])
def test_a_price_outside_the_years_handled_is_refused_naming_the_field(start, end, field) -> None:
    versions = [regime("centrum", zones=[CENTRUM], timeSlots=[slot(["monday"], "09:00:00",
                                                               "18:00:00")],
                       tariff=tariff((0, None, "1.00", 60)))]
    with pytest.raises(PricingError) as refused:
        trial_price(versions, CENTRUM, start, end=end,
                    duration=None if end else timedelta(hours=1))
    assert refused.value.field == field


def test_a_price_for_longer_than_a_year_is_refused_before_any_arithmetic() -> None:
    with pytest.raises(PricingError) as refused:
        trial_price([], CENTRUM, at("2026-03-02 10:00"), duration=timedelta(days=999_999_999))
    assert refused.value.field == "duration"


def test_shifted_holds_at_the_ends_of_the_calendar() -> None:
    assert shifted(END_OF_CALENDAR, timedelta(minutes=1)) == END_OF_CALENDAR
    assert shifted(datetime.min.replace(tzinfo=UTC), -timedelta(days=1)) == \
        datetime.min.replace(tzinfo=UTC)
