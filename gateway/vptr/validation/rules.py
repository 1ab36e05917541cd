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
MOBILITEIT = "https://data.vlaanderen.be/ns/mobiliteit#"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"

Result = tuple[str, DataNode | Lit]
Rule = Callable[[DataNode, "RuleData"], list[Result]]
Factory = Callable[[Graph, Node, Node], Rule]


class RuleData:
    """The data graph as the rules query it: forward values and, built on first use, the subjects
    pointing at a node (``?tariff vptr:tariefschijf $this``)."""

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
#: A row of a two-column table of IRIs: ``BIND (<from> AS ?from) BIND (<to> AS ?to)`` (SHACL
#: allows no VALUES clause in a constraint).
_PAIR = re.compile(r"BIND \(<([^<>\s]+)> AS \?from\) BIND \(<([^<>\s]+)> AS \?to\)")


def fingerprint(query: str) -> str:
    """A hash of the query's logic: whitespace collapsed, plate format strings and the rows of
    IRI tables left out: those are data, edited without touching code."""
    text = _FORMAT.sub('BIND ("" AS ?code) BIND ("" AS ?format)', " ".join(query.split()))
    text = _PAIR.sub("BIND (<> AS ?from) BIND (<> AS ?to)", text)
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
    return _nodes(tariff, VPTR + "tariefschijf")


def _starts(step: DataNode) -> list[int]:
    starts = (_integer(v) for v in _values(step, VPTR + "beginduur"))
    return [i for i in starts if i is not None]


def _tariff_steps_start_at_zero(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariefschijf"):
        for value in _values(focus, VPTR + "beginduur"):
            start = _integer(value)
            if start is None or start == 0:
                continue
            earlier = any(s < start for other in _tariff_steps(tariff) if other is not focus
                          for s in _starts(other))
            if not earlier:
                yield (VPTR + "beginduur", value)


def _covers(step: DataNode, point: int) -> bool:
    """Whether a step's [start, end) contains ``point`` (an open step: [start, ...))."""
    ends = _values(step, VPTR + "eindduur")
    if not any(s <= point for s in _starts(step)):
        return False
    if not ends:
        return True
    return any(e is not None and e > point for e in (_integer(v) for v in ends))


def _tariff_steps_contiguous(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariefschijf"):
        steps = _tariff_steps(tariff)
        for value in _values(focus, VPTR + "eindduur"):
            end = _integer(value)
            if end is None:
                continue
            later = any(s >= end for step in steps for s in _starts(step))
            if later and not any(_covers(step, end) for step in steps):
                yield (VPTR + "eindduur", value)


def _tariff_steps_do_not_overlap(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for tariff in data.subjects(focus, VPTR + "tariefschijf"):
        others = [s for s in _tariff_steps(tariff) if s is not focus]
        for value in _values(focus, VPTR + "beginduur"):
            start = _integer(value)
            if start is not None and any(_covers(other, start) for other in others):
                yield (VPTR + "beginduur", value)


def _plate_formats(graph: Graph, shape: Node, constraint: Node) -> Rule:
    query = str(graph.value(constraint, SH.select))
    formats: dict[str, list[re.Pattern[str]]] = {}
    for code, pattern in _FORMAT.findall(query):
        formats.setdefault(code, []).append(re.compile(pattern.replace("\\\\", "\\")))
    if not formats:
        raise UnsupportedShapeError(f"{shape}: no plate formats found in its query")

    def check(focus: DataNode, data: RuleData) -> Iterable[Result]:
        for country in _values(focus, VPTR + "land"):
            code = sparql_str(country)
            for value in _values(focus, VPTR + "plaatnummer"):
                text = sparql_str(value)
                if any(not p.search(text) for p in formats.get(code, ())):
                    yield (VPTR + "plaatnummer", value)

    return lambda focus, data: _distinct(check(focus, data))


def _one_area_manager(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for zone in _nodes(focus, MOBILITEIT + "zone"):
        managers = {v.key if isinstance(v, DataNode) else v.key()
                    for v in _values(zone, MOBILITEIT + "beheerder")}
        if not managers:
            continue
        for value in _nodes(focus, VPTR + "machtiging"):
            grantors = [v.key if isinstance(v, DataNode) else v.key()
                        for v in _values(value, VPTR + "machtiginggever")]
            if any(g not in managers for g in grantors):
                yield (VPTR + "machtiging", value)


_MAX_MINUTES = 52_560_000  # a hundred years: beyond, date arithmetic overflows


def _within_maximum_duration(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for value in _nodes(focus, MOBILITEIT + "periode"):
        for regime in _nodes(focus, VPTR + "regime"):
            for maximum in _values(regime, VPTR + "maximaleDuur"):
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
                            yield (MOBILITEIT + "periode", value)


def _within_whitelist_period(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for whitelist in data.subjects(focus, VPTR + "vermelding"):
        for list_period in _nodes(whitelist, MOBILITEIT + "periode"):
            for value in _nodes(focus, MOBILITEIT + "periode"):
                for ls in _values(list_period, M8G + "startTime"):
                    for es in _values(value, M8G + "startTime"):
                        for le in _values(list_period, M8G + "endTime") or [None]:
                            for ee in _values(value, M8G + "endTime") or [None]:
                                if _outside(ls, es, le, ee):
                                    yield (MOBILITEIT + "periode", value)


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


def _term(value: DataNode | Lit) -> object:
    """A value as SPARQL's sameTerm sees it: an IRI by its text, a literal by its key."""
    return value.key if isinstance(value, DataNode) else value.key()


def _is_iri(value: DataNode | Lit) -> bool:
    return isinstance(value, DataNode) and not value.blank


def _iri_table(graph: Graph, shape: Node, constraint: Node) -> dict[str, str]:
    """The table of a query, from IRI to IRI (``BIND (<usage> AS ?from) BIND (<kind> AS ?to)``)."""
    table = dict(_PAIR.findall(str(graph.value(constraint, SH.select))))
    if not table:
        raise UnsupportedShapeError(f"{shape}: no table of IRIs found in its query")
    return table


def _usage_of_right_kind(graph: Graph, shape: Node, constraint: Node) -> Rule:
    kinds = _iri_table(graph, shape, constraint)

    def check(focus: DataNode, data: RuleData) -> Iterable[Result]:
        for kind in _values(focus, VPTR + "soortRecht"):
            for value in _values(focus, VPTR + "gebruiksdoel"):
                expected = kinds.get(value.key) if _is_iri(value) else None  # type: ignore[union-attr]
                if expected is not None and _is_iri(kind) and _term(kind) != expected:
                    yield (VPTR + "gebruiksdoel", value)

    return lambda focus, data: _distinct(check(focus, data))


def _right_kind_of_zones(graph: Graph, shape: Node, constraint: Node) -> Rule:
    kinds = _iri_table(graph, shape, constraint)

    def check(focus: DataNode, data: RuleData) -> Iterable[Result]:
        for value in _values(focus, VPTR + "soortRecht"):
            for zone in _nodes(focus, MOBILITEIT + "zone"):
                for zone_kind in _values(zone, VPTR + "zonetype"):
                    expected = (kinds.get(zone_kind.key)  # type: ignore[union-attr]
                                if _is_iri(zone_kind) else None)
                    if expected is not None and _is_iri(value) and _term(value) != expected:
                        yield (VPTR + "soortRecht", value)

    return lambda focus, data: _distinct(check(focus, data))


def _within_its_regime(focus: DataNode, data: RuleData) -> Iterable[Result]:
    for regime in _nodes(focus, VPTR + "regime"):
        for predicate in (MOBILITEIT + "zone", VPTR + "soortRecht", VPTR + "gebruiksdoel"):
            held = {_term(v) for v in _values(regime, predicate)}
            if not held:
                continue
            for value in _values(focus, predicate):
                if _term(value) not in held:
                    yield (predicate, value)


def _date_or_recurring_day(focus: DataNode, data: RuleData) -> Iterable[Result]:
    dates = _values(focus, DCTERMS + "date")
    recurring = _values(focus, VPTR + "terugkerendeDag")
    if dates:
        for value in recurring:
            yield (VPTR + "terugkerendeDag", value)
    elif not recurring and data.subjects(focus, VPTR + "vrijgesteldeDag"):
        # ?value unbound: pySHACL reports the focus node as the value
        yield (DCTERMS + "date", focus)


def _holiday_hours_not_exempt(focus: DataNode, data: RuleData) -> Iterable[Result]:
    holiday = SCHEMA + "PublicHolidays"
    exempt = any(_is_iri(r) and _term(r) == holiday
                 for regime in data.subjects(focus, VPTR + "tijdvak")
                 for day in _nodes(regime, VPTR + "vrijgesteldeDag")
                 for r in _values(day, VPTR + "terugkerendeDag"))
    if exempt:
        for value in _values(focus, SCHEMA + "dayOfWeek"):
            if _is_iri(value) and _term(value) == holiday:
                yield (SCHEMA + "dayOfWeek", value)


rule("TimeSlotOpensBeforeCloses", "79454782b74212e0")(_simple(_time_slot_opens_before_closes))
rule("TariffStepsStartAtZero", "3a9abddd765d31e7")(_simple(_tariff_steps_start_at_zero))
rule("TariffStepsContiguous", "ab3dc663a19e815c")(_simple(_tariff_steps_contiguous))
rule("TariffStepsDoNotOverlap", "c287b5de531ef36b")(_simple(_tariff_steps_do_not_overlap))
rule("LicencePlateNormalisedForCountry", "75addc22de6e5c6c")(_plate_formats)
rule("RightZoneAndAuthorisationOfOneAreaManager", "5b9a894bbe6812b5")(_simple(_one_area_manager))
rule("RightWithinMaximumDuration", "eaa8309e07c51df9")(_simple(_within_maximum_duration))
rule("WhitelistEntryWithinWhitelistPeriod", "fea9a08e5e26dd3d")(_simple(_within_whitelist_period))
rule("UsageOfItsRightKind", "715668e4c72ae697")(_usage_of_right_kind)
rule("RightKindOfItsZones", "45d2c5ecee65b59b")(_right_kind_of_zones)
rule("RightWithinItsRegime", "0dab6159cfe1eb8b")(_simple(_within_its_regime))
rule("SpecialDayDateOrRecurringDay", "ea221c44e5156a68")(_simple(_date_or_recurring_day))
rule("HolidayHoursNotExempt", "1343797508142724")(_simple(_holiday_hours_not_exempt))


def print_fingerprints() -> None:  # pragma: no cover - a maintenance aid
    """Prints the fingerprint of every SPARQL shape in the published profile."""
    graph = profile_graph()
    for shape, constraint in sorted(graph.subject_objects(SH.sparql), key=str):
        query = str(graph.value(constraint, SH.select))
        print(f"{str(shape).removeprefix(SHAPES)}: {fingerprint(query)}")


__all__ = ["REGISTRY", "Literal", "RuleData", "fingerprint", "print_fingerprints", "sparql_str"]
