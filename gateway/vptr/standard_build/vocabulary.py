"""The OSLO vocabulary and code lists: what the model's own terms mean, in Dutch and English.

Built from the model's terms rather than from gen-owl: gen-owl writes cardinality restrictions
(which
belong in the application profile, not the vocabulary) and axioms about other vocabularies' terms,
and keeps only one language. Here only terms in the model's namespace are described; reused terms
(mobiliteit:Zone, besluit:Vergunning, m8g:startTime, ...) are used but never redefined.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .iri_mapping import Replacement, add_replacement
from .model_loader import LoadedModel
from .namespaces import ADMS, CONCEPT_SCHEME_BASE, VANN, bind_common
from .terms import Labels, Property, Terms


def _describe(
    graph: Graph, node: URIRef, labels: Labels, label=RDFS.label, definition=RDFS.comment
):
    graph.add((node, label, Literal(labels.nl, lang="nl")))
    graph.add((node, label, Literal(labels.en, lang="en")))
    graph.add((node, definition, Literal(labels.definition_nl, lang="nl")))
    graph.add((node, definition, Literal(labels.definition_en, lang="en")))


def ontology_iri(terms: Terms) -> URIRef:
    return URIRef(terms.namespace.rstrip("#/"))


def build_vocabulary(
    model: LoadedModel, terms: Terms, replaced: Sequence[Replacement] = ()
) -> Graph:
    """Our own classes and properties, and the old IRIs of our namespace that they replace: a hash
    IRI resolves to this document, so ``#Right`` must be found here, pointing at ``#Recht``."""
    graph = bind_common(Graph(), terms.prefixes)
    schema = model.view.schema
    ns = terms.namespace
    onto = ontology_iri(terms)
    header = Labels(
        en=model.annotation(schema, "label_en") or "",
        nl=model.annotation(schema, "label_nl") or "",
        definition_en=str(schema.description or "").strip(),
        definition_nl=model.annotation(schema, "definition_nl") or "",
    )
    graph.add((onto, RDF.type, OWL.Ontology))
    _describe(graph, onto, header, label=DCTERMS.title, definition=DCTERMS.description)
    graph.add((onto, OWL.versionInfo, Literal(str(schema.version))))
    graph.add(
        (onto, DCTERMS.issued, Literal(model.annotation(schema, "issued"), datatype=XSD.date))
    )
    graph.add((onto, DCTERMS.license, URIRef(str(schema.license))))
    graph.add((onto, ADMS.status, URIRef(model.annotation(schema, "oslo_status") or "")))
    graph.add((onto, VANN.preferredNamespaceUri, Literal(ns, datatype=XSD.anyURI)))
    graph.add((onto, VANN.preferredNamespacePrefix, Literal(schema.default_prefix)))

    for cls in terms.classes.values():
        if not cls.iri.startswith(ns):
            continue
        node = URIRef(cls.iri)
        graph.add((node, RDF.type, OWL.Class))
        _describe(graph, node, cls.labels)
        graph.add((node, RDFS.isDefinedBy, onto))
        if cls.parent:
            graph.add((node, RDFS.subClassOf, URIRef(terms.classes[cls.parent].iri)))

    # Grouped by IRI, not by key: two keys can name one term (``zone`` and ``zones``), and its
    # domain is every class that uses it under either key.
    users: dict[str, list[tuple[str, Property]]] = {}
    for cls in terms.classes.values():
        for prop in cls.properties:
            users.setdefault(prop.iri, []).append((cls.iri, prop))
    described: set[str] = set()
    for name, iri in terms.slot_iris.items():
        if not iri.startswith(ns) or iri not in users or iri in described:
            continue
        described.add(iri)
        node = URIRef(iri)
        uses = users[iri]
        prop = uses[0][1]
        is_object = prop.range_kind in {"class", "enum", "iri"}
        graph.add((node, RDF.type, OWL.ObjectProperty if is_object else OWL.DatatypeProperty))
        _describe(graph, node, terms.slot_labels[name])
        graph.add((node, RDFS.isDefinedBy, onto))
        domains = sorted({cls_iri for cls_iri, _ in uses})
        if len(domains) == 1:
            graph.add((node, RDFS.domain, URIRef(domains[0])))
        if prop.range_kind == "class":
            graph.add((node, RDFS.range, URIRef(prop.range_iri)))
        elif prop.range_kind == "enum":
            graph.add((node, RDFS.range, SKOS.Concept))
        elif prop.range_kind == "datatype":
            graph.add((node, RDFS.range, URIRef(prop.range_iri)))
        labels = terms.slot_labels[name]
        for lang, note in (("nl", labels.usage_nl), ("en", labels.usage_en)):
            if note:
                graph.add((node, VANN.usageNote, Literal(note, lang=lang)))
    for replacement in replaced:
        if replacement.old.startswith(ns):
            add_replacement(graph, replacement)
            graph.add((URIRef(replacement.old), RDFS.isDefinedBy, onto))
    return graph


def build_codelists(terms: Terms, replaced: Sequence[Replacement] = ()) -> Graph:
    """One SKOS concept scheme per enumeration whose values are this standard's own concepts, and
    the previous version's concept and scheme IRIs, each pointing at the one that replaced it."""
    graph = bind_common(Graph(), terms.prefixes)
    for enum in terms.enums.values():
        scheme_name = enum.scheme_name
        if scheme_name is None:
            continue  # values reused from another vocabulary (schema:Monday): nothing to assert
        scheme = URIRef(CONCEPT_SCHEME_BASE + scheme_name)
        graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        _describe(graph, scheme, enum.labels, label=SKOS.prefLabel, definition=SKOS.definition)
        for value in enum.values:
            concept = URIRef(value.iri)
            graph.add((concept, RDF.type, SKOS.Concept))
            _describe(
                graph, concept, value.labels, label=SKOS.prefLabel, definition=SKOS.definition
            )
            graph.add((concept, SKOS.notation, Literal(value.text)))
            graph.add((concept, SKOS.inScheme, scheme))
            graph.add((concept, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, concept))
    for replacement in replaced:
        if replacement.kind in ("concept", "scheme"):
            add_replacement(graph, replacement)
    assert not any(isinstance(s, BNode) for s in graph.subjects())
    return graph
