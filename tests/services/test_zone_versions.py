"""Zones in versions (issue 13, item 1): a change to a zone never overwrites its outline; it
adds the next version, in force from the change, and closes the one before there. A check or a
zone search at a past moment uses the outline in force then (NF6.9); the history is readable,
each version under its own IRI with the period it was in force."""

from __future__ import annotations

from datetime import timedelta

import pytest

from vptr.errors import Conflict, Invalid, NotFound
from vptr.paging import Page
from vptr.services import zones
from vptr.services.checking import Question, ask
from vptr.times import now, parse_instant

from .world import GENT, PARKPLUS, caller

PAGE = Page(1, 50)
OLD = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"
NEW = "POLYGON ((3.72 51.00, 3.73 51.00, 3.73 51.01, 3.72 51.01, 3.72 51.00))"
IN_OLD = (3.705, 51.005)
IN_NEW = (3.725, 51.005)


def zone_body(outline: str = OLD, **extra):
    return {"name": "Blauwe zone Sint-Pieters", "zoneKind": "blueZone",
            "geometry": {"asWKT": outline}, **extra}


@pytest.fixture
def moved(runtime):
    """A zone created with the old outline, then moved to the new one; and a moment between."""
    created = zones.create(runtime, caller(GENT), zone_body())
    before = now()
    changed = zones.replace(runtime, caller(GENT), created["id"], zone_body(NEW))
    return created, before, changed


def at_point(runtime, point, moment):
    answer = ask(runtime, caller(GENT), Question(plate="1ABC123", country="BE", lon=point[0],
                                                 lat=point[1], at=moment))
    return {z.id for z in answer.result.zones}


def test_a_new_zone_is_version_1_with_its_whole_validity(runtime):
    created = zones.create(runtime, caller(GENT), zone_body())

    assert created["version"] == 1
    history, total = zones.versions(runtime, caller(GENT), created["id"], PAGE)
    assert total == 1
    assert history[0]["id"] == created["id"] + "/1"
    assert history[0]["isVersionOf"] == created["id"]
    assert "validityPeriod" not in history[0]  # the zone has none: always in force


def test_a_change_makes_the_next_version_and_keeps_the_iri(runtime, moved):
    created, _, changed = moved

    assert changed["id"] == created["id"] and changed["version"] == 2
    assert zones.get(runtime, caller(PARKPLUS), created["id"])["geometry"]["asWKT"] == NEW
    one = zones.get_version(runtime, caller(GENT), created["id"], 1)
    two = zones.get_version(runtime, caller(GENT), created["id"], 2)
    assert one["geometry"]["asWKT"] == OLD and one["version"] == 1
    assert two["geometry"]["asWKT"] == NEW
    # Version 1 ends exactly where version 2 starts.
    assert one["validityPeriod"]["endTime"] == two["validityPeriod"]["startTime"]


def test_a_check_in_the_past_uses_the_outline_in_force_then(runtime, moved):
    created, before, _ = moved

    assert created["id"] in at_point(runtime, IN_OLD, before)
    assert created["id"] not in at_point(runtime, IN_NEW, before)
    assert created["id"] not in at_point(runtime, IN_OLD, now())
    assert created["id"] in at_point(runtime, IN_NEW, now())


def test_a_zone_search_at_a_past_moment_uses_the_outline_in_force_then(runtime, moved):
    created, before, _ = moved

    def found(point, moment):
        documents, _ = zones.listing(runtime, caller(GENT), zones.Filter(point=point, at=moment),
                                     PAGE)
        return {d["id"] for d in documents}

    assert created["id"] in found(IN_OLD, before)
    assert created["id"] not in found(IN_OLD, now() + timedelta(seconds=1))
    assert created["id"] in found(IN_NEW, now() + timedelta(seconds=1))


def test_the_zones_own_validity_bounds_every_version(runtime):
    start = "2026-01-01T00:00:00Z"
    created = zones.create(runtime, caller(GENT),
                           zone_body(validityPeriod={"startTime": start}))
    zones.replace(runtime, caller(GENT), created["id"],
                  zone_body(NEW, validityPeriod={"startTime": start}))
    one = zones.get_version(runtime, caller(GENT), created["id"], 1)
    assert one["validityPeriod"]["startTime"] == start
    assert parse_instant(one["validityPeriod"]["endTime"], "t") > parse_instant(start, "t")


def test_a_conditional_change_on_a_stale_version_is_refused_and_changes_nothing(runtime, moved):
    created, _, _ = moved

    with pytest.raises(Conflict) as refused:
        zones.replace(runtime, caller(GENT), created["id"], zone_body(OLD, version=1))
    assert [e.field for e in refused.value.errors] == ["version"]
    _, total = zones.versions(runtime, caller(GENT), created["id"], PAGE)
    assert total == 2
    # The version read is accepted: a client sends back what it read.
    again = zones.replace(runtime, caller(GENT), created["id"], zone_body(OLD, version=2))
    assert again["version"] == 3


def test_a_version_of_another_zone_or_an_invalid_one_is_refused(runtime, moved):
    created, _, _ = moved

    with pytest.raises(Invalid) as other:
        zones.replace(runtime, caller(GENT), created["id"],
                      zone_body(isVersionOf=created["id"] + "-x"))
    assert [e.field for e in other.value.errors] == ["isVersionOf"]
    with pytest.raises(Invalid) as zero:
        zones.replace(runtime, caller(GENT), created["id"], zone_body(version=0))
    assert "version" in {e.field for e in zero.value.errors}
    with pytest.raises(NotFound):
        zones.get_version(runtime, caller(GENT), created["id"], 9)


def test_another_tenants_zone_history_is_not_found(runtime, antwerpen_tenant, moved):
    created, _, _ = moved
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(NotFound):
        zones.versions(runtime, antwerpen, created["id"], PAGE)
    with pytest.raises(NotFound):
        zones.get_version(runtime, antwerpen, created["id"], 1)


def test_deleting_a_zone_deletes_its_history(runtime, count_rows, moved):
    created, _, _ = moved
    before = count_rows("zone_versions")
    zones.delete(runtime, caller(GENT), created["id"])
    assert count_rows("zone_versions") == before - 2
