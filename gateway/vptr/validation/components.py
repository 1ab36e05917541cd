"""The SHACL core constraint components, as checks over :class:`DataNode` values.

Each factory takes a component's parameters (read from the shapes graph) and returns a check that
yields the failing value nodes of one focus node (``None`` for a result without a value, as for
``sh:minCount``). The semantics follow the W3C SHACL spec as pySHACL implements it, so the fast
validator and the reference report the same results.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .datagraph import RDF_TYPE, DataNode, Lit
from .literals import (
    compare,
    has_datatype,
    is_string_value,
    less_than,
    normalised_lexical,
    parsed,
)

Value = DataNode | Lit
#: A check: (focus node, its value nodes for the shape's path) -> the failing value nodes.
Check = Callable[[DataNode, list[Value]], Iterable[Value | None]]

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape: its component's local name, its parameter (for messages) and
    the check."""

    component: str
    parameter: Any
    check: Check


def min_count(n: int) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[None]:
        if len(values) < n:
            yield None
    return check


def max_count(n: int) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[None]:
        if len(values) > n:
            yield None
    return check


def datatype(iri: str) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            if not isinstance(v, Lit) or not has_datatype(v, iri):
                yield v
    return check


_NODE_KINDS = {
    SH + "IRI": (True, False, False), SH + "BlankNode": (False, True, False),
    SH + "Literal": (False, False, True), SH + "BlankNodeOrIRI": (True, True, False),
    SH + "BlankNodeOrLiteral": (False, True, True), SH + "IRIOrLiteral": (True, False, True),
}


def node_kind(kind: str) -> Check:
    iri_ok, blank_ok, literal_ok = _NODE_KINDS[kind]

    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            ok = literal_ok if isinstance(v, Lit) else blank_ok if v.blank else iri_ok
            if not ok:
                yield v
    return check


def class_(iri: str) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            if isinstance(v, Lit) or iri not in v.types:
                yield v
    return check


def in_(members: list[Value]) -> Check:
    iris = {m.key for m in members if isinstance(m, DataNode)}
    literals = {m.key() for m in members if isinstance(m, Lit)}

    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            ok = v.key() in literals if isinstance(v, Lit) else v.key in iris
            if not ok:
                yield v
    return check


def has_value(member: Value) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[Value | None]:
        for v in values:
            if isinstance(member, Lit) and isinstance(v, Lit) and v.key() == member.key():
                return
            if isinstance(member, DataNode) and isinstance(v, DataNode) and v.key == member.key:
                return
        yield None
    return check


def _string_of(v: Value) -> str:
    """The text a pattern is matched against or a length measured of: the IRI, or the lexical
    form as rdflib normalises it (as the reference validator does)."""
    return normalised_lexical(v) if isinstance(v, Lit) else v.key


def pattern(regex: str, flags: str | None = None) -> Check:
    re_flags = 0
    for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if flags and letter in flags.lower():
            re_flags |= flag
    matcher = re.compile(regex, re_flags)

    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            if (isinstance(v, DataNode) and v.blank) or not matcher.match(_string_of(v)):
                yield v
    return check


def min_length(n: int) -> Check:
    return _length(lambda length: length >= n)


def max_length(n: int) -> Check:
    return _length(lambda length: length <= n)


def _length(ok: Callable[[int], bool]) -> Check:
    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            if (isinstance(v, DataNode) and v.blank) or not ok(len(_string_of(v))):
                yield v
    return check


def value_range(bound: Lit, accept: Callable[[int], bool]) -> Check:
    """sh:minInclusive and friends: ``accept`` gets the comparison of the value with the bound."""
    bound_is_string = is_string_value(bound)

    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        for v in values:
            if not isinstance(v, Lit) or is_string_value(v) != bound_is_string:
                yield v
                continue
            try:
                ok = accept(compare(v, bound))
            except (TypeError, ArithmeticError):
                ok = False
            if not ok:
                yield v
    return check


def less_than_property(other: str, or_equal: bool = False) -> Check:
    """sh:lessThan / sh:lessThanOrEquals: every value before every value of ``other``."""
    def check(focus: DataNode, values: list[Value]) -> Iterator[Value]:
        others = _values(focus, other)
        for v in _distinct(values):
            for o in _distinct(others):
                if not _before(v, o, or_equal):
                    yield v
    return check


def _before(a: Value, b: Value, or_equal: bool) -> bool:
    a_text = _text_value(a)
    b_text = _text_value(b)
    if (a_text is None) != (b_text is None):
        return False
    if a_text is not None and b_text is not None:
        return a_text <= b_text if or_equal else a_text < b_text
    if not isinstance(a, Lit) or not isinstance(b, Lit):
        return False  # a blank node: nothing to compare
    try:
        if less_than(a, b):
            return True
        return or_equal and compare(a, b) == 0
    except (TypeError, ArithmeticError):
        return False


def _text_value(v: Value) -> str | None:
    """pySHACL compares IRIs and string-valued literals as text."""
    if isinstance(v, DataNode):
        return None if v.blank else v.key
    if is_string_value(v):
        return str(parsed(v)[1])
    return None


def _values(node: DataNode, predicate: str) -> list[Value]:
    if predicate == RDF_TYPE:
        return [DataNode(t, False) for t in node.types]
    return node.props.get(predicate, [])


def _distinct(values: list[Value]) -> list[Value]:
    seen: set[object] = set()
    out: list[Value] = []
    for v in values:
        key = v.key() if isinstance(v, Lit) else id(v)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def values_of(node: DataNode, predicate: str) -> list[Value]:
    """The value nodes of a predicate path at a focus node."""
    return _values(node, predicate)
