"""Validation as a service to the rest of the code: payload in, :class:`Report` out.

Two engines judge by the same application profile. ``fast`` (the default) reads JSON straight into
plain Python objects and runs the profile compiled into checks (:mod:`.engine`); ``pyshacl`` is the
reference: JSON-LD through rdflib, then pySHACL. Both report only on what the payload itself
describes, after typing its untyped objects from the model, and both take ``supporting`` entities
(the stored zone, authorisation and regime a right refers to) that cross-entity rules need but
that are not validated or reported themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .datagraph import DataGraph, DataNode, check_validatable, class_name, field_path, link_parents
from .engine import prepare, validate_data
from .errors import PayloadError
from .graph_reader import read_graph
from .inference import described_nodes, infer_types
from .json_reader import read_json
from .loading import (
    MAX_PAYLOAD_BYTES,
    check_size,
    detect_format,
    json_to_graph,
    load_payload,
    parse_json,
    parse_rdf,
    prepare_json,
)
from .messages import messages_for
from .model_index import model_index
from .published import profile_graph
from .report import Report, Violation
from .translation import to_native

Engine = Literal["fast", "pyshacl"]
#: Entities a payload refers to, for cross-entity rules: JSON-LD documents or an rdflib graph.
Supporting = Graph | dict[str, Any] | list[Any] | Iterable[Any] | None
ENGINES = ("fast", "pyshacl")


# ------------------------------------------------------------------------------- entry points
def validate_payload(data: bytes | str, media_type: str | None = None, filename: str | None = None,
                     default_type: str | None = None, *, supporting: Supporting = None,
                     engine: Engine = "fast", max_bytes: int = MAX_PAYLOAD_BYTES) -> Report:
    """Reads and validates a payload (JSON-LD, plain JSON, Turtle, N-Triples; an APDS or NPR
    message once its translator is registered); raises PayloadError when it cannot be read."""
    _check_engine(engine)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_size(raw, max_bytes)
    fmt = detect_format(raw, media_type, filename)
    if fmt == "json":
        return validate_document(parse_json(raw), default_type, supporting=supporting,
                                 engine=engine)
    return validate_graph(parse_rdf(raw, fmt), supporting=supporting, engine=engine)


def validate_document(document: object, default_type: str | None = None, *,
                      supporting: Supporting = None, engine: Engine = "fast") -> Report:
    """Validates a JSON(-LD) document that is already parsed (the API's request bodies). The
    document is not modified."""
    _check_engine(engine)
    document, _ = to_native(document)
    if engine == "pyshacl":
        payload = json_to_graph(prepare_json(document, default_type))
        return validate_graph_with_pyshacl(payload, supporting=supporting)
    graph = DataGraph()
    read = read_json(document, default_type, graph)
    if read.graph is None:  # a construct only a JSON-LD processor reads: build the nodes from RDF
        graph = read_graph(json_to_graph(prepare_json(document, default_type)))
    _add_supporting(graph, supporting)
    prepare(graph)
    return validate_data(graph)


def validate_graph(graph: Graph, *, supporting: Supporting = None,
                   engine: Engine = "fast") -> Report:
    """Validates RDF already parsed."""
    _check_engine(engine)
    if engine == "pyshacl":
        return validate_graph_with_pyshacl(graph, supporting=supporting)
    data = read_graph(graph)
    _add_supporting(data, supporting)
    prepare(data)
    return validate_data(data)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


# ------------------------------------------------------------------------------- supporting data
def _supporting_documents(supporting: Supporting) -> list[Any]:
    if supporting is None or isinstance(supporting, Graph):
        return []
    if isinstance(supporting, dict):
        return [supporting]
    return list(supporting)


def _add_supporting(graph: DataGraph, supporting: Supporting) -> None:
    if isinstance(supporting, Graph):
        merge(graph, read_graph(supporting, supporting=True))
        return
    for document in _supporting_documents(supporting):
        part = DataGraph()
        if read_json(document, None, part, supporting=True).graph is None:
            part = read_graph(json_to_graph(prepare_json(document)), supporting=True)
        merge(graph, part)


def merge(target: DataGraph, source: DataGraph) -> None:
    """Adds the nodes of ``source`` to ``target``: nodes with one IRI become one node; blank
    nodes stay apart (their labels only mean something inside their own document)."""
    mapped: dict[int, DataNode] = {}

    def to_target(node: DataNode) -> DataNode:
        found = mapped.get(id(node))
        if found is None:
            found = target.new_blank() if node.blank else target.node(node.key)
            mapped[id(node)] = found
        return found

    for node in source.all_nodes():
        copy = to_target(node)
        for t in node.types:
            copy.add_type(t)
        for t in node.inferred:
            if t not in copy.inferred:
                copy.inferred.append(t)
        for predicate, values in node.props.items():
            for value in values:
                copy.add(predicate, to_target(value) if isinstance(value, DataNode) else value)
        copy.described = copy.described or node.described


def _supporting_graph(supporting: Supporting) -> Graph | None:
    if supporting is None:
        return None
    if isinstance(supporting, Graph):
        return supporting
    graph = Graph()
    for document in _supporting_documents(supporting):
        for triple in json_to_graph(prepare_json(document)):
            graph.add(triple)
    return graph


# ------------------------------------------------------------------------------- the reference
def prepare_graph(graph: Graph, supporting: Graph | None = None) -> tuple[Graph, set[Node]]:
    """Copies the payload graph with the supporting triples and checks that every outermost
    object has a type the profile knows (otherwise nothing would validate it). Returns the data
    graph, exactly as given (no type is added: the profile reaches embedded objects through
    ``sh:node``), and the nodes the payload describes."""
    data = Graph()
    for triple in graph:
        data.add(triple)
    described = described_nodes(data)
    if supporting is not None:
        for triple in supporting:
            data.add(triple)
    view = _typed_view(data)
    for node in view.all_nodes():
        node.described = _rdf_term(node) in described
    check_validatable(view)
    return data, described


def _typed_view(data: Graph) -> DataGraph:
    """The data with types inferred from the model: only to name the class of a result's focus
    and to refuse a payload nothing validates, never given to the SHACL engine."""
    typed = Graph()
    for triple in data:
        typed.add(triple)
    infer_types(typed)
    return read_graph(typed)


def _rdf_term(node: DataNode) -> Node:
    return BNode(node.key[2:]) if node.blank else URIRef(node.key)


def validate_graph_with_pyshacl(graph: Graph, supporting: Supporting = None) -> Report:
    """The reference: plain pySHACL over the published profile. Correct, and slow."""
    import pyshacl

    data, described = prepare_graph(graph, _supporting_graph(supporting))
    try:
        _, results, _ = pyshacl.validate(
            data, shacl_graph=profile_graph(), inference="none", advanced=True,
            allow_warnings=True,
        )
    except Exception as exc:  # pySHACL gives up on some data (a blank node in sh:lessThan)
        raise PayloadError(f"the reference validator could not check this payload: {exc}") from exc
    return report_from_results(data, results, described)


def leaf_results(results: Graph) -> list[Node]:
    """The results of a SHACL report where they happen: a ``sh:node`` failure on an embedded
    object is replaced by the results it holds in ``sh:detail`` (recursively), so a defect deep
    inside is reported on the object and property that have it. A ``sh:node`` failure on a
    literal (no object to look into) stays as it is."""
    top = [r for r in results.subjects(RDF.type, SH.ValidationResult)
           if (None, SH.detail, r) not in results]
    leaves: list[Node] = []
    pending = list(top)
    while pending:
        result = pending.pop()
        component = results.value(result, SH.sourceConstraintComponent)
        details = list(results.objects(result, SH.detail))
        value = results.value(result, SH.value)
        if component == SH.NodeConstraintComponent and details and \
                not isinstance(value, RdfLiteral):
            pending.extend(details)
        else:
            leaves.append(result)
    return leaves


def report_from_results(data: Graph, results: Graph, described: set[Node]) -> Report:
    """Turns a SHACL validation report graph into a Report about the payload's own objects: one
    violation per leaf result (:func:`leaf_results`), each once."""
    index = model_index()
    view = _typed_view(data)
    link_parents(view, index)
    report = Report(engine="pyshacl")
    by_term = {_rdf_term(n): n for n in view.all_nodes()}
    report.focus_nodes = sum(1 for n in described if n in by_term and class_name(by_term[n]))
    seen: set[tuple[object, ...]] = set()
    for result in leaf_results(results):
        focus = results.value(result, SH.focusNode)
        if focus not in described or focus not in by_term:
            continue
        node = by_term[focus]
        path = results.value(result, SH.resultPath)
        path_iri = str(path) if isinstance(path, URIRef) else None
        component = str(results.value(result, SH.sourceConstraintComponent)).split("#")[-1]
        shape = results.value(result, SH.sourceShape)
        value = results.value(result, SH.value)
        key = (focus, path, component, shape, value)
        if key in seen:
            continue
        seen.add(key)
        severity = results.value(result, SH.resultSeverity)
        texts = _messages(results, result, str(shape), component)
        report.violations.append(Violation(
            focus=node.key, focus_class=class_name(node, index), path=path_iri,
            property=index.short_name(path_iri) if path_iri else None,
            component=component, shape=str(shape),
            value=_value_text(value), message=texts["en"], field=field_path(node, path_iri, index),
            severity=str(severity).split("#")[-1] if severity else "Violation", messages=texts,
            value_kind=_value_kind(value),
            value_datatype=str(value.datatype) if isinstance(value, RdfLiteral) and value.datatype
            else None,
        ))
    return report


def _value_text(value: Node | None) -> str | None:
    if value is None:
        return None
    return f"_:{value}" if isinstance(value, BNode) else str(value)


def _value_kind(value: Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, RdfLiteral):
        return "literal"
    return "blank" if isinstance(value, BNode) else "iri"


def _messages(results: Graph, result: Node, shape: str, component: str) -> dict[str, str]:
    """The messages the fast engine gives the same result (pySHACL drops the language of a
    SPARQL rule's message); the result's own language-tagged messages if the profile cannot be
    compiled."""
    try:
        from .profile import compiled_profile

        found = compiled_profile().messages(shape, component)
    except Exception:  # the reference engine must work even where the fast one cannot load
        found = None
    if found is not None:
        return messages_for(found[0], component, found[1])
    own = {m.language: str(m) for m in results.objects(result, SH.resultMessage)
           if isinstance(m, RdfLiteral) and m.language}
    return messages_for(own, component, None)


__all__ = [
    "ENGINES",
    "Engine",
    "Supporting",
    "leaf_results",
    "load_payload",
    "merge",
    "prepare_graph",
    "profile_graph",
    "report_from_results",
    "validate_document",
    "validate_graph",
    "validate_graph_with_pyshacl",
    "validate_payload",
]
