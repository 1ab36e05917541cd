"""Round trips over every registered mapping (property-based), and the real mappings on examples.

The property tests are parametrised over the registry: a mapping file added by the APDS or NPR
gateway is round-tripped here without new test code (vptr.mapping.testing derives its data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vptr.mapping import TranslationError, registry, translator
from vptr.mapping.converters import CONVERTERS, Conversion, Converter, Target
from vptr.mapping.registry import build
from vptr.mapping.testing import (
    assert_message_round_trip,
    assert_native_round_trip,
    messages,
    native_documents,
    round_trip_rules,
)
from vptr.standard.datamodel import Organisation, Zone
from vptr.validation.model_index import model_index

KEYS = sorted(registry())


@pytest.mark.parametrize("key", KEYS, ids=[f"{s}:{m}" for s, m in KEYS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_native_to_message_to_native_keeps_every_mapped_slot(key: tuple[str, str],
                                                             data: st.DataObject) -> None:
    t = registry()[key]
    assert_native_round_trip(t, data.draw(native_documents(t)))


@pytest.mark.parametrize("key", KEYS, ids=[f"{s}:{m}" for s, m in KEYS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_message_to_native_to_message_keeps_every_mapped_field(key: tuple[str, str],
                                                               data: st.DataObject) -> None:
    t = registry()[key]
    assert_message_round_trip(t, data.draw(messages(t)))


def test_every_mapping_has_rules_that_round_trip() -> None:
    for t in registry().values():
        assert round_trip_rules(t), f"{t!r} has no rule in both directions"


# ------------------------------------------------------------------ the harness can fail
def _lossy(params: Any, target: Target) -> Conversion:
    return Conversion(to_native=lambda v: v, to_message=lambda v: v.upper())


def test_the_harness_catches_a_lossy_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(CONVERTERS, "lossy", Converter("lossy", "", frozenset(), frozenset(),
                                                       _lossy))
    t = build({"standard": "x", "message": "M", "native": "Organisation", "fields": [
        {"message": "Name", "native": "name", "convert": "lossy"}]}, Path("lossy.yaml"),
        model_index())
    from vptr.mapping import testing
    monkeypatch.setitem(testing.CONVERTER_STRATEGIES, "lossy",
                        lambda rule, slot, index: st.just("Gent"))
    with pytest.raises(AssertionError, match=r"fields\[0\] \(Name\): 'Gent' became 'GENT'"):
        assert_native_round_trip(t, {"name": "Gent"})
    with pytest.raises(AssertionError):
        assert_message_round_trip(t, {"Name": "Gent"})


def test_the_harness_catches_a_rule_that_only_runs_one_way() -> None:
    t = build({"standard": "x", "message": "M", "native": "Organisation", "fields": [
        {"message": "Name", "native": "name"},
        {"message": "Url", "native": "homepage", "direction": "in"}]}, Path("oneway.yaml"),
        model_index())
    assert_native_round_trip(t, {"name": "Gent", "homepage": "https://stad.gent"})
    # a 'both' rule whose way out is broken: the harness names it
    broken = build({"standard": "x", "message": "M", "native": "Organisation", "fields": [
        {"message": "Name", "native": "name"},
        {"message": "Name2", "native": "name", "direction": "in"}]}, Path("b.yaml"),
        model_index())
    with pytest.raises(AssertionError, match=r"fields\[0\] \(Name\)"):
        assert_message_round_trip(broken, {"Name": "Gent", "Name2": "Genk"})


LISTS = {"standard": "x", "message": "AssignedRight", "native": "Permit", "fields": [
    {"message": "rightHolder.credentials[].identifier.id",
     "native": "vehicles[].licencePlate.plateNumber"},
    {"message": "rightHolder.credentials[].identifier.className",
     "native": "vehicles[].licencePlate.country"},
    {"message": "hierarchyElements[].id", "native": "zones[]", "convert": "iri",
     "with": {"base": "https://data.parkeerregister.vlaanderen.be/id/zone/"}}]}


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_harness_round_trips_lists_element_by_element(data: st.DataObject) -> None:
    t = build(LISTS, Path("lists.yaml"), model_index())
    assert_native_round_trip(t, data.draw(native_documents(t)))
    assert_message_round_trip(t, data.draw(messages(t)))


# ------------------------------------------------------------------ the real mappings
PLACE: dict[str, Any] = {
    # an APDS v4 Place as the UK platform's profile writes one (apds4.yaml field names)
    "id": "5b1f0d7e-8f0c-4a7e-9d43-7c1e8f7a2c10",
    "version": 3,
    "type": "place",
    "name": [{"language": "en", "string": "City centre"},
             {"language": "nl", "string": "Centrum"}],
    "description": [{"language": "nl", "string": "Betalend parkeren, rode zone"}],
    "layer": 1,
    "operatorDefinedReference": {"id": "GIS-4417", "version": 1},
    "parentId": {"id": "gent-tariefzone-rood", "version": 2},
    "hierarchyElementRecord": {"creationTime": "2026-01-05T08:00:00Z"},
    "responsibilityRoleAssignments": [
        {"type": "owner", "contactPoints": [{"id": "vlaanderen"}]},
        {"type": "operator", "contactPoints": [{"id": "gent", "type": "operator"}]}],
    "timeZone": "Europe/Brussels",
    "placeBoundedZone": [{"type": "MultiPolygon", "coordinates": [
        [[[3.7185, 51.0535], [3.719, 51.0565], [3.7235, 51.057], [3.7185, 51.0535]]]]}],
    "characteristics": {"spacesTotal": 240, "openToPublic": True},
    "operatingRestrictions": [{"operatingRestriction": "parkingTimeLimit"}],
}


def test_an_apds_place_becomes_the_mapped_part_of_a_zone() -> None:
    zone = translator("apds", "Place").to_native(PLACE)
    assert zone == {
        "identifiers": [
            {"identifierScheme": "apdsId", "notation": "5b1f0d7e-8f0c-4a7e-9d43-7c1e8f7a2c10"},
            {"identifierScheme": "gisId", "notation": "GIS-4417"}],
        "name": "Centrum",
        "description": "Betalend parkeren, rode zone",
        "parentZones": ["https://data.parkeerregister.vlaanderen.be/id/zone/gent-tariefzone-rood"],
        "areaManager": "https://data.parkeerregister.vlaanderen.be/id/organisation/gent",
        "timeZone": "Europe/Brussels",
        "geometry": {"asGeoJSON": '{"type":"MultiPolygon","coordinates":[[[[3.7185,51.0535],'
                                  '[3.719,51.0565],[3.7235,51.057],[3.7185,51.0535]]]]}'},
        "capacity": 240,
    }
    # what the gateway adds (IRI, zoneKind) completes a document the generated model accepts
    Zone.model_validate({**zone, "id": "https://data.parkeerregister.vlaanderen.be/id/zone/z1",
                         "zoneKind": "blueZone"})


def test_a_zone_goes_out_as_an_apds_place() -> None:
    t = translator("apds", "Place")
    place = t.to_message(t.to_native(PLACE))
    assert place["type"] == "place"
    assert place["operatorDefinedReference"] == {"id": "GIS-4417", "version": 1}
    assert place["responsibilityRoleAssignments"] == [
        {"type": "operator", "contactPoints": [{"id": "gent"}]}]
    assert place["name"] == [{"language": "nl", "string": "Centrum"}]
    assert "layer" not in place and "version" not in place  # derived / gateway storage


def test_a_constant_completes_an_object_but_never_creates_one() -> None:
    place = translator("apds", "Place").to_message({"name": "Centrum"})
    assert place == {"type": "place", "name": [{"language": "nl", "string": "Centrum"}]}


def test_the_owner_is_the_area_manager_only_when_no_operator_is_named() -> None:
    owner_only = {"responsibilityRoleAssignments": [
        {"type": "owner", "contactPoints": [{"id": "vlaanderen"}]}]}
    zone = translator("apds", "Place").to_native(owner_only)
    assert zone["areaManager"].endswith("/organisation/vlaanderen")


def test_an_npr_area_manager_becomes_an_organisation_and_back() -> None:
    t = translator("npr", "AreaManagerInfoData")
    info = {"AreaManagerId": 202, "StartDateAreaManager": "2015-01-01T00:00:00",
            "EndDateAreaManager": None, "AreaManagerDesc": "Gemeente Gent",
            "AreaManagerUrl": "https://stad.gent", "VATNumber": "BE0207451227",
            "StreetName": "Botermarkt", "HouseNumber": 1, "PostalCode": "9000",
            "PlaceOfBusiness": "Gent"}
    organisation = t.to_native(info)
    assert organisation == {
        "identifiers": [{"identifierScheme": "nprAreaManagerId", "notation": "202"},
                        {"identifierScheme": "enterpriseNumber", "notation": "0207.451.227"}],
        "name": "Gemeente Gent", "homepage": "https://stad.gent", "roles": ["areaManager"]}
    Organisation.model_validate({**organisation,
                                 "id": "https://data.parkeerregister.vlaanderen.be/id/"
                                       "organisation/gent"})
    assert t.to_message(organisation) == {
        "AreaManagerId": 202, "AreaManagerDesc": "Gemeente Gent",
        "AreaManagerUrl": "https://stad.gent", "VATNumber": "BE0207451227"}


def test_an_apds_contact_point_type_maps_through_the_role_table() -> None:
    t = translator("apds", "ContactPoint")
    assert t.to_native({"type": "propertyManager"})["roles"] == ["areaManager"]
    assert t.to_native({"type": "enforcementSystemProvider"})["roles"] == ["enforcement"]
    assert t.to_message({"roles": ["areaManager"]}) == {"type": "operator",
                                                        "contactType": "contactPoint"}


def test_an_untranslatable_value_names_the_file_and_the_rule() -> None:
    t = translator("apds", "ContactPoint")
    with pytest.raises(TranslationError, match=r"contact-point.yaml fields\[2\] \(type\): "
                                               r"unknown code 'customerService'"):
        t.to_native({"type": "customerService"})


def test_converted_list_elements_stay_aligned_with_their_neighbours() -> None:
    # integer_text stands in for any converter; the point is that a list element without the
    # field keeps its place, so the next element's plate stays with the next element's country
    t = build({"standard": "x", "message": "M", "native": "Permit", "fields": [
        {"message": "credentials[].number", "native": "vehicles[].licencePlate.plateNumber",
         "convert": "integer_text"},
        {"message": "credentials[].country", "native": "vehicles[].licencePlate.country"}]},
        Path("aligned.yaml"), model_index())
    permit = t.to_native({"credentials": [{"number": 1, "country": "BE"}, {"country": "NL"},
                                          {"number": 3, "country": "DE"}]})
    assert permit == {"vehicles": [{"licencePlate": {"plateNumber": "1", "country": "BE"}},
                                   {"licencePlate": {"country": "NL"}},
                                   {"licencePlate": {"plateNumber": "3", "country": "DE"}}]}
