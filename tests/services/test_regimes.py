"""Regimes (vptr.services.regimes): the area manager creates version 1 and each change makes the
next version; history answers for any moment; every caller reads the regimes of the tenants it
may see; an invalid regime, even one invalid deep inside its tariff, stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vptr.errors import Conflict, Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, regimes

from .world import GENT, PARKPLUS, SCANMOBIEL, caller

PAGE = Page(1, 50)
ROOD = demo.ID + "regime/gent-rood-betalend"


def regime_body(**extra):
    return {"name": "Kort parkeren Zuid", "rightKind": "parking", "usage": "paidParking",
            "zones": [demo.ZONE_ZUID],
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
            "tariff": {"name": "Kort", "currency": "EUR", "tariffSteps": [
                {"startDuration": 0, "endDuration": 30, "amount": "0.30", "stepSize": 15},
                {"startDuration": 30, "amount": "0.60", "stepSize": 15}]},
            **extra}


def test_the_area_manager_creates_version_one_and_a_change_makes_version_two(runtime,
                                                                            count_rows):
    before = count_rows("regime_versions")

    first = regimes.create(runtime, caller(GENT), regime_body())
    series = first["isVersionOf"]
    second = regimes.new_version(runtime, caller(GENT), series, regime_body(
        name="Kort parkeren Zuid (2027)",
        validityPeriod={"startTime": "2027-01-01T00:00:00+01:00"}))

    assert (first["version"], second["version"]) == (1, 2)
    assert count_rows("regime_versions") == before + 2
    history, total = regimes.versions(runtime, caller(PARKPLUS), series, PAGE)
    assert [v["version"] for v in history] == [1, 2] and total == 2


def test_the_version_in_force_at_a_moment_answers_for_the_past(runtime):
    in_2025 = regimes.get(runtime, caller(SCANMOBIEL), ROOD,
                          at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    newest = regimes.get(runtime, caller(SCANMOBIEL), ROOD)
    assert (in_2025["version"], in_2025["tariff"]["dayMaximum"]) == (1, "10.00")
    assert (newest["version"], newest["tariff"]["dayMaximum"]) == (2, "12.00")
    with pytest.raises(NotFound):
        regimes.get(runtime, caller(SCANMOBIEL), ROOD, at=datetime(2020, 1, 1, tzinfo=UTC))


def test_a_tariff_step_with_a_negative_amount_is_refused_and_nothing_is_stored(runtime,
                                                                               count_rows):
    body = regime_body()
    body["tariff"]["tariffSteps"][1]["amount"] = "-0.60"
    before = count_rows("regime_versions")

    with pytest.raises(Invalid) as refused:
        regimes.create(runtime, caller(GENT), body)

    fields = [e.field or "" for e in refused.value.errors]
    assert fields and all(f.startswith("tariff.tariffSteps") and f.endswith("amount")
                          for f in fields), fields
    assert count_rows("regime_versions") == before


def test_only_the_area_manager_changes_regimes(runtime, count_rows):
    before = count_rows("regime_versions")
    with pytest.raises(Forbidden):
        regimes.create(runtime, caller(PARKPLUS), regime_body())
    with pytest.raises(Forbidden):
        regimes.new_version(runtime, caller(PARKPLUS), ROOD, regime_body())
    assert count_rows("regime_versions") == before


def test_a_regime_is_created_once(runtime, count_rows):
    before = count_rows("regime_versions")
    with pytest.raises(Conflict):
        regimes.create(runtime, caller(GENT), {**regime_body(), "id": ROOD})
    assert count_rows("regime_versions") == before


def test_another_tenants_regimes_are_not_found_nor_listed(runtime, antwerpen_tenant):
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(NotFound):
        regimes.get(runtime, antwerpen, ROOD)
    with pytest.raises(NotFound):
        regimes.new_version(runtime, antwerpen, ROOD, regime_body())
    assert regimes.listing(runtime, antwerpen, PAGE) == ([], 0)
    listed, _ = regimes.listing(runtime, caller(SCANMOBIEL), PAGE, usage="permitParking")
    assert [r["isVersionOf"] for r in listed] == [demo.ID + "regime/gent-bewoners-kouter"]
    with pytest.raises(Invalid) as refused:
        regimes.listing(runtime, caller(SCANMOBIEL), PAGE, usage="valetParking")
    assert [e.field for e in refused.value.errors] == ["usage"]
