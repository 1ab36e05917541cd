"""The fast validator implements each SHACL core component as pySHACL does, and refuses to load
shapes that use anything it does not implement.

A small shapes graph uses every component the compiler supports; data in Turtle exercises their
corners (ill-typed literals, time zones, language tags, blank nodes, IRIs where literals belong).
Both engines validate it; their results must be the same.
"""

from __future__ import annotations

from collections import Counter

import pyshacl
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from vptr.validation.engine import validate_data
from vptr.validation.graph_reader import read_graph
from vptr.validation.profile import UnsupportedShapeError, compile_shapes, compiled_profile

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
"""

SHAPES = PREFIXES + """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:closed true ;
    sh:ignoredProperties ( rdf:type ex:end ex:deadline ) ;
    sh:property ex:Thing.count, ex:Thing.price, ex:Thing.code, ex:Thing.label, ex:Thing.kind,
        ex:Thing.part, ex:Thing.start, ex:Thing.flag, ex:Thing.day, ex:Thing.link, ex:Thing.owner,
        ex:Thing.note, ex:Thing.ratio, ex:Thing.due .

ex:Thing.count sh:path ex:count ; sh:datatype xsd:integer ; sh:minCount 1 ; sh:maxCount 1 ;
    sh:minInclusive 0 ; sh:maxExclusive 100 .
ex:Thing.price sh:path ex:price ; sh:datatype xsd:decimal ; sh:minExclusive 0 ;
    sh:maxInclusive 10.5 .
ex:Thing.code sh:path ex:code ; sh:datatype xsd:string ; sh:pattern "^[a-z]{2}$" ;
    sh:flags "i" ; sh:minLength 2 ; sh:maxLength 2 .
ex:Thing.label sh:path ex:label ; sh:nodeKind sh:Literal .
ex:Thing.kind sh:path ex:kind ; sh:in ( ex:Red ex:Green ) ; sh:nodeKind sh:IRI .
ex:Thing.part sh:path ex:part ; sh:class ex:Part ; sh:nodeKind sh:BlankNodeOrIRI .
ex:Thing.start sh:path ex:start ; sh:datatype xsd:dateTime ; sh:lessThan ex:end .
ex:Thing.due sh:path ex:due ; sh:lessThanOrEquals ex:deadline .
ex:Thing.flag sh:path ex:flag ; sh:datatype xsd:boolean ; sh:hasValue true .
ex:Thing.day sh:path ex:day ; sh:datatype xsd:date ; sh:minInclusive "2026-01-01"^^xsd:date .
ex:Thing.link sh:path ex:link ; sh:nodeKind sh:IRIOrLiteral ; sh:maxLength 30 .
ex:Thing.owner sh:path ex:owner ; sh:nodeKind sh:BlankNode ; sh:severity sh:Warning .
ex:Thing.note sh:path ex:note ; sh:datatype rdf:langString ; sh:maxCount 2 .
ex:Thing.ratio sh:path ex:ratio ; sh:datatype xsd:double ; sh:maxInclusive 1 .

ex:EndShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:end ; sh:datatype xsd:dateTime ; sh:maxCount 1 ] .
"""

DATA = PREFIXES + """
ex:good a ex:Thing ; ex:count 5 ; ex:price 2.50 ; ex:code "AB" ; ex:label "x" ; ex:kind ex:Red ;
    ex:part ex:p1 ; ex:start "2026-03-02T10:00:00+01:00"^^xsd:dateTime ;
    ex:end "2026-03-02T11:00:00+01:00"^^xsd:dateTime ;
    ex:deadline "2026-03-02T10:00:00+01:00"^^xsd:dateTime ; ex:flag true ;
    ex:due "2026-03-02T10:00:00+01:00"^^xsd:dateTime ;
    ex:day "2026-02-01"^^xsd:date ; ex:note "kort"@nl ; ex:ratio 0.5e0 .
ex:p1 a ex:Part .

ex:bad1 a ex:Thing ; ex:count "five"^^xsd:integer, 100 ; ex:price 0.0, "abc"^^xsd:decimal ;
    ex:code "abc", "a1", <https://example.org/ab> ; ex:label ex:iri ; ex:kind ex:Blue, "Red" ;
    ex:part ex:p2, "part", [ ex:name "anonymous" ] ;
    ex:start "2026-03-02T12:00:00+01:00"^^xsd:dateTime, "2026-03-02T09:00:00"^^xsd:dateTime,
        "soon"^^xsd:dateTime ;
    ex:end "2026-03-02T11:00:00+01:00"^^xsd:dateTime ;
    ex:deadline "2026-03-02T11:00:00"^^xsd:dateTime ;
    ex:due "2026-03-02T10:00:00+01:00"^^xsd:dateTime, "2026-03-02T11:00:00"^^xsd:dateTime, 7 ;
    ex:flag false, "yes"^^xsd:boolean ; ex:day "2025-12-31"^^xsd:date, "2026-02-30"^^xsd:date ;
    ex:link "a much longer text than thirty characters" , [ ex:x 1 ] ; ex:owner ex:someone ;
    ex:note "a"@nl, "b"@en, "c" ; ex:ratio "NaN"^^xsd:double, 2 ; ex:unexpected "closed" .
ex:p2 a ex:Other .

ex:bad2 a ex:Thing ; ex:count -1 ; ex:code "A" ; ex:flag "1"^^xsd:boolean ;
    ex:start "2026-03-02T10:00:00Z"^^xsd:dateTime ;
    ex:end "2026-03-02T11:00:00+01:00"^^xsd:dateTime, "2026-03-02T12:00:00+01:00"^^xsd:dateTime ;
    ex:price 10.5 ; ex:ratio 1.0e0 .
"""


def _reference(shapes: Graph, data: Graph) -> Counter:
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                     allow_warnings=True)
    found: Counter = Counter()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(r, SH.resultPath)
        shape = results.value(r, SH.sourceShape)
        found[(str(results.value(r, SH.focusNode)), str(path) if path else None,
               str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
               "blank" if isinstance(shape, BNode) else str(shape),
               str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])] += 1
    return found


def _fast(shapes: Graph, data: Graph) -> Counter:
    graph = read_graph(data)
    report = validate_data(graph, compile_shapes(shapes, rules={}))
    return Counter((v.focus, v.path, v.component,
                    v.shape if not v.shape.startswith("_:") else "blank", v.severity)
                   for v in report.violations)


PROFILE = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"


def test_every_supported_component_gives_what_pyshacl_gives() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    reference, fast = _reference(shapes, data), _fast(shapes, data)
    assert fast == reference, f"fast only: {fast - reference}; pyshacl only: {reference - fast}"
    components = {key[2] for key in fast}
    assert len(components) >= 15, sorted(components)
    assert not any(focus.endswith("good") for focus, *_ in fast)


def test_the_published_profile_compiles_with_every_shape() -> None:
    profile = compiled_profile()
    targets = {t for shape in profile.shapes for t in shape.targets}
    from vptr.validation.model_index import model_index

    classes = model_index().classes.values()
    # Documents are targets; embedded objects are reached through sh:node, never targeted, so a
    # nested object is validated the same way with or without its rdf:type.
    assert {c.iri for c in classes if c.document} == targets
    linked = {link for p in profile.property_shapes.values() for link in p.nodes}
    assert {f"{PROFILE}{c.name}Shape" for c in classes if not c.document} <= linked
    assert sum(len(shape.rules) for shape in profile.shapes) >= 8


UNSUPPORTED = {
    "sh:or": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:or ( [ sh:class ex:A ] ) .",
    "sh:node to a blank shape": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ "
                                "sh:path ex:p ; sh:node [ sh:class ex:A ] ] .",
    "qualified value shape": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ "
                             "sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:A ] ; "
                             "sh:qualifiedMinCount 1 ] .",
    "a sequence path": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ "
                       "sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "an inverse path": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ "
                       "sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
    "sh:targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:class ex:A .",
    "sh:equals": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ sh:path ex:p ; "
                 "sh:equals ex:q ] .",
    "sh:languageIn": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:property [ "
                     "sh:path ex:p ; sh:languageIn ( \"nl\" ) ] .",
    "an implicit class target": "ex:S a sh:NodeShape, rdfs:Class ; sh:class ex:A .",
    "a SPARQL rule without compiled code": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; "
                                           "sh:sparql [ sh:select \"SELECT $this WHERE {}\" ] .",
    "sh:minCount on a node shape": "ex:S a sh:NodeShape ; sh:targetClass ex:T ; sh:minCount 1 .",
}


@pytest.mark.parametrize("turtle", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_a_shape_the_fast_validator_cannot_run_stops_the_load(turtle: str) -> None:
    shapes = Graph().parse(data=PREFIXES + turtle, format="turtle")
    with pytest.raises(UnsupportedShapeError):
        compile_shapes(shapes, rules={})


def test_a_changed_sparql_query_stops_the_load_until_its_rule_is_updated() -> None:
    from vptr.validation.rules import REGISTRY
    from vptr.validation.service import profile_graph

    profile = profile_graph()
    changed = Graph()
    for triple in profile:
        changed.add(triple)
    shape = next(s for s in changed.subjects(SH.sparql, None) if str(s).endswith("Contiguous"))
    constraint = changed.value(shape, SH.sparql)
    query = str(changed.value(constraint, SH.select))
    changed.set((constraint, SH.select, type(changed.value(constraint, SH.select))(
        query.replace(">= ?end", "> ?end"))))
    with pytest.raises(UnsupportedShapeError, match="query changed"):
        compile_shapes(changed, rules=REGISTRY)


def test_the_plate_formats_are_read_from_the_shape_not_from_code() -> None:
    """Editing the table of formats in licence-plates.ttl changes what the fast validator
    accepts, without touching its code."""
    from vptr.validation import validate_document
    from vptr.validation.engine import validate_data as run
    from vptr.validation.json_reader import read_json
    from vptr.validation.rules import REGISTRY
    from vptr.validation.service import profile_graph

    document = {"type": "Right", "rightKind": "parking", "zone": "https://x.org/id/zone/z",
                "vehicle": {"licencePlate": {"plateNumber": "ABC", "country": "LU"}},
                "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00"},
                "provider": "https://x.org/id/organisation/p", "channel": "app",
                "rightStatus": "active"}
    assert not validate_document(document).conforms
    edited = Graph()
    for s, p, o in profile_graph():
        if p == SH.select and "?format" in str(o):
            o = type(o)(str(o).replace('"^([A-Z]{1,2}[0-9]{2,4}|[0-9]{1,5})$"', '"^[A-Z]{3}$"'))
        edited.add((s, p, o))
    from vptr.validation.engine import prepare

    graph = read_json(document).graph
    assert graph is not None
    prepare(graph)
    assert run(graph, compile_shapes(edited, rules=REGISTRY)).conforms
