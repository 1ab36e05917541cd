"""A right's kind fits its usage, its zone and its regime; a regime's kind fits its usage and its
zones (issue 13). The profile says what the payload and the stored zone or regime it names can
show (shapes/right-kinds.ttl); the register adds what only stored data shows: a right that names
no regime must be of a kind and usage a regime in force in its zone governs. Every refusal names
the field and stores nothing, on each backend."""

from __future__ import annotations

import pytest
from support.builders import right_body

from vptr.errors import Invalid
from vptr.services import demo, regimes, rights

from .world import GENT, PARKPLUS, caller

ROOD_REGIME = demo.ID + "regime/gent-rood-betalend"


def access_right(**extra):
    body = right_body(plate="1KRN001", zone=demo.ZONE_KERN, rightKind="access",
                      usage="lowTrafficZoneAccess", channel="other")
    body.pop("amountPaid")
    body.update(extra)
    return body


def refused_field(error: Invalid) -> list[str | None]:
    return [f.field for f in error.errors]


def test_an_access_right_to_the_low_traffic_zone_is_registered(runtime) -> None:
    registered = rights.register(runtime, caller(PARKPLUS), access_right())

    assert registered.document["rightKind"] == "access"


@pytest.mark.parametrize(("body", "field"), [
    # the payload alone: an access right for paid parking
    (access_right(usage="paidParking"), "usage"),
    # with the stored zone: an access right in a paid parking zone
    (right_body(plate="1KRN002", rightKind="access", usage="lowTrafficZoneAccess"), "rightKind"),
    # with the stored regime: the red zone's regime named for a right in zone Zuid
    (right_body(plate="1KRN003", zone=demo.ZONE_ZUID, regime=ROOD_REGIME), "zone"),
    # with the stored regime: a usage the regime does not govern
    (right_body(plate="1KRN004", regime=ROOD_REGIME, usage="permitParking"), "usage"),
    # the register, no regime named: zone Zuid's regimes govern paid parking only
    (right_body(plate="1KRN005", zone=demo.ZONE_ZUID, usage="garageParking"), "usage"),
    # the register, no regime named: the low-traffic zone's regime governs access only
    (right_body(plate="1KRN006", zone=demo.ZONE_KERN), "rightKind"),
], ids=["usage-of-another-kind", "access-in-paid-zone", "zone-outside-regime",
        "usage-not-the-regimes", "usage-no-regime-in-zone-governs", "kind-no-regime-governs"])
def test_a_right_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_stored(
        runtime, count_rows, body, field) -> None:
    before = count_rows("rights")

    with pytest.raises(Invalid) as refused:
        rights.register(runtime, caller(PARKPLUS), body)

    assert field in refused_field(refused.value)
    assert count_rows("rights") == before


def test_a_right_in_a_zone_without_a_regime_in_force_takes_any_kind(runtime, count_rows) -> None:
    body = right_body(plate="1KRN007", start=-60 * 24 * 365 * 3, end=-60 * 24 * 365 * 3 + 30)

    registered = rights.register(runtime, caller(PARKPLUS), body)  # before any regime of Gent

    assert registered.created


def regime_body(**extra):
    return {"name": "Toegang kern", "rightKind": "access", "usage": "lowTrafficZoneAccess",
            "zones": [demo.ZONE_KERN],
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}, **extra}


def test_a_regime_of_the_kind_of_its_zones_is_created(runtime) -> None:
    created = regimes.create(runtime, caller(GENT), regime_body())

    assert created["version"] == 1


@pytest.mark.parametrize(("extra", "field"), [
    ({"usage": "paidParking"}, "usage"),
    ({"rightKind": "parking", "usage": "paidParking"}, "rightKind"),
    ({"zones": [demo.ZONE_KERN, demo.ZONE_ROOD]}, "rightKind"),
], ids=["usage-of-another-kind", "parking-in-low-traffic-zone", "access-also-in-paid-zone"])
def test_a_regime_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_stored(
        runtime, count_rows, extra, field) -> None:
    before = count_rows("regime_versions")

    with pytest.raises(Invalid) as refused:
        regimes.create(runtime, caller(GENT), regime_body(**extra))

    assert field in refused_field(refused.value)
    assert count_rows("regime_versions") == before


def test_a_new_version_moved_to_a_zone_of_another_kind_is_refused(runtime, count_rows) -> None:
    before = count_rows("regime_versions")

    with pytest.raises(Invalid) as refused:
        regimes.new_version(runtime, caller(GENT), ROOD_REGIME, {
            "name": "Betalend parkeren", "rightKind": "parking", "usage": "paidParking",
            "zones": [demo.ZONE_KERN],
            "validityPeriod": {"startTime": "2030-01-01T00:00:00+01:00"}})

    assert refused_field(refused.value) == ["rightKind"]
    assert count_rows("regime_versions") == before
