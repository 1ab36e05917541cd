"""The round-trip harness: generated documents and messages for any translator, and the checks.

A mapping file is a claim: "this message field and this slot say the same thing". The claim is
checked by translating there and back over generated data:

- native → message → native keeps the value of every ``both`` rule's slot path;
- message → native → message keeps the value of every ``both`` rule's message path.

The data comes from the rules themselves, so a new mapping file is covered without new test code:
each ``both`` rule gets a value (or none) drawn from the model's range of its slot (an enumeration's
values, an integer, a decimal string, an IRI, ...) or, where the rule names a converter, from the
values that converter is meant to carry (a code table's keys, IRIs under its base, ...). Messages
are built from such native values through the converter's message direction, so they are in the
canonical form the register sends; what a sender may send beyond it (``also_in`` codes, an English
name next to the Dutch one) is lossy by design and belongs in example tests.

Imports hypothesis: for tests only, never imported by the gateway.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from vptr import kinds

from ..validation.model_index import ModelIndex, PropertyInfo, model_index
from . import paths
from .paths import MISSING
from .registry import resolve
from .translator import Rule, Translator, convert_nested

DATA = "https://data.parkeerregister.vlaanderen.be/id/"
#: The IRI segment of each stored class (vptr.kinds), for IRIs of the right kind.
_KIND = {kind.model_class: kind.name for kind in kinds.KINDS}

_slug = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_text = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=24)
_instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                         timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))


def _iri(kind: str) -> st.SearchStrategy[str]:
    return _slug.map(lambda s: f"{DATA}{kind}/{s}")


def range_strategy(slot: PropertyInfo | None, index: ModelIndex) -> st.SearchStrategy[Any]:
    """Values of a slot's range as the native JSON-LD documents write them."""
    if slot is None:  # the document's own IRI
        return _iri("thing")
    if slot.kind == "enum":
        return st.sampled_from(sorted(index.enums[slot.range]))
    if slot.kind == "class":
        if slot.inlined:
            raise ValueError(f"slot {slot.name}: a whole nested {slot.range} needs a converter "
                             "strategy (map its slots one by one instead)")
        return _iri(_KIND.get(slot.range, slot.range.lower()))
    if slot.kind == "iri":
        return _slug.map(lambda s: f"https://example.org/{s}")
    by_range: dict[str, st.SearchStrategy[Any]] = {
        "string": _text,
        "integer": st.integers(min_value=0, max_value=10**9),
        "boolean": st.booleans(),
        "decimal": st.decimals(min_value=0, max_value=10**6, places=2).map(str),
        "date": st.dates().map(lambda d: d.isoformat()),
        "time": st.times().map(lambda t: t.replace(microsecond=0).isoformat()),
        "datetime": _instants.map(lambda d: d.astimezone(ZoneInfo("Europe/Brussels")).isoformat()),
    }
    return by_range.get(slot.range, _text)


# Converter name -> the native values that converter carries (given the rule and its slot).
ConverterStrategy = Callable[[Rule, PropertyInfo | None, ModelIndex], st.SearchStrategy[Any]]


def _multipolygons() -> st.SearchStrategy[str]:
    coordinate = st.floats(min_value=-180, max_value=180, allow_nan=False, width=64)
    ring = st.lists(st.lists(coordinate, min_size=2, max_size=2), min_size=4, max_size=6)
    polygon = st.lists(ring, min_size=1, max_size=2)
    return st.lists(polygon, min_size=1, max_size=3).map(
        lambda p: json.dumps({"type": "MultiPolygon", "coordinates": p}, separators=(",", ":")))


def _decimal_strings(rule: Rule, slot: PropertyInfo | None, index: ModelIndex) -> Any:
    places = rule.params.get("places", 2)
    return st.decimals(min_value=0, max_value=10**6, places=places).map(
        lambda d: str(d.quantize(Decimal(1).scaleb(-places))))


def _instant_strings(rule: Rule, slot: PropertyInfo | None, index: ModelIndex) -> Any:
    zone = ZoneInfo(rule.params.get("zone", "Europe/Brussels"))
    return _instants.map(lambda d: d.astimezone(zone).isoformat())


def _local_midnights(rule: Rule, slot: PropertyInfo | None, index: ModelIndex) -> Any:
    zone = ZoneInfo(rule.params.get("zone", "Europe/Brussels"))
    return st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)).map(
        lambda d: datetime.combine(d, time(), zone).isoformat())


CONVERTER_STRATEGIES: dict[str, ConverterStrategy] = {
    "code": lambda rule, slot, index: st.sampled_from(sorted(rule.params["table"])),
    "iri": lambda rule, slot, index: _slug.map(lambda s: rule.params["base"] + s),
    "integer_text": lambda rule, slot, index: st.integers(
        min_value=0, max_value=10 ** rule.params.get("digits", 9) - 1).map(str),
    "be_vat_number": lambda rule, slot, index: st.from_regex(
        r"[01][0-9]{9}", fullmatch=True).map(lambda d: f"{d[:4]}.{d[4:7]}.{d[7:]}"),
    "geojson_areas": lambda rule, slot, index: _multipolygons(),
    "decimal_number": _decimal_strings,
    "instant": _instant_strings,
    "npr_date": _local_midnights,
    "multilingual": lambda rule, slot, index: _text,
    "clock_duration": lambda rule, slot, index: st.integers(min_value=0, max_value=100 * 1440),
    "iso_duration": lambda rule, slot, index: st.integers(min_value=0, max_value=100 * 1440),
    "versioned_reference": lambda rule, slot, index: st.tuples(
        _slug, st.integers(min_value=1, max_value=999)).map(
        lambda p: f"{rule.params['base']}{p[0]}/{p[1]}"),
    "plate_scheme": lambda rule, slot, index: st.from_regex(r"[A-Z]{2}", fullmatch=True),
    "country_code": lambda rule, slot, index: st.from_regex(r"[A-Z]{2}", fullmatch=True),
}


def round_trip_rules(translator: Translator) -> tuple[Rule, ...]:
    """The rules a round trip must keep: both directions, no constant."""
    return tuple(r for r in translator.rules if r.direction == "both" and not r.constant)


def value_strategy(translator: Translator, rule: Rule,
                   index: ModelIndex | None = None) -> st.SearchStrategy[Any]:
    """Native values for one rule, nested in lists as deep as its path iterates."""
    index = index or model_index()
    assert rule.native is not None
    slot = resolve(rule.native, translator.native_class, index)
    if rule.convert is not None:
        if rule.convert not in CONVERTER_STRATEGIES:
            raise KeyError(f"converter {rule.convert!r} has no strategy in "
                           "vptr.mapping.testing.CONVERTER_STRATEGIES: add one with it")
        values = CONVERTER_STRATEGIES[rule.convert](rule, slot, index)
    else:
        values = range_strategy(slot, index)
    for _ in range(paths.depth(rule.native)):
        values = st.lists(values, max_size=3)
    return values


def _values(translator: Translator, index: ModelIndex | None
            ) -> st.SearchStrategy[list[tuple[Rule, Any]]]:
    """For every round-trip rule, a native value or none at all."""
    rules = round_trip_rules(translator)
    return st.tuples(*(st.one_of(st.just(MISSING), value_strategy(translator, r, index))
                       for r in rules)).map(lambda vs: list(zip(rules, vs, strict=True)))


def native_documents(translator: Translator,
                     index: ModelIndex | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Native documents holding any subset of the translator's mapped slots."""
    def build(values: list[tuple[Rule, Any]]) -> dict[str, Any]:
        document: dict[str, Any] = {}
        for rule, value in values:
            if value is not MISSING:
                assert rule.native is not None
                paths.compile_set(rule.native)(document, value)
        return document
    return _values(translator, index).map(build)


def messages(translator: Translator,
             index: ModelIndex | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Messages holding any subset of the translator's mapped fields, in canonical form."""
    def build(values: list[tuple[Rule, Any]]) -> dict[str, Any]:
        message: dict[str, Any] = {}
        for rule, value in values:
            if value is MISSING:
                continue
            assert rule.message is not None and rule.native is not None
            if rule.conversion is not None:
                value = convert_nested(rule.conversion.to_message,
                                        paths.depth(rule.native))(value)
            paths.compile_set(rule.message)(message, value)
        return message
    return _values(translator, index).map(build)


def _projection(rules: tuple[Rule, ...], document: dict[str, Any], native: bool,
                ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for rule in rules:
        path = rule.native if native else rule.message
        assert path is not None
        out[rule.label()] = paths.compile_get(path)(document)
    return out


def _differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f"{label}: {before[label]!r} became {after[label]!r}"
            for label in before if before[label] != after[label]]


def assert_native_round_trip(translator: Translator, document: dict[str, Any]) -> None:
    """native → message → native keeps the value of every round-trip rule's slot path."""
    rules = round_trip_rules(translator)
    message = translator.to_message(document)
    back = translator.to_native(message)
    lost = _differences(_projection(rules, document, True), _projection(rules, back, True))
    if lost:
        raise AssertionError(f"{translator!r}: native → message → native changed "
                             + "; ".join(lost) + f"\n  document: {document!r}"
                             f"\n  message: {message!r}\n  back: {back!r}")


def assert_message_round_trip(translator: Translator, message: dict[str, Any]) -> None:
    """message → native → message keeps the value of every round-trip rule's message path."""
    rules = round_trip_rules(translator)
    document = translator.to_native(message)
    back = translator.to_message(document)
    lost = _differences(_projection(rules, message, False), _projection(rules, back, False))
    if lost:
        raise AssertionError(f"{translator!r}: message → native → message changed "
                             + "; ".join(lost) + f"\n  message: {message!r}"
                             f"\n  document: {document!r}\n  back: {back!r}")


__all__ = ["CONVERTER_STRATEGIES", "assert_message_round_trip", "assert_native_round_trip",
           "messages", "native_documents", "range_strategy", "round_trip_rules",
           "value_strategy"]
