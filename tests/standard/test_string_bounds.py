"""Every string the model accepts is bounded and holds no control character (issue 18: "give every
string a maxLength in the model"; the audit after it found ``homepage`` taking 900 kB, a bell and
``javascript:``, ``clientReference`` an escape, and a date-time's fraction any number of digits).

LinkML has no length facet: a slot's length is bounded by its pattern (``{1,500}`` and the like),
which the profile, the generated Pydantic classes and the JSON Schema all enforce. So this walks
every slot of every class, as the class uses it (``slot_usage`` included), whose value is written
as a string, and reads its pattern: no unbounded repetition (``*``, ``+``, ``{n,}``), and nothing
that can match a control character (``.`` does, and so does a class that does not leave them out).

The few slots without a pattern are named below with the rule that bounds them instead, and a
test shows each of those rules refusing a long value with control characters.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the standard library's own reading of a pattern
from re._constants import (
    ANY,
    BRANCH,
    CATEGORY,
    IN,
    LITERAL,
    MAX_REPEAT,
    MAXREPEAT,
    MIN_REPEAT,
    NEGATE,
    NOT_LITERAL,
    RANGE,
    SUBPATTERN,
)

import pytest

from vptr.iris import Iris

#: The types whose values are strings in the documents (JSON strings, JSON-LD literals).
STRING_TYPES = {"string", "uri", "uriorcurie", "datetime", "date", "time", "decimal",
                "WktLiteral", "GeoJsonLiteral"}
#: The longest string any slot may hold (descriptions, 5,000 characters).
LONGEST = 5000
CONTROL = [chr(c) for c in range(0x20)] + ["\x7f"]

#: Slots without a pattern, and what bounds them instead (each shown below).
BOUNDED_ELSEWHERE = {
    "id": "vptr.iris.Iris.check_own: the register's own IRI, a reference of at most 120 "
          "characters of letters, digits and . _ ~ -",
    "isVersionOf": "vptr.iris: the IRI of the series of the zone or regime, checked like id",
    "asWKT": "vptr.geometry: parsed as a polygon (a bounded number of vertices within the body "
             "limit); a control character does not parse",
    "asGeoJSON": "vptr.geometry: parsed as GeoJSON (bounded depth, numbers and vertices)",
}


def _string_slots(model) -> dict[tuple[str, str], str | None]:
    """(class, slot) -> the pattern, for every slot a class holds as a string."""
    view = model.view
    found = {}
    for class_name in view.all_classes():
        for slot in view.class_induced_slots(class_name):
            if slot.range in STRING_TYPES or (
                    slot.range in view.all_types() and slot.range not in ("integer", "boolean",
                                                                           "float", "double")):
                found[(class_name, slot.name)] = slot.pattern
    return found


def _longest(pattern: str) -> int:
    return sre_parse.parse(pattern).getwidth()[1]


def _category_matches(category, char: str) -> bool:
    examples = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
                "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w",
                "CATEGORY_NOT_WORD": r"\W"}
    return re.fullmatch(examples[str(category)], char) is not None


def _set_matches(items, char: str) -> bool:
    negate, member = False, False
    for op, value in items:
        if op is NEGATE:
            negate = True
        elif op is LITERAL:
            member |= chr(value) == char
        elif op is RANGE:
            member |= value[0] <= ord(char) <= value[1]
        elif op is CATEGORY:
            member |= _category_matches(value, char)
    return member != negate


def _can_match_a_control_character(nodes) -> bool:
    for op, value in nodes:
        if op is ANY or op is NOT_LITERAL:
            return True
        if op is LITERAL and chr(value) in CONTROL:
            return True
        if op is IN and any(_set_matches(value, c) for c in CONTROL):
            return True
        if op in (MAX_REPEAT, MIN_REPEAT) and _can_match_a_control_character(value[2]):
            return True
        if op is SUBPATTERN and _can_match_a_control_character(value[-1]):
            return True
        if op is BRANCH and any(_can_match_a_control_character(b) for b in value[1]):
            return True
    return False


def test_the_reading_of_patterns_tells_bounded_from_unbounded() -> None:
    """The walk's own yardsticks, on patterns the model once had."""
    assert _longest(r"^.{1,40}$") == 40 and _longest(r"^[a-z]+$") >= MAXREPEAT
    assert _longest(r"^(19|2[0-9])[0-9]{2}(\.[0-9]+)?$") >= MAXREPEAT
    assert _can_match_a_control_character(sre_parse.parse(r"^.{1,40}$"))
    assert _can_match_a_control_character(sre_parse.parse(r"^[^\s<>]{1,40}$")) is True
    assert not _can_match_a_control_character(sre_parse.parse(r"^[^\u0000-\u001F\u007F]{1,5}$"))
    assert not _can_match_a_control_character(sre_parse.parse(r"^[A-Z0-9]{1,25}$"))
    assert _can_match_a_control_character(sre_parse.parse(
        r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]{1,5000}$"))  # tab, newline, return


def test_every_string_slot_is_bounded_by_its_pattern_or_named_rule(model) -> None:
    slots = _string_slots(model)
    assert len(slots) > 40  # the walk reaches the model's slots
    unbounded = {key: pattern for key, pattern in slots.items()
                 if key[1] not in BOUNDED_ELSEWHERE
                 and (pattern is None or _longest(pattern) > LONGEST)}
    assert unbounded == {}


#: Slots whose text may hold line breaks and tabs (a free-text description), nothing else.
MULTI_LINE = {"description"}


def test_no_string_slot_accepts_a_control_character(model) -> None:
    accepting = {}
    for key, pattern in _string_slots(model).items():
        if key[1] in BOUNDED_ELSEWHERE or pattern is None:
            continue
        parsed = sre_parse.parse(pattern)
        if key[1] in MULTI_LINE:
            bad = [c for c in CONTROL if c not in "\t\n\r"
                   and re.search(pattern, f"a{c}b") is not None]
            if bad:
                accepting[key] = pattern
        elif _can_match_a_control_character(parsed):
            accepting[key] = pattern
    assert accepting == {}


@pytest.mark.parametrize("value", [
    "https://data.parkeerregister.vlaanderen.be/id/zone/" + "a" * 121,
    "https://data.parkeerregister.vlaanderen.be/id/zone/a\u0007b",
    "https://data.parkeerregister.vlaanderen.be/id/zone/a\u0000b",
    "https://data.parkeerregister.vlaanderen.be/id/zone/" + "a" * 900_000,
])
def test_the_rule_bounding_ids_refuses_long_values_and_control_characters(value: str) -> None:
    assert Iris("https://data.parkeerregister.vlaanderen.be/id/").reference("zone", value) is None
