"""``schema.json`` describes the payloads as they are sent (docs/architecture.md, "Payloads").

Draft 2020-12. It accepts every valid example, with and without ``type`` on the nested objects,
refuses every example of ``examples/invalid`` for the defect it was made for (the error names the
field), refuses a document of no known type at its root, and refuses money sent as a JSON number,
naming the field. What it cannot say (rules across fields and entities, the hand-written shapes of
``shapes/``) is the application profile's; those examples are accepted here and listed so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from vptr import paths
from vptr.validation.model_index import model_index

from .plain_shacl import ROOT, typed_everywhere

SCHEMA = json.loads(paths.Artefact.JSON_SCHEMA.path().read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
VALID = sorted((ROOT / "examples" / "valid").glob("*.jsonld")) + sorted(
    p for p in (ROOT / "shapes" / "examples" / "valid").glob("*.json")
    if not p.name.endswith(".supporting.json"))
INVALID = sorted((ROOT / "examples" / "invalid").glob("*.jsonld"))
#: Invalid under a rule across fields or entities: beyond JSON Schema, the profile's to refuse.
BEYOND = sorted(p for p in (ROOT / "shapes" / "examples" / "invalid").glob("*.json")
                if not p.name.endswith((".supporting.json", ".expected.json")))


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def leaf_errors(document: Any) -> list[ValidationError]:
    """The errors where they happen (a oneOf/allOf error holds its causes in ``context``)."""
    found: list[ValidationError] = []
    pending = list(VALIDATOR.iter_errors(document))
    while pending:
        error = pending.pop()
        if error.context:
            pending.extend(error.context)
        else:
            found.append(error)
    return found


def _paths(document: Any) -> set[str]:
    return {e.json_path for e in leaf_errors(document)}


def test_the_schema_is_draft_2020_12_and_valid():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_a_valid_example_is_accepted_with_and_without_types_on_nested_objects(path: Path):
    document = _json(path)
    assert [e.message for e in leaf_errors(document)] == []
    assert [e.message for e in leaf_errors(typed_everywhere(document))] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_an_invalid_example_is_refused_for_its_defect(path: Path):
    """The refusal names the property the example's expectation names (its last field)."""
    expected = _json(path.with_name(path.name.replace(".jsonld", ".expected.json")))
    index = model_index()
    properties = {index.short_name(v["path"], v["focusClass"]) for v in expected["violations"]}
    properties |= {"vptr:" + p.rsplit("#", 1)[-1] for p in properties if "#" in p}
    document = _json(path)
    for variant in (document, typed_everywhere(document)):
        errors = leaf_errors(variant)
        assert errors, "accepted"
        named = {part for e in errors for part in e.json_path.replace("[", ".").split(".")}
        named |= {m for e in errors for m in properties if repr(m) in e.message}
        assert properties & named, [f"{e.json_path}: {e.message}" for e in errors][:5]


@pytest.mark.parametrize("path", BEYOND, ids=lambda p: p.stem)
def test_rules_across_fields_are_beyond_json_schema(path: Path):
    assert leaf_errors(_json(path)) == []


RIGHT = {
    "@context": CONTEXT_IRI, "type": "Right", "rightKind": "parking",
    "zone": "https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood",
    "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
    "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00"},
    "provider": "https://data.parkeerregister.vlaanderen.be/id/organisation/parkplus",
    "channel": "app", "rightStatus": "active",
    "amountPaid": {"value": "4.15", "currency": "EUR"},
}


def test_the_root_refuses_a_document_of_no_known_type():
    assert leaf_errors(RIGHT) == []
    for document in ({**RIGHT, "type": "Parkeerplaats"},
                     {k: v for k, v in RIGHT.items() if k != "type"},
                     {"type": "Period", "startTime": "2026-03-02T10:00:00+01:00"},
                     {"@graph": [{"name": "zonder type"}]}, [], "Right", {}):
        assert leaf_errors(document), document


@pytest.mark.parametrize("number", [4.15, 4, 4.0])
def test_money_as_a_json_number_is_refused_naming_the_field(number: float):
    document = {**RIGHT, "amountPaid": {"value": number, "currency": "EUR"}}
    assert _paths(document) == {"$.amountPaid.value"}
    graph = {"@context": CONTEXT_IRI, "@graph": [document]}
    assert _paths(graph) == {"$['@graph'][0].amountPaid.value"}


def test_a_defect_deep_inside_a_nested_object_is_refused_where_it_is():
    document = json.loads(json.dumps(RIGHT))
    document["vehicle"]["licencePlate"]["country"] = "BEL"
    document["validityPeriod"]["endTime"] = "morgen"
    assert _paths(document) == {"$.vehicle.licencePlate.country", "$.validityPeriod.endTime"}


def test_a_reference_of_the_wrong_kind_or_an_object_in_its_place_is_refused():
    assert _paths({**RIGHT, "zone": RIGHT["provider"]}) == {"$.zone"}
    assert _paths({**RIGHT, "zone": {"name": "Kouter"}}) == {"$.zone"}
    other_register = {**RIGHT, "zone": "https://parkeren.brussels/id/zone/centrum"}
    assert leaf_errors(other_register) == []


def test_only_zones_and_regimes_are_referred_to_by_version():
    """A zone or regime version is ``.../id/zone/{ref}/{n}``; no other kind has versions, and a
    version is a number."""
    zone_version = {**RIGHT, "zone": "https://parkeren.brussels/id/zone/centrum/2"}
    assert leaf_errors(zone_version) == []
    assert _paths({**RIGHT, "zone": "https://parkeren.brussels/id/zone/centrum/twee"}) \
        == {"$.zone"}
    assert _paths({**RIGHT, "provider": RIGHT["provider"] + "/2"}) == {"$.provider"}
