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
