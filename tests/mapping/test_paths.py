"""The path grammar both sides of a rule use: reading finds, writing builds the same shape."""

from __future__ import annotations

import pytest

from vptr.mapping.paths import MISSING, PathSyntaxError, compile_get, compile_set, parse


def get(path: str, document: object) -> object:
    return compile_get(parse(path))(document)


def put(path: str, value: object, document: dict | None = None) -> dict:
    document = {} if document is None else document
    compile_set(parse(path))(document, value)
    return document


def test_a_key_path_reads_and_writes_nested_objects() -> None:
    assert put("characteristics.spacesTotal", 40) == {"characteristics": {"spacesTotal": 40}}
    assert get("characteristics.spacesTotal", {"characteristics": {"spacesTotal": 40}}) == 40
    assert get("characteristics.spacesTotal", {"characteristics": {}}) is MISSING
    assert get("characteristics.spacesTotal", {"characteristics": "text"}) is MISSING


def test_null_reads_as_missing_because_npr_elements_are_nillable() -> None:
    assert get("VATNumber", {"VATNumber": None}) is MISSING
    assert get("a[].b", {"a": [None, {"b": 1}]}) == [MISSING, 1]


def test_a_filter_picks_the_element_with_that_key_and_adds_it_when_absent() -> None:
    document = {"identifiers": [{"identifierScheme": "gisId", "notation": "g1"}]}
    assert get("identifiers[identifierScheme=gisId].notation", document) == "g1"
    assert get("identifiers[identifierScheme=apdsId].notation", document) is MISSING
    put("identifiers[identifierScheme=apdsId].notation", "a1", document)
    put("identifiers[identifierScheme=gisId].notation", "g2", document)
    assert document == {"identifiers": [{"identifierScheme": "gisId", "notation": "g2"},
                                        {"identifierScheme": "apdsId", "notation": "a1"}]}


def test_first_element_reads_the_head_and_writes_a_one_element_list() -> None:
    assert get("roles[0]", {"roles": ["provider", "enforcement"]}) == "provider"
    assert get("roles[0]", {"roles": []}) is MISSING
    assert put("roles[0]", "areaManager") == {"roles": ["areaManager"]}
    assert put("contactPoints[0].id", "x") == {"contactPoints": [{"id": "x"}]}


def test_each_element_reads_a_list_and_writes_element_by_element() -> None:
    document = {"vehicles": [{"licencePlate": {"plateNumber": "1ABC234"}}, {},
                             {"licencePlate": {"plateNumber": "2XYZ"}}]}
    assert get("vehicles[].licencePlate.plateNumber", document) == ["1ABC234", MISSING, "2XYZ"]
    target: dict = {}
    put("credentials[].identifier.id", ["1ABC234", MISSING, "2XYZ"], target)
    put("credentials[].identifier.className", ["BENumberPlate"], target)
    assert target == {"credentials": [
        {"identifier": {"id": "1ABC234", "className": "BENumberPlate"}}, {},
        {"identifier": {"id": "2XYZ"}}]}


@pytest.mark.parametrize("bad", ["", "a..b", "a[1]", "a[x]", "a b", "a.b[k=v]", "a[k=]", 3])
def test_malformed_paths_are_refused(bad: object) -> None:
    with pytest.raises(PathSyntaxError):
        parse(bad)  # type: ignore[arg-type]
