"""Whitelists (vptr.services.whitelists): managed by the area manager alone; entries are stored one
by one and every change or read of them is audited by the plate's pseudonym; another tenant's
whitelists are not found; an invalid entry stores nothing."""

from __future__ import annotations

import pytest

from vptr.errors import Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, whitelists

from .world import GENT, PARKPLUS, SCANMOBIEL, assert_no_clear_plate, caller, pseudonym

PAGE = Page(1, 50)
HULPDIENSTEN = demo.ID + "whitelist/gent-hulpdiensten"


def entry(plate: str, **extra):
    return {"vehicle": {"licencePlate": {"plateNumber": plate, "country": "BE"}}, **extra}


def whitelist_body(*plates: str):
    return {"name": "Deelwagens", "zones": [demo.ZONE_KERN], "whitelistReason": "carSharing",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
            "entries": [entry(p) for p in plates]}


def test_a_whitelist_is_stored_with_its_entries_each_audited(store, runtime, count_rows,
                                                              audit_log):
    before = count_rows("whitelists"), count_rows("whitelist_entries")

    created = whitelists.create(runtime, caller(GENT), whitelist_body("1CAR001", "1CAR002"))

    assert (count_rows("whitelists"), count_rows("whitelist_entries")) == (before[0] + 1,
                                                                          before[1] + 2)
    entries = audit_log()
    assert sorted((e.action, e.resource_kind, e.plate_hash) for e in entries) == sorted(
        ("create", "whitelist-entry", pseudonym(store, demo.GENT, p))
        for p in ("1CAR001", "1CAR002"))
    assert_no_clear_plate(entries, "1CAR00")
    assert "entries" not in whitelists.get(runtime, caller(GENT), created["id"])


def test_entries_found_by_plate_are_audited_as_a_search(store, runtime, audit_log):
    country, plate = demo.PLATE_WHITELISTED
    found, total = whitelists.list_entries(runtime, caller(GENT), HULPDIENSTEN, PAGE,
                                           plate=(plate, country))
    assert total == 1 and found[0]["vehicle"]["licencePlate"]["plateNumber"] == plate
    assert [(e.action, e.resource_id, e.plate_hash) for e in audit_log()] == [
        ("search", found[0]["id"], pseudonym(store, demo.GENT, plate))]


@pytest.mark.parametrize("principal", [PARKPLUS, SCANMOBIEL], ids=["provider", "enforcement"])
def test_only_the_area_manager_manages_whitelists(runtime, count_rows, principal):
    before = count_rows("whitelist_entries")
    with pytest.raises(Forbidden):
        whitelists.add_entries(runtime, caller(principal), HULPDIENSTEN, [entry("1CAR003")])
    with pytest.raises(Forbidden):
        whitelists.listing(runtime, caller(principal), PAGE)
    assert count_rows("whitelist_entries") == before


def test_another_tenants_whitelists_are_not_found(runtime, antwerpen_tenant, count_rows):
    antwerpen = caller(antwerpen_tenant.principal)
    before = count_rows("whitelist_entries")
    with pytest.raises(NotFound):
        whitelists.get(runtime, antwerpen, HULPDIENSTEN)
    with pytest.raises(NotFound):
        whitelists.list_entries(runtime, antwerpen, HULPDIENSTEN, PAGE)
    with pytest.raises(NotFound):
        whitelists.add_entries(runtime, antwerpen, HULPDIENSTEN, [entry("1CAR004")])
    assert whitelists.listing(runtime, antwerpen, PAGE) == ([], 0)
    assert count_rows("whitelist_entries") == before


def test_an_entry_invalid_deep_inside_its_vehicle_stores_nothing(runtime, count_rows, audit_log):
    before = count_rows("whitelist_entries")
    with pytest.raises(Invalid) as refused:
        whitelists.add_entries(runtime, caller(GENT), HULPDIENSTEN,
                               [entry("1CAR005"), entry("1car006")])
    with pytest.raises(Invalid) as bad_reason:
        whitelists.listing(runtime, caller(GENT), PAGE, reason="friends")
    assert any((e.field or "").endswith("vehicle.licencePlate.plateNumber")
               for e in refused.value.errors), refused.value.errors
    assert [e.field for e in bad_reason.value.errors] == ["reason"]
    assert count_rows("whitelist_entries") == before  # not even the valid first entry
    assert audit_log() == []


def test_deleting_a_whitelist_deletes_and_audits_its_entries(runtime, count_rows, audit_log):
    whitelists.delete(runtime, caller(GENT), HULPDIENSTEN)
    assert count_rows("whitelist_entries") == 0
    assert sorted(e.action for e in audit_log()) == ["delete"] * 3
