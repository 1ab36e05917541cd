"""Old IRIs stay resolvable: every IRI of release 0.1.0 (model/releases/0.1.0.json) leads to the IRI
that replaced it, in the published mapping (iri-mapping.ttl) and, for the terms of our namespace,
in the vocabulary itself (a hash IRI resolves to the namespace document)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from vptr.standard_build.errors import ModelError
from vptr.standard_build.iri_mapping import Release, load_previous, replacements

from .conftest import MODEL_DIR


@pytest.fixture(scope="module")
def release() -> dict:
    return json.loads((MODEL_DIR / "releases" / "0.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mapping(fresh_dir: Path) -> Graph:
    return Graph().parse(fresh_dir / "iri-mapping.ttl")


def current_iris(terms) -> set[str]:
    iris = {c.iri for c in terms.classes.values()} | set(terms.slot_iris.values())
    iris |= {v.iri for e in terms.enums.values() for v in e.values}
    return iris


def test_every_old_iri_is_current_or_replaced_by_a_current_one(release, mapping, terms):
    old = (set(release["classes"].values()) | set(release["slots"].values())
           | set(release["values"].values()))
    current = current_iris(terms)
    unresolved = []
    for iri in sorted(old - current):
        new = mapping.value(URIRef(iri), DCTERMS.isReplacedBy)
        if new is None or str(new) not in current:
            unresolved.append(iri)
    assert unresolved == []
    assert len(old - current) > 100  # the 1.0 renaming, not an empty mapping that passes


def test_classes_properties_and_concepts_are_declared_equivalent_and_deprecated(mapping):
    vptr = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
    concept = "https://data.vlaanderen.be/id/concept/"
    right, zones = URIRef(vptr + "Right"), URIRef(vptr + "zones")
    assert mapping.value(right, OWL.equivalentClass) == URIRef(vptr + "Recht")
    assert mapping.value(zones, OWL.equivalentProperty) == URIRef(
        "https://data.vlaanderen.be/ns/mobiliteit#zone")
    paid = URIRef(concept + "Gebruiksdoel/paidParking")
    assert mapping.value(paid, SKOS.exactMatch) == URIRef(concept + "Gebruiksdoel/betaalparkeren")
    assert (paid, OWL.deprecated, Literal(True)) in mapping
    scheme = URIRef("https://data.vlaanderen.be/id/conceptscheme/Rechtsoort")
    assert mapping.value(scheme, DCTERMS.isReplacedBy) == URIRef(
        "https://data.vlaanderen.be/id/conceptscheme/SoortRecht")


def test_the_vocabulary_document_resolves_the_old_terms_of_its_namespace(fresh_dir):
    vocabulary = Graph().parse(fresh_dir / "vocabulary.ttl")
    old = URIRef("https://data.vlaanderen.be/ns/parkeren-en-toegang#Right")
    assert vocabulary.value(old, DCTERMS.isReplacedBy) == URIRef(
        "https://data.vlaanderen.be/ns/parkeren-en-toegang#Recht")
    assert (old, OWL.deprecated, Literal(True)) in vocabulary
    codelists = Graph().parse(fresh_dir / "codelists.ttl")
    assert codelists.value(URIRef("https://data.vlaanderen.be/id/concept/Zonetype/blueZone"),
                           DCTERMS.isReplacedBy) is not None


def test_a_name_of_the_old_release_missing_from_the_model_is_refused(model, terms):
    previous = load_previous(model)
    assert previous is not None
    gone = Release(previous.version, previous.issued, previous.status,
                   {**previous.classes, "Parking": "https://data.vlaanderen.be/ns/x#Parking"},
                   previous.slots, previous.values, previous.schemes)
    with pytest.raises(ModelError, match="class Parking"):
        replacements(gone, terms)


def test_the_model_index_carries_the_replacements_for_the_validators(fresh_dir):
    index = json.loads((fresh_dir / "model-index.json").read_text(encoding="utf-8"))
    assert index["replaced"]["https://data.vlaanderen.be/ns/parkeren-en-toegang#Right"] == (
        "https://data.vlaanderen.be/ns/parkeren-en-toegang#Recht")
