"""Every generated artefact is sound on its own terms, and free of the defects published OSLO
artefacts have had (shared/reference/OSLO-NOTES.md): placeholder or wrong-scheme IRIs,
`"@type": ""`, duplicate keys in a context, `sh:maxCount "1"` as a string, terms without a label or
definition in a language.

The artefacts checked are a fresh generation (the `fresh_dir` fixture), so these tests judge the
generator; test_generated_up_to_date.py makes sure the committed files are the same.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

PROFILE = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"
TEXT_ARTEFACTS = (
    "vocabulary.ttl",
    "vocabulary.jsonld",
    "codelists.ttl",
    "shacl-generated.ttl",
    "application-profile.ttl",
    "context.jsonld",
    "schema.json",
    "datamodel.py",
    "model-index.json",
    "index.html",
)
TURTLE_ARTEFACTS = (
    "vocabulary.ttl",
    "codelists.ttl",
    "shacl-generated.ttl",
    "application-profile.ttl",
)
JSON_ARTEFACTS = ("context.jsonld", "vocabulary.jsonld", "schema.json", "model-index.json")
CONTEXT_URL = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
DATA = "https://data.parkeerregister.vlaanderen.be/id/"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

IRI_IN_TEXT = re.compile(r"""https?://[^\s"'<>`(){}\[\]\\,]*""")
PLACEHOLDER_IRI = re.compile(
    r"(?i)^https?://([^/]*\.)?(todo\.com|fixme|example\.(org|com|net)|localhost"
    r"|127\.0\.0\.1)|fixme|todo\.com"
)
#: Namespaces whose scheme is fixed: writing them with the other scheme gives different IRIs.
HTTP_ONLY = (
    "www.w3.org/",
    "xmlns.com/foaf/",
    "purl.org/dc/",
    "purl.org/vocab/vann/",
    "www.opengis.net/ont/geosparql",
    "data.europa.eu/m8g/",
    "data.vlaanderen.be/ns/besluit#",
    "schema.org/",
)
HTTPS_ONLY = (
    "data.vlaanderen.be/ns/parkeren-en-toegang",
    "data.vlaanderen.be/ns/mobiliteit#",
    "data.vlaanderen.be/id/concept/",
    "data.vlaanderen.be/id/conceptscheme/",
    "data.vlaanderen.be/shacl/",
    "data.parkeerregister.vlaanderen.be/",
)
#: Where a hyperlink in documentation text is fine although it is no term.
DOCUMENTATION_LINKS = ("https://json-schema.org/", "https://pydantic-docs.helpmanual.io/")


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def graph(folder: Path, name: str) -> Graph:
    return Graph().parse(folder / name, format="turtle")


def iri_problem(iri: str) -> str | None:
    if iri in {"", "http://", "https://"}:
        return "empty"
    if PLACEHOLDER_IRI.search(iri):
        return "placeholder"
    rest = iri.split("://", 1)[-1]
    if iri.startswith("https://") and rest.startswith(HTTP_ONLY):
        return "https where the namespace is http"
    if iri.startswith("http://") and rest.startswith(HTTPS_ONLY):
        return "http where the namespace is https"
    return None


# -- IRIs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEXT_ARTEFACTS)
def test_no_iri_in_an_artefact_is_a_placeholder_empty_or_of_the_wrong_scheme(fresh_dir, name):
    text = read(fresh_dir, name)
    found = {iri.rstrip(".;") for iri in IRI_IN_TEXT.findall(text)}
    found -= {iri for iri in found if iri.startswith(DOCUMENTATION_LINKS)}
    problems = sorted(f"{iri}: {iri_problem(iri)}" for iri in found if iri_problem(iri))
    assert problems == []
    if name.endswith(".ttl"):
        assert "<>" not in text, "an empty IRI"


@pytest.mark.parametrize(
    "iri",
    [
        "http://todo.com/Date",
        "http://fixme.com#lid",
        "http://example.org/zone/1",
        "https://example.com",
        "http://localhost:8000/id/zone/1",
        "",
        "https://www.w3.org/2004/02/skos/core#Concept",
        "https://www.w3.org/ns/prov#Agent",
        "https://www.w3.org/2001/XMLSchema#string",
        "https://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://data.vlaanderen.be/ns/besluit#Vergunning",
        "http://data.vlaanderen.be/ns/parkeren-en-toegang#Regime",
        "https://schema.org/Vehicle",
    ],
)
def test_the_iri_check_catches_the_defects_of_published_oslo_artefacts(iri):
    assert iri_problem(iri) is not None


@pytest.mark.parametrize(
    "iri",
    [
        "http://www.w3.org/2004/02/skos/core#Concept",
        "https://data.vlaanderen.be/ns/mobiliteit#Zone",
        "http://data.vlaanderen.be/ns/besluit#Vergunning",
        "http://schema.org/Vehicle",
        "https://data.vlaanderen.be/id/concept/Zonetype/blueZone",
    ],
)
def test_the_iri_check_accepts_the_namespaces_the_model_uses(iri):
    assert iri_problem(iri) is None


@pytest.mark.parametrize("name", TURTLE_ARTEFACTS)
def test_every_iri_of_an_rdf_artefact_is_absolute_and_sound(fresh_dir, name):
    terms_ = {t for triple in graph(fresh_dir, name) for t in triple if isinstance(t, URIRef)}
    assert terms_
    problems = sorted(
        f"{t}: {iri_problem(str(t)) or 'not http(s)'}"
        for t in terms_
        if iri_problem(str(t)) or not str(t).startswith(("http://", "https://"))
    )
    assert problems == []


def walk(value: Any, path: str = "$"):
    """Every (path, key, value) in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


@pytest.mark.parametrize("name", JSON_ARTEFACTS)
def test_no_json_artefact_has_an_empty_type_or_id(fresh_dir, name):
    data = json.loads(read(fresh_dir, name))
    empty = [
        f"{path}.{key}"
        for path, key, value in walk(data)
        if key in {"@type", "@id", "@vocab"} and value == ""
    ]
    assert empty == []


def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"duplicate keys {duplicates}")
    return dict(pairs)


@pytest.mark.parametrize("name", JSON_ARTEFACTS)
def test_no_json_artefact_has_a_duplicate_key_at_any_level(fresh_dir, name):
    json.loads(read(fresh_dir, name), object_pairs_hook=reject_duplicates)


def test_the_duplicate_key_check_does_catch_a_duplicate():
    with pytest.raises(ValueError, match="duplicate keys"):
        json.loads(
            '{"@context": {"a": 1, "b": {"c": 1, "c": 2}}}', object_pairs_hook=reject_duplicates
        )


# -- the application profile -----------------------------------------------------------------------


def shacl_shacl() -> Graph:
    import pyshacl

    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    assert path.is_file(), "pyshacl no longer ships assets/shacl-shacl.ttl"
    return Graph().parse(path, format="turtle")


def test_the_application_profile_is_valid_shacl(fresh_dir):
    from pyshacl import validate

    conforms, _, text = validate(
        graph(fresh_dir, "application-profile.ttl"), shacl_graph=shacl_shacl()
    )
    assert conforms, text


def test_the_shacl_for_shacl_check_does_catch_a_broken_shape():
    from pyshacl import validate

    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://data.vlaanderen.be/shacl/parkeren-en-toegang#BrokenShape> a sh:NodeShape ;
            sh:property [ sh:path <https://data.vlaanderen.be/ns/parkeren-en-toegang#x> ;
                          sh:minCount "one" ] .
    """,
        format="turtle",
    )
    conforms, _, _ = validate(broken, shacl_graph=shacl_shacl())
    assert not conforms


@pytest.mark.parametrize("name", ["application-profile.ttl", "shacl-generated.ttl"])
def test_counts_and_lengths_in_shapes_are_integers_not_strings(fresh_dir, name):
    shapes = graph(fresh_dir, name)
    predicates = (
        SH.minCount,
        SH.maxCount,
        SH.minLength,
        SH.maxLength,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
    )
    values = [(p, o) for p in predicates for o in shapes.objects(None, p)]
    assert any(p == SH.minCount for p, _ in values)
    wrong = [
        (str(p), repr(o))
        for p, o in values
        if not (isinstance(o, Literal) and o.datatype == XSD_INTEGER)
    ]
    assert wrong == []


def test_every_class_of_the_model_has_a_node_shape_in_the_profile(fresh_dir, terms):
    """A class with an identifier is a target; one that only lives embedded is reached through
    sh:node from every property that embeds it, and checked by no sh:class (which would need an
    rdf:type payloads do not carry)."""
    shapes = graph(fresh_dir, "application-profile.ttl")
    targets = {str(o) for o in shapes.objects(None, SH.targetClass)}
    documents = {c.iri for c in terms.classes.values() if c.identified}
    assert targets == documents
    linked = {str(o) for o in shapes.objects(None, SH.node)}
    for cls in terms.classes.values():
        for prop in cls.properties:
            shape = URIRef(f"{PROFILE}{cls.name}.{prop.name}")
            if prop.range_kind == "class" and prop.inlined:
                assert str(shapes.value(shape, SH.node)) == f"{PROFILE}{prop.range_name}Shape"
            elif prop.range_kind == "class":
                assert shapes.value(shape, SH.nodeKind) == SH.IRI
                kind = terms.classes[prop.range_name].iri_kind
                assert f"id/{kind}/[" in str(shapes.value(shape, SH.pattern))
    embedded = {f"{PROFILE}{c.name}Shape" for c in terms.classes.values() if not c.identified}
    assert embedded <= linked
    assert list(shapes.objects(None, SH["class"])) == []


# -- the JSON-LD context ---------------------------------------------------------------------------


def local_loader(fresh_dir: Path):
    """A PyLD document loader that serves the generated context and refuses everything else."""
    context = json.loads(read(fresh_dir, "context.jsonld"))

    def load(url: str, options: dict | None = None) -> dict:
        if url != CONTEXT_URL:
            raise AssertionError(f"the context made PyLD fetch {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": context,
        }

    return load


def sample_document(terms) -> tuple[dict, dict[str, dict[str, list]]]:
    """One node per class with every enumeration and reference property filled in, and what each
    should expand to (property IRI -> expanded values)."""
    nodes, expected = [], {}
    for cls in terms.classes.values():
        node_id = f"{DATA}test/{cls.name}"
        node: dict[str, Any] = {"id": node_id, "type": cls.name}
        want: dict[str, list] = {"@type": [cls.iri]}
        for prop in cls.properties:
            if prop.range_kind == "enum":
                value = terms.enums[prop.range_name].values[0]
                node[prop.name] = [value.text] if prop.multivalued else value.text
                want[prop.iri] = [{"@id": value.iri}]
            elif prop.range_kind == "iri" or (prop.range_kind == "class" and not prop.inlined):
                target = f"{DATA}test/{prop.range_name}-target"
                node[prop.name] = [target] if prop.multivalued else target
                want[prop.iri] = [{"@id": target}]
            elif prop.range_kind == "datatype" and prop.range_iri == XSD_STRING:
                node[prop.name] = "text"
                want[prop.iri] = [{"@value": "text"}]
        nodes.append(node)
        expected[node_id] = want
    return {"@context": CONTEXT_URL, "@graph": nodes}, expected


def test_pyld_expands_every_class_key_and_code_list_value_of_the_context_to_its_iri(
    fresh_dir, terms
):
    document, expected = sample_document(terms)
    expanded = jsonld.expand(document, {"documentLoader": local_loader(fresh_dir)})
    by_id = {node["@id"]: node for node in expanded}
    assert sorted(by_id) == sorted(expected)
    for node_id, want in expected.items():
        node = by_id[node_id]
        for key, values in want.items():
            got = node.get(key)
            assert got is not None, f"{node_id}: {key} was dropped by the context"
            if key != "@type":
                got = [{k: v for k, v in item.items() if k in {"@id", "@value"}} for item in got]
            assert got == values, f"{node_id}: {key}"


def test_an_unknown_key_is_not_silently_turned_into_a_term(fresh_dir):
    """Without @vocab a misspelt key is dropped on expansion instead of becoming a vptr: term."""
    document = {"@context": CONTEXT_URL, "id": f"{DATA}zone/z1", "naem": "typo"}
    expanded = jsonld.expand(document, {"documentLoader": local_loader(fresh_dir)})
    assert all(not key.endswith("naem") for node in expanded for key in node)


# -- the vocabulary and the code lists -------------------------------------------------------------


def languages(g: Graph, subject, predicate) -> list[str]:
    return sorted(o.language or "" for o in g.objects(subject, predicate) if isinstance(o, Literal))


def test_every_term_of_the_vocabulary_has_labels_and_definitions_in_dutch_and_english(
    fresh_dir, terms
):
    vocabulary = graph(fresh_dir, "vocabulary.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    described = {s for kind in kinds for s in vocabulary.subjects(RDF.type, kind)}
    ours = {s for s in described if str(s).startswith(terms.namespace)}
    assert ours
    problems = {}
    for term in sorted(ours):
        found = {
            "label": languages(vocabulary, term, RDFS.label),
            "comment": languages(vocabulary, term, RDFS.comment),
            "isDefinedBy": [str(o) for o in vocabulary.objects(term, RDFS.isDefinedBy)],
        }
        if (
            found["label"] != ["en", "nl"]
            or found["comment"] != ["en", "nl"]
            or not found["isDefinedBy"]
        ):
            problems[str(term)] = found
    assert problems == {}


def test_every_class_and_property_in_our_namespace_is_in_the_vocabulary(fresh_dir, terms):
    vocabulary = graph(fresh_dir, "vocabulary.ttl")
    subjects = {str(s) for s in vocabulary.subjects()}
    iris = {c.iri for c in terms.classes.values()} | {
        p.iri for c in terms.classes.values() for p in c.properties
    }
    missing = sorted(iri for iri in iris if iri.startswith(terms.namespace) and iri not in subjects)
    assert missing == []


def test_the_vocabulary_asserts_nothing_about_other_vocabularies_terms(fresh_dir, terms):
    """Reused terms (mobiliteit:Zone, m8g:startTime) are used, never redefined; only the ontology
    header (the namespace without its '#') is outside the namespace."""
    vocabulary = graph(fresh_dir, "vocabulary.ttl")
    header = terms.namespace.rstrip("#/")
    foreign = sorted(
        {
            str(s)
            for s in vocabulary.subjects()
            if not str(s).startswith(terms.namespace) and str(s) != header
        }
    )
    assert foreign == []
    assert (URIRef(header), RDF.type, OWL.Ontology) in vocabulary
    assert not any(isinstance(s, BNode) for s in vocabulary.subjects())


def test_the_vocabulary_in_json_ld_is_the_same_graph_as_in_turtle(fresh_dir):
    turtle = graph(fresh_dir, "vocabulary.ttl")
    json_ld = Graph().parse(fresh_dir / "vocabulary.jsonld", format="json-ld")
    assert len(turtle) > 0
    assert isomorphic(turtle, json_ld)


def test_every_concept_has_exactly_one_preferred_label_in_dutch_and_in_english(fresh_dir):
    codelists = graph(fresh_dir, "codelists.ttl")
    concepts = sorted(set(codelists.subjects(RDF.type, SKOS.Concept)))
    assert concepts
    wrong = {
        str(c): languages(codelists, c, SKOS.prefLabel)
        for c in concepts
        if languages(codelists, c, SKOS.prefLabel) != ["en", "nl"]
    }
    assert wrong == {}


def test_every_concept_is_in_a_declared_concept_scheme(fresh_dir):
    codelists = graph(fresh_dir, "codelists.ttl")
    schemes = set(codelists.subjects(RDF.type, SKOS.ConceptScheme))
    outside = sorted(
        str(c)
        for c in codelists.subjects(RDF.type, SKOS.Concept)
        if not set(codelists.objects(c, SKOS.inScheme)) & schemes
    )
    assert outside == []


# -- JSON Schema and Pydantic ----------------------------------------------------------------------


def test_the_json_schema_is_a_valid_schema_with_a_definition_per_class(fresh_dir, terms):
    schema = json.loads(read(fresh_dir, "schema.json"))
    try:
        from jsonschema.validators import validator_for
    except ImportError:  # pragma: no cover - jsonschema comes with linkml
        validator_for = None
    if validator_for is not None:
        validator_for(schema).check_schema(schema)
    assert sorted(set(terms.classes) - set(schema["$defs"])) == []


def test_the_pydantic_module_imports_and_has_every_class_and_enumeration(fresh_dir, terms):
    path = fresh_dir / "datamodel.py"
    spec = importlib.util.spec_from_file_location("vptr_fresh_datamodel", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Pydantic resolves forward references through sys.modules
    try:
        spec.loader.exec_module(module)
        missing = sorted(
            name
            for name in terms.classes
            if not (
                isinstance(getattr(module, name, None), type)
                and issubclass(getattr(module, name), BaseModel)
            )
        )
        assert missing == []
        assert sorted(name for name in terms.enums if not hasattr(module, name)) == []
        fields = {
            f"{c.name}.{p.name}"
            for c in terms.classes.values()
            for p in c.properties
            if p.name not in getattr(module, c.name).model_fields
        }
        assert fields == set()
    finally:
        sys.modules.pop(spec.name, None)
