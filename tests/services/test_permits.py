"""Permits (vptr.services.permits): the area manager's alone to manage and read; another tenant's
permits are not found; every read and change is audited once per plate the permit holds, by
pseudonym; an invalid permit, even one invalid deep inside a vehicle, stores nothing."""

from __future__ import annotations

import pytest

from vptr.errors import Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, permits

from .world import GENT, PARKPLUS, SCANMOBIEL, assert_no_clear_plate, caller, pseudonym

PAGE = Page(1, 50)
RESIDENT = demo.ID + "permit/gent-bew-2026-004711"
VISITOR = demo.ID + "permit/gent-bez-2026-000318"


def permit_body(*plates: str, **extra):
    return {"permitType": "visitor", "holderReference": "gent-bewoner-svc",
            "vehicles": [{"licencePlate": {"plateNumber": p, "country": "BE"}} for p in plates],
            "zones": [demo.ZONE_KOUTER], "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00",
                               "endTime": "2027-01-01T00:00:00+01:00"}, **extra}


def test_the_area_manager_issues_a_permit_audited_once_per_plate(store, runtime, count_rows,
                                                                  audit_log):
    before = count_rows("permits"), count_rows("permit_vehicles")

    permit = permits.create(runtime, caller(GENT), permit_body("1PRM001", "1PRM002"))

    assert (count_rows("permits"), count_rows("permit_vehicles")) == (before[0] + 1,
                                                                      before[1] + 2)
    entries = audit_log()
    assert sorted((e.action, e.resource_id, e.plate_hash) for e in entries) == sorted(
        ("create", permit["id"], pseudonym(store, demo.GENT, plate))
        for plate in ("1PRM001", "1PRM002"))
    assert_no_clear_plate(entries, "1PRM00")


@pytest.mark.parametrize("principal", [PARKPLUS, SCANMOBIEL], ids=["provider", "enforcement"])
def test_nobody_but_the_area_manager_reads_or_issues_permits(runtime, count_rows, audit_log,
                                                             principal):
    before = count_rows("permits")
    with pytest.raises(Forbidden):
        permits.get(runtime, caller(principal), RESIDENT)
    with pytest.raises(Forbidden):
        permits.listing(runtime, caller(principal), permits.Filter(), PAGE)
    with pytest.raises(Forbidden):
        permits.create(runtime, caller(principal), permit_body("1PRM003"))
    assert count_rows("permits") == before
    assert audit_log() == []


def test_another_tenants_permits_are_not_found(runtime, antwerpen_tenant, count_rows,
                                                audit_log):
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(NotFound):
        permits.get(runtime, antwerpen, RESIDENT)
    with pytest.raises(NotFound):
        permits.delete(runtime, antwerpen, RESIDENT)
    plate = demo.PLATE_RESIDENT[1], demo.PLATE_RESIDENT[0]
    assert permits.listing(runtime, antwerpen, permits.Filter(plate=plate), PAGE) == ([], 0)
    assert count_rows("permits") == 2
    assert all(e.tenant_id != demo.GENT for e in audit_log())


def test_a_search_by_plate_is_audited_by_pseudonym(store, runtime, audit_log):
    country, plate = demo.PLATE_RESIDENT
    found, total = permits.listing(runtime, caller(GENT),
                                   permits.Filter(plate=(plate, country)), PAGE)
    assert total == 1 and found[0]["id"] == RESIDENT
    entries = audit_log()
    assert [(e.action, e.resource_id, e.plate_hash) for e in entries] == [
        ("search", RESIDENT, pseudonym(store, demo.GENT, plate))]
    assert_no_clear_plate(entries, plate)


def test_a_permit_invalid_deep_inside_a_vehicle_is_refused_naming_the_field(runtime,
                                                                          count_rows):
    before = count_rows("permits"), count_rows("permit_vehicles"), count_rows("audit_events")
    with pytest.raises(Invalid) as refused:
        permits.create(runtime, caller(GENT), permit_body("1prm004"))
    with pytest.raises(Invalid) as bad_status:
        permits.listing(runtime, caller(GENT), permits.Filter(status="lost"), PAGE)
    fields = {e.field or "" for e in refused.value.errors}
    assert any(f.startswith("vehicles") and f.endswith("licencePlate.plateNumber")
               for f in fields), fields
    assert [e.field for e in bad_status.value.errors] == ["status"]
    assert (count_rows("permits"), count_rows("permit_vehicles"),
            count_rows("audit_events")) == before


def test_deleting_a_permit_audits_each_plate_it_held(store, runtime, count_rows, audit_log):
    permits.delete(runtime, caller(GENT), VISITOR)
    assert count_rows("permits") == 1
    assert sorted((e.action, e.resource_id, e.plate_hash) for e in audit_log()) == sorted([
        ("delete", VISITOR, pseudonym(store, demo.GENT, "1GHI890")),
        ("delete", VISITOR, pseudonym(store, demo.GENT, "XY12ZZ", "NL"))])
