"""The fast JSON reader produces the triples a JSON-LD processor would, without one.

For documents in the standard's context, the nodes :func:`read_json` builds are compared with the
graph rdflib's JSON-LD parser makes of the same document: they must be isomorphic (same triples up
to blank node names), including compact IRIs, code list values, typed and untyped JSON numbers,
value objects, embedded references and duplicated values.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from vptr.validation import CONTEXT_IRI
from vptr.validation.datagraph import RDF_TYPE, DataGraph, Lit
from vptr.validation.json_reader import read_json
from vptr.validation.loading import json_to_graph, prepare_json

from .corpus import Example, class_examples, example_id, shape_examples

ZONE = "https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood"


def as_rdf(graph: DataGraph) -> Graph:
    rdf = Graph()

    def term(node):
        return BNode(f"x{abs(hash(node.key))}{id(node)}") if node.blank else URIRef(node.key)

    for node in graph.all_nodes():
        for t in node.types:
            rdf.add((term(node), URIRef(RDF_TYPE), URIRef(t)))
        for predicate, values in node.props.items():
            for v in values:
                obj = Literal(v.lexical, datatype=v.datatype, lang=v.lang) if isinstance(v, Lit) \
                    else term(v)
                rdf.add((term(node), URIRef(predicate), obj))
    return rdf


def assert_reads_like_jsonld(document: object) -> None:
    read = read_json(document)
    assert read.graph is not None, "the fast reader left this document to the JSON-LD path"
    mine, reference = as_rdf(read.graph), json_to_graph(prepare_json(document))
    if not isomorphic(mine, reference):
        _, only_mine, only_reference = graph_diff(to_isomorphic(mine), to_isomorphic(reference))
        pytest.fail(f"only fast: {sorted(only_mine)[:5]}; "
                    f"only rdflib: {sorted(only_reference)[:5]}")


@pytest.mark.parametrize("example", shape_examples() + class_examples(), ids=example_id)
def test_every_example_reads_as_rdflib_reads_it(example: Example) -> None:
    assert_reads_like_jsonld(example.document())


TRICKY = {
    "compact IRIs for id, type and a key": {
        "@context": CONTEXT_IRI, "id": "vptr:r1", "type": "vptr:Right", "vptr:colour": "red"},
    "code list values as short names, compact IRIs, IRIs and other terms": {
        "type": "Regime", "usage": "paidParking", "rightKind": "vptr:parking",
        "regulationType": "https://example.org/base", "allowedUserClasses": ["residents", "zone"],
        "timeSlots": [{"daysOfWeek": ["monday", "publicHoliday", "funday"]}]},
    "typed JSON numbers and booleans": {
        "type": "Regime", "version": 2, "maximumDuration": 120.0, "gracePeriod": True,
        "timeSlots": [{"rightClaimable": False}],
        "tariff": {"vatPercentage": "21", "dayMaximum": "12.5",
                   "tariffSteps": [{"amount": "0", "stepSize": "15", "startDuration": 7.5}]}},
    "untyped JSON numbers and booleans": {"type": "Zone", "name": 5, "description": 2.5,
                                          "timeZone": True},
    "value objects": {"type": "Zone", "name": {"@value": "Kouter", "@language": "nl"},
                      "description": {"@value": "x", "@type": "xsd:token"}},
    "references as strings and as objects": {
        "type": "Right", "zone": {"id": ZONE}, "regime": ZONE + "/x", "provider": {"id": "_:p"}},
    "nested objects with and without ids, nulls and duplicates": {
        "type": "Whitelist", "zones": [ZONE, ZONE], "name": None,
        "entries": [{"id": "https://x.org/e1", "vehicle": {}}, {"description": "geen id"}]},
    "a @graph with a node described twice": {"@context": CONTEXT_IRI, "@graph": [
        {"id": ZONE, "type": "Zone", "name": "a"}, {"id": ZONE, "zoneKind": "blueZone"}]},
    "a top-level array with contexts of its own": [
        {"@context": CONTEXT_IRI, "type": "Zone", "name": "a"}, {"type": "Zone", "name": "b"}],
}


@pytest.mark.parametrize("document", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_documents_read_as_rdflib_reads_them(document: object) -> None:
    assert_reads_like_jsonld(document)


def test_a_document_with_its_own_context_is_left_to_json_ld() -> None:
    document = {"@context": {"naam": "http://www.w3.org/2004/02/skos/core#prefLabel"},
                "@type": "https://data.vlaanderen.be/ns/mobiliteit#Zone", "naam": "Kouter"}
    with pytest.raises(Exception, match="unknown term 'naam'"):
        read_json(document)
    own = {"@context": [CONTEXT_IRI, {"extra": "https://example.org/extra"}], "type": "Zone",
           "name": "Kouter"}
    assert read_json(own).graph is None  # checked, then read by rdflib


def test_the_reader_leaves_the_callers_document_alone() -> None:
    document = {"type": "Right", "amountPaid": {"value": "2.50", "currency": "EUR"},
                "@context": CONTEXT_IRI}
    before = repr(document)
    read_json(document)
    prepare_json(document)
    assert repr(document) == before


def test_nested_objects_are_linked_to_where_they_sit() -> None:
    read = read_json({"type": "Regime", "tariff": {"tariffSteps": [{"amount": "1"},
                                                                   {"amount": "2"}]}})
    assert read.graph is not None
    pointers = sorted(n.pointer for n in read.graph.all_nodes() if n.pointer is not None)
    assert pointers == ["", "/tariff", "/tariff/tariffSteps/0", "/tariff/tariffSteps/1"]
