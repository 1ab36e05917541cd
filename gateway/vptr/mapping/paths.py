"""Field paths into JSON-like documents, compiled once into reading and writing functions.

Both sides of a mapping rule are paths of the same small grammar, so one rule can run in both
directions: the reader of one side feeds the writer of the other.

    segment            ``name``          a key of an object
    segment[]          ``name[]``        every element of the list under ``name``
    segment[0]         ``name[0]``       the first element (out: a one-element list)
    segment[key=value] ``name[k=v]``     the element whose ``k`` is ``v`` (out: found or added)

Segments are joined with dots: ``identifiers[identifierScheme=apdsId].notation``,
``responsibilityRoleAssignments[type=operator].contactPoints[0].id``. A value read through
``[]`` is a list (nested lists for several ``[]``); JSON ``null`` reads as missing, because NPR
elements are ``nillable`` and an absent field and a null one mean the same to the register.

Paths are compiled into closures rather than interpreted per document: translation must stay
within a small multiple of a Pydantic parse (docs/mappings.md, bench/mapping.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final


class _Missing:
    """The value of a path that leads nowhere (distinct from any JSON value, ``null`` included)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()

Getter = Callable[[Any], Any]
Setter = Callable[[dict[str, Any], Any], None]


@dataclass(frozen=True)
class Segment:
    """One step of a path: a key, and how to pick from the list under it (if at all)."""

    name: str
    selector: str | None = None  # None | "each" | "first" | "filter"
    filter_key: str | None = None
    filter_value: str | None = None

    def __str__(self) -> str:
        if self.selector == "each":
            return f"{self.name}[]"
        if self.selector == "first":
            return f"{self.name}[0]"
        if self.selector == "filter":
            return f"{self.name}[{self.filter_key}={self.filter_value}]"
        return self.name


class PathSyntaxError(ValueError):
    """A path that does not follow the grammar of this module."""


_SEGMENT = re.compile(
    r"^(?P<name>[A-Za-z_@][A-Za-z0-9_]*)"
    r"(?:\[(?P<sel>|0|(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>[^\]\[]+))\])?$")


def parse(text: str) -> tuple[Segment, ...]:
    """The segments of a path; a :class:`PathSyntaxError` names the segment that does not parse."""
    if not isinstance(text, str) or not text.strip():
        raise PathSyntaxError(f"a path must be a non-empty string, not {text!r}")
    segments: list[Segment] = []
    for part in text.split("."):
        match = _SEGMENT.match(part)
        if match is None:
            raise PathSyntaxError(
                f"segment {part!r} of {text!r} is not name, name[], name[0] or name[key=value]")
        sel = match.group("sel")
        if sel is None:
            segments.append(Segment(match.group("name")))
        elif sel == "":
            segments.append(Segment(match.group("name"), "each"))
        elif sel == "0":
            segments.append(Segment(match.group("name"), "first"))
        else:
            segments.append(Segment(match.group("name"), "filter", match.group("key"),
                                    match.group("value")))
    if segments[-1].selector == "filter":
        raise PathSyntaxError(f"{text!r} ends in a filter: name the field of the element to use")
    return tuple(segments)


def depth(segments: tuple[Segment, ...]) -> int:
    """How many lists deep the path's values are (the number of ``[]``)."""
    return sum(1 for s in segments if s.selector == "each")


def render(segments: tuple[Segment, ...]) -> str:
    return ".".join(str(s) for s in segments)


# ------------------------------------------------------------------------------------ reading
def _identity(value: Any) -> Any:
    return value


def compile_get(segments: tuple[Segment, ...]) -> Getter:
    """A function reading the path's value from a document (MISSING where it leads nowhere)."""
    reader: Getter = _identity
    for segment in reversed(segments):
        reader = _get_step(segment, reader)
    return reader


def _get_step(segment: Segment, rest: Getter) -> Getter:
    name = segment.name
    if segment.selector is None:
        def get_key(obj: Any) -> Any:
            if type(obj) is not dict:
                return MISSING
            value = obj.get(name)
            return MISSING if value is None else rest(value)
        return get_key
    if segment.selector == "each":
        def get_each(obj: Any) -> Any:
            if type(obj) is not dict:
                return MISSING
            value = obj.get(name)
            if type(value) is not list:
                return MISSING
            return [MISSING if e is None else rest(e) for e in value]
        return get_each
    if segment.selector == "first":
        def get_first(obj: Any) -> Any:
            if type(obj) is not dict:
                return MISSING
            value = obj.get(name)
            if type(value) is not list or not value or value[0] is None:
                return MISSING
            return rest(value[0])
        return get_first
    key, wanted = segment.filter_key, segment.filter_value

    def get_filtered(obj: Any) -> Any:
        if type(obj) is not dict:
            return MISSING
        value = obj.get(name)
        if type(value) is not list:
            return MISSING
        for element in value:
            if type(element) is dict and element.get(key) == wanted:
                return rest(element)
        return MISSING
    return get_filtered


# ------------------------------------------------------------------------------------ writing
def compile_set(segments: tuple[Segment, ...]) -> Setter:
    """A function writing a value (nested lists for ``[]``) into a document, creating objects and
    lists on the way. MISSING values, also inside lists, are not written."""
    writer: Setter | None = None
    for segment in reversed(segments):
        writer = _set_step(segment, writer)
    assert writer is not None
    return writer


def _set_step(segment: Segment, rest: Setter | None) -> Setter:
    name = segment.name
    if segment.selector is None:
        if rest is None:
            def set_leaf(obj: dict[str, Any], value: Any) -> None:
                obj[name] = value
            return set_leaf

        def set_key(obj: dict[str, Any], value: Any) -> None:
            child = obj.get(name)
            if type(child) is not dict:
                child = obj[name] = {}
            rest(child, value)
        return set_key
    if segment.selector == "each":
        if rest is None:
            def set_each_leaf(obj: dict[str, Any], value: Any) -> None:
                obj[name] = [v for v in value if v is not MISSING]
            return set_each_leaf

        def set_each(obj: dict[str, Any], value: Any) -> None:
            present = [i for i, v in enumerate(value) if v is not MISSING]
            if not present:
                if name not in obj and not value:
                    obj[name] = []
                return
            elements = obj.get(name)
            if type(elements) is not list:
                elements = obj[name] = []
            while len(elements) <= present[-1]:
                elements.append({})
            for i in present:
                if type(elements[i]) is not dict:
                    elements[i] = {}
                rest(elements[i], value[i])
        return set_each
    if segment.selector == "first":
        if rest is None:
            def set_first_leaf(obj: dict[str, Any], value: Any) -> None:
                elements = obj.get(name)
                if type(elements) is list and elements:
                    elements[0] = value
                else:
                    obj[name] = [value]
            return set_first_leaf

        def set_first(obj: dict[str, Any], value: Any) -> None:
            elements = obj.get(name)
            if type(elements) is not list:
                elements = obj[name] = []
            if not elements or type(elements[0]) is not dict:
                if elements:
                    elements[0] = {}
                else:
                    elements.append({})
            rest(elements[0], value)
        return set_first
    key, wanted = segment.filter_key, segment.filter_value
    assert rest is not None  # parse() refuses a path ending in a filter

    def set_filtered(obj: dict[str, Any], value: Any) -> None:
        elements = obj.get(name)
        if type(elements) is not list:
            elements = obj[name] = []
        for element in elements:
            if type(element) is dict and element.get(key) == wanted:
                rest(element, value)
                return
        element = {key: wanted}
        elements.append(element)
        rest(element, value)
    return set_filtered
