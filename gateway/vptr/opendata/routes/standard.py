"""The standard at its own addresses: the vocabulary (its terms are ``#`` IRIs of it), the
application profile, its shapes, the JSON-LD context every published document names, the JSON
Schema, and each concept of the code lists. HTML for a browser, RDF for a client, from the
generated files (``vptr.paths.ARTEFACTS``)."""

from __future__ import annotations

import re
from functools import cache

from fastapi import APIRouter, Request, Response
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS
from starlette.exceptions import HTTPException

from vptr.opendata import pages
from vptr.opendata.formats import HTML, JSON, JSONLD, NTRIPLES, TURTLE, answer
from vptr.opendata.limits import LIMITED
from vptr.opendata.routes.resources import requested
from vptr.opendata.site import PROFILE_IRI, SCHEMA_IRI, SHAPES_IRI, VOCABULARY_IRI, Site
from vptr.paths import ARTEFACTS, Artefact
from vptr.standard_build.namespaces import CONCEPT_BASE, CONCEPT_SCHEME_BASE


@cache
def _file(artefact: Artefact) -> bytes:
    return artefact.path().read_bytes()


@cache
def _graph(artefact: Artefact) -> Graph:
    return Graph().parse(data=_file(artefact), format="turtle")


def _rdf(graph: Graph, media: str) -> bytes:
    fmt = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", JSON: "json-ld"}[media]
    data = graph.serialize(format=fmt)
    return data.encode() if isinstance(data, str) else data


#: The published files a specification page links to, by the file name it links them with.
_PUBLISHED = {artefact.value: artefact for artefact, info in ARTEFACTS.items() if info.listed}
_RELATIVE_LINK = re.compile(r'href="([A-Za-z0-9_.-]+)"')


@cache
def _served_page(artefact: Artefact, profile_path: str) -> bytes:
    """The specification page as the register serves it, at the profile's path: its links to
    the files beside it (written relative, so the page also works opened from disk) point at
    ``{profile}/{file}``, and its link to the other language at ``{profile}?lang=``; relative
    to the profile's own path (no trailing slash) they would leave it."""
    others = {Artefact.HTML.value: profile_path, Artefact.HTML_EN.value: f"{profile_path}?lang=en"}

    def absolute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in others:
            return f'href="{others[name]}"'
        if name in _PUBLISHED:
            return f'href="{profile_path}/{name}"'
        return match.group(0)

    return _RELATIVE_LINK.sub(absolute, _file(artefact).decode()).encode()


def _document(request: Request, site: Site, turtle: Artefact, jsonld: Artefact | None,
              page: Artefact) -> Response:
    media = requested(request, (HTML, TURTLE, JSONLD, JSON, NTRIPLES))
    if media == HTML:
        lang = Artefact.HTML_EN if request.query_params.get("lang") == "en" else page
        return answer(request, _served_page(lang, site.standard_path(PROFILE_IRI)), HTML,
                      max_age=site.max_age, csp=site.specification_csp)
    if media in (JSONLD, JSON) and jsonld is not None:
        return answer(request, _file(jsonld), media, max_age=site.max_age)
    if media == TURTLE:
        return answer(request, _file(turtle), TURTLE, max_age=site.max_age)
    return answer(request, _converted(turtle, media), media, max_age=site.max_age)


@cache
def _converted(artefact: Artefact, media: str) -> bytes:
    """A generated Turtle file in another RDF format, made once per process (the profile as
    JSON-LD takes rdflib a second)."""
    return _rdf(_graph(artefact), media)


@cache
def _vocabulary_page(specification: str) -> bytes:
    graph = _graph(Artefact.VOCABULARY_TTL)
    namespace = VOCABULARY_IRI + "#"

    def text(subject: URIRef, predicate: URIRef, lang: str) -> str:
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
        return ""

    terms = []
    for subject in sorted({s for s in graph.subjects() if isinstance(s, URIRef)
                           and str(s).startswith(namespace)}, key=str):
        kinds = sorted(graph.namespace_manager.normalizeUri(t)
                       for t in graph.objects(subject, RDF.type))
        ranges = sorted(graph.namespace_manager.normalizeUri(r)
                        for r in graph.objects(subject, RDFS.range))
        terms.append({"local": str(subject)[len(namespace):], "iri": str(subject),
                      "kind": ", ".join(kinds), "range": ", ".join(ranges),
                      "label_nl": text(subject, RDFS.label, "nl") or str(subject),
                      "label_en": text(subject, RDFS.label, "en"),
                      "comment_nl": text(subject, RDFS.comment, "nl"),
                      "comment_en": text(subject, RDFS.comment, "en")})
    return pages.vocabulary_page("Vocabularium Parkeren en toegang", terms,
                                 specification).encode()


ADMS_STATUS = URIRef("http://www.w3.org/ns/adms#status")


@cache
def _this_version() -> tuple[str, str]:
    """(status, date) of this version's publication path, ``.../{status}/{date}``, as OSLO
    publishes a version (the page's "Deze versie"): the vocabulary's ``adms:status`` (its last
    segment, in lower case: ``ontwerpstandaard``) and ``dcterms:issued``."""
    graph = _graph(Artefact.VOCABULARY_TTL)
    ontology = URIRef(VOCABULARY_IRI)
    status, issued = graph.value(ontology, ADMS_STATUS), graph.value(ontology, DCTERMS.issued)
    assert status is not None and issued is not None, "vocabulary.ttl names no status or date"
    return str(status).rsplit("/", 1)[-1].lower(), str(issued)


def router(site: Site) -> APIRouter:
    routes = APIRouter(tags=["open data"], dependencies=LIMITED)

    @routes.get(site.standard_path(VOCABULARY_IRI), summary="The vocabulary",
                operation_id="openDataVocabulary")
    def vocabulary(request: Request) -> Response:
        """Every term ``...parkeren-en-toegang#Term`` resolves here (the fragment stays with the
        client): the specification page for a browser, the vocabulary for a client."""
        if requested(request, (HTML, TURTLE, JSONLD, JSON, NTRIPLES)) == HTML:
            return answer(request, _vocabulary_page(site.standard_path(PROFILE_IRI)), HTML,
                          max_age=site.max_age, csp=site.csp)
        return _document(request, site, Artefact.VOCABULARY_TTL, Artefact.VOCABULARY_JSONLD,
                         Artefact.HTML)

    @routes.get(site.standard_path(PROFILE_IRI), summary="The application profile",
                operation_id="openDataProfile")
    def profile(request: Request) -> Response:
        return _document(request, site, Artefact.APPLICATION_PROFILE, None, Artefact.HTML)

    @routes.get(site.standard_path(PROFILE_IRI) + "/{status}/{date}",
                summary="This version of the application profile, at its publication path",
                operation_id="openDataProfileVersion")
    @routes.get(site.standard_path(PROFILE_IRI) + "/{status}/{date}/", include_in_schema=False)
    def profile_version(status: str, date: str, request: Request) -> Response:
        """``/doc/applicatieprofiel/parkeren-en-toegang/{status}/{date}``: the path of this
        version (its status and issue date) serves what the profile's own path serves; the
        register publishes no other version, so any other status or date is 404."""
        if (status, date) != _this_version():
            current = "/".join(_this_version())
            raise HTTPException(404, f"no version {status}/{date} of the application profile "
                                     f"here; this version is {current}")
        return _document(request, site, Artefact.APPLICATION_PROFILE, None, Artefact.HTML)

    @routes.get(site.standard_path(SHAPES_IRI), summary="The application profile's shapes",
                operation_id="openDataShapes")
    def shapes(request: Request) -> Response:
        return _document(request, site, Artefact.APPLICATION_PROFILE, None, Artefact.HTML)

    @routes.get(site.context_path, summary="The JSON-LD context the documents name",
                operation_id="openDataContext")
    def context(request: Request) -> Response:
        return answer(request, _file(Artefact.CONTEXT), JSONLD, max_age=site.max_age)

    @routes.get(site.standard_path(SCHEMA_IRI), summary="The JSON Schema",
                operation_id="openDataJsonSchema")
    def json_schema(request: Request) -> Response:
        return answer(request, _file(Artefact.JSON_SCHEMA), "application/schema+json",
                      max_age=site.max_age)

    @routes.get(site.standard_path(CONCEPT_BASE) + "{scheme}/{code}",
                summary="A concept of a code list", operation_id="openDataConcept")
    def concept(scheme: str, code: str, request: Request) -> Response:
        return _described(request, site, f"{CONCEPT_BASE}{scheme}/{code}")

    @routes.get(site.standard_path(CONCEPT_SCHEME_BASE) + "{scheme}",
                summary="A code list", operation_id="openDataConceptScheme")
    def concept_scheme(scheme: str, request: Request) -> Response:
        return _described(request, site, f"{CONCEPT_SCHEME_BASE}{scheme}")

    # After the context and the JSON Schema, which have routes of their own under the same path.
    @routes.get(site.standard_path(PROFILE_IRI) + "/{name}",
                summary="A published file of the standard, as the specification page lists it",
                operation_id="openDataStandardFile")
    def published_file(name: str, request: Request) -> Response:
        """The files the page links to (vocabulary, profile, code lists, context, JSON Schema,
        data model, model index, IRI mapping), by their file names, as published."""
        artefact = _PUBLISHED.get(name)
        if artefact is None:
            raise HTTPException(404, f"no published file {name!r} of the standard; the "
                                     f"specification page lists them")
        return answer(request, _file(artefact), ARTEFACTS[artefact].media_type,
                      max_age=site.max_age)

    return routes


def _described(request: Request, site: Site, iri: str) -> Response:
    source = _graph(Artefact.CODELISTS)
    subject = URIRef(iri)
    graph = Graph()
    for prefix, namespace in source.namespaces():
        graph.bind(prefix, namespace)
    for triple in source.triples((subject, None, None)):
        graph.add(triple)
    if len(graph) == 0:
        raise HTTPException(404, f"no concept {iri}")
    media = requested(request, (JSONLD, JSON, TURTLE, NTRIPLES, HTML))
    if media == HTML:
        rows = sorted((graph.namespace_manager.normalizeUri(p), str(o)) for _, p, o in graph)
        return answer(request, pages.concept_page(iri, rows).encode(), HTML,
                      max_age=site.max_age, csp=site.csp)
    return answer(request, _rdf(graph, media), media, max_age=site.max_age)
