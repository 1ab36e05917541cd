"""The trial price (vptr.services.pricing.quote): whoever may read the zone asks for its price
(another tenant's zone is not found, like a missing one); a question gives a duration or an end,
never both; a zone without a tariff, or an unknown zone, is not found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from vptr.errors import Invalid, NotFound
from vptr.services import demo
from vptr.services.pricing import Question, quote

from .world import METERS, SCANMOBIEL, caller

#: A Tuesday morning when paid parking applies in Zuid (0.25 EUR per started 15 minutes).
TUESDAY = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_an_hour_in_zuid_costs_four_steps(runtime, count_rows):
    before = count_rows("audit_events"), count_rows("rights")

    answer = quote(runtime, caller(METERS), Question(zone=demo.ZONE_ZUID, start=TUESDAY,
                                                     duration=timedelta(hours=1)))

    assert (answer.price.total, answer.price.currency) == (Decimal("1.00"), "EUR")
    assert answer.price.regime_series == demo.ID + "regime/gent-zuid-betalend"
    assert answer.price.end == TUESDAY + timedelta(hours=1)
    assert (count_rows("audit_events"), count_rows("rights")) == before  # nothing is booked


def test_an_end_gives_the_same_price_as_the_duration(runtime):
    by_duration = quote(runtime, caller(SCANMOBIEL), Question(
        zone=demo.ZONE_ZUID, start=TUESDAY, duration=timedelta(minutes=45)))
    by_end = quote(runtime, caller(SCANMOBIEL), Question(
        zone=demo.ZONE_ZUID, start=TUESDAY, end=TUESDAY + timedelta(minutes=45)))
    assert by_duration.price.total == by_end.price.total == Decimal("0.75")


def test_another_tenants_zone_is_not_found_as_a_missing_one(runtime, antwerpen_tenant):
    """The price follows the zone: whoever may read it may price it (issue 18, item 6)."""
    with pytest.raises(NotFound) as foreign:
        quote(runtime, caller(antwerpen_tenant.principal), Question(
            zone=demo.ZONE_ZUID, start=TUESDAY, duration=timedelta(hours=1)))
    with pytest.raises(NotFound) as missing:
        quote(runtime, caller(antwerpen_tenant.principal), Question(
            zone=demo.ZONE_ZUID + "-nergens", start=TUESDAY, duration=timedelta(hours=1)))
    assert [e.field for e in foreign.value.errors] == [e.field for e in missing.value.errors]


@pytest.mark.parametrize(("duration", "end"), [
    (None, None), (timedelta(hours=1), TUESDAY + timedelta(hours=1))],
    ids=["neither", "both"])
def test_a_question_gives_a_duration_or_an_end(runtime, duration, end):
    with pytest.raises(Invalid) as refused:
        quote(runtime, caller(METERS), Question(zone=demo.ZONE_ZUID, start=TUESDAY,
                                                duration=duration, end=end))
    assert [e.field for e in refused.value.errors] == ["duration"]


def test_an_unknown_zone_or_one_without_a_tariff_is_not_found(runtime):
    with pytest.raises(NotFound):
        quote(runtime, caller(METERS), Question(zone=demo.ZONE_ZUID + "-nergens", start=TUESDAY,
                                                duration=timedelta(hours=1)))
    with pytest.raises(NotFound):
        quote(runtime, caller(METERS), Question(zone=demo.ZONE_KERN, start=TUESDAY,
                                                duration=timedelta(hours=1)))



def test_a_providers_trial_price_is_metered_to_the_municipality_of_the_zone(runtime):
    served: list[str] = []

    quote(runtime, caller(METERS, served.append), Question(
        zone=demo.ZONE_ZUID, start=TUESDAY, duration=timedelta(hours=1)))

    assert served == [demo.GENT]
