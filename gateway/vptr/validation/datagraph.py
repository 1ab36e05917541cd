"""The data the fast validator walks: nodes with their properties, as plain Python objects.

An rdflib graph is general and slow; validating a payload needs far less. A :class:`DataGraph` holds
every node of the payload (and of the supporting entities the register passes along) with its types
and property values, built straight from JSON or from an rdflib graph. It applies the same two
conventions as the reference path (:mod:`.inference`): nested and referenced objects without a type
are named by the range class of the property that reaches them (:attr:`DataNode.inferred`, for
reports only: which shapes apply follows from the data's own types and ``sh:node``, as in any SHACL
engine), and only nodes the payload itself describes are validated and reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import PayloadError
from .model_index import ModelIndex, model_index

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


class Lit:
    """A literal: lexical form, datatype IRI (None for a plain string) and language tag."""

    __slots__ = ("_normalised", "_parsed", "datatype", "lang", "lexical")

    def __init__(self, lexical: str, datatype: str | None = None, lang: str | None = None) -> None:
        self.lexical = lexical
        self.datatype = None if datatype == XSD_STRING and lang is None else datatype
        self.lang = lang
        self._parsed: tuple[bool | None, object] | None = None
        self._normalised: str | None = None

    def key(self) -> tuple[str, str | None, str | None]:
        return (self.lexical, self.datatype, self.lang)

    def __repr__(self) -> str:
        return f"Lit({self.lexical!r}, {self.datatype!r}, {self.lang!r})"


class DataNode:
    """An IRI or blank node: its types (explicit or inferred) and its property values.

    ``parent`` and ``parent_property`` point at the object it is nested in (through an inlined
    property of the model), which gives a violation its field path; ``pointer`` is its place in a
    JSON payload (a JSON pointer), when it came from one."""

    __slots__ = ("blank", "described", "inferred", "key", "parent", "parent_property", "pointer",
                 "props", "types")

    def __init__(self, key: str, blank: bool) -> None:
        self.key = key
        self.blank = blank
        self.types: list[str] = []
        #: The class the model gives an untyped node (the range of the property reaching it):
        #: names the object in a report, never changes which shapes apply to it.
        self.inferred: list[str] = []
        self.props: dict[str, list[DataNode | Lit]] = {}
        self.parent: DataNode | None = None
        self.parent_property: str | None = None
        self.pointer: str | None = None
        self.described = False

    def add(self, predicate: str, value: DataNode | Lit) -> None:
        """Adds a value unless the same term is there already (a graph holds a triple once)."""
        values = self.props.get(predicate)
        if values is None:
            self.props[predicate] = [value]
            return
        if isinstance(value, DataNode):
            if any(v is value for v in values):
                return
        else:
            key = value.key()
            if any(isinstance(v, Lit) and v.key() == key for v in values):
                return
        values.append(value)

    def add_type(self, iri: str) -> None:
        if iri not in self.types:
            self.types.append(iri)

    def __repr__(self) -> str:
        return f"DataNode({self.key!r})"


class DataGraph:
    """All nodes of a payload and its supporting entities: named ones (IRIs and labelled blank
    nodes) by key, anonymous ones (nested JSON objects without an id) in a list."""

    def __init__(self) -> None:
        self.nodes: dict[str, DataNode] = {}
        self.anonymous: list[DataNode] = []

    def node(self, key: str, blank: bool = False) -> DataNode:
        found = self.nodes.get(key)
        if found is None:
            found = self.nodes[key] = DataNode(key, blank)
        return found

    def new_blank(self) -> DataNode:
        node = DataNode(f"_:b{len(self.anonymous) + 1}", blank=True)
        self.anonymous.append(node)
        return node

    def all_nodes(self) -> Iterator[DataNode]:
        yield from self.nodes.values()
        yield from self.anonymous

    def described(self) -> Iterator[DataNode]:
        """The nodes the payload says something about: what it asks to have validated."""
        return (n for n in self.all_nodes() if n.described)


def link_parents(graph: DataGraph, index: ModelIndex | None = None) -> None:
    """Records, for every node without one, the object it is nested in through an inlined property.

    JSON readers set the parent while walking; for RDF input the nesting is recovered from the
    model: a node reached through an inlined property (a vehicle, a period) belongs to that
    object, a node reached through a reference (a zone) does not."""
    inlined = (index or model_index()).inlined_properties
    for node in sorted(graph.all_nodes(), key=lambda n: n.key):
        for predicate in sorted(node.props):
            if predicate not in inlined:
                continue
            for value in node.props[predicate]:
                if isinstance(value, DataNode) and value.parent is None and value is not node:
                    value.parent, value.parent_property = node, predicate


def infer_types(graph: DataGraph, index: ModelIndex | None = None) -> None:
    """Records for every untyped node reached through a class-ranged property that property's range
    (in :attr:`DataNode.inferred`, apart from the node's own types).

    The same rule as :func:`vptr.validation.inference.infer_types` for rdflib graphs: start from the
    nodes typed with a class of the model, follow class-ranged properties, type what has no type.
    The profile does not need these types (embedded objects are reached through ``sh:node``); a
    report does, to say which kind of object a defect is in."""
    index = index or model_index()
    classes = index.classes_by_iri
    pending = [n for n in graph.all_nodes() if any(t in classes for t in n.types)]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for type_iri in node.types or node.inferred:
            cls = classes.get(type_iri)
            if cls is None:
                continue
            for predicate, values in node.props.items():
                prop = cls.by_iri.get(predicate)
                if prop is None or prop.kind != "class":
                    continue
                for value in values:
                    if isinstance(value, DataNode) and not value.types and not value.inferred:
                        value.inferred.append(prop.range_iri)
                        pending.append(value)


def check_validatable(graph: DataGraph, index: ModelIndex | None = None) -> None:
    """Refuses a payload of which some outermost object has no type of the model (nothing would
    validate it), or that describes no object of the model at all."""
    index = index or model_index()
    classes = index.classes_by_iri
    described = [n for n in graph.all_nodes() if n.described]
    referenced: set[int] = set()
    for node in described:
        for values in node.props.values():
            for value in values:
                if isinstance(value, DataNode):
                    referenced.add(id(value))
    typed = [n for n in described if any(t in classes for t in n.types)]
    untyped_roots = sorted(n.key for n in described
                           if id(n) not in referenced and not any(t in classes for t in n.types))
    if untyped_roots:
        raise PayloadError(
            "no type the model knows for " + ", ".join(untyped_roots[:5])
            + "; give each outermost object a 'type' (a class of the model)"
        )
    embedded_roots = sorted(
        {classes[t].name for n in described if id(n) not in referenced for t in n.types
         if t in classes and not classes[t].document})
    if embedded_roots:
        raise PayloadError(
            f"a {embedded_roots[0]} is not a document of its own: send it inside the object it "
            "belongs to (the application profile checks it there)")
    if not typed:
        raise PayloadError("the payload describes no object of a class of the model")


def class_name(node: DataNode, index: ModelIndex | None = None) -> str | None:
    """The model's name for the node's class; the first in alphabetical order if it has several."""
    classes = (index or model_index()).classes_by_iri
    names = sorted(classes[t].name for t in node.types or node.inferred if t in classes)
    return names[0] if names else None


def field_path(node: DataNode, predicate: str | None,
               index: ModelIndex | None = None) -> str | None:
    """The chain of property names from the outermost object to the value, e.g.
    ``vehicle.licencePlate.country``."""
    index = index or model_index()
    names: list[str] = []
    seen: set[int] = set()
    current: DataNode | None = node
    while current is not None and current.parent is not None and id(current) not in seen:
        seen.add(id(current))
        names.append(index.short_name(current.parent_property or ""))
        current = current.parent
    names.reverse()
    if predicate is not None:
        names.append(index.short_name(predicate))
    return ".".join(names) or None
