"""The hand-written SHACL-SPARQL shapes of ``shapes/``, compiled by hand into Python.

pySHACL runs each shape's SPARQL query; the fast validator runs the function registered here
under the shape's IRI, which computes the same results over a :class:`DataGraph`. Each function
follows its query step by step, including the casts (``xsd:integer(STR(?x))``: a value that does
not cast is left out) and rdflib's comparison rules, so both engines report the same violations.

A query and its function must not drift apart: every rule records a fingerprint of the query it
implements, and loading the profile fails when the query in the shapes no longer has that
fingerprint. Change both together (:func:`print_fingerprints` prints the current ones).
The table of licence plate formats is data, read from the query itself.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node
from rdflib.xsd_datetime import parse_datetime  # what rdflib's SPARQL casts with

from .datagraph import DataGraph, DataNode, Lit
from .errors import UnsupportedShapeError
from .literals import normalised_lexical
from .published import profile_graph

SHAPES = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"
VPTR = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
M8G = "http://data.europa.eu/m8g/"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"

Result = tuple[str, DataNode | Lit]
Rule = Callable[[DataNode, "RuleData"], list[Result]]
Factory = Callable[[Graph, Node, Node], Rule]


class RuleData:
    """The data graph as the rules query it: forward values and, built on first use, the subjects
    pointing at a node (``?tariff vptr:tariffStep $this``)."""

    def __init__(self, graph: DataGraph) -> None:
        self.graph = graph
        self._reverse: dict[int, list[tuple[str, DataNode]]] | None = None

    def subjects(self, node: DataNode, predicate: str) -> list[DataNode]:
        if self._reverse is None:
            reverse: dict[int, list[tuple[str, DataNode]]] = {}
            for subject in self.graph.all_nodes():
                for p, values in subject.props.items():
                    for v in values:
                        if isinstance(v, DataNode):
                            reverse.setdefault(id(v), []).append((p, subject))
            self._reverse = reverse
        return [s for p, s in self._reverse.get(id(node), ()) if p == predicate]


def _nodes(node: DataNode, predicate: str) -> list[DataNode]:
    return [v for v in node.props.get(predicate, ()) if isinstance(v, DataNode)]


def _values(node: DataNode, predicate: str) -> list[DataNode | Lit]:
    return node.props.get(predicate, [])


def sparql_str(value: DataNode | Lit) -> str:
    """SPARQL's STR(): an IRI's text, or a literal's lexical form as rdflib normalises it."""
    if isinstance(value, DataNode):
        return value.key
    return normalised_lexical(value)


def _as_datetime(text: str) -> datetime | None:
    """``xsd:dateTime(?text)`` in rdflib's SPARQL; None where the cast fails."""
    try:
        value = parse_datetime(text)
    except Exception:  # the cast fails however the parser says so
        return None
    return value if isinstance(value, datetime) else None


def _datetime(value: DataNode | Lit) -> datetime | None:
    return None if isinstance(value, DataNode) and value.blank else _as_datetime(sparql_str(value))


def _integer(value: DataNode | Lit) -> int | None:
    """``xsd:integer(STR(?x))`` in rdflib's SPARQL; None where the cast fails."""
    try:
        return int(sparql_str(value))
    except ValueError:
        return None


def _naive(value: datetime) -> bool:
    """``TZ(?x) = ""``."""
    return value.tzinfo is None


def _midnight(value: datetime) -> bool:
    return value.hour == 0 and value.minute == 0 and value.second == 0 and value.microsecond == 0


def _distinct(results: Iterable[Result]) -> list[Result]:
    """SELECT DISTINCT over (?path, ?value)."""
    seen: set[tuple[str, object]] = set()
    out: list[Result] = []
    for path, value in results:
        key = (path, value.key() if isinstance(value, Lit) else id(value))
        if key not in seen:
            seen.add(key)
            out.append((path, value))
    return out


# ------------------------------------------------------------------------------------ registry
@dataclass(frozen=True)
class Registered:
    fingerprint: str
    factory: Factory

    def __call__(self, graph: Graph, shape: Node, constraint: Node) -> Rule:
        query = str(graph.value(constraint, SH.select) or "")
        found = fingerprint(query)
        if found != self.fingerprint:
            raise UnsupportedShapeError(
                f"{shape}: its SPARQL query changed (fingerprint {found}, the compiled rule was "
                f"written for {self.fingerprint}); update its function in vptr.validation.rules")
        return self.factory(graph, shape, constraint)


REGISTRY: dict[str, Registered] = {}
_FORMAT = re.compile(r'BIND \("([A-Z]{2})" AS \?code\) BIND \("((?:[^"\\]|\\.)*)" AS \?format\)')


def fingerprint(query: str) -> str:
    """A hash of the query's logic: whitespace collapsed, plate format strings left out."""
    text = _FORMAT.sub('BIND ("" AS ?code) BIND ("" AS ?format)', " ".join(query.split()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def rule(local_name: str, query_fingerprint: str) -> Callable[[Factory], Factory]:
    def register(factory: Factory) -> Factory:
        REGISTRY[SHAPES + local_name] = Registered(query_fingerprint, factory)
        return factory
    return register


def _simple(check: Callable[[DataNode, RuleData], Iterable[Result]]) -> Factory:
    """A factory for a rule that needs nothing from the shapes graph."""
    def factory(graph: Graph, shape: Node, constraint: Node) -> Rule:
        return lambda focus, data: _distinct(check(focus, data))
    return factory


# ------------------------------------------------------------------------------------ the rules
def _time_slot_opens_before_closes(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for o in _values(focus, SCHEMA + "opens"):
        for value in _values(focus, SCHEMA + "closes"):
            opens = _as_datetime("2000-01-01T" + sparql_str(o))
            closes = _as_datetime("2000-01-01T" + sparql_str(value))
            if opens is None or closes is None or _naive(opens) != _naive(closes):
                continue
            if not _midnight(closes) and opens >= closes:
                yield (SCHEMA + "closes", value)


def _tariff_steps(tariff: DataNode) -> list[DataNode]:
    return _nodes(tariff, VPTR + "tariffStep")


def _starts(step: DataNode) -> list[int]:
    starts = (_integer(v) for v in _values(step, VPTR + "startDuration"))
    return [i for i in starts if i is not None]


def _tariff_steps_start_at_zero(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariffStep"):
        for value in _values(focus, VPTR + "startDuration"):
            start = _integer(value)
            if start is None or start == 0:
                continue
            earlier = any(s < start for other in _tariff_steps(tariff) if other is not focus
                          for s in _starts(other))
            if not earlier:
                yield (VPTR + "startDuration", value)


def _covers(step: DataNode, point: int) -> bool:
    """Whether a step's [start, end) contains ``point`` (an open step: [start, ...))."""
    ends = _values(step, VPTR + "endDuration")
    if not any(s <= point for s in _starts(step)):
        return False
    if not ends:
        return True
    return any(e is not None and e > point for e in (_integer(v) for v in ends))


def _tariff_steps_contiguous(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariffStep"):
        steps = _tariff_steps(tariff)
        for value in _values(focus, VPTR + "endDuration"):
            end = _integer(value)
            if end is None:
                continue
            later = any(s >= end for step in steps for s in _starts(step))
            if later and not any(_covers(step, end) for step in steps):
                yield (VPTR + "endDuration", value)


def _tariff_steps_do_not_overlap(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariffStep"):
        others = [s for s in _tariff_steps(tariff) if s is not focus]
        for value in _values(focus, VPTR + "startDuration"):
            start = _integer(value)
            if start is not None and any(_covers(other, start) for other in others):
                yield (VPTR + "startDuration", value)


def _plate_formats(graph: Graph, shape: Node, constraint: Node) -> Rule:
    query = str(graph.value(constraint, SH.select))
    formats: dict[str, list[re.Pattern[str]]] = {}
    for code, pattern in _FORMAT.findall(query):
        formats.setdefault(code, []).append(re.compile(pattern.replace("\\\\", "\\")))
    if not formats:
        raise UnsupportedShapeError(f"{shape}: no plate formats found in its query")

    def check(focus: DataNode, data: RuleData) -> Iterable[Result]:
        for country in _values(focus, VPTR + "country"):
            code = sparql_str(country)
            for value in _values(focus, VPTR + "plateNumber"):
                text = sparql_str(value)
                if any(not p.search(text) for p in formats.get(code, ())):
                    yield (VPTR + "plateNumber", value)

    return lambda focus, data: _distinct(check(focus, data))


def _one_area_manager(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for zone in _nodes(focus, VPTR + "zone"):
        managers = {v.key if isinstance(v, DataNode) else v.key()
                    for v in _values(zone, VPTR + "areaManager")}
        if not managers:
            continue
        for value in _nodes(focus, VPTR + "authorisation"):
            grantors = [v.key if isinstance(v, DataNode) else v.key()
                        for v in _values(value, VPTR + "grantor")]
            if any(g not in managers for g in grantors):
                yield (VPTR + "authorisation", value)


_MAX_MINUTES = 52_560_000  # a hundred years: beyond, date arithmetic overflows


def _within_maximum_duration(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for value in _nodes(focus, DCTERMS + "temporal"):
        for regime in _nodes(focus, VPTR + "regime"):
            for maximum in _values(regime, VPTR + "maximumDuration"):
                for s in _values(value, M8G + "startTime"):
                    for e in _values(value, M8G + "endTime"):
                        start, end, minutes = _datetime(s), _datetime(e), _integer(maximum)
                        if start is None or end is None or minutes is None:
                            continue
                        if not 1 <= minutes <= _MAX_MINUTES or _naive(start) != _naive(end):
                            continue
                        try:
                            too_long = end > start + timedelta(minutes=minutes)
                        except OverflowError:
                            continue
                        if too_long:
                            yield (DCTERMS + "temporal", value)


def _within_whitelist_period(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for whitelist in data.subjects(focus, VPTR + "entry"):
        for list_period in _nodes(whitelist, DCTERMS + "temporal"):
            for value in _nodes(focus, DCTERMS + "temporal"):
                for ls in _values(list_period, M8G + "startTime"):
                    for es in _values(value, M8G + "startTime"):
                        for le in _values(list_period, M8G + "endTime") or [None]:
                            for ee in _values(value, M8G + "endTime") or [None]:
                                if _outside(ls, es, le, ee):
                                    yield (DCTERMS + "temporal", value)


def _outside(ls: Any, es: Any, le: Any, ee: Any) -> bool:
    list_start, entry_start = _datetime(ls), _datetime(es)
    list_end = _datetime(le) if le is not None else None
    entry_end = _datetime(ee) if ee is not None else None
    if list_start is None or entry_start is None:
        return False
    if (le is not None and list_end is None) or (ee is not None and entry_end is None):
        return False
    if _naive(list_start) != _naive(entry_start):
        return False
    if list_end is not None and entry_end is not None and _naive(list_end) != _naive(entry_end):
        return False
    return (entry_start < list_start
            or (list_end is not None and entry_end is None)
            or (list_end is not None and entry_end is not None and entry_end > list_end))


rule("TimeSlotOpensBeforeCloses", "79454782b74212e0")(_simple(_time_slot_opens_before_closes))
rule("TariffStepsStartAtZero", "8efeb018662480be")(_simple(_tariff_steps_start_at_zero))
rule("TariffStepsContiguous", "e086413f81a068d6")(_simple(_tariff_steps_contiguous))
rule("TariffStepsDoNotOverlap", "fa392ec6fae02b63")(_simple(_tariff_steps_do_not_overlap))
rule("LicencePlateNormalisedForCountry", "c0907ddf75671d4c")(_plate_formats)
rule("RightZoneAndAuthorisationOfOneAreaManager", "a92d80043c22d54e")(_simple(_one_area_manager))
rule("RightWithinMaximumDuration", "0a30e4baf42b1893")(_simple(_within_maximum_duration))
rule("WhitelistEntryWithinWhitelistPeriod", "b60351f25b705d7f")(_simple(_within_whitelist_period))


def print_fingerprints() -> None:  # pragma: no cover - a maintenance aid
    """Prints the fingerprint of every SPARQL shape in the published profile."""
    graph = profile_graph()
    for shape, constraint in sorted(graph.subject_objects(SH.sparql), key=str):
        query = str(graph.value(constraint, SH.select))
        print(f"{str(shape).removeprefix(SHAPES)}: {fingerprint(query)}")


__all__ = ["REGISTRY", "Literal", "RuleData", "fingerprint", "print_fingerprints", "sparql_str"]
