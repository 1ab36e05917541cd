"""A payload written with IRIs of version 0.1 (accepted until version 2.0, docs/reuse.md) is read as
the 1.0 terms, and what the register would store from it names no old IRI. Likewise a JSON key
renamed since (a whitelist's ``owner``, now ``areaManager``) is read as its new key until 2.0,
and the client is told it is deprecated."""

from __future__ import annotations

import copy
import json

import pytest

from vptr.validation import validate_document
from vptr.validation.errors import PayloadError
from vptr.validation.json_reader import MAX_DEPTH, standard_context
from vptr.validation.loading import prepare_json
from vptr.validation.replaced import (
    REPLACED_KEYS,
    deprecation_headers,
    replaced_keys_in,
    upgrade_iris,
    upgrade_keys,
)

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


def test_a_removed_term_is_read_by_its_key_until_2_0_and_never_by_its_iri() -> None:
    """``exemptPublicHolidays`` was removed with no equivalent (docs/model-decisions.md, "Public
    holidays"): by its key the validator reads it as the exempt day that says it now (until 2.0,
    docs/reuse.md "Old keys"); by its 0.1 IRI it is an unknown property the closed shape refuses,
    not the list of exempt days it points at."""
    regime = {"type": "Regime", "name": "R", "exemptPublicHolidays": True}
    assert upgrade_keys(regime) == {"type": "Regime", "name": "R",
                                    "exemptDays": [{"recurringDay": "publicHoliday"}]}
    with pytest.raises(PayloadError) as refused:
        upgrade_keys({**regime, "exemptPublicHolidays": "yes"})
    assert refused.value.field == "/exemptPublicHolidays"
    assert '{"recurringDay": "publicHoliday"} in exemptDays' in refused.value.reason

    by_iri = validate_document({"type": "Regime", "name": "R",
                                OLD + "exemptPublicHolidays": True})
    assert OLD + "exemptPublicHolidays" in {v.property for v in by_iri.violations
                                           if v.component.endswith("ClosedConstraintComponent")}


# -- old keys ----------------------------------------------------------------------------------


def test_the_table_of_replaced_keys_names_old_key_class_and_new_key():
    """Each line names a key of a class of the model that the model no longer has, and the key
    of that class it is read as; another renamed key is one more line."""
    from vptr.validation.model_index import model_index

    index = model_index()
    assert ("owner", "Whitelist", "areaManager") in [(k.old, k.cls, k.new) for k in REPLACED_KEYS]
    for key in REPLACED_KEYS:
        properties = index.classes[key.cls].properties
        assert key.old not in properties and key.new in properties, key
        assert key.until == "2.0"


def test_an_old_key_is_read_as_its_new_key_in_a_document_and_in_a_graph():
    whitelist = {"type": "Whitelist", "owner": "https://x.test/org"}
    assert upgrade_keys(whitelist) == {"type": "Whitelist", "areaManager": "https://x.test/org"}
    assert whitelist == {"type": "Whitelist", "owner": "https://x.test/org"}  # not changed
    assert upgrade_keys({"owner": "o"}, "Whitelist") == {"areaManager": "o"}
    graph = {"@graph": [{"type": "Whitelist", "owner": "o"}, {"type": "Zone", "owner": "o"}]}
    assert upgrade_keys(graph)["@graph"] == [{"type": "Whitelist", "areaManager": "o"},
                                             {"type": "Zone", "owner": "o"}]
    untouched = {"type": "Whitelist", "areaManager": "o"}
    assert upgrade_keys(untouched) is untouched


def test_both_keys_with_different_values_are_refused_naming_the_old_key():
    with pytest.raises(PayloadError) as refused:
        upgrade_keys({"@graph": [{"type": "Whitelist", "owner": "a", "areaManager": "b"}]})
    assert refused.value.field == "/@graph/0/owner"
    assert upgrade_keys({"type": "Whitelist", "owner": "a", "areaManager": "a"}) == {
        "type": "Whitelist", "areaManager": "a"}


def test_the_client_is_told_by_deprecation_and_warning_headers():
    used = replaced_keys_in({"owner": "o"}, "Whitelist")
    headers = deprecation_headers(used)
    assert headers["Deprecation"] == "@1796515200"  # 2026-12-06, when owner was replaced
    assert headers["Warning"] == ('299 - "Whitelist.owner is deprecated: send areaManager (read '
                                  'as areaManager until version 2.0 of the standard)"')
    assert deprecation_headers(replaced_keys_in({"areaManager": "o"}, "Whitelist")) == {}


def test_a_whitelist_document_with_the_old_key_is_validated_as_one_with_the_new():
    document = {"type": "Whitelist", "id": "https://data.parkeerregister.vlaanderen.be/id/"
                "whitelist/x", "name": "x", "owner": "https://data.parkeerregister.vlaanderen."
                "be/id/organisation/stad-gent"}
    prepared = json.dumps(prepare_json(document))
    assert '"owner"' not in prepared and "stad-gent" in prepared
