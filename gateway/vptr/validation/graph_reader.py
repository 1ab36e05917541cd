"""Reading an rdflib graph (Turtle input, a custom JSON-LD context, supporting entities) into a
:class:`DataGraph`, so the fast validator checks RDF from any source the same way."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF

from .datagraph import DataGraph, DataNode, Lit


def read_graph(source: Graph, graph: DataGraph | None = None,
               supporting: bool = False) -> DataGraph:
    """Adds every triple of ``source`` to ``graph`` (a new one by default).

    Subjects of the payload's triples, and blank nodes it nests, are what it describes; nodes of a
    ``supporting`` graph are context only."""
    graph = graph if graph is not None else DataGraph()
    prefix = "_:supporting-" if supporting else "_:"

    def node(term: object) -> DataNode:
        if isinstance(term, BNode):
            return graph.node(f"{prefix}{term}", blank=True)
        return graph.node(str(term))

    for s, p, o in source:
        subject = node(s)
        if p == RDF.type:
            if not isinstance(o, Literal):
                subject.add_type(str(o))
            continue
        if isinstance(o, Literal):
            value: DataNode | Lit = Lit(str(o), str(o.datatype) if o.datatype else None,
                                        o.language)
        else:
            value = node(o)
        subject.add(str(p), value)
        if not supporting:
            subject.described = True
            if isinstance(value, DataNode) and value.blank:
                value.described = True
    return graph
