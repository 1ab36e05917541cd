"""Validation as a service to the rest of the code: payload in, :class:`Report` out."""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .. import paths
from .errors import PayloadError
from .inference import described_nodes, infer_types
from .loading import load_payload
from .model_index import model_index
from .report import Report, Violation


@cache
def profile_graph() -> Graph:
    """The published application profile (generated and hand-written shapes), parsed once."""
    graph = Graph()
    graph.parse(paths.Artefact.APPLICATION_PROFILE.path(), format="turtle")
    return graph


def prepare_graph(graph: Graph) -> tuple[Graph, set[Node]]:
    """Copies the payload graph, infers the types of its untyped objects and checks that every
    outermost object has a type the profile knows (otherwise nothing would validate it)."""
    data = Graph()
    for triple in graph:
        data.add(triple)
    described = described_nodes(data)
    infer_types(data)
    index = model_index()
    typed = {s for s, _, t in data.triples((None, RDF.type, None)) if str(t) in index.classes_by_iri}
    objects = {o for _, p, o in data if p != RDF.type}
    untyped_roots = sorted(str(n) for n in described - typed - objects)
    if untyped_roots:
        raise PayloadError(
            "no type the model knows for " + ", ".join(untyped_roots[:5])
            + "; give each outermost object a 'type' (a class of the model)"
        )
    if not described & typed:
        raise PayloadError("the payload describes no object of a class of the model")
    return data, described


def field_path(data: Graph, focus: Node, path: Node | None) -> str | None:
    """The chain of property names from the outermost object to the violating value."""
    index = model_index()
    names: list[str] = []
    seen: set[Node] = set()
    node = focus
    while node not in seen:
        seen.add(node)
        parent = next(((s, p) for s, p in data.subject_predicates(node) if p != RDF.type), None)
        if parent is None:
            break
        names.append(_short(parent[1], index))
        node = parent[0]
    names.reverse()
    if path is not None:
        names.append(_short(path, index))
    return ".".join(names) or None


def _short(iri: Node, index) -> str:
    for cls in index.classes.values():
        prop = cls.by_iri.get(str(iri))
        if prop is not None:
            return prop.name
    return str(iri)


def class_name(data: Graph, node: Node) -> str | None:
    index = model_index()
    for t in data.objects(node, RDF.type):
        cls = index.classes_by_iri.get(str(t))
        if cls is not None:
            return cls.name
    return None


def report_from_results(data: Graph, results: Graph, described: set[Node]) -> Report:
    """Turns a SHACL validation report graph into a Report about the payload's own objects."""
    index = model_index()
    report = Report(focus_nodes=sum(1 for n in described if class_name(data, n)))
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        if focus not in described:
            continue
        path = results.value(result, SH.resultPath)
        component = results.value(result, SH.sourceConstraintComponent)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        messages = list(results.objects(result, SH.resultMessage))
        report.violations.append(Violation(
            focus=str(focus),
            focus_class=class_name(data, focus),
            path=str(path) if isinstance(path, URIRef) else None,
            property=_short(path, index) if isinstance(path, URIRef) else None,
            component=str(component).split("#")[-1],
            shape=str(results.value(result, SH.sourceShape)),
            value=str(value) if value is not None else None,
            message=str(messages[0]) if messages else "",
            field=field_path(data, focus, path if isinstance(path, URIRef) else None),
            severity=str(severity).split("#")[-1] if severity else "Violation",
        ))
    return report


def validate_graph_with_pyshacl(graph: Graph) -> Report:
    """The reference: plain pyshacl over the published profile. Correct, and slow."""
    import pyshacl

    data, described = prepare_graph(graph)
    _, results, _ = pyshacl.validate(
        data, shacl_graph=profile_graph(), inference="none", advanced=True, allow_warnings=True,
    )
    return report_from_results(data, results, described)


def validate_graph(graph: Graph) -> Report:
    return validate_graph_with_pyshacl(graph)


def validate_payload(data: bytes | str, media_type: str | None = None, filename: str | None = None,
                     default_type: str | None = None) -> Report:
    """Reads and validates a payload; raises PayloadError when it cannot be read at all."""
    return validate_graph(load_payload(data, media_type, filename, default_type))


__all__ = ["profile_graph", "validate_graph", "validate_payload"]


def validate_document(document: object, default_type: str | None = None) -> Report:
    """Validates a JSON(-LD) document that is already parsed (the API's request bodies)."""
    from .loading import json_to_graph, prepare_json

    return validate_graph(json_to_graph(prepare_json(document, default_type)))
