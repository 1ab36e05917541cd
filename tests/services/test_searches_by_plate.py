"""Every use case that looks something up by plate (a rights search, the permits listing, a
whitelist's entries, the audit log) takes the plate and country as the caller typed them and puts
them in normal form itself (vptr.services.plate_queries): ``1.abc.123`` in ``be`` is the demo's
1ABC123 in BE, whichever channel asks. A country outside ISO 3166-1 alpha-2, or a plate that is no
plate, is refused naming that field, and the refusal never repeats the plate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vptr.errors import Invalid
from vptr.paging import Page
from vptr.services import administration, demo, permits, rights, whitelists

from .world import GENT, SCANMOBIEL, caller

PAGE = Page(1, 50)
HULPDIENSTEN = demo.ID + "whitelist/gent-hulpdiensten"
RESIDENT = demo.ID + "permit/gent-bew-2026-004711"


def as_typed(plate: str) -> str:
    """The plate as a person might type it: lower case, with dots between its parts."""
    return ".".join([plate[0], plate[1:4], plate[4:]]).lower()


def test_a_rights_search_finds_the_right_of_a_plate_typed_with_dots_and_in_lower_case(runtime):
    country, plate = demo.PLATE_APP_RIGHT
    typed, _ = rights.search(runtime, caller(SCANMOBIEL),
                             rights.Search(plate=as_typed(plate), country=country.lower()), PAGE)
    exact, total = rights.search(runtime, caller(SCANMOBIEL),
                                 rights.Search(plate=plate, country=country), PAGE)
    assert as_typed(plate) == "1.abc.123"
    assert total == 1 and [d["id"] for d in typed] == [d["id"] for d in exact]
    assert typed[0]["vehicle"]["licencePlate"]["plateNumber"] == plate


def test_the_permits_listing_and_a_whitelists_entries_normalise_the_plate_too(runtime):
    country, plate = demo.PLATE_RESIDENT
    found, _ = permits.listing(runtime, caller(GENT),
                               permits.Filter(plate=(as_typed(plate), country.lower())), PAGE)
    assert [d["id"] for d in found] == [RESIDENT]
    country, plate = demo.PLATE_WHITELISTED
    entries, total = whitelists.list_entries(runtime, caller(GENT), HULPDIENSTEN, PAGE,
                                             plate=(f" {plate.lower()} ", country.lower()))
    assert total == 1 and entries[0]["vehicle"]["licencePlate"]["plateNumber"] == plate


def test_the_audit_log_finds_a_plate_typed_as_a_person_types_it(runtime):
    country, plate = demo.PLATE_APP_RIGHT
    now = datetime.now(UTC)
    rights.search(runtime, caller(SCANMOBIEL), rights.Search(plate=plate, country=country), PAGE)
    entries, total = administration.audit_entries(
        runtime, caller(GENT), now - timedelta(hours=1), now + timedelta(hours=1), PAGE,
        plate=(as_typed(plate), country.lower()))
    assert total >= 1 and "search" in {e.action for e in entries}


def _refusal(runtime, name: str, plate: str, country: str) -> Invalid:
    asks = {
        "rights.search": lambda: rights.search(
            runtime, caller(GENT), rights.Search(plate=plate, country=country), PAGE),
        "permits.listing": lambda: permits.listing(
            runtime, caller(GENT), permits.Filter(plate=(plate, country)), PAGE),
        "whitelists.list_entries": lambda: whitelists.list_entries(
            runtime, caller(GENT), HULPDIENSTEN, PAGE, plate=(plate, country)),
        "administration.audit_entries": lambda: administration.audit_entries(
            runtime, caller(GENT), datetime.now(UTC) - timedelta(hours=1),
            datetime.now(UTC), PAGE, plate=(plate, country)),
    }
    with pytest.raises(Invalid) as refused:
        asks[name]()
    return refused.value


USE_CASES = ["rights.search", "permits.listing", "whitelists.list_entries",
             "administration.audit_entries"]


@pytest.mark.parametrize("use_case", USE_CASES)
def test_a_country_outside_iso_3166_is_refused_naming_country(runtime, audit_log, use_case):
    refused = _refusal(runtime, use_case, "1ABC123", "ZZ")
    assert [e.field for e in refused.errors] == ["country"]
    assert "ISO 3166-1" in refused.errors[0].reason
    assert audit_log() == []


@pytest.mark.parametrize("use_case", USE_CASES)
def test_a_plate_that_is_no_plate_is_refused_naming_plate_without_repeating_it(
        runtime, audit_log, use_case):
    refused = _refusal(runtime, use_case, "1ABC123%SECRET", "BE")
    assert [e.field for e in refused.errors] == ["plate"]
    assert "SECRET" not in refused.detail
    assert audit_log() == []


def test_a_rights_search_needs_the_country_with_the_plate_and_the_plate_with_the_country(
        runtime):
    with pytest.raises(Invalid) as no_country:
        rights.search(runtime, caller(GENT), rights.Search(plate="1ABC123"), PAGE)
    with pytest.raises(Invalid) as no_plate:
        rights.search(runtime, caller(GENT), rights.Search(country="BE"), PAGE)
    assert [e.field for e in no_country.value.errors] == ["country"]
    assert [e.field for e in no_plate.value.errors] == ["plate"]
