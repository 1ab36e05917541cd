"""A :class:`Report` as a W3C SHACL validation report (``sh:ValidationReport``), in Turtle or
JSON-LD: the machine-readable form any SHACL tool understands. Messages carry both languages."""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, XSD

from .report import Report, Violation

#: A compact JSON-LD context for reports: SHACL terms without prefix.
REPORT_CONTEXT: dict[str, Any] = {
    "sh": str(SH),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "conforms": {"@id": "sh:conforms"},
    "result": {"@id": "sh:result", "@container": "@set"},
    "focusNode": {"@id": "sh:focusNode", "@type": "@id"},
    "resultPath": {"@id": "sh:resultPath", "@type": "@id"},
    "value": {"@id": "sh:value"},
    "resultSeverity": {"@id": "sh:resultSeverity", "@type": "@id"},
    "sourceConstraintComponent": {"@id": "sh:sourceConstraintComponent", "@type": "@id"},
    "sourceShape": {"@id": "sh:sourceShape", "@type": "@id"},
    "resultMessage": {"@id": "sh:resultMessage", "@container": "@language"},
    "source": {"@id": "dcterms:source"},
    "ValidationReport": "sh:ValidationReport",
    "ValidationResult": "sh:ValidationResult",
}


def _term(text: str) -> URIRef | BNode:
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def _value(v: Violation) -> URIRef | BNode | Literal | None:
    if v.value is None:
        return None
    if v.value_kind == "iri":
        return URIRef(v.value)
    if v.value_kind == "blank":
        return BNode(v.value.removeprefix("_:"))
    return Literal(v.value, datatype=URIRef(v.value_datatype) if v.value_datatype else None)


def add_report(graph: Graph, report: Report, source: str | None = None) -> BNode:
    """Adds the report to ``graph`` and returns its node; ``source`` names the validated file."""
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(report.conforms)))
    if source is not None:
        graph.add((node, DCTERMS.source, Literal(source)))
    for v in report.sorted_violations():
        result = BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, _term(v.focus)))
        if v.path is not None:
            graph.add((result, SH.resultPath, URIRef(v.path)))
        value = _value(v)
        if value is not None:
            graph.add((result, SH.value, value))
        graph.add((result, SH.resultSeverity, SH[v.severity]))
        graph.add((result, SH.sourceConstraintComponent, SH[v.component]))
        graph.add((result, SH.sourceShape, _term(v.shape)))
        for lang, text in sorted((v.messages or {"en": v.message}).items()):
            graph.add((result, SH.resultMessage, Literal(text, lang=lang or None)))
    return node


def report_graph(reports: list[tuple[str | None, Report]]) -> Graph:
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("dcterms", DCTERMS)
    for source, report in reports:
        add_report(graph, report, source)
    return graph


def to_turtle(reports: list[tuple[str | None, Report]]) -> str:
    return report_graph(reports).serialize(format="turtle")


def to_jsonld(reports: list[tuple[str | None, Report]]) -> str:
    """JSON-LD with :data:`REPORT_CONTEXT`, results nested in their report (one report: an
    object; several: a ``@graph`` of them). The same triples as :func:`to_turtle`."""
    objects = [_report_object(report, source) for source, report in reports]
    body: dict[str, Any] = (
        {"@context": REPORT_CONTEXT, **objects[0]} if len(objects) == 1
        else {"@context": REPORT_CONTEXT, "@graph": objects})
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _report_object(report: Report, source: str | None) -> dict[str, Any]:
    obj: dict[str, Any] = {"@type": "ValidationReport", "conforms": report.conforms}
    if source is not None:
        obj["source"] = source
    obj["result"] = [_result_object(v) for v in report.sorted_violations()]
    return obj


def _result_object(v: Violation) -> dict[str, Any]:
    obj: dict[str, Any] = {"@type": "ValidationResult", "focusNode": v.focus}
    if v.path is not None:
        obj["resultPath"] = v.path
    if v.value is not None:
        if v.value_kind in ("iri", "blank"):
            obj["value"] = {"@id": v.value}
        elif v.value_datatype:
            obj["value"] = {"@value": v.value, "@type": v.value_datatype}
        else:
            obj["value"] = v.value
    obj["resultSeverity"] = f"sh:{v.severity}"
    obj["sourceConstraintComponent"] = f"sh:{v.component}"
    obj["sourceShape"] = v.shape
    obj["resultMessage"] = dict(sorted((v.messages or {"en": v.message}).items()))
    return obj
