"""IRIs of the publication itself (not of the model's terms, which the model declares)."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

VANN = Namespace("http://purl.org/vocab/vann/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SCHEMA = Namespace("http://schema.org/")
CONCEPT_BASE = "https://data.vlaanderen.be/id/concept/"
CONCEPT_SCHEME_BASE = "https://data.vlaanderen.be/id/conceptscheme/"
#: Where the application profile's shapes live (OSLO publishes shapes apart from the vocabulary).
PROFILE_BASE = "https://data.vlaanderen.be/shacl/parkeren-en-toegang#"


def bind_common(graph: Graph, prefixes: dict[str, str]) -> Graph:
    """Binds the model's prefixes and the standard ones, so every artefact prints the same
    CURIEs."""
    graph.namespace_manager.bind("schema", SCHEMA, override=True, replace=True)
    for prefix, iri in sorted(prefixes.items()):
        if prefix in {"linkml", "xsd"} or not iri.startswith("http"):
            continue
        graph.namespace_manager.bind(prefix, iri, override=True, replace=True)
    for prefix, ns in {
        "owl": OWL,
        "rdf": RDF,
        "rdfs": RDFS,
        "sh": SH,
        "skos": SKOS,
        "xsd": XSD,
        "dcterms": DCTERMS,
        "vann": VANN,
        "adms": ADMS,
    }.items():
        graph.namespace_manager.bind(prefix, ns, override=True, replace=True)
    return graph
