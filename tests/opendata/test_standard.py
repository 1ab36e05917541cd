"""The standard at its own addresses: the vocabulary (every term a ``#`` IRI of it) as a page for
a browser and as RDF for a client, the application profile and its shapes, the context, the JSON
Schema, and the code lists' concepts; each with the headers of every open-data answer."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from vptr.paths import Artefact

VOCABULARY = "/ns/parkeren-en-toegang"
PROFILE = "/doc/applicatieprofiel/parkeren-en-toegang"
TERM = URIRef("https://data.vlaanderen.be/ns/parkeren-en-toegang#Regime")


def as_published(served: bytes) -> bytes:
    """A served specification page with its links written relative again, as in the file."""
    import re

    text = served.decode().replace(f'href="{PROFILE}?lang=en"', 'href="index_en.html"')
    text = text.replace(f'href="{PROFILE}"', 'href="index.html"')
    return re.sub(rf'href="{PROFILE}/([A-Za-z0-9_.-]+)"', r'href="\1"', text).encode()


def test_a_term_resolves_to_its_definition_for_a_client(public):
    answer = public.get(VOCABULARY, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    assert graph.value(TERM, RDFS.label) is not None
    assert (TERM, RDF.type, None) in graph
    as_jsonld = public.get(VOCABULARY, headers={"Accept": "application/ld+json"})
    assert as_jsonld.content == Artefact.VOCABULARY_JSONLD.path().read_bytes()


def test_a_term_resolves_to_its_definition_for_a_browser(public):
    page = public.get(VOCABULARY, headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    # The fragment of a term's IRI is an anchor of the page, at its definition.
    section = page.text.split('<section id="Tarief">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Tarief</h2>" in section and "Hoe de prijs van een recht" in section
    assert '<section id="nummerplaat">' in page.text
    assert f'href="{PROFILE}"' in page.text


def test_the_profile_is_the_specification_page_for_a_browser(public):
    page = public.get(PROFILE, headers={"Accept": "text/html"})
    assert as_published(page.content) == Artefact.HTML.path().read_bytes()
    # The diagrams carry their font as data: URIs; the policy lets the browser use it, and
    # nothing else is loosened.
    policy = page.headers["content-security-policy"]
    assert "font-src data:" in policy and "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    english = public.get(PROFILE + "?lang=en", headers={"Accept": "text/html"})
    assert as_published(english.content) == Artefact.HTML_EN.path().read_bytes()


def test_the_profile_and_its_shapes(public):
    for path in (PROFILE, "/shacl/parkeren-en-toegang"):
        graph = Graph().parse(data=public.get(path, headers={"Accept": "text/turtle"}).text,
                              format="turtle")
        assert len(list(graph.subjects(RDF.type, SH.NodeShape))) > 5, path
    assert public.get(PROFILE, headers={"Accept": "text/html"}).status_code == 200


def test_the_context_and_the_json_schema_at_their_iris_paths(public):
    context = public.get(PROFILE + "/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    assert json.loads(context.content)["@context"]["Zone"] == "mobiliteit:Zone"
    assert context.headers["access-control-allow-origin"] == "*"
    schema = public.get(PROFILE + "/schema.json")
    assert schema.status_code == 200 and schema.json()["$id"].endswith("/schema.json")


def test_a_concept_and_its_code_list(public):
    concept = public.get("/id/concept/Zonetype/betaalparkeerzone",
                         headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=concept.text, format="turtle")
    iri = URIRef("https://data.vlaanderen.be/id/concept/Zonetype/betaalparkeerzone")
    assert graph.value(iri, SKOS.prefLabel) is not None
    scheme = public.get("/id/conceptscheme/Zonetype", headers={"Accept": "text/turtle"})
    assert scheme.status_code == 200
    assert public.get("/id/concept/Zonetype/betaalparkeerzone",
                      headers={"Accept": "text/html"}).status_code == 200


@pytest.mark.parametrize("path", ["/id/concept/Zonetype/nope", "/id/conceptscheme/Nope"])
def test_an_unknown_concept_is_404(public, path):
    assert public.get(path, headers={"Accept": "text/turtle"}).status_code == 404


@pytest.fixture(scope="module")
def model():
    from vptr import paths
    from vptr.standard_build.model_loader import load_model

    return load_model(paths.repository_root() / "model" / paths.MAIN_SCHEMA)


@pytest.fixture(scope="module")
def terms(model):
    from vptr.standard_build.terms import collect_terms

    return collect_terms(model)


def test_this_version_is_served_at_its_publication_path(public, model, terms):
    """OSLO's versioned path, ``/doc/applicatieprofiel/{name}/{status}/{date}``, as the page
    announces it ("Deze versie"): the current status and issue date serve the profile (page or
    RDF); another status, another date or the previous version are not here (404)."""
    from vptr.standard_build.html import publication_path
    from vptr.standard_build.iri_mapping import load_previous

    schema = model.view.schema
    this = publication_path(terms, model.annotation(schema, "oslo_status"),
                            model.annotation(schema, "issued"))
    path = this.removeprefix("https://data.vlaanderen.be")
    assert path == PROFILE + "/ontwerpstandaard/" + model.annotation(schema, "issued")

    page = public.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert as_published(page.content) == Artefact.HTML.path().read_bytes()
    assert public.get(path + "/", headers={"Accept": "text/html"}).status_code == 200
    english = public.get(path + "?lang=en", headers={"Accept": "text/html"})
    assert as_published(english.content) == Artefact.HTML_EN.path().read_bytes()
    shapes = Graph().parse(data=public.get(path, headers={"Accept": "text/turtle"}).text,
                           format="turtle")
    assert len(list(shapes.subjects(RDF.type, SH.NodeShape))) > 5

    previous = load_previous(model)
    old = publication_path(terms, previous.status, previous.issued)
    for other in (old.removeprefix("https://data.vlaanderen.be"),
                  PROFILE + "/erkendestandaard/" + model.annotation(schema, "issued"),
                  PROFILE + "/ontwerpstandaard/2020-01-01"):
        missing = public.get(other, headers={"Accept": "text/html"})
        assert missing.status_code == 404, other


@pytest.mark.parametrize("lang", ["", "?lang=en"], ids=["nl", "en"])
def test_every_link_of_the_served_specification_page_resolves_here(public, lang):
    """The page links its files relative to itself (it also works opened from disk); served at
    the profile's path, each of those links leads to the file, and the other language's page."""
    import re

    from vptr.paths import ARTEFACTS

    page = public.get(PROFILE + lang, headers={"Accept": "text/html"})
    links = set(re.findall(r'href="(/doc/[^"#]+)"', page.text))
    assert not re.findall(r'href="([A-Za-z0-9_.-]+\.(?:ttl|json|jsonld|py|html))"', page.text)
    published = {a.value for a, info in ARTEFACTS.items() if info.listed}
    assert {link.rsplit("/", 1)[-1] for link in links if "?" not in link} >= published
    for link in links:
        answer = public.get(link, headers={"Accept": "text/html"})
        assert answer.status_code == 200, link
    served = public.get(f"{PROFILE}/schema.json")
    assert served.headers["content-type"].startswith("application/schema+json")
    assert served.content == Artefact.JSON_SCHEMA.path().read_bytes()
    assert public.get(f"{PROFILE}/vptr.sqlite").status_code == 404
