"""What the rest of the code relies on: the entry points, their signatures, and what counts as
"the payload" (validated and reported) versus supporting entities and bare references."""

from __future__ import annotations

import copy
import json

import pytest
from rdflib import Graph

from vptr.validation import (
    CONTEXT_IRI,
    PayloadError,
    Report,
    validate_document,
    validate_graph,
    validate_payload,
)
from vptr.validation.loading import json_to_graph, prepare_json
from vptr.validation.translation import Translator, register_translator, unregister_translator

ID = "https://data.parkeerregister.vlaanderen.be/id/"
ZONE = ID + "zone/gent-rood"
RIGHT = {"id": ID + "right/r1", "type": "Right", "rightKind": "parking", "channel": "app",
         "rightStatus": "active", "zone": ZONE, "provider": ID + "organisation/parkplus",
         "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
         "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00",
                            "endTime": "2026-03-02T11:00:00+01:00"}}
BROKEN_ZONE = {"@context": CONTEXT_IRI, "id": ZONE, "type": "Zone", "zoneKind": "paidParking"}


def fields(report: Report) -> set[tuple[str | None, str]]:
    return {(v.field, v.component) for v in report.violations}


def test_the_entry_points_keep_their_positional_signatures() -> None:
    body = {k: v for k, v in RIGHT.items() if k != "type"}
    assert validate_document(body, "Right").conforms
    assert validate_payload(json.dumps(body), "application/json", None, "Right").conforms
    report = validate_payload(json.dumps(body).encode(), None, "right.json", "Right")
    assert isinstance(report, Report) and report.engine == "fast"


def test_the_callers_document_is_not_changed() -> None:
    document = copy.deepcopy(RIGHT) | {"amountPaid": {"value": "2.50", "currency": "EUR"}}
    before = json.dumps(document, sort_keys=True)
    validate_document(document)
    validate_document(document, engine="pyshacl")
    assert json.dumps(document, sort_keys=True) == before


def test_nested_objects_without_a_type_are_validated_against_their_class() -> None:
    document = copy.deepcopy(RIGHT)
    document["vehicle"]["licencePlate"]["country"] = "Belgium"
    assert ("vehicle.licencePlate.country", "PatternConstraintComponent") in fields(
        validate_document(document))


@pytest.mark.parametrize("country", ["UK", "XX"])
def test_a_country_outside_the_code_list_is_refused_on_the_nested_plate(country: str) -> None:
    """`UK` and `XX` have the form of a code but are no ISO 3166-1 alpha-2 code (the United
    Kingdom is `GB`): the code list refuses them, the pattern does not."""
    document = copy.deepcopy(RIGHT)
    document["vehicle"]["licencePlate"]["country"] = country
    assert fields(validate_document(document)) == {
        ("vehicle.licencePlate.country", "InConstraintComponent")}
    document["vehicle"]["licencePlate"]["country"] = "GB"
    assert validate_document(document).conforms


def test_a_currency_outside_the_code_list_is_refused_on_the_nested_amount() -> None:
    document = copy.deepcopy(RIGHT) | {"amountPaid": {"value": "2.50", "currency": "XYZ"}}
    assert fields(validate_document(document)) == {("amountPaid.currency", "InConstraintComponent")}


def test_an_empty_nested_object_is_still_validated() -> None:
    """``"vehicle": {}`` says nothing, but it is the payload's vehicle: its plate is missing."""
    report = validate_document({**RIGHT, "vehicle": {}})
    assert ("vehicle.licencePlate", "MinCountConstraintComponent") in fields(report)


def test_a_bare_reference_is_not_validated_but_an_embedded_object_is() -> None:
    assert validate_document(RIGHT).conforms
    embedded = validate_document({**RIGHT, "zone": {"id": ZONE, "type": "Zone",
                                                     "zoneKind": "paidParking"}})
    assert ("zone.name", "MinCountConstraintComponent") not in fields(embedded)
    assert ("name", "MinCountConstraintComponent") in fields(embedded)  # the zone's own
    # Without its type no SHACL engine would look at the zone: refused, not passed.
    with pytest.raises(PayloadError, match="refers to another thing"):
        validate_document({**RIGHT, "zone": {"id": ZONE, "zoneKind": "paidParking"}})


def test_supporting_entities_are_used_but_not_reported() -> None:
    other_city = {"@context": CONTEXT_IRI, "id": ID + "authorisation/a", "type": "Authorisation",
                  "grantor": ID + "organisation/antwerpen", "grantee": ID + "organisation/p",
                  "scopes": ["writeRights"]}
    zone = {**BROKEN_ZONE, "areaManager": ID + "organisation/gent"}  # no name, no geometry
    document = {**RIGHT, "authorisation": ID + "authorisation/a"}
    for engine in ("fast", "pyshacl"):
        report = validate_document(document, supporting=[zone, other_city],
                                   engine=engine)  # type: ignore[arg-type]
        assert [v.shape.rsplit("#", 1)[-1] for v in report.violations] == [
            "RightZoneAndAuthorisationOfOneAreaManager"]
        assert report.focus_nodes == 4  # right, vehicle, plate, period: not the zone


def test_supporting_entities_may_come_as_a_graph() -> None:
    zone = {**BROKEN_ZONE, "areaManager": ID + "organisation/gent"}
    authorisation = {"@context": CONTEXT_IRI, "id": ID + "authorisation/a",
                     "type": "Authorisation", "grantor": ID + "organisation/brugge"}
    graph = json_to_graph(prepare_json([zone, authorisation]))
    report = validate_document({**RIGHT, "authorisation": ID + "authorisation/a"},
                               supporting=graph)
    assert not report.conforms and report.violations[0].field == "authorisation"


def test_unreadable_supporting_entities_are_refused() -> None:
    with pytest.raises(PayloadError, match="unknown term"):
        validate_document(RIGHT, supporting=[{"type": "Zone", "naam": "x"}])


def test_the_default_type_applies_to_each_outermost_object_without_one() -> None:
    body = {k: v for k, v in RIGHT.items() if k not in ("type", "id")}
    report = validate_document([body, {**body, "channel": "fax"}], "Right")
    assert fields(report) == {("channel", "InConstraintComponent")}
    assert report.violations[0].pointer == "/1/channel"
    with pytest.raises(PayloadError, match="unknown type 'Parking'"):
        validate_document(body, "Parking")


def test_turtle_is_validated_by_the_fast_engine_too() -> None:
    turtle = json_to_graph(prepare_json({**RIGHT, "channel": "fax"})).serialize(format="turtle")
    report = validate_payload(turtle, "text/turtle")
    assert report.engine == "fast" and fields(report) == {("channel", "InConstraintComponent")}
    assert fields(validate_graph(Graph().parse(data=turtle, format="turtle"))) == fields(report)


def test_a_document_in_a_context_of_its_own_is_validated_like_in_the_standard_one() -> None:
    own = {"@context": [CONTEXT_IRI, {"extra": "https://example.org/extra"}],
           **{**RIGHT, "channel": "fax"}}
    standard = {"@context": CONTEXT_IRI, **{**RIGHT, "channel": "fax"}}
    assert fields(validate_document(own)) == fields(validate_document(standard))


def test_a_violation_says_where_what_and_why_in_both_languages() -> None:
    document = copy.deepcopy(RIGHT)
    document["vehicle"]["licencePlate"]["plateNumber"] = "1abc123"
    violation = next(v for v in validate_document(document).violations
                     if v.component == "PatternConstraintComponent")
    body = violation.as_json()
    assert body["field"] == "vehicle.licencePlate.plateNumber"
    assert body["pointer"] == "/vehicle/licencePlate/plateNumber"
    assert body["property"] == "plateNumber" and body["focusClass"] == "LicencePlate"
    assert set(body["messages"]) == {"nl", "en"} and body["message"] == body["messages"]["en"]


def test_a_registered_translator_turns_a_foreign_message_into_a_native_payload() -> None:
    """The APDS and NPR gateways plug in here; the validator judges the translation."""
    translator = Translator(
        "test-npr", detect=lambda d: isinstance(d, dict) and "EnrollPSRight" in d,
        translate=lambda d: {**RIGHT, "vehicle": {"licencePlate": {
            "plateNumber": d["EnrollPSRight"]["VehicleId"], "country": "BE"}}})
    register_translator(translator)
    try:
        good = validate_document({"EnrollPSRight": {"VehicleId": "1ABC123"}})
        bad = validate_payload(json.dumps({"EnrollPSRight": {"VehicleId": "1-abc-123"}}))
    finally:
        unregister_translator("test-npr")
    assert good.conforms
    assert ("vehicle.licencePlate.plateNumber", "PatternConstraintComponent") in fields(bad)
    with pytest.raises(PayloadError, match="unknown term 'EnrollPSRight'"):
        validate_document({"EnrollPSRight": {"VehicleId": "1ABC123"}})


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_an_object_that_only_lives_embedded_is_refused_at_the_top(engine: str) -> None:
    """The profile reaches a period only through the property holding it: on its own nothing
    would check it, so it is refused instead of passed."""
    period = {"type": "Period", "startTime": "2026-03-02T10:00:00+01:00", "endTime": "gisteren"}
    with pytest.raises(PayloadError, match="not a document of its own"):
        validate_document(period, engine=engine)  # type: ignore[arg-type]
