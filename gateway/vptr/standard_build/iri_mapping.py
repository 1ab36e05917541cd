"""Old IRIs keep resolving: every IRI of the previous release, mapped to the IRI that replaced it.

A release is recorded, frozen, in ``model/releases/{version}.json``: the IRI of every class, slot,
enumeration value and concept scheme, by the model's name. The model's names are the JSON keys and
code-list short names, which did not change when the terms got Dutch IRIs, so the name pairs an old
IRI with its new one without a hand-kept table. ``vptr generate`` publishes the pairs
(``iri-mapping.ttl``) with ``dcterms:isReplacedBy`` and ``owl:equivalentClass`` /
``owl:equivalentProperty`` / ``skos:exactMatch``, and the old terms of our own namespace marked
``owl:deprecated`` in the vocabulary itself: a hash IRI resolves to the namespace document, so
``#Right`` must be found there, pointing at ``#Recht``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .errors import ModelError, ModelProblem
from .model_loader import LoadedModel
from .namespaces import CONCEPT_SCHEME_BASE, bind_common
from .terms import Labels, Terms

RELEASES_DIR = "releases"
#: Names the model dropped for another, in ``releases/renamed.json``: ``{"slots": {old: new},
#: "enums": {old: new}}`` (an enumeration's values keep their short names), and slots removed with
#: no equivalent, ``{"removed": {"slots": {old: {"replacedBy": slot, "label_nl", "label_en",
#: "note_nl", "note_en"}}}}``: what the old slot said is now said by another slot in another shape.
RENAMED_FILE = "renamed.json"


@dataclass(frozen=True)
class Replacement:
    """One old IRI and the IRI that replaces it, with what kind of term it is."""

    kind: str  # "class" | "property" | "concept" | "scheme"
    name: str  # the model's name: "Right", "zones", "Usage.paidParking", "Usage"
    old: str
    new: str
    labels: Labels
    #: False for a removed term: ``new`` says what it said in another shape, not the same thing,
    #: so the mapping gives no owl:equivalentProperty and readers do not rewrite the old IRI.
    equivalent: bool = True


@dataclass(frozen=True)
class Release:
    """A previous release as recorded in ``model/releases/{version}.json``."""

    version: str
    issued: str
    status: str
    classes: dict[str, str]
    slots: dict[str, str]
    values: dict[str, str]
    schemes: dict[str, str]
    renamed_slots: dict[str, str] = field(default_factory=dict)
    renamed_enums: dict[str, str] = field(default_factory=dict)
    removed_slots: dict[str, dict[str, str]] = field(default_factory=dict)


def release_file(model: LoadedModel) -> Path | None:
    version = model.annotation(model.view.schema, "previous_version")
    if not version:
        return None
    return model.main_file.parent / RELEASES_DIR / f"{version}.json"


def load_previous(model: LoadedModel) -> Release | None:
    """The release this version replaces, or None for a first release."""
    path = release_file(model)
    if path is None:
        return None
    if not path.is_file():
        raise ModelError([ModelProblem(
            model.main_file.name, "previous_version",
            f"{path.parent.name}/{path.name} is missing: record the previous release's IRIs")])
    data = json.loads(path.read_text(encoding="utf-8"))
    renamed_path = path.parent / RENAMED_FILE
    renamed = (json.loads(renamed_path.read_text(encoding="utf-8"))
               if renamed_path.is_file() else {})
    return Release(data["version"], data["issued"], data["status"], data["classes"],
                   data["slots"], data["values"], data["schemes"],
                   renamed.get("slots", {}), renamed.get("enums", {}),
                   renamed.get("removed", {}).get("slots", {}))


def replacements(previous: Release | None, terms: Terms) -> list[Replacement]:
    """Every IRI of the previous release that is not an IRI of this one, paired by name with its
    replacement. A name that no longer exists is an error: nothing may be left unresolvable."""
    if previous is None:
        return []
    found: list[Replacement] = []
    missing: list[str] = []
    slot_labels = terms.slot_labels
    for name, old in previous.classes.items():
        cls = terms.classes.get(name)
        if cls is None:
            missing.append(f"class {name}")
        elif cls.iri != old:
            found.append(Replacement("class", name, old, cls.iri, cls.labels))
    for name, old in previous.slots.items():
        removed = previous.removed_slots.get(name)
        if removed is not None:
            new = terms.slot_iris.get(removed["replacedBy"])
            if new is None or name in terms.slot_iris:
                missing.append(f"slot {name} (removed, replaced by {removed['replacedBy']})")
                continue
            found.append(Replacement("property", name, old, new, Labels(
                removed["label_en"], removed["label_nl"], removed["note_en"],
                removed["note_nl"]), equivalent=False))
            continue
        current = previous.renamed_slots.get(name, name)
        new = terms.slot_iris.get(current)
        if new is None:
            missing.append(f"slot {name}")
        elif new != old:
            found.append(Replacement("property", name, old, new, slot_labels[current]))
    for name, old in previous.values.items():
        enum_name, _, text = name.partition(".")
        enum = terms.enums.get(previous.renamed_enums.get(enum_name, enum_name))
        value = next((v for v in enum.values if v.text == text), None) if enum else None
        if value is None:
            missing.append(f"value {name}")
        elif value.iri != old:
            found.append(Replacement("concept", name, old, value.iri, value.labels))
    for name, old in previous.schemes.items():
        enum = terms.enums.get(previous.renamed_enums.get(name, name))
        scheme = enum.scheme_name if enum else None
        if scheme is None:
            missing.append(f"concept scheme {name}")
        elif CONCEPT_SCHEME_BASE + scheme != old:
            found.append(Replacement("scheme", name, old, CONCEPT_SCHEME_BASE + scheme,
                                     enum.labels))
    if missing:
        raise ModelError([ModelProblem(
            "releases", m, f"is in release {previous.version} but not in the model: its IRI "
            "would no longer resolve") for m in missing])
    # Two old keys of one relation (zone, zones) may map to one new IRI, never one old to two.
    by_old: dict[str, str] = {}
    for r in found:
        if by_old.setdefault(r.old, r.new) != r.new:
            raise ModelError([ModelProblem("releases", r.name,
                                           f"{r.old} would be replaced by two IRIs")])
    return found


_EQUIVALENT = {"class": OWL.equivalentClass, "property": OWL.equivalentProperty,
               "concept": SKOS.exactMatch, "scheme": SKOS.exactMatch}


def build_mapping(model: LoadedModel, terms: Terms, previous: Release | None) -> Graph:
    """The published mapping: each old IRI, deprecated, replaced by and equivalent to its new
    IRI, with the new term's labels so a person reading the old IRI knows what it became."""
    graph = bind_common(Graph(), terms.prefixes)
    schema = model.view.schema
    if previous is not None:
        doc = URIRef(str(schema.id).rstrip("/#") + "/iri-mapping")
        graph.add((doc, RDF.type, OWL.Ontology))
        graph.add((doc, DCTERMS.title, Literal(
            f"IRI's van versie {previous.version}, vervangen in versie {schema.version}",
            lang="nl")))
        graph.add((doc, DCTERMS.title, Literal(
            f"IRIs of version {previous.version}, replaced in version {schema.version}",
            lang="en")))
        graph.add((doc, OWL.versionInfo, Literal(str(schema.version))))
        graph.add((doc, OWL.priorVersion, Literal(previous.version)))
        graph.add((doc, DCTERMS.issued, Literal(model.annotation(schema, "issued"),
                                                 datatype=XSD.date)))
    for r in replacements(previous, terms):
        add_replacement(graph, r)
    return graph


def add_replacement(graph: Graph, r: Replacement) -> None:
    """The triples that make one old IRI lead to its replacement."""
    old, new = URIRef(r.old), URIRef(r.new)
    graph.add((old, OWL.deprecated, Literal(True)))
    graph.add((old, DCTERMS.isReplacedBy, new))
    if r.equivalent:
        graph.add((old, _EQUIVALENT[r.kind], new))
    if r.kind == "class":
        graph.add((old, RDF.type, OWL.Class))
    elif r.kind == "property":
        graph.add((old, RDF.type, RDF.Property))
    concept = r.kind in ("concept", "scheme")
    label = SKOS.prefLabel if concept else RDFS.label
    definition = SKOS.definition if concept else RDFS.comment
    graph.add((old, label, Literal(r.labels.nl, lang="nl")))
    graph.add((old, label, Literal(r.labels.en, lang="en")))
    if not r.equivalent:  # removed: the note says how its replacement says the same thing
        graph.add((old, definition, Literal(r.labels.definition_nl, lang="nl")))
        graph.add((old, definition, Literal(r.labels.definition_en, lang="en")))
        return
    graph.add((old, definition, Literal(f"Verouderd: vervangen door {r.new}.", lang="nl")))
    graph.add((old, definition, Literal(f"Deprecated: replaced by {r.new}.", lang="en")))
