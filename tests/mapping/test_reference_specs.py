"""The message side of every mapping against the published specifications: every path a rule or a
``not_mapped`` entry names exists in the message's schema, and every top-level field of the message
is named (mapped, or not mapped with a reason).

The model side is checked when the mappings load; the message side needs the specifications, which
are not part of this repository. They are read from ``VPTR_REFERENCE_DIR``, by default the
steering repository's ``shared/reference`` beside the checkout (where CI has it): a folder holding
``apds/apds4.yaml`` (the UK National Parking Platform's APDS 4 profile) and
``npr/registration.xsd`` (NPR v18.0). Without it these tests skip and say so.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from vptr.mapping import Translator, registry
from vptr.mapping.paths import Segment, parse

_BESIDE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
REFERENCE = os.environ.get("VPTR_REFERENCE_DIR", str(_BESIDE) if _BESIDE.is_dir() else "")
XS = "{http://www.w3.org/2001/XMLSchema}"

pytestmark = pytest.mark.skipif(
    not REFERENCE or not Path(REFERENCE).is_dir(),
    reason="VPTR_REFERENCE_DIR (apds/apds4.yaml, npr/registration.xsd) is not set")


# ------------------------------------------------------------------ APDS (OpenAPI 3)
@cache
def _apds() -> dict[str, Any]:
    text = (Path(REFERENCE) / "apds" / "apds4.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["components"]["schemas"]


def _apds_resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _apds()[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _apds_properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Properties of an object schema, through $ref and allOf."""
    schema = _apds_resolve(schema)
    found: dict[str, dict[str, Any]] = {}
    for part in schema.get("allOf", []):
        found.update(_apds_properties(part))
    found.update(schema.get("properties", {}))
    return found


def _apds_step(schema: dict[str, Any], segment: Segment) -> dict[str, Any]:
    properties = _apds_properties(schema)
    if segment.name not in properties:
        raise KeyError(f"{segment.name!r} is not a property (has: {', '.join(sorted(properties))})")
    found = _apds_resolve(properties[segment.name])
    if segment.selector is not None:
        if found.get("type") != "array":
            raise KeyError(f"{segment.name!r} is not an array: {segment} needs one")
        found = _apds_resolve(found["items"])
        if segment.selector == "filter" and segment.filter_key not in _apds_properties(found):
            raise KeyError(f"filter key {segment.filter_key!r} is not a property of the items")
    return found


# ------------------------------------------------------------------ NPR (XSD)
@cache
def _npr() -> dict[str, ET.Element]:
    root = ET.parse(Path(REFERENCE) / "npr" / "registration.xsd").getroot()
    return {t.get("name", ""): t for t in root.iter(f"{XS}complexType") if t.get("name")}


def _npr_elements(type_name: str) -> dict[str, ET.Element]:
    """Child elements of a named complexType, through complexContent extensions."""
    complex_type = _npr()[type_name.removeprefix("tns:")]
    found: dict[str, ET.Element] = {}
    for extension in complex_type.iter(f"{XS}extension"):
        found.update(_npr_elements(extension.get("base", "")))
    for element in complex_type.iter(f"{XS}element"):
        found[element.get("name", "")] = element
    return found


def _npr_step(type_name: str, segment: Segment) -> str:
    elements = _npr_elements(type_name)
    if segment.name not in elements:
        raise KeyError(f"{segment.name!r} is not an element (has: {', '.join(sorted(elements))})")
    element = elements[segment.name]
    if segment.selector is not None and element.get("maxOccurs") != "unbounded":
        raise KeyError(f"{segment.name!r} does not repeat: {segment} needs maxOccurs unbounded")
    return element.get("type", "")


# ------------------------------------------------------------------ the checks
def _check_path(t: Translator, path: str) -> None:
    segments = parse(path)
    if t.standard == "apds":
        schema: dict[str, Any] = _apds()[t.message]
        for segment in segments:
            schema = _apds_step(schema, segment)
    elif t.standard == "npr":
        type_name = t.message
        for i, segment in enumerate(segments):
            type_name = _npr_step(type_name, segment)
            if i < len(segments) - 1 and type_name.removeprefix("tns:") not in _npr():
                raise KeyError(f"{segment.name!r} is a {type_name} value: nothing inside it")
    else:
        pytest.fail(f"no specification reader for standard {t.standard!r}")


def _top_level_fields(t: Translator) -> set[str]:
    if t.standard == "apds":
        return set(_apds_properties(_apds()[t.message]))
    return set(_npr_elements(t.message))


KEYS = sorted(registry())


@pytest.mark.parametrize("key", KEYS, ids=[f"{s}:{m}" for s, m in KEYS])
def test_every_message_path_exists_in_the_specification(key: tuple[str, str]) -> None:
    t = registry()[key]
    named = [r.message_path for r in t.rules if r.message is not None]
    named += [entry.message for entry in t.not_mapped]
    wrong = []
    for path in named:
        try:
            _check_path(t, path)
        except KeyError as error:
            wrong.append(f"{path}: {error.args[0]}")
    assert not wrong, f"{t.source.name}: " + "; ".join(wrong)


@pytest.mark.parametrize("key", KEYS, ids=[f"{s}:{m}" for s, m in KEYS])
def test_every_top_level_field_of_the_message_is_mapped_or_said_not_to_be(
        key: tuple[str, str]) -> None:
    t = registry()[key]
    named = {parse(r.message_path)[0].name for r in t.rules if r.message is not None}
    named |= {parse(entry.message)[0].name for entry in t.not_mapped}
    missing = sorted(_top_level_fields(t) - named)
    assert not missing, f"{t.source.name} says nothing about {', '.join(missing)}"


def test_the_readers_find_what_they_should() -> None:
    assert "spacesTotal" in _apds_properties(_apds()["PlaceCharacteristics"])
    assert {"timeZone", "layer", "characteristics"} <= set(_apds_properties(_apds()["Place"]))
    assert "VATNumber" in _npr_elements("AreaManagerInfoData")
    assert "ErrorCode" in _npr_elements("RetrieveAreaManagersResponseError")
