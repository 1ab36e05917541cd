"""One name and one concept each (issue 13): a whitelist names its area manager ``areaManager``,
as zones, regimes and permits do, and a client still sending ``owner`` is told so by name with
nothing stored; a whitelist's reason is a user class, the same concept a regime exempts."""

from __future__ import annotations

import pytest

from vptr.errors import BadRequest
from vptr.services import demo, regimes, whitelists

from .world import GENT, caller


def whitelist_body(**extra):
    return {"name": "Hulpdiensten", "zones": [demo.ZONE_KERN],
            "whitelistReason": "emergencyServices",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}, **extra}


def test_a_whitelist_names_its_area_manager_area_manager(runtime) -> None:
    created = whitelists.create(runtime, caller(GENT), whitelist_body())

    assert created["areaManager"] == demo.GENT
    assert "owner" not in created


def test_the_old_key_owner_is_refused_by_name_and_nothing_is_stored(runtime, count_rows) -> None:
    before = count_rows("whitelists")

    with pytest.raises(BadRequest) as refused:
        whitelists.create(runtime, caller(GENT), whitelist_body(owner=demo.GENT))

    assert [(e.field, e.reason) for e in refused.value.errors] == [
        ("owner", "renamed areaManager; send areaManager")]
    assert count_rows("whitelists") == before


def test_a_whitelist_reason_and_a_regime_exemption_are_one_user_class(runtime) -> None:
    listed = whitelists.create(runtime, caller(GENT), whitelist_body(whitelistReason="utilities"))
    regime = regimes.create(runtime, caller(GENT), {
        "name": "Toegang kern (nutsbedrijven vrij)", "rightKind": "access",
        "usage": "lowTrafficZoneAccess", "zones": [demo.ZONE_KERN],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
        "exemptUserClasses": ["utilities"]})

    assert listed["whitelistReason"] in regime["exemptUserClasses"]
