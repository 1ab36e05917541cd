"""Types for untyped nodes, from the model, to name the objects of a report.

The model knows the range of every property, so a node reached through ``Right.vehicle`` is a
``Vehicle``. Validation does not need this (the profile reaches embedded objects through
``sh:node``, so no engine has to add a type, and none of ours does before validating); a report
does, to say in which kind of object a defect is, and the refusal of a payload whose outermost
objects have no known type does. The graph typed here is a copy, never given to pySHACL.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .model_index import model_index


def infer_types(graph: Graph) -> None:
    """Adds rdf:type to every node reached through a class-ranged property that has no type."""
    index = model_index()
    pending: list[Node] = [s for s, _, t in graph.triples((None, RDF.type, None))
                           if str(t) in index.classes_by_iri]
    seen: set[Node] = set()
    while pending:
        subject = pending.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for cls_iri in list(graph.objects(subject, RDF.type)):
            cls = index.classes_by_iri.get(str(cls_iri))
            if cls is None:
                continue
            for predicate, obj in graph.predicate_objects(subject):
                prop = cls.by_iri.get(str(predicate))
                if prop is None or prop.kind != "class":
                    continue
                if (obj, RDF.type, None) not in graph and not isinstance(obj, Literal):
                    graph.add((obj, RDF.type, URIRef(prop.range_iri)))
                    pending.append(obj)


def described_nodes(graph: Graph) -> set[Node]:
    """Nodes the payload says something about (beyond a type), and the objects it nests: what it
    asks to have validated.

    A bare reference (a zone's IRI in a right) may get a type by inference, but it is not the
    payload's to validate: the profile checks its form (an IRI of the right kind) and the register
    checks that it exists. A nested object is the
    payload's own even when empty (``"vehicle": {}`` must fail for its missing plate)."""
    described: set[Node] = set()
    for s, p, o in graph:
        if p != RDF.type:
            described.add(s)
            if isinstance(o, BNode):
                described.add(o)
    return described
