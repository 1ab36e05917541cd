"""docs/reuse.md lists every IRI of 0.1 that 1.0 replaced, with its replacement: the list must be
the published mapping (iri-mapping.ttl), neither more nor less."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS

from .conftest import REPO

PREFIXES = {
    "vptr:": "https://data.vlaanderen.be/ns/parkeren-en-toegang#",
    "mobiliteit:": "https://data.vlaanderen.be/ns/mobiliteit#",
    "adms:": "http://www.w3.org/ns/adms#",
    "dcterms:": "http://purl.org/dc/terms/",
    "conceptscheme:": "https://data.vlaanderen.be/id/conceptscheme/",
    "concept:": "https://data.vlaanderen.be/id/concept/",
}


def expand(curie: str) -> str:
    for prefix, ns in PREFIXES.items():
        if curie.startswith(prefix):
            return ns + curie[len(prefix):]
    return curie


def test_the_documented_replacements_are_the_published_mapping(fresh_dir: Path):
    text = (REPO / "docs" / "reuse.md").read_text(encoding="utf-8")
    table = text.split("<!-- replaced-iris: start -->")[1].split("<!-- replaced-iris: end -->")[0]
    rows = re.findall(r"^\| [^|]+ \| `[^`]+` \| `([^`]+)` \| `([^`]+)` \|$", table, re.M)
    documented = {expand(old): expand(new) for old, new in rows}
    published = Graph().parse(fresh_dir / "iri-mapping.ttl")
    mapping = {str(s): str(o) for s, o in published.subject_objects(DCTERMS.isReplacedBy)}
    assert documented == mapping


def test_the_documented_counts_are_counted_from_the_published_mapping(fresh_dir: Path):
    """The "Counts" paragraph says how many IRIs of each kind 1.0 replaced; every number is
    counted here from iri-mapping.ttl (and 0.1's release record), so the prose cannot drift."""
    import json

    from rdflib.namespace import OWL

    text = " ".join((REPO / "docs" / "reuse.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"(\d+) IRIs of 0\.1 were replaced: (\d+) classes .*?, (\d+) properties \((\d+) renamed in"
        r" our namespace.*?; (\d+) now reuse .*?\), (\d+) concepts \((\d+) of 0\.1's (\d+) kept "
        r"their IRI.*?\) and (\d+) concept schemes.*?; and (\d+) propert(?:y|ies) (?:was|were) "
        r"removed", text)
    assert found, "the Counts paragraph is missing or reworded"
    graph = Graph().parse(fresh_dir / "iri-mapping.ttl")
    replaced = {str(s): str(o) for s, o in graph.subject_objects(DCTERMS.isReplacedBy)}
    classes = {str(s) for s in graph.subjects(OWL.equivalentClass)}
    properties = {str(s) for s in graph.subjects(OWL.equivalentProperty)}
    ours = {s for s in properties if replaced[s].startswith(PREFIXES["vptr:"])}
    schemes = {s for s in replaced if s.startswith(PREFIXES["conceptscheme:"])}
    concepts = {s for s in replaced if s.startswith(PREFIXES["concept:"])}
    values = json.loads((REPO / "model" / "releases" / "0.1.0.json").read_text())["values"]
    # A removed term points at what says it now, with no equivalence (exemptPublicHolidays).
    removed = set(replaced) - classes - properties - concepts - schemes
    counted = [len(replaced), len(classes), len(properties), len(ours), len(properties - ours),
               len(concepts), len(values) - len(concepts), len(values), len(schemes),
               len(removed)]
    assert [int(n) for n in found.groups()] == counted
    assert all(iri.startswith(PREFIXES["vptr:"]) for iri in removed)


def test_the_documented_old_keys_are_the_ones_the_register_reads():
    """docs/reuse.md's "Old keys" table lists exactly vptr.validation.replaced.REPLACED_KEYS:
    class, old key, new key and until when it is read."""
    from vptr.validation.replaced import REPLACED_KEYS

    text = (REPO / "docs" / "reuse.md").read_text(encoding="utf-8")
    table = text.split("#### Old keys", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| `([^`]+)` \| [^|]+ \| version ([\d.]+) \|$",
                      table, re.M)
    assert rows == [(k.cls, k.old, k.new, k.until) for k in REPLACED_KEYS]
