"""The hand-written shapes of ``shapes/`` bite, and only where they should.

Every hand-written shape has at least one conforming and one violating example payload in
``shapes/examples/{valid,invalid}`` (named after the shape). A violating example yields exactly the
violations its ``.expected.json`` lists (shape, field path, property, class of the object) and a
conforming one none. Examples of rules across entities carry the entities they need in a
``.supporting.json`` (what the register passes along: the stored zone, authorisation, regime).
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDF, RDFS, SH

from vptr import paths
from vptr.validation import validate_document
from vptr.validation.rules import REGISTRY
from vptr.validation.service import profile_graph

from .corpus import SHAPES, Example, example_id, shape_examples

EXAMPLES = shape_examples()
CONSTRAINT_PARAMETERS = {SH.lessThan, SH.lessThanOrEquals, SH.pattern, SH.minCount, SH.datatype,
                         SH.sparql, SH["in"], SH["class"]}


def hand_written() -> Graph:
    graph = Graph()
    for path in sorted(paths.shapes_dir().glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def reporting_shapes() -> dict[str, str]:
    """The hand-written shapes that report violations themselves, with the class they target
    (a property shape: the target of the node shape holding it)."""
    graph = hand_written()
    profile = profile_graph()
    found: dict[str, str] = {}
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)):
        target = str(graph.value(shape, SH.targetClass))
        owner = profile.value(None, SH.node, shape)  # an embedded class's shape links the rule
        if owner is not None:
            target = str(profile.value(owner, SH.targetClass) or _class_of(str(owner)))
        for candidate in [shape, *graph.objects(shape, SH.property)]:
            if any(graph.value(candidate, p) is not None for p in CONSTRAINT_PARAMETERS):
                found[str(candidate).removeprefix(SHAPES)] = target
    return found


def _class_of(generated_shape: str) -> str:
    """The class IRI behind a generated shape (``…#TariffStepShape``), which may have no target."""
    from vptr.validation.model_index import model_index

    name = generated_shape.removeprefix(SHAPES).removesuffix("Shape")
    return model_index().classes[name].iri


def keys(violations: list) -> Counter:
    return Counter((v.shape.removeprefix(SHAPES), v.field, v.property, v.focus_class)
                   for v in violations)


def expected_keys(example: Example) -> Counter:
    return Counter((e["shape"], e["field"], e["property"], e["focusClass"])
                   for e in example.expected())


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_each_example_yields_exactly_its_expected_violations(example: Example) -> None:
    report = validate_document(example.document(), supporting=example.supporting())
    assert keys(report.violations) == expected_keys(example)
    assert report.conforms == example.valid


def test_every_hand_written_shape_has_a_conforming_and_a_violating_example() -> None:
    shapes = reporting_shapes()
    assert len(shapes) >= 10, sorted(shapes)
    conforming = {e.name.split("-", 1)[0] for e in EXAMPLES if e.valid}
    violated = {v["shape"] for e in EXAMPLES if not e.valid for v in e.expected()}
    assert set(shapes) - conforming == set(), "shapes without a conforming example"
    assert set(shapes) - violated == set(), "shapes no violating example breaks"


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.valid], ids=example_id)
def test_a_conforming_example_holds_what_its_shape_looks_at(example: Example) -> None:
    """A conforming example proves nothing if its shape targets none of its objects."""
    from vptr.validation.datagraph import DataGraph
    from vptr.validation.engine import prepare
    from vptr.validation.json_reader import read_json

    shape = example.name.split("-", 1)[0]
    target = reporting_shapes()[shape]
    graph = DataGraph()
    read_json(example.document(), None, graph)
    prepare(graph)  # types nested objects from the model, only to find the object here
    assert any(target in node.types + node.inferred for node in graph.described())


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.supporting() and not e.valid],
                         ids=example_id)
def test_rules_across_entities_need_the_supporting_entities(example: Example) -> None:
    expected = {e["shape"] for e in example.expected()}
    report = validate_document(example.document())
    assert expected.isdisjoint(v.shape.removeprefix(SHAPES) for v in report.violations)


def test_examples_are_invalid_deep_inside_nested_objects_too() -> None:
    deep = [v["field"] for e in EXAMPLES if not e.valid for v in e.expected()
            if v["field"].count(".") >= 2]
    assert len(deep) >= 3, deep


def test_every_hand_written_shape_speaks_dutch_and_english() -> None:
    graph = hand_written()
    for shape in reporting_shapes():
        node = next(s for s in graph.all_nodes() if str(s) == SHAPES + shape)
        names = {n.language for n in graph.objects(node, SH.name)}
        labels = {n.language for n in graph.objects(node, RDFS.label)}
        carriers = [node, *graph.objects(node, SH.sparql)]
        messages = {m.language for c in carriers for m in graph.objects(c, SH.message)}
        assert {"nl", "en"} <= names | labels, shape
        assert {"nl", "en"} <= messages, shape


def test_the_published_profile_holds_every_hand_written_shape() -> None:
    """``vptr generate`` merged shapes/*.ttl into the profile and the profile is up to date
    (triples between named nodes, and every SPARQL query)."""
    published = profile_graph()
    graph = hand_written()
    named = [t for t in graph if not any(isinstance(x, BNode) for x in t)]
    assert [t for t in named if t not in published] == []
    queries = set(published.objects(None, SH.select))
    assert set(graph.objects(None, SH.select)) <= queries


def test_every_sparql_shape_of_the_profile_has_a_compiled_rule() -> None:
    sparql_shapes = {str(s) for s in profile_graph().subjects(SH.sparql, None)}
    assert sparql_shapes and sparql_shapes <= set(REGISTRY)


def test_the_plate_formats_are_documented_per_country() -> None:
    readme = (paths.shapes_dir() / "README.md").read_text(encoding="utf-8")
    for country in ("BE", "NL", "FR", "DE", "LU"):
        assert f"| {country} |" in readme, country
