"""One name and one concept each (issue 13): a whitelist names its area manager ``areaManager``,
as zones, regimes and permits do. A client still sending the old key ``owner`` is read as
``areaManager`` until version 2.0 of the standard (issue 12: a key a client sends stays accepted
for a documented period, docs/reuse.md), and nothing stored says ``owner``; one that sends both
with different values is refused naming ``owner``. A whitelist's reason is a user class, the same
concept a regime exempts."""

from __future__ import annotations

import pytest

from vptr.errors import BadRequest, Invalid
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


def test_the_old_key_owner_is_read_as_area_manager_until_2_0(runtime) -> None:
    created = whitelists.create(runtime, caller(GENT), whitelist_body(owner=demo.GENT))

    assert created["areaManager"] == demo.GENT
    assert "owner" not in created
    stored = whitelists.get(runtime, caller(GENT), created["id"])
    assert stored["areaManager"] == demo.GENT and "owner" not in stored


def test_owner_and_area_manager_with_the_same_value_are_one_key(runtime) -> None:
    created = whitelists.create(runtime, caller(GENT),
                                whitelist_body(owner=demo.GENT, areaManager=demo.GENT))

    assert created["areaManager"] == demo.GENT and "owner" not in created


def test_owner_and_area_manager_that_differ_are_refused_naming_owner(runtime, count_rows) -> None:
    before = count_rows("whitelists")

    with pytest.raises(BadRequest) as refused:
        whitelists.create(runtime, caller(GENT),
                          whitelist_body(owner=demo.PARKPLUS, areaManager=demo.GENT))

    assert [e.field for e in refused.value.errors] == ["owner"]
    assert "send areaManager only" in refused.value.errors[0].reason
    assert count_rows("whitelists") == before


def test_an_old_key_with_a_wrong_value_is_refused_as_the_new_key_would_be(runtime,
                                                                           count_rows) -> None:
    before = count_rows("whitelists")

    with pytest.raises(Invalid) as refused:
        whitelists.create(runtime, caller(GENT), whitelist_body(owner=demo.PARKPLUS))

    assert [e.field for e in refused.value.errors] == ["areaManager"]
    assert count_rows("whitelists") == before


def test_a_whitelist_reason_and_a_regime_exemption_are_one_user_class(runtime) -> None:
    listed = whitelists.create(runtime, caller(GENT), whitelist_body(whitelistReason="utilities"))
    regime = regimes.create(runtime, caller(GENT), {
        "name": "Toegang kern (nutsbedrijven vrij)", "rightKind": "access",
        "usage": "lowTrafficZoneAccess", "zones": [demo.ZONE_KERN],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
        "exemptUserClasses": ["utilities"]})

    assert listed["whitelistReason"] in regime["exemptUserClasses"]
