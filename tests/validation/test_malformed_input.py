"""Input that cannot be validated gets a clear error naming the place and the reason: never a
crash, a hang, a silently dropped key or a fetch from the network. Both engines refuse alike."""

from __future__ import annotations

import json

import pytest

from vptr.validation import CONTEXT_IRI, PayloadError, validate_document, validate_payload

ENGINES = ["fast", "pyshacl"]
RIGHT = {"type": "Right", "rightKind": "parking", "channel": "app", "rightStatus": "active",
         "zone": "https://data.parkeerregister.vlaanderen.be/id/zone/z",
         "provider": "https://data.parkeerregister.vlaanderen.be/id/organisation/p",
         "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
         "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00"}}

REFUSED: dict[str, tuple[object, str | None, str]] = {
    # name: (payload, the field named (a JSON pointer), words of the reason)
    "not JSON": (b"{'type': 'Right'}", None, "not valid JSON"),
    "not UTF-8": (b'{"type": "Right", "name": "\xff"}', None, "not valid JSON"),
    "empty": (b"  ", None, "empty"),
    "a JSON string": (b'"Right"', "", "JSON object"),
    "a context that is a number": ({"@context": 5, **RIGHT}, "/@context", "context is an IRI"),
    "an id that is a number": ({"@id": 5, **RIGHT}, "/@id", "must be a string"),
    "a relative id": ({"id": "r1", **RIGHT}, "/id", "not an absolute IRI"),
    "an IRI with a space": ({**RIGHT, "zone": "https://x.org/a zone"}, "/zone",
                            "not an absolute IRI"),
    "an unknown term": ({**RIGHT, "naam": "x"}, "/naam", "unknown term 'naam'"),
    "an unknown term deep inside": (
        {**RIGHT, "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "land": "BE"}}},
        "/vehicle/licencePlate/land", "unknown term 'land'"),
    "an unknown type": ({**RIGHT, "type": "Parkeerplaats"}, "/type", "unknown type"),
    "a type that is an object": ({**RIGHT, "type": {"id": "x"}}, "/type", "must be a string"),
    "type and @type both": ({**RIGHT, "@type": "Zone"}, "/@type", "not both"),
    "a remote context": ({"@context": "https://example.org/context.jsonld", **RIGHT},
                         "/@context", "remote context"),
    "a remote context in a list": ({"@context": [CONTEXT_IRI, "https://evil.example/c"],
                                    **RIGHT}, "/@context/1", "remote context"),
    "a remote context imported": ({"@context": {"@import": "https://evil.example/c"}, **RIGHT},
                                  "/@context/@import", "remote context"),
    "a remote context scoped in a term": (
        {"@context": {"x": {"@id": "https://x.org/x", "@context": "https://evil.example/c"}},
         **RIGHT}, "/@context/x/@context", "remote context"),
    "a context deep inside": ({**RIGHT, "vehicle": {"@context": CONTEXT_IRI}},
                              "/vehicle/@context", "only accepted on the outermost"),
    "a nested @graph": ({**RIGHT, "vehicle": {"@graph": []}}, "/vehicle/@graph",
                        "only accepted at the top"),
    "an array in an array": ({**RIGHT, "channel": [["app"]]}, "/channel/0", "array inside"),
    "a reference that is a number": ({**RIGHT, "zone": 5}, "/zone", "must be a string"),
    "a code list value that is a number": ({**RIGHT, "channel": 3}, "/channel", "short name"),
    "an object where a date-time belongs": (
        {**RIGHT, "validityPeriod": {"startTime": {"date": "today"}}},
        "/validityPeriod/startTime", "literal, not an object"),
    "a value object with a stray key": ({**RIGHT, "clientReference": {"@value": "x", "@id": "y"}},
                                        "/clientReference/@id", "value object"),
    "no type the model knows": ({"name": "Kouter"}, None, "no type the model knows"),
    "nothing of the model": ({"@graph": []}, None, "describes no object"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("payload", "field", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_unreadable_input_is_refused_naming_field_and_reason(payload: object, field: str | None,
                                                             reason: str, engine: str) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    with pytest.raises(PayloadError) as caught:
        validate_payload(data, "application/json", engine=engine)  # type: ignore[arg-type]
    assert reason in caught.value.reason
    if field is not None:
        assert caught.value.field == field


@pytest.mark.parametrize("engine", ENGINES)
def test_json_nested_ten_thousand_levels_deep_is_refused_without_recursion_error(
        engine: str) -> None:
    deep = b'{"type": "Right", "vptr:x": ' + b'{"vptr:x": ' * 10_000 + b"1" + b"}" * 10_001
    with pytest.raises(PayloadError, match="deeper"):
        validate_payload(deep, "application/json", engine=engine)  # type: ignore[arg-type]
    arrays = b'{"type": "Right", "name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    with pytest.raises(PayloadError):
        validate_payload(arrays, "application/json", engine=engine)  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_deep_python_structure_is_refused_without_recursion_error(engine: str) -> None:
    """validate_document gets parsed bodies, which no JSON parser limited in depth."""
    node: dict = {"vptr:x": 1}
    for _ in range(10_000):
        node = {"vptr:x": node}
    with pytest.raises(PayloadError, match="deeper"):
        validate_document({"type": "Right", **node}, engine=engine)  # type: ignore[arg-type]


def test_deep_turtle_is_refused_without_recursion_error() -> None:
    turtle = ("@prefix v: <https://data.vlaanderen.be/ns/parkeren-en-toegang#> .\n"
              "<https://x.org/r> a v:Right ; v:zone " + "[ v:zone " * 5_000 + "]" * 5_000 + " .")
    with pytest.raises(PayloadError, match="Turtle"):
        validate_payload(turtle, "text/turtle")


def test_broken_turtle_is_refused() -> None:
    with pytest.raises(PayloadError, match="not valid Turtle"):
        validate_payload("<a> <b> .", "text/turtle")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_huge_payload_is_refused_before_it_is_parsed(engine: str) -> None:
    """50 MB of something that is not even JSON: the size is what is reported, so the payload
    was refused before any parsing."""
    huge = b"[" * (50 * 1024 * 1024)
    with pytest.raises(PayloadError, match="more than the") as caught:
        validate_payload(huge, "application/json", engine=engine)  # type: ignore[arg-type]
    assert "52428800 bytes" in caught.value.reason


def test_the_size_limit_is_the_callers_to_choose() -> None:
    with pytest.raises(PayloadError, match="more than the 100 accepted"):
        validate_payload(json.dumps(RIGHT), max_bytes=100)
    assert validate_payload(json.dumps(RIGHT), max_bytes=10_000).conforms


def test_an_unknown_engine_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        validate_document(RIGHT, engine="jena")  # type: ignore[arg-type]
