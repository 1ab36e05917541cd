"""The DCAT-AP catalogue at ``/catalog``: one dataset for the whole register and one per area
manager, each with its dumps as distributions (dcat:downloadURL), the licence, the publisher,
the update frequency (continuous: every change is published at once) and the standard the data
conforms to; the change stream as a distribution of the register's dataset."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from vptr.opendata import pages
from vptr.opendata.formats import HTML, JSON, JSONLD, NTRIPLES, TURTLE, answer
from vptr.opendata.limits import LIMITED
from vptr.opendata.routes.dumps import EXTENSIONS, REGISTER
from vptr.opendata.routes.resources import requested
from vptr.opendata.site import PROFILE_IRI, VOCABULARY_IRI, Site, caller_of, runtime_of
from vptr.opendata.vocabularies import DCAT, DCTERMS, FOAF, FREQUENCY
from vptr.services import open_data

TITLE = "Vlaams Parkeer- en Toegangsregister: open data"
DESCRIPTION = ("De zones, regimes (met tarieven en vrijgestelde dagen) en gebiedsbeheerders en "
               "aanbieders van het register, als linked data volgens de standaard Parkeren en "
               "toegang 1.0.")
_DUMPS = [(ext + gz, EXTENSIONS[ext]) for ext in ("nt", "ttl", "jsonld") for gz in ("", ".gz")]


def datasets(site: Site, catalogue: open_data.Catalogue) -> list[dict]:
    """The datasets as plain data (the RDF and the page are made from it)."""
    found = []
    for name, title, publisher in [
        (REGISTER, "Het hele register", site.register_base),
        *[(t.iri.rsplit("/", 1)[-1], t.name, t.iri) for t in catalogue.tenants],
    ]:
        extensions = [*_DUMPS, ("geojson", "application/geo+json")]
        found.append({
            "iri": f"{site.register_base}dataset/{name}", "title": title, "publisher": publisher,
            "description": f"Zones, regimes en organisaties: {title}.",
            "distributions": [{"title": f"{name}.{ext}", "url": site.dump(name, ext),
                               "media": "application/gzip" if ext.endswith(".gz") else media,
                               "inner": media}
                              for ext, media in extensions]})
    return found


def graph(site: Site, catalogue: open_data.Catalogue) -> Graph:
    g = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dcterms", DCTERMS), ("foaf", FOAF)):
        g.bind(prefix, namespace)
    root = URIRef(site.catalog)
    g.add((root, RDF.type, DCAT.Catalog))
    g.add((root, DCTERMS.title, Literal(TITLE, lang="nl")))
    g.add((root, DCTERMS.description, Literal(DESCRIPTION, lang="nl")))
    g.add((root, DCTERMS.publisher, URIRef(site.register_base)))
    g.add((URIRef(site.register_base), RDF.type, FOAF.Agent))
    g.add((URIRef(site.register_base), FOAF.name, Literal("Vlaams Parkeer- en Toegangsregister")))
    g.add((root, DCTERMS.license, URIRef(site.licence)))
    if catalogue.modified is not None:
        g.add((root, DCTERMS.modified, Literal(catalogue.modified, datatype=XSD.dateTime)))
    for dataset in datasets(site, catalogue):
        node = URIRef(dataset["iri"])
        g.add((root, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.title, Literal(dataset["title"], lang="nl")))
        g.add((node, DCTERMS.description, Literal(dataset["description"], lang="nl")))
        g.add((node, DCTERMS.publisher, URIRef(dataset["publisher"])))
        g.add((URIRef(dataset["publisher"]), RDF.type, FOAF.Agent))
        g.add((node, DCTERMS.accrualPeriodicity, FREQUENCY.CONT))
        g.add((node, DCTERMS.conformsTo, URIRef(PROFILE_IRI)))
        g.add((node, DCTERMS.conformsTo, URIRef(VOCABULARY_IRI)))
        g.add((node, DCAT.landingPage, URIRef(site.catalog)))
        for item in dataset["distributions"]:
            distribution = URIRef(item["url"])
            g.add((node, DCAT.distribution, distribution))
            g.add((distribution, RDF.type, DCAT.Distribution))
            g.add((distribution, DCTERMS.title, Literal(item["title"])))
            g.add((distribution, DCAT.downloadURL, distribution))
            g.add((distribution, DCAT.accessURL, distribution))
            g.add((distribution, DCAT.mediaType,
                   URIRef("https://www.iana.org/assignments/media-types/" + item["inner"])))
            if item["media"] == "application/gzip":
                g.add((distribution, DCAT.compressFormat, URIRef(
                    "https://www.iana.org/assignments/media-types/application/gzip")))
            g.add((distribution, DCTERMS.license, URIRef(site.licence)))
            g.add((distribution, DCTERMS.conformsTo, URIRef(PROFILE_IRI)))
        if dataset["publisher"] == site.register_base:
            stream = BNode()
            g.add((node, DCAT.distribution, stream))
            g.add((stream, RDF.type, DCAT.Distribution))
            g.add((stream, DCTERMS.title, Literal("Linked Data Event Stream")))
            g.add((stream, DCAT.accessURL, URIRef(site.stream)))
            g.add((stream, DCTERMS.license, URIRef(site.licence)))
            g.add((stream, DCAT.mediaType,
                   URIRef("https://www.iana.org/assignments/media-types/text/turtle")))
    return g


def router(site: Site) -> APIRouter:
    routes = APIRouter(tags=["open data"], dependencies=LIMITED)

    @routes.get(site.path_of(site.catalog) or "/catalog", summary="The DCAT-AP catalogue",
                operation_id="openDataCatalog")
    def catalog(request: Request) -> Response:
        catalogue = open_data.catalogue(runtime_of(request), caller_of(request, "openDataCatalog"))
        media = requested(request, (JSONLD, JSON, TURTLE, NTRIPLES, HTML))
        if media == HTML:
            body = pages.catalogue_page(
                TITLE, DESCRIPTION, datasets(site, catalogue),
                {t: f"{request.url.path}?format={n}" for n, t in
                 (("ttl", TURTLE), ("jsonld", JSONLD), ("nt", NTRIPLES))},
                site.licence, site.path_of(site.stream) or site.stream).encode()
        else:
            fmt = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", JSON: "json-ld"}[media]
            data = graph(site, catalogue).serialize(format=fmt)
            body = data.encode() if isinstance(data, str) else data
        return answer(request, body, media, modified=catalogue.modified, max_age=site.max_age,
                      csp=site.csp)

    return routes
