"""Linked regimes (F1.6, issue 13 item 3): a regime names the regimes it ``grants`` or ``excludes``
by their IRI across versions, so the link survives a new version of either. A right under a
granting regime also counts, in the check, where the granted regime is in force; a right cannot be
registered while the plate holds an overlapping right under a regime that excludes it (or that it
excludes). Links only ever reach within one tenant."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from support.builders import right_body

from vptr.errors import Conflict, Invalid
from vptr.services import pricing, regimes, rights, zones
from vptr.services.checking import Question, ask
from vptr.services.runtime import Runtime
from vptr.times import now

from .world import GENT, SCANMOBIEL, caller

SQUARES = {
    "a": "POLYGON ((3.60 51.10, 3.61 51.10, 3.61 51.11, 3.60 51.11, 3.60 51.10))",
    "b": "POLYGON ((3.62 51.10, 3.63 51.10, 3.63 51.11, 3.62 51.11, 3.62 51.10))",
    "c": "POLYGON ((3.64 51.10, 3.65 51.10, 3.65 51.11, 3.64 51.11, 3.64 51.10))",
}


def zone(runtime, name):
    return zones.create(runtime, caller(GENT), {
        "name": f"Zone {name}", "zoneKind": "paidParking",
        "geometry": {"asWKT": SQUARES[name]}})["id"]


def regime(runtime, zone_id, name, **links):
    return regimes.create(runtime, caller(GENT), {
        "name": name, "rightKind": "parking", "usage": "paidParking", "zones": [zone_id],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}, **links})


@pytest.fixture
def linked(runtime):
    """Zones a, b, c with a regime each: a grants b (named by b's version 1 IRI: stored as b's
    regime), c excludes a."""
    za, zb, zc = (zone(runtime, name) for name in "abc")
    rb = regime(runtime, zb, "Regime b")
    ra = regime(runtime, za, "Regime a", grants=[rb["id"]], tariff={
        "name": "Uur", "currency": "EUR",
        "tariffSteps": [{"startDuration": 0, "amount": "1.00", "stepSize": 60}]})
    rc = regime(runtime, zc, "Regime c", excludes=[ra["isVersionOf"]])
    return {"zones": (za, zb, zc), "regimes": (ra, rb, rc)}


def check(runtime, plate, zone_id):
    return ask(runtime, caller(SCANMOBIEL), Question(plate=plate, country="BE",
                                                     zones=(zone_id,))).result


def test_links_name_the_regime_across_versions(linked):
    ra, rb, rc = linked["regimes"]
    assert ra["grants"] == [rb["isVersionOf"]]
    assert rc["excludes"] == [ra["isVersionOf"]]


def test_a_right_under_a_granting_regime_counts_where_the_granted_regime_is_in_force(
        runtime, linked):
    za, zb, zc = linked["zones"]
    ra, _, _ = linked["regimes"]
    right = rights.register(runtime, caller(GENT), right_body(plate="1LNK001", zone=za)).document

    in_b = check(runtime, "1LNK001", zb)
    assert in_b.allowed
    assert [(g.kind, g.zone, g.id, g.reason, g.name) for g in in_b.grants] == [
        ("right", zb, right["id"], "linkedRegime", ra["isVersionOf"])]
    # Not the other way round, and not where no link leads.
    assert not check(runtime, "1LNK001", zc).allowed
    other = rights.register(runtime, caller(GENT), right_body(plate="1LNK002", zone=zb))
    assert other.created and not check(runtime, "1LNK002", za).allowed


def test_the_link_survives_a_new_version_of_the_granted_regime(runtime, linked):
    za, zb, _ = linked["zones"]
    _, rb, _ = linked["regimes"]
    regimes.new_version(runtime, caller(GENT), rb["isVersionOf"], {
        "name": "Regime b, duurder", "rightKind": "parking", "usage": "paidParking",
        "zones": [zb]})
    rights.register(runtime, caller(GENT), right_body(plate="1LNK003", zone=za))

    assert check(runtime, "1LNK003", zb).allowed


def test_a_revoked_or_past_right_under_the_granting_regime_does_not_count(runtime, linked):
    za, zb, _ = linked["zones"]
    right = rights.register(runtime, caller(GENT),
                            right_body(plate="1LNK004", zone=za)).document
    rights.revoke(runtime, caller(GENT), right["id"])
    rights.register(runtime, caller(GENT),
                    right_body(plate="1LNK005", zone=za, start=-120, end=-60))

    assert not check(runtime, "1LNK004", zb).allowed
    assert not check(runtime, "1LNK005", zb).allowed


def test_a_trial_price_names_where_the_right_would_also_count_and_what_it_excludes(
        runtime, linked):
    za = linked["zones"][0]
    rb = linked["regimes"][1]
    price = pricing.quote(runtime, caller(GENT), pricing.Question(
        zone=za, start=now(), duration=timedelta(hours=1))).price

    assert price.total == Decimal("1.00")  # a link changes no tariff
    assert (price.grants, price.excludes) == ((rb["isVersionOf"],), ())


def test_a_right_under_an_excluded_regime_is_refused_while_the_other_holds(
        runtime, count_rows, linked):
    za, _, zc = linked["zones"]
    ra, _, rc = linked["regimes"]
    rights.register(runtime, caller(GENT), right_body(plate="1LNK006", zone=za))
    before = count_rows("rights")

    with pytest.raises(Conflict) as refused:
        rights.register(runtime, caller(GENT), right_body(plate="1LNK006", zone=zc))
    assert [e.field for e in refused.value.errors] == ["zone"]
    assert ra["isVersionOf"] in refused.value.errors[0].reason
    assert count_rows("rights") == before
    # Exclusion is mutual: c's right first refuses a's.
    rights.register(runtime, caller(GENT), right_body(plate="1LNK007", zone=zc))
    with pytest.raises(Conflict):
        rights.register(runtime, caller(GENT), right_body(plate="1LNK007", zone=za,
                                                          regime=ra["isVersionOf"]))
    # A later, non-overlapping right and another plate are fine.
    assert rights.register(runtime, caller(GENT), right_body(
        plate="1LNK006", zone=zc, start=60, end=120)).created
    assert rights.register(runtime, caller(GENT), right_body(plate="1LNK008", zone=zc)).created
    assert rc["excludes"]


def test_racing_registrations_under_excluding_regimes_never_both_hold(store, linked):
    """Eight registrations of one plate at once, through their own runtimes (as through several
    instances), half in zone a and half in zone c, whose regimes exclude each other: whichever
    comes first, the stored rights are all in one of the two zones."""
    za, _, zc = linked["zones"]
    start = threading.Barrier(8)

    def register(index: int) -> str | None:
        runtime = Runtime(store)
        try:
            start.wait()
            zone_id = za if index % 2 else zc
            rights.register(runtime, caller(GENT), right_body(plate="1LNK009", zone=zone_id))
            return zone_id
        except Conflict:
            return None
        finally:
            runtime.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        stored = {zone_id for zone_id in pool.map(register, range(8)) if zone_id is not None}

    assert len(stored) == 1


def test_a_link_to_an_unknown_or_own_regime_is_refused_naming_the_item(runtime, count_rows,
                                                                       linked):
    za, _, _ = linked["zones"]
    ra, _, _ = linked["regimes"]
    before = count_rows("regime_versions")
    with pytest.raises(Invalid) as unknown:
        regime(runtime, za, "Regime d", grants=[ra["isVersionOf"], ra["isVersionOf"] + "-weg"])
    assert [e.field for e in unknown.value.errors] == ["grants[1]"]
    with pytest.raises(Invalid) as own:
        regimes.new_version(runtime, caller(GENT), ra["isVersionOf"], {
            "name": "Regime a", "rightKind": "parking", "usage": "paidParking", "zones": [za],
            "excludes": [ra["isVersionOf"] + "/1"]})
    assert [e.field for e in own.value.errors] == ["excludes[0]"]
    assert count_rows("regime_versions") == before


def test_another_tenants_regime_cannot_be_linked(runtime, antwerpen_tenant, linked):
    ra, _, _ = linked["regimes"]
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(Invalid) as refused:
        regimes.create(runtime, antwerpen, {
            "name": "Antwerpen", "rightKind": "parking", "usage": "paidParking",
            "zones": [antwerpen_tenant.zone], "grants": [ra["isVersionOf"]]})
    assert [e.field for e in refused.value.errors] == ["grants[0]"]
