"""A payload written with IRIs of version 0.1 (accepted until version 2.0, docs/reuse.md) is read as
the 1.0 terms, and what the register would store from it names no old IRI."""

from __future__ import annotations

import copy
import json

import pytest

from vptr.validation import PayloadError, validate_document
from vptr.validation.json_reader import MAX_DEPTH, standard_context
from vptr.validation.loading import prepare_json
from vptr.validation.replaced import upgrade_iris

from .corpus import class_examples

OLD = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
CONCEPT = "https://data.vlaanderen.be/id/concept/"


def a_right() -> dict:
    """A valid right of the examples, as one document."""
    for example in class_examples():
        if not example.valid:
            continue
        document = example.document()
        nodes = document.get("@graph", [document])
        right = next((n for n in nodes if n.get("type") == "Right"), None)
        if right is not None:
            return {"@context": document.get("@context"), **right}
    raise AssertionError("no valid right among the examples")


def test_old_compact_and_full_iris_are_rewritten_to_the_new_ones():
    document = {"type": "vptr:Right", "vptr:channel": "app",
                "zoneKind": CONCEPT + "Zonetype/blueZone", "usage": "paidParking"}
    assert upgrade_iris(document, standard_context().prefixes, MAX_DEPTH) == {
        "type": "vptr:Recht", "vptr:kanaal": "app",
        "zoneKind": CONCEPT + "Zonetype/blauweZone", "usage": "paidParking"}


def test_a_document_without_old_iris_is_returned_as_it_is():
    document = a_right()
    assert upgrade_iris(document, standard_context().prefixes, MAX_DEPTH) is document


def test_a_right_typed_and_valued_with_old_iris_conforms_and_is_prepared_without_them():
    document = a_right()
    document["type"] = "vptr:Right"
    document["channel"] = CONCEPT + "Kanaal/meter"
    before = copy.deepcopy(document)
    assert validate_document(document).conforms
    prepared = json.dumps(prepare_json(document))
    assert OLD + "Right" not in prepared and "vptr:Right" not in prepared
    assert CONCEPT + "Kanaal/meter" not in prepared
    assert document == before  # the caller's document is not changed


def test_an_unknown_compact_iri_is_still_refused():
    document = a_right()
    document["type"] = "vptr:Parking"
    try:
        validate_document(document)
    except Exception as exc:  # PayloadError
        assert "vptr:Parking" in str(exc)
    else:
        raise AssertionError("an unknown type was accepted")


def test_a_removed_term_is_refused_with_what_says_it_now_never_read_as_another() -> None:
    """``exemptPublicHolidays`` was removed with no equivalent (docs/model-decisions.md, "Public
    holidays"): by its key the validator names it and its replacement; by its 0.1 IRI it is an
    unknown property the closed shape refuses, not the list of exempt days it points at."""
    regime = {"type": "Regime", "name": "R", "exemptPublicHolidays": True}
    with pytest.raises(PayloadError) as refused:
        validate_document(regime)
    assert refused.value.field == "/exemptPublicHolidays"
    assert '"exemptDays": [{"recurringDay": "publicHoliday"}]' in refused.value.reason

    by_iri = validate_document({"type": "Regime", "name": "R",
                                OLD + "exemptPublicHolidays": True})
    assert OLD + "exemptPublicHolidays" in {v.property for v in by_iri.violations
                                           if v.component.endswith("ClosedConstraintComponent")}
