"""Every example in examples/ against the published application profile, as anyone else checks it.

Plain pySHACL over PyLD's RDF of the example (:mod:`.plain_shacl`): the published context and
profile, no inference, no type added to any node. Nested objects carry no `type`; the profile
reaches them through `sh:node`, and references are bare IRIs the profile checks by form only.

- A document in which no node is targeted by any shape is an error ("nothing validated"), never a
  pass.
- JSON-LD silently drops keys that the context does not define; the harness reports such keys.

Valid examples must conform. Each invalid example has exactly one defect and a sidecar
`<name>.expected.json` listing the violations it raises as (class of the focus node, property IRI,
constraint component); the set must match exactly. `examples/invalid` holds only what SHACL alone
finds invalid: a reference to a thing that does not exist is the register's to refuse
(tests/api/test_unresolved_references.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef

from . import plain_shacl

ROOT = Path(__file__).resolve().parents[2]
STANDARD = ROOT / "generated" / "vptr" / "standard"
EXAMPLES = ROOT / "examples"
CONTEXT_IRI = plain_shacl.CONTEXT_IRI

# Classes that only ever occur nested inside another object (every property whose range they are is
# inlined): they need no example file of their own, but must occur nested in some valid example.
SUPPORTING_CLASSES = {
    "Period", "Identifier", "Geometry", "MonetaryAmount", "Vehicle", "LicencePlate",
    "VehicleCriterion", "TimeSlot", "SpecialDay", "Tariff", "TariffStep", "Credit",
    "RightStatusChange", "PermitStatusChange",
}


# ------------------------------------------------------------------------------------------ helpers
def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


MODEL_INDEX = _json(STANDARD / "model-index.json")
CONTEXT = _json(STANDARD / "context.jsonld")["@context"]
CLASS_BY_IRI = {c["iri"]: name for name, c in MODEL_INDEX["classes"].items()}


def undefined_keys(node, path: str = "$") -> list[str]:
    """Keys JSON-LD would silently drop: no keyword, no term of the context, no CURIE or IRI."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "@context":
                if not (key.startswith("@") or key in CONTEXT or ":" in key):
                    found.append(f"{path}.{key}")
                found += undefined_keys(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += undefined_keys(item, f"{path}[{i}]")
    return found


def load_example(path: Path) -> Graph:
    return plain_shacl.to_graph(_json(path))


@dataclass
class Outcome:
    conforms: bool
    focus_nodes: int  # nodes of the data graph that some shape targets
    violations: set[tuple[str, str, str]] = field(default_factory=set)
    unreached: set[str] = field(default_factory=set)  # subjects no shape looks at
    report: str = ""


def _reached(graph: Graph, focus: set) -> set:
    """The focus nodes and every object embedded in them (what sh:node validates)."""
    inlined = {URIRef(p["iri"]) for c in MODEL_INDEX["classes"].values()
               for p in c["properties"].values() if p["kind"] == "class" and p["inlined"]}
    reached, pending = set(), list(focus)
    while pending:
        node = pending.pop()
        if node in reached:
            continue
        reached.add(node)
        pending += [o for p in inlined for o in graph.objects(node, p)]
    return reached


def validate(graph: Graph) -> Outcome:
    targets = set(plain_shacl.profile().objects(None, SH.targetClass))
    focus = {s for s, t in graph.subject_objects(RDF.type) if t in targets}
    unreached = {str(s) for s in set(graph.subjects()) if s not in _reached(graph, focus)}
    conforms, results, text = plain_shacl.validate(graph)
    violations = set()
    for result in plain_shacl.leaves(results):
        node = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        component = str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        violations.add((plain_shacl.class_of(graph, node), str(path), component))
    return Outcome(bool(conforms), len(focus), violations, unreached, text)


def check(graph: Graph) -> Outcome:
    """Validate, refusing to call a document valid when no shape looked at it."""
    outcome = validate(graph)
    if outcome.focus_nodes == 0:
        raise AssertionError("nothing validated: no node of the document is targeted by any shape")
    return outcome


# ------------------------------------------------------------------------------------------ tests
VALID = sorted((EXAMPLES / "valid").glob("*.jsonld"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.jsonld"))


def _id(path: Path) -> str:
    return path.stem


def test_example_folders_are_not_empty():
    assert VALID, "examples/valid holds no *.jsonld"
    assert INVALID, "examples/invalid holds no *.jsonld"


def test_every_invalid_example_has_its_expectation():
    missing = [p.name for p in INVALID if not p.with_suffix(".expected.json").is_file()]
    orphans = [p.name for p in (EXAMPLES / "invalid").glob("*.expected.json")
               if not p.with_name(p.name.replace(".expected.json", ".jsonld")).is_file()]
    assert not missing and not orphans, (missing, orphans)


def test_file_names_start_with_a_class_of_the_model():
    classes = MODEL_INDEX["classes"]
    wrong = [p.name for p in VALID + INVALID if p.stem.split("-", 1)[0] not in classes]
    assert not wrong


def test_supporting_classes_are_the_ones_only_ever_inlined():
    ranges: dict[str, list[bool]] = {}
    for c in MODEL_INDEX["classes"].values():
        for p in c["properties"].values():
            if p["kind"] == "class":
                ranges.setdefault(p["range"], []).append(p["inlined"])
    only_inlined = {name for name, inlined in ranges.items() if all(inlined)}
    assert only_inlined == SUPPORTING_CLASSES


def test_every_class_has_a_valid_example():
    seen = set()
    for path in VALID:
        graph = load_example(path)
        seen |= {plain_shacl.class_of(graph, node) for node in graph.subjects()}
    classes = set(MODEL_INDEX["classes"])
    assert classes - seen == set(), "classes that occur in no valid example"
    own_file = {p.stem.split("-", 1)[0] for p in VALID}
    without_file = classes - SUPPORTING_CLASSES - own_file
    assert without_file == set(), "top-level classes without an example file"


@pytest.mark.parametrize("path", VALID + INVALID, ids=_id)
def test_no_key_is_silently_dropped(path):
    assert undefined_keys(_json(path)) == []


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_example_conforms(path):
    outcome = check(load_example(path))
    assert outcome.unreached == set(), "nodes no shape validates"
    assert outcome.conforms, outcome.report


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_example_fails_exactly_as_expected(path):
    expected = {(v["focusClass"], v["path"], v["component"])
                for v in _json(path.with_suffix(".expected.json"))["violations"]}
    # One defect per example; a defect may still be reported by more than one constraint (a plate in
    # lower case breaks the generic pattern and the hand-written per-country format).
    assert expected, "an invalid example lists the violations it must raise"
    outcome = check(load_example(path))
    assert not outcome.conforms
    assert outcome.violations == expected, outcome.report


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_example_periods_and_steps_are_ordered(path):
    """Cross-field sanity the generated shapes do not check (yet): intervals end after start."""
    graph = load_example(path)
    m8g, vptr = "http://data.europa.eu/m8g/", MODEL_INDEX["namespace"]
    for start_p, end_p in ((m8g + "startTime", m8g + "endTime"),
                           (vptr + "startDuration", vptr + "endDuration")):
        for node, start in graph.subject_objects(URIRef(start_p)):
            for end in graph.objects(node, URIRef(end_p)):
                assert end.toPython() > start.toPython(), (path.name, node, start, end)


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_example_geometries_agree_and_lie_in_flanders(path):
    shapely = pytest.importorskip("shapely")
    from shapely import wkt
    from shapely.geometry import shape

    geosparql = "http://www.opengis.net/ont/geosparql#"
    graph = load_example(path)
    for node, text in graph.subject_objects(URIRef(geosparql + "asWKT")):
        geometry = wkt.loads(str(text))
        assert geometry.is_valid
        # longitude first: Flanders lies between 2.5 and 6 east, 50.6 and 51.6 north.
        minx, miny, maxx, maxy = geometry.bounds
        assert 2.5 <= minx <= maxx <= 6.0 and 50.6 <= miny <= maxy <= 51.6, geometry.bounds
        for geojson in graph.objects(node, URIRef(geosparql + "asGeoJSON")):
            assert shapely.equals(shape(json.loads(str(geojson))), geometry)


# ------------------------------------------------------------------------------------------ guards
def _graph(document: dict) -> Graph:
    return plain_shacl.to_graph(document)


def test_a_document_without_type_is_not_silently_accepted():
    untyped_zone = {"@context": CONTEXT_IRI, "id": "https://data.parkeerregister.vlaanderen.be/id/zone/x",
                    "name": "Zone zonder type", "zoneKind": "paidParking"}
    assert validate(_graph(untyped_zone)).focus_nodes == 0
    with pytest.raises(AssertionError, match="nothing validated"):
        check(_graph(untyped_zone))


def test_a_document_of_an_unknown_type_is_not_silently_accepted():
    unknown = {"@context": CONTEXT_IRI, "id": "https://data.parkeerregister.vlaanderen.be/id/zone/x",
               "type": "Parkeerplaats", "name": "Onbekend type"}
    with pytest.raises(AssertionError, match="nothing validated"):
        check(_graph(unknown))


def test_a_typo_in_a_key_is_reported_not_dropped():
    document = {"@context": CONTEXT_IRI, "type": "Zone", "naam": "Kouter"}
    assert undefined_keys(document) == ["$.naam"]
    # ... because JSON-LD itself drops it without a word:
    graph = _graph(document)
    assert not any(isinstance(o, Literal) and str(o) == "Kouter" for o in graph.objects())


def test_deep_defects_are_found_without_any_type_on_nested_objects():
    """The nested licence plate has no rdf:type, and no engine adds one: the profile reaches it
    through sh:node (whitelist entry, vehicle, plate) and reports the defect on the plate."""
    path = EXAMPLES / "invalid" / "Whitelist-entry-plate-country-not-alpha-2.jsonld"
    classes = MODEL_INDEX["classes"]
    country = classes["LicencePlate"]["properties"]["country"]["iri"]
    # `BEL` breaks the form (two letters) and the code list (ISO 3166-1 alpha-2) alike.
    defects = {("LicencePlate", country, "PatternConstraintComponent"),
               ("LicencePlate", country, "InConstraintComponent")}
    graph = load_example(path)
    plate = URIRef(classes["Vehicle"]["properties"]["licencePlate"]["iri"])
    plates = list(graph.objects(None, plate))
    assert plates and not any((p, RDF.type, None) in graph for p in plates)
    assert validate(graph).violations == defects


def test_nested_nodes_stay_untyped_blank_nodes():
    graph = load_example(EXAMPLES / "valid" / "Regime-gent-rood-paid.jsonld")
    tariff_step = MODEL_INDEX["classes"]["Tariff"]["properties"]["tariffSteps"]["iri"]
    steps = list(graph.objects(None, URIRef(tariff_step)))
    assert len(steps) == 2 and all(isinstance(s, BNode) for s in steps)
    assert not any((s, RDF.type, None) in graph for s in steps)
