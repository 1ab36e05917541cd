"""The application profile compiled into checks the fast validator runs.

The shapes are data (``application-profile.ttl``), not code: this module reads every shape of a
shapes graph and turns each constraint into a check from :mod:`.components`, and each SHACL-SPARQL
constraint into the Python rule registered for its shape in :mod:`.rules`. Anything it does not
know (a component, a target kind, a path expression, a SPARQL shape without a rule, or one whose
query changed since its rule was written) stops the load with :class:`UnsupportedShapeError`: a
shape is never silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from . import components as c
from .datagraph import DataNode, Lit
from .errors import UnsupportedShapeError
from .published import profile_graph


@dataclass
class PropertyShape:
    iri: str
    path: str
    severity: str
    messages: dict[str, str]
    constraints: list[c.Constraint]
    #: ``sh:node``: the node shapes every value must conform to (an embedded object's class).
    nodes: list[str] = field(default_factory=list)


#: A compiled SPARQL rule: (focus node, the data) -> results as (path IRI, value) pairs.
RuleCheck = Callable[[DataNode, Any], list[tuple[str | None, "c.Value | None"]]]


@dataclass
class SparqlRule:
    messages: dict[str, str]
    check: RuleCheck


@dataclass
class NodeShape:
    iri: str
    targets: list[str]
    severity: str
    messages: dict[str, str]
    properties: list[PropertyShape] = field(default_factory=list)
    constraints: list[c.Constraint] = field(default_factory=list)  # on the focus node itself
    closed: frozenset[str] | None = None  # the allowed predicates of a closed shape
    rules: list[SparqlRule] = field(default_factory=list)
    #: ``sh:node``: further node shapes the focus node must conform to (hand-written rules).
    nodes: list[str] = field(default_factory=list)


@dataclass
class CompiledProfile:
    shapes: list[NodeShape]
    by_target: dict[str, list[NodeShape]]
    property_shapes: dict[str, PropertyShape]
    by_iri: dict[str, NodeShape] = field(default_factory=dict)

    def messages(self, shape: str, component: str) -> tuple[dict[str, str], Any] | None:
        """The messages and the parameter behind a result of ``component`` from ``shape``
        (what any engine's report needs to explain it), or None for an unknown shape."""
        prop = self.property_shapes.get(shape)
        if prop is not None:
            parameter = next((c.parameter for c in prop.constraints if c.component == component),
                             None)
            return prop.messages, parameter
        node = next((s for s in self.shapes if s.iri == shape), None)
        if node is None:
            return None
        if component == "SPARQLConstraintComponent" and node.rules:
            return node.rules[0].messages, None
        parameter = next((c.parameter for c in node.constraints if c.component == component),
                         None)
        return node.messages, parameter

    def shapes_for(self, types: list[str]) -> list[NodeShape]:
        found: list[NodeShape] = []
        for t in types:
            for shape in self.by_target.get(t, ()):
                if shape not in found:
                    found.append(shape)
        return found


_ANNOTATIONS = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.message,
                SH.severity, SH.deactivated, RDF.type, RDFS.label, RDFS.comment}
_SHAPE_LINKS = {SH.property, SH.path, SH.targetClass, SH.sparql, SH.node}
_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH["in"],
               SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
               SH.maxExclusive, SH.minLength, SH.maxLength, SH.lessThan, SH.lessThanOrEquals,
               SH.hasValue, SH.closed, SH.ignoredProperties}
_NODE_ONLY = {SH.closed, SH.ignoredProperties, SH.targetClass, SH.property, SH.sparql}
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals}


def _messages(graph: Graph, node: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in graph.objects(node, SH.message):
        if isinstance(m, Literal):
            found.setdefault(m.language or "", str(m))
    return found


def _severity(graph: Graph, node: Node) -> str:
    value = graph.value(node, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"


def _term(value: Node) -> c.Value:
    if isinstance(value, Literal):
        return Lit(str(value), str(value.datatype) if value.datatype else None, value.language)
    if isinstance(value, BNode):
        return DataNode(f"_:{value}", True)
    return DataNode(str(value), False)


def _literal(graph: Graph, shape: Node, param: URIRef) -> Lit:
    value = graph.value(shape, param)
    if not isinstance(value, Literal):
        raise UnsupportedShapeError(f"{shape}: {param} must be a literal")
    return Lit(str(value), str(value.datatype) if value.datatype else None, value.language)


def _int(graph: Graph, shape: Node, param: URIRef) -> int:
    value = graph.value(shape, param)
    if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
        raise UnsupportedShapeError(f"{shape}: {param} must be an integer")
    return int(value.toPython())


def _iri(graph: Graph, shape: Node, param: URIRef) -> str:
    value = graph.value(shape, param)
    if not isinstance(value, URIRef):
        raise UnsupportedShapeError(f"{shape}: {param} must be an IRI")
    return str(value)


def _constraints(graph: Graph, shape: Node) -> list[c.Constraint]:
    """The core constraints declared on a shape, one per parameter (``sh:flags`` and
    ``sh:ignoredProperties`` belong to ``sh:pattern`` and ``sh:closed``)."""
    found: list[c.Constraint] = []
    present = set(graph.predicates(shape))
    for param in present & _PARAMETERS:
        if len(list(graph.objects(shape, param))) != 1:
            raise UnsupportedShapeError(f"{shape}: more than one {param}")
    if SH["class"] in present:
        cls = _iri(graph, shape, SH["class"])
        found.append(c.Constraint("ClassConstraintComponent", cls, c.class_(cls)))
    if SH.datatype in present:
        dt = _iri(graph, shape, SH.datatype)
        found.append(c.Constraint("DatatypeConstraintComponent", dt, c.datatype(dt)))
    if SH.nodeKind in present:
        kind = _iri(graph, shape, SH.nodeKind)
        if kind not in c._NODE_KINDS:
            raise UnsupportedShapeError(f"{shape}: unknown node kind {kind}")
        found.append(c.Constraint("NodeKindConstraintComponent", kind, c.node_kind(kind)))
    if SH.minCount in present:
        n = _int(graph, shape, SH.minCount)
        found.append(c.Constraint("MinCountConstraintComponent", n, c.min_count(n)))
    if SH.maxCount in present:
        n = _int(graph, shape, SH.maxCount)
        found.append(c.Constraint("MaxCountConstraintComponent", n, c.max_count(n)))
    if SH["in"] in present:
        members = [_term(m) for m in Collection(graph, graph.value(shape, SH["in"]))]
        found.append(c.Constraint("InConstraintComponent", members, c.in_(members)))
    if SH.hasValue in present:
        member = _term(graph.value(shape, SH.hasValue))
        found.append(c.Constraint("HasValueConstraintComponent", member, c.has_value(member)))
    if SH.pattern in present:
        regex = str(_literal(graph, shape, SH.pattern).lexical)
        flags = graph.value(shape, SH.flags)
        found.append(c.Constraint("PatternConstraintComponent", regex,
                                  c.pattern(regex, str(flags) if flags is not None else None)))
    elif SH.flags in present:
        raise UnsupportedShapeError(f"{shape}: sh:flags without sh:pattern")
    for param, name in ((SH.minLength, "MinLength"), (SH.maxLength, "MaxLength")):
        if param in present:
            n = _int(graph, shape, param)
            check = c.min_length(n) if param == SH.minLength else c.max_length(n)
            found.append(c.Constraint(f"{name}ConstraintComponent", n, check))
    ranges: list[tuple[URIRef, str, Callable[[int], bool]]] = [
        (SH.minInclusive, "MinInclusive", lambda r: r >= 0),
        (SH.maxInclusive, "MaxInclusive", lambda r: r <= 0),
        (SH.minExclusive, "MinExclusive", lambda r: r > 0),
        (SH.maxExclusive, "MaxExclusive", lambda r: r < 0),
    ]
    for param, name, accept in ranges:
        if param in present:
            bound = _literal(graph, shape, param)
            found.append(c.Constraint(f"{name}ConstraintComponent", bound.lexical,
                                      c.value_range(bound, accept)))
    for param, name, or_equal in ((SH.lessThan, "LessThan", False),
                                  (SH.lessThanOrEquals, "LessThanOrEquals", True)):
        if param in present:
            other = _iri(graph, shape, param)
            found.append(c.Constraint(f"{name}ConstraintComponent", other,
                                      c.less_than_property(other, or_equal)))
    return found


def _check_known(graph: Graph, shape: Node, property_shape: bool) -> None:
    for predicate in set(graph.predicates(shape)):
        if not str(predicate).startswith(str(SH)):
            continue
        if predicate in _ANNOTATIONS or predicate in _SHAPE_LINKS or predicate in _PARAMETERS:
            if property_shape and predicate in _NODE_ONLY - {SH.sparql}:
                raise UnsupportedShapeError(f"{shape}: {predicate} on a property shape")
            if not property_shape and predicate in _PROPERTY_ONLY:
                raise UnsupportedShapeError(f"{shape}: {predicate} on a node shape")
            continue
        raise UnsupportedShapeError(
            f"{shape}: {predicate} is not supported by the fast validator; add it to "
            "vptr.validation.components or use the reference engine")
    for kind in graph.objects(shape, RDF.type):
        if kind in (RDFS.Class, OWL.Class):
            raise UnsupportedShapeError(f"{shape}: implicit class targets are not supported")
    if graph.value(shape, SH.deactivated) not in (None, Literal(True), Literal(False)):
        raise UnsupportedShapeError(f"{shape}: sh:deactivated must be a boolean")


def _deactivated(graph: Graph, shape: Node) -> bool:
    return graph.value(shape, SH.deactivated) == Literal(True)


def _shape_name(shape: Node) -> str:
    return str(shape) if isinstance(shape, URIRef) else f"_:{shape}"


def compile_shapes(graph: Graph, rules: dict[str, Any] | None = None) -> CompiledProfile:
    """Compiles every shape of ``graph``; ``rules`` maps shape IRIs to SPARQL rule factories
    (by default the registry of :mod:`.rules`)."""
    if rules is None:
        from .rules import REGISTRY

        rules = REGISTRY
    node_shapes: set[Node] = set(graph.subjects(RDF.type, SH.NodeShape))
    node_shapes |= set(graph.subjects(SH.targetClass, None))
    node_shapes |= set(graph.subjects(SH.property, None))
    node_shapes |= set(graph.subjects(SH.sparql, None))
    node_shapes |= set(graph.objects(None, SH.node))
    property_shapes: set[Node] = set(graph.subjects(RDF.type, SH.PropertyShape))
    property_shapes |= set(graph.objects(None, SH.property))
    property_shapes |= set(graph.subjects(SH.path, None))
    for unsupported in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
                        URIRef(str(SH) + "target")):
        for shape in graph.subjects(unsupported, None):
            raise UnsupportedShapeError(f"{shape}: {unsupported} is not supported")
    overlap = node_shapes & property_shapes
    if overlap:
        raise UnsupportedShapeError(f"{next(iter(overlap))}: both a node and a property shape")

    compiled_properties: dict[Node, PropertyShape] = {}
    for shape in sorted(property_shapes, key=str):
        _check_known(graph, shape, property_shape=True)
        path = graph.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise UnsupportedShapeError(f"{shape}: only a single property IRI is supported as path")
        if graph.value(shape, SH.sparql) is not None:
            raise UnsupportedShapeError(f"{shape}: SPARQL constraints on property shapes")
        compiled_properties[shape] = PropertyShape(
            _shape_name(shape), str(path), _severity(graph, shape), _messages(graph, shape),
            [] if _deactivated(graph, shape) else _constraints(graph, shape),
            [] if _deactivated(graph, shape) else _node_links(graph, shape))

    compiled: list[NodeShape] = []
    deactivated: set[str] = set()
    for shape in sorted(node_shapes, key=str):
        _check_known(graph, shape, property_shape=False)
        targets = sorted(str(t) for t in graph.objects(shape, SH.targetClass))
        node = NodeShape(_shape_name(shape), targets, _severity(graph, shape),
                         _messages(graph, shape))
        if _deactivated(graph, shape):
            deactivated.add(node.iri)
            continue
        node.properties = [compiled_properties[p]
                           for p in sorted(graph.objects(shape, SH.property), key=str)]
        node.constraints = _constraints(graph, shape)
        node.nodes = _node_links(graph, shape)
        if graph.value(shape, SH.closed) == Literal(True):
            allowed = {p.path for p in node.properties}
            ignored = graph.value(shape, SH.ignoredProperties)
            if ignored is not None:
                allowed |= {str(i) for i in Collection(graph, ignored)}
            node.closed = frozenset(allowed)
        for constraint in graph.objects(shape, SH.sparql):
            if graph.value(constraint, SH.deactivated) == Literal(True):
                continue
            factory = rules.get(str(shape))
            if factory is None:
                raise UnsupportedShapeError(
                    f"{shape}: a SHACL-SPARQL constraint without a compiled rule; register one "
                    "in vptr.validation.rules")
            messages = _messages(graph, constraint) or node.messages
            node.rules.append(SparqlRule(messages, factory(graph, shape, constraint)))
        compiled.append(node)

    by_target: dict[str, list[NodeShape]] = {}
    for node in compiled:
        for target in node.targets:
            by_target.setdefault(target, []).append(node)
    profile = CompiledProfile(compiled, by_target,
                              {p.iri: p for p in compiled_properties.values()},
                              {n.iri: n for n in compiled})
    for links in [p.nodes for p in compiled_properties.values()] + [n.nodes for n in compiled]:
        for link in links:
            if link not in profile.by_iri and link not in deactivated:
                raise UnsupportedShapeError(f"sh:node {link}: no such node shape")
    return profile


def _node_links(graph: Graph, shape: Node) -> list[str]:
    """The node shapes named by ``sh:node`` (by IRI: the fast validator looks them up)."""
    links: list[str] = []
    for target in sorted(graph.objects(shape, SH.node), key=str):
        if not isinstance(target, URIRef):
            raise UnsupportedShapeError(f"{shape}: sh:node must name a shape by its IRI")
        links.append(str(target))
    return links


@cache
def compiled_profile() -> CompiledProfile:
    """The published application profile, compiled once per process."""
    return compile_shapes(profile_graph())
