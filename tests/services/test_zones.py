"""Zones (vptr.services.zones): an area manager creates, replaces and deletes its own; every caller
reads the zones of the tenants it may see (its own, or those that authorised it), and another
tenant's zone is not found; a refused or invalid zone stores nothing."""

from __future__ import annotations

import pytest

from vptr.errors import Conflict, Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, zones

from .world import GENT, METERS, PARKPLUS, SCANMOBIEL, caller

PAGE = Page(1, 50)
SQUARE = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"


def zone_body(**extra):
    return {"name": "Blauwe zone Sint-Pieters", "zoneKind": "blueZone",
            "geometry": {"asWKT": SQUARE}, **extra}


def test_the_area_manager_creates_a_zone_of_its_own(runtime, count_rows):
    before = count_rows("zones")

    created = zones.create(runtime, caller(GENT), zone_body())

    assert created["areaManager"] == demo.GENT
    assert count_rows("zones") == before + 1
    assert zones.get(runtime, caller(PARKPLUS), created["id"])["name"] == created["name"]


@pytest.mark.parametrize("principal", [PARKPLUS, SCANMOBIEL], ids=["provider", "enforcement"])
def test_only_an_area_manager_creates_zones(runtime, count_rows, principal):
    before = count_rows("zones")
    with pytest.raises(Forbidden):
        zones.create(runtime, caller(principal), zone_body())
    assert count_rows("zones") == before


def test_an_invalid_zone_is_refused_naming_the_field_and_nothing_is_stored(runtime, count_rows):
    before = count_rows("zones")
    with pytest.raises(Invalid) as refused:
        zones.create(runtime, caller(GENT), zone_body(zoneKind=None, capacity=-3))
    with pytest.raises(Invalid) as for_another:
        zones.create(runtime, caller(GENT), zone_body(areaManager=demo.PARKPLUS))
    assert {"zoneKind", "capacity"} <= {e.field for e in refused.value.errors}
    assert [e.field for e in for_another.value.errors] == ["areaManager"]
    assert count_rows("zones") == before


def test_another_tenants_zones_are_not_found_nor_listed(runtime, antwerpen_tenant):
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(NotFound):
        zones.get(runtime, antwerpen, demo.ZONE_ROOD)
    with pytest.raises(Forbidden):
        zones.replace(runtime, caller(METERS), demo.ZONE_ROOD, zone_body())
    with pytest.raises(NotFound):
        zones.replace(runtime, antwerpen, demo.ZONE_ROOD, zone_body())
    listed, total = zones.listing(runtime, antwerpen, zones.Filter(), PAGE)
    assert [z["id"] for z in listed] == [antwerpen_tenant.zone] and total == 1
    gent, _ = zones.listing(runtime, caller(METERS), zones.Filter(), PAGE)
    assert antwerpen_tenant.zone not in {z["id"] for z in gent}
    assert {demo.ZONE_ROOD, demo.ZONE_ZUID, demo.ZONE_KOUTER, demo.ZONE_KERN} <= {
        z["id"] for z in gent}


def test_zones_are_found_by_point_and_kind(runtime):
    at_kouter, _ = zones.listing(runtime, caller(SCANMOBIEL),
                                 zones.Filter(point=demo.POINT_KOUTER), PAGE)
    permit_zones, _ = zones.listing(runtime, caller(SCANMOBIEL),
                                    zones.Filter(kind="permitParking"), PAGE)
    assert {z["id"] for z in at_kouter} == {demo.ZONE_ROOD, demo.ZONE_KOUTER}
    assert [z["id"] for z in permit_zones] == [demo.ZONE_KOUTER]
    with pytest.raises(Invalid) as refused:
        zones.listing(runtime, caller(SCANMOBIEL), zones.Filter(kind="parkingGarage"), PAGE)
    assert [e.field for e in refused.value.errors] == ["kind"]


def test_a_zone_something_refers_to_is_not_deleted(runtime, count_rows):
    made = zones.create(runtime, caller(GENT), zone_body())
    before = count_rows("zones")
    with pytest.raises(Conflict):
        zones.delete(runtime, caller(GENT), demo.ZONE_ROOD)
    assert count_rows("zones") == before
    zones.delete(runtime, caller(GENT), made["id"])
    assert count_rows("zones") == before - 1
