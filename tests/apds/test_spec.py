"""The schemas the gateway serves and validates against are apds4.yaml's, copied into the
repository unchanged, amended only where NOTES.md records a defect of the file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from vptr.apds import schemas

_BESIDE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
REFERENCE = Path(os.environ.get("VPTR_REFERENCE_DIR", str(_BESIDE)))


@pytest.mark.skipif(not (REFERENCE / "apds" / "apds4.yaml").is_file(),
                    reason="the reference apds4.yaml is not beside the checkout")
def test_the_packaged_copy_is_apds4_yaml_unchanged():
    spec = yaml.safe_load((REFERENCE / "apds" / "apds4.yaml").read_text(encoding="utf-8"))
    copy = json.loads((schemas.SPEC_DIR / "apds4-schemas.json").read_text(encoding="utf-8"))

    assert copy["components"]["schemas"] == spec["components"]["schemas"]
    assert copy["info"]["version"] == spec["info"]["version"] == "4.0"


def test_only_the_two_defects_of_notes_md_are_amended():
    raw = json.loads((schemas.SPEC_DIR / "apds4-schemas.json").read_text())["components"]
    amended = schemas.apds_document()["components"]

    assert raw["schemas"]["Reference"]["maxProperties"] == 1
    assert "maxProperties" not in amended["schemas"]["Reference"]
    rate_table_required = [r for part in amended["schemas"]["RateTable"]["allOf"]
                           for r in part.get("required", [])]
    assert "validityStart" not in rate_table_required and "activeTimes" not in rate_table_required
    assert "rateLineCollections" in rate_table_required
    for name in raw["schemas"]:
        if name not in ("Reference", "RateTable"):
            assert raw["schemas"][name] == amended["schemas"][name], name


def test_a_reference_with_both_properties_is_valid_as_notes_md_says():
    assert schemas.problems("Reference", {"id": "1ABC123", "className": "BENumberPlate"}) == []
    assert schemas.problems("Reference", {"id": "1ABC123"}) != []


def test_read_only_properties_are_not_required_of_a_request_but_of_a_response():
    session = {"id": "s1", "version": 1, "actualStart": "2026-03-02T09:00:00Z",
               "identifiedCredentials": [{"type": "licensePlate", "identifier": {
                   "id": "1ABC123", "className": "BENumberPlate"}}],
               "segments": [{"id": "1", "version": 1, "actualStart": "2026-03-02T09:00:00Z",
                             "assignedRight": {"id": "a1", "version": 1},
                             "validationType": ["licensePlate"]}]}

    assert schemas.problems("Session", session, request=True) == []
    assert schemas.problems("Session", session) == [("initiator",
                                                     "'initiator' is a required property")]


def test_the_published_schemas_resolve_apds4_references():
    quote = {"id": "q1", "quoteCreationTime": "2026-03-02T09:00:00Z",
             "quoteRightRequest": {"hierarchyElement": {"id": "gent-rood", "version": 1},
                                   "periodStart": "2026-03-02T09:00:00Z",
                                   "periodEnd": "2026-03-02T10:00:00Z"},
             "options": [{"optionId": "1", "rightSpecification": {"id": "r", "version": 1},
                          "periodStart": "2026-03-02T09:00:00Z",
                          "periodEnd": "2026-03-02T10:00:00Z",
                          "financialQuote": {"taxIncluded": True, "value": {
                              "currencyType": "EUR", "currencyValue": 1.5}}}]}

    assert schemas.problems("QuoteResponse", quote) == []
    quote["options"][0]["financialQuote"]["value"]["currencyType"] = "euro"
    assert [f for f, _ in schemas.problems("QuoteResponse", quote)] == [
        "options[0].financialQuote.value.currencyType"]
