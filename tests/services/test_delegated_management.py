"""Authorisation scopes for permits and whitelists (issue 13, item 4): an area manager authorises a
permit portal with ``managePermits`` or a whitelist supplier with ``manageWhitelists``, for all or
some of its zones. Each manages just that, within those zones: the permit portal no whitelists
and no rights, the whitelist supplier no permits and no rights; another tenant's things are not
found. On both stores (the ``store`` fixture runs each test on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from support.builders import right_body

from vptr.auth.principal import Principal
from vptr.errors import Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, organisations, permits, rights, whitelists
from vptr.services.checking import Question, ask

from .world import GENT, caller

PAGE = Page(1, 50)


def permit_body(plate: str, zone: str = demo.ZONE_KOUTER, **extra):
    return {"permitType": "resident", "holderReference": "portaal-houder-1",
            "vehicles": [{"licencePlate": {"plateNumber": plate, "country": "BE"}}],
            "zones": [zone], "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}, **extra}


def whitelist_body(plate: str, zone: str = demo.ZONE_KERN):
    return {"name": "Deelwagens portaal", "zones": [zone], "whitelistReason": "carSharing",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
            "entries": [{"vehicle": {"licencePlate": {"plateNumber": plate, "country": "BE"}}}]}


def delegate(runtime, name: str, scopes: list[str], zones: list[str] | None = None
             ) -> Principal:
    """A provider Gent registers and authorises with ``scopes``."""
    organisation = organisations.create(runtime, caller(GENT),
                                        {"name": name, "roles": ["provider"]})
    organisations.create_authorisation(runtime, caller(GENT), {
        "grantee": organisation["id"], "scopes": scopes,
        **({"zones": zones} if zones else {})})
    return Principal(organisation["id"], name, frozenset({"provider"}))


@pytest.fixture
def portal(runtime):
    return caller(delegate(runtime, "Vergunningenportaal NV", ["managePermits"]))


@pytest.fixture
def supplier(runtime):
    return caller(delegate(runtime, "Witte Lijsten BV", ["manageWhitelists"]))


def test_a_permit_portal_manages_permits_of_the_tenant_that_authorised_it(runtime, portal,
                                                                          audit_log):
    permit = permits.create(runtime, portal, permit_body("1DLG001"))
    assert permit["areaManager"] == demo.GENT

    assert permits.get(runtime, portal, permit["id"])["id"] == permit["id"]
    found, _ = permits.listing(runtime, portal, permits.Filter(plate=("1DLG001", "BE")), PAGE)
    assert [p["id"] for p in found] == [permit["id"]]
    changed = permits.replace(runtime, portal, permit["id"],
                              {**permit, "permitStatus": "suspended"})
    assert changed["permitStatus"] == "suspended"
    # Gent sees it as its own, and every access is audited under the portal.
    assert permits.get(runtime, caller(GENT), permit["id"])["permitStatus"] == "suspended"
    assert {e.organisation_id for e in audit_log() if e.resource_id == permit["id"]} >= {
        portal.principal.organisation}
    permits.delete(runtime, portal, permit["id"])


def test_a_permit_portal_manages_no_whitelists_and_no_rights(runtime, portal, count_rows):
    before = count_rows("whitelists"), count_rows("rights")
    with pytest.raises(Forbidden):
        whitelists.create(runtime, portal, whitelist_body("1DLG002"))
    with pytest.raises(Forbidden):
        whitelists.listing(runtime, portal, PAGE)
    with pytest.raises(Forbidden):
        whitelists.get(runtime, portal, demo.ID + "whitelist/gent-hulpdiensten")
    with pytest.raises(Forbidden):
        rights.register(runtime, portal, right_body(plate="1DLG002"))
    with pytest.raises(Forbidden):
        ask(runtime, portal, Question(plate="1ABC123", country="BE", zones=(demo.ZONE_ROOD,)))
    assert (count_rows("whitelists"), count_rows("rights")) == before


def test_a_whitelist_supplier_manages_whitelists_and_their_entries_only(runtime, supplier,
                                                                        count_rows):
    listed = whitelists.create(runtime, supplier, whitelist_body("1DLG003"))
    entries, _ = whitelists.list_entries(runtime, supplier, listed["id"], PAGE)
    added = whitelists.add_entries(runtime, supplier, listed["id"], [
        {"vehicle": {"licencePlate": {"plateNumber": "1DLG004", "country": "BE"}}}])
    assert len(entries) == 1 and len(added) == 1
    mine, _ = whitelists.listing(runtime, supplier, PAGE)
    assert listed["id"] in {w["id"] for w in mine}

    before = count_rows("permits")
    with pytest.raises(Forbidden):
        permits.create(runtime, supplier, permit_body("1DLG005"))
    with pytest.raises(Forbidden):
        permits.listing(runtime, supplier, permits.Filter(), PAGE)
    with pytest.raises(Forbidden):
        rights.register(runtime, supplier, right_body(plate="1DLG005"))
    assert count_rows("permits") == before
    whitelists.delete(runtime, supplier, listed["id"])


def test_an_authorisation_for_some_zones_covers_only_things_wholly_within_them(runtime,
                                                                               count_rows):
    kouter_only = caller(delegate(runtime, "Portaal Kouter", ["managePermits"],
                                  [demo.ZONE_KOUTER]))
    inside = permits.create(runtime, kouter_only, permit_body("1DLG006"))
    outside = permits.create(runtime, caller(GENT), permit_body("1DLG007", demo.ZONE_KERN))
    before = count_rows("permits")

    with pytest.raises(Forbidden):
        permits.create(runtime, kouter_only, permit_body("1DLG008", demo.ZONE_KERN))
    with pytest.raises(Forbidden):
        permits.get(runtime, kouter_only, outside["id"])
    with pytest.raises(Forbidden):  # moving a permit it manages out of its zones
        permits.replace(runtime, kouter_only, inside["id"],
                        {**inside, "zones": [demo.ZONE_KOUTER, demo.ZONE_KERN]})
    listed, _ = permits.listing(runtime, kouter_only, permits.Filter(), PAGE)
    assert inside["id"] in {p["id"] for p in listed}
    assert outside["id"] not in {p["id"] for p in listed}
    assert count_rows("permits") == before


def test_another_tenants_permits_and_whitelists_stay_unseen(runtime, portal, supplier,
                                                             antwerpen_tenant, count_rows):
    antwerpen = caller(antwerpen_tenant.principal)
    theirs = permits.create(runtime, antwerpen, permit_body("1DLG009", antwerpen_tenant.zone))
    their_list = whitelists.create(runtime, antwerpen,
                                   whitelist_body("1DLG010", antwerpen_tenant.zone))

    with pytest.raises(NotFound):
        permits.get(runtime, portal, theirs["id"])
    with pytest.raises(NotFound):
        whitelists.list_entries(runtime, supplier, their_list["id"], PAGE)
    before = count_rows("permits")
    with pytest.raises(Invalid) as refused:
        permits.create(runtime, portal, permit_body("1DLG011", antwerpen_tenant.zone))
    assert [e.field for e in refused.value.errors] == ["zones[0]"]
    assert count_rows("permits") == before
    listed, _ = permits.listing(runtime, portal, permits.Filter(), PAGE)
    assert theirs["id"] not in {p["id"] for p in listed}


def test_withdrawing_the_authorisation_ends_the_delegation(runtime):
    principal = delegate(runtime, "Tijdelijk Portaal", ["managePermits"])
    permit = permits.create(runtime, caller(principal), permit_body("1DLG012"))
    given, _ = organisations.list_authorisations(runtime, caller(GENT), PAGE)
    authorisation = next(a for a in given if a["grantee"] == principal.organisation)
    organisations.delete_authorisation(runtime, caller(GENT), authorisation["id"])

    with pytest.raises(Forbidden):
        permits.get(runtime, caller(principal), permit["id"])
