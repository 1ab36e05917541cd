"""Each registered converter, both directions, on the examples docs/mapping-apds-npr.md gives."""

from __future__ import annotations

from typing import Any

import pytest

from vptr.mapping.converters import CONVERTERS, Conversion, Target, TranslationError
from vptr.validation.model_index import model_index


def bind(name: str, slot: tuple[str, str] | None = None, **params: Any) -> Conversion:
    index = model_index()
    prop = index.classes[slot[0]].properties[slot[1]] if slot else None
    return CONVERTERS[name].bind(params, Target(prop, index))


def test_multilingual_reads_the_dutch_string_else_the_first_and_writes_dutch() -> None:
    c = bind("multilingual", language="nl")
    assert c.to_native([{"language": "en", "string": "Centre"},
                        {"language": "nl", "string": "Centrum"}]) == "Centrum"
    assert c.to_native([{"language": "fr", "string": "Centre"}]) == "Centre"
    assert c.to_message("Centrum") == [{"language": "nl", "string": "Centrum"}]
    with pytest.raises(TranslationError):
        c.to_native("Centrum")


def test_a_code_table_runs_both_ways_and_also_in_only_inwards() -> None:
    c = bind("code", ("Organisation", "roles"),
             table={"areaManager": "operator", "provider": "serviceProvider"},
             also_in={"owner": "areaManager"})
    assert c.to_native("serviceProvider") == "provider"
    assert c.to_native("owner") == "areaManager"
    assert c.to_message("areaManager") == "operator"
    with pytest.raises(TranslationError, match="customerService"):
        c.to_native("customerService")
    with pytest.raises(TranslationError, match="enforcement"):
        c.to_message("enforcement")


def test_a_code_table_must_name_values_of_the_slots_enumeration_and_be_one_to_one() -> None:
    with pytest.raises(ValueError, match="'areaManagr' is not a value of OrganisationRole"):
        bind("code", ("Organisation", "roles"), table={"areaManagr": "operator"})
    with pytest.raises(ValueError, match="one to one"):
        bind("code", ("Organisation", "roles"),
             table={"areaManager": "operator", "provider": "operator"})


def test_iri_adds_and_strips_the_base() -> None:
    c = bind("iri", base="https://data.parkeerregister.vlaanderen.be/id/zone/")
    assert c.to_native("z1") == "https://data.parkeerregister.vlaanderen.be/id/zone/z1"
    assert c.to_message("https://data.parkeerregister.vlaanderen.be/id/zone/z1") == "z1"
    with pytest.raises(TranslationError):
        c.to_message("https://data.parkeerregister.vlaanderen.be/id/regime/r1")
    with pytest.raises(TranslationError):
        c.to_native("a/b")
    with pytest.raises(ValueError, match="base"):
        bind("iri", base="zone")


def test_integer_text_keeps_npr_numbers_as_text_codes() -> None:
    c = bind("integer_text", digits=4)
    assert c.to_native(599) == "599"
    assert c.to_message("599") == 599
    for bad in ("0599", "12345"):
        with pytest.raises(TranslationError):
            c.to_message(bad)
    with pytest.raises(TranslationError, match="at most 4 digits"):
        c.to_native(10000)
    with pytest.raises(TranslationError):
        c.to_native(True)


def test_decimal_number_goes_through_the_shortest_representation_not_binary() -> None:
    c = bind("decimal_number", places=2)
    assert c.to_native(2.5) == "2.50"
    assert c.to_native(0.1 + 0.2) == "0.30"  # repr 0.30000000000000004, quantized
    assert c.to_native(1.15) == "1.15"  # binary 1.149999..., never rounded down
    assert c.to_message("2.50") == 2.5
    assert bind("decimal_number").to_message("21") == 21


def test_instant_is_utc_with_z_out_and_brussels_in() -> None:
    c = bind("instant")
    assert c.to_native("2026-03-02T09:00:00Z") == "2026-03-02T10:00:00+01:00"
    assert c.to_message("2026-07-02T10:00:00+02:00") == "2026-07-02T08:00:00Z"
    with pytest.raises(TranslationError, match="offset"):
        c.to_native("2026-03-02T09:00:00")


def test_be_vat_number_is_the_kbo_number_with_a_country_prefix() -> None:
    c = bind("be_vat_number")
    assert c.to_message("0207.451.227") == "BE0207451227"
    assert c.to_native("BE0207451227") == "0207.451.227"
    assert c.to_native("be 0207451227") == "0207.451.227"
    with pytest.raises(TranslationError):
        c.to_native("NL123456789B01")


def test_geojson_areas_merge_into_one_multipolygon() -> None:
    c = bind("geojson_areas")
    square = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    native = c.to_native([{"type": "MultiPolygon", "coordinates": [square]},
                          {"type": "Polygon", "coordinates": square}])
    assert native == ('{"type":"MultiPolygon","coordinates":'
                      '[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,1],[0,0]]]]}')
    assert c.to_message(native) == [{"type": "MultiPolygon", "coordinates": [square, square]}]
    with pytest.raises(TranslationError):
        c.to_native([{"type": "Point", "coordinates": [0, 0]}])


def test_unknown_and_missing_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown parameter.*langauge"):
        bind("multilingual", langauge="nl")
    with pytest.raises(ValueError, match=r"needs parameter.*base"):
        bind("iri")
