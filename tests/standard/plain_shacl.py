"""Validation as someone outside the project does it: the published files and off-the-shelf tools.

A payload is turned into RDF by PyLD (an independent JSON-LD processor) with the published
``context.jsonld`` served for the context's IRI and nothing else fetched, and checked by pySHACL
against the published ``application-profile.ttl``: no inference, no type added to any node, no
code of ours in between. That is what a municipality's validator or the ITB validator does.

pySHACL nests the results found inside an embedded object (reached through ``sh:node``) under the
embedding property's result, in ``sh:detail``; :func:`leaf_keys` reads them where they happen, the
way our report lists them, so the two can be compared.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pyshacl
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from vptr import paths

CONTEXT_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
ROOT = Path(__file__).resolve().parents[2]
SHAPES = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"

#: One result: (focus IRI or "_" for an object without one, field path from the outermost object,
#: property IRI, constraint component, source shape, value ("_" for an object, None for none)).
Key = tuple[str, str | None, str | None, str, str, str | None]


@cache
def _context() -> dict[str, Any]:
    return json.loads(paths.Artefact.CONTEXT.path().read_text(encoding="utf-8"))


@cache
def model_index() -> dict[str, Any]:
    return json.loads(paths.Artefact.MODEL_INDEX.path().read_text(encoding="utf-8"))


@cache
def profile() -> Graph:
    return Graph().parse(paths.Artefact.APPLICATION_PROFILE.path(), format="turtle")


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """PyLD's document loader: the standard's context from the published file, nothing else."""
    if url != CONTEXT_IRI:
        raise ValueError(f"only the standard's context is served, not {url}")
    return {"contextUrl": None, "documentUrl": url, "document": _context()}


def with_context(document: Any) -> Any:
    """A payload as JSON-LD: plain JSON gets the standard's context (docs/architecture.md)."""
    if isinstance(document, list):
        return {"@context": CONTEXT_IRI, "@graph": document}
    if "@context" in document:
        return document
    return {"@context": CONTEXT_IRI, **document}


def to_graph(*documents: Any) -> Graph:
    """The RDF of one or more payloads, as PyLD produces it."""
    graph = Graph()
    for document in documents:
        quads = jsonld.to_rdf(with_context(document),
                              {"format": "application/n-quads", "documentLoader": _loader})
        graph.parse(data=quads, format="nquads")
    return graph


def validate(graph: Graph) -> tuple[bool, Graph, str]:
    """Plain pySHACL with the published profile: no inference, nothing added."""
    conforms, results, text = pyshacl.validate(graph, shacl_graph=profile(), inference="none")
    return bool(conforms), results, text


def leaves(results: Graph) -> list[URIRef | BNode]:
    """The results where they happen: a ``sh:node`` result on an object stands for the results
    in its ``sh:detail``; one on a literal (nothing inside to report) stays."""
    pending = [r for r in results.subjects(RDF.type, SH.ValidationResult)
               if (None, SH.detail, r) not in results]
    found = []
    while pending:
        result = pending.pop()
        details = list(results.objects(result, SH.detail))
        component = results.value(result, SH.sourceConstraintComponent)
        if component == SH.NodeConstraintComponent and details and \
                not isinstance(results.value(result, SH.value), Literal):
            pending.extend(details)
        else:
            found.append(result)
    return found


def _inlined() -> set[str]:
    return {p["iri"] for c in model_index()["classes"].values() for p in c["properties"].values()
            if p["kind"] == "class" and p["inlined"]}


def _short(iri: str) -> str:
    for cls in model_index()["classes"].values():
        for name, prop in cls["properties"].items():
            if prop["iri"] == iri:
                return name
    return iri


def parent(graph: Graph, node: Any) -> tuple[Any, str] | None:
    """The object a node is embedded in, and the property embedding it."""
    inlined = _inlined()
    for s, p in sorted(graph.subject_predicates(node), key=str):
        if str(p) in inlined and s != node:
            return s, str(p)
    return None


def field_of(graph: Graph, node: Any, path: str | None) -> str | None:
    names: list[str] = []
    seen = set()
    current = node
    while isinstance(current, BNode | URIRef) and current not in seen:
        seen.add(current)
        up = parent(graph, current)
        if up is None:
            break
        current, predicate = up
        names.append(_short(predicate))
    names.reverse()
    if path is not None:
        names.append(_short(path))
    return ".".join(names) or None


def class_of(graph: Graph, node: Any) -> str:
    """The class of a node, for reading a report: its type, else the range of the embedding
    property (the model's knowledge, used here to name things, never given to pySHACL)."""
    by_iri = {c["iri"]: name for name, c in model_index()["classes"].items()}
    names = sorted(by_iri.get(str(t), str(t)) for t in graph.objects(node, RDF.type))
    if names:
        return "|".join(names)
    up = parent(graph, node)
    if up is None:
        return "(untyped)"
    owner = class_of(graph, up[0])
    prop = model_index()["classes"].get(owner, {}).get("properties", {}).get(_short(up[1]))
    return prop["range"] if prop else "(untyped)"


def _term(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return "_"
    return str(value)


def leaf_keys(graph: Graph, results: Graph, outside: set[Any] = frozenset()) -> Counter[Key]:
    """Every leaf result once (an object reached twice, as a target and through ``sh:node``,
    is one object), except those about nodes in ``outside`` (supporting entities)."""
    keys: set[Key] = set()
    for result in leaves(results):
        focus = results.value(result, SH.focusNode)
        if focus in outside:
            continue
        path = results.value(result, SH.resultPath)
        path_iri = str(path) if isinstance(path, URIRef) else None
        keys.add((_term(focus) or "", field_of(graph, focus, path_iri), path_iri,
                  str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                  str(results.value(result, SH.sourceShape)),
                  _term(results.value(result, SH.value))))
    return Counter(keys)


def report_keys(report: Any) -> Counter[Key]:
    """The same keys from a report of our validator."""
    keys: set[Key] = set()
    for v in report.violations:
        value = "_" if v.value_kind == "blank" else v.value
        if v.value_kind == "literal" and v.value_datatype:  # as rdflib holds it ("yes" as a
            value = str(Literal(v.value, datatype=v.value_datatype))  # boolean is "false")
        keys.add(("_" if v.focus.startswith("_:") else v.focus, v.field, v.path, v.component,
                  v.shape, value))
    return Counter(keys)


def typed_everywhere(document: Any) -> Any:
    """A copy of a payload with ``type`` on every nested object (the range of its property)."""
    classes = model_index()["classes"]

    def walk(node: Any, cls: str | None) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, cls)
            return
        if not isinstance(node, dict):
            return
        if "@graph" in node:
            walk(node["@graph"], None)
            return
        cls = node.get("type", cls)
        if cls is not None and "type" not in node and "@type" not in node:
            node["type"] = cls
        props = classes.get(cls or "", {}).get("properties", {})
        for key, value in node.items():
            prop = props.get(key)
            if prop is not None and prop["kind"] == "class" and prop["inlined"]:
                walk(value, prop["range"])

    typed = copy.deepcopy(document)
    walk(typed, None)
    return typed
