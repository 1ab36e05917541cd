"""The DCAT-AP catalogue describes a dataset for the whole register and one per area manager, with
their dumps as distributions that download; the dumps hold every public resource (of the register
or of one area manager), in each format, gzipped on request, the zones also as GeoJSON."""

from __future__ import annotations

import gzip
import json

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from .conftest import new_zone

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
HOST = "https://data.parkeerregister.vlaanderen.be"
PROFILE = URIRef("https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang")


def catalogue(client) -> Graph:
    answer = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    return Graph().parse(data=answer.text, format="turtle")


def test_the_catalogue_has_the_register_and_each_area_manager_as_datasets(public, antwerpen):
    graph = catalogue(public)
    root = URIRef(HOST + "/catalog")
    assert (root, RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(root, DCAT.dataset))
    assert {str(d).rsplit("/", 1)[-1] for d in datasets} >= {"register", "stad-gent"}
    assert len(datasets) == 3  # the register, Gent and Antwerpen
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.publisher) is not None
        assert graph.value(dataset, DCTERMS.title) is not None
        assert graph.value(dataset, DCTERMS.accrualPeriodicity) is not None
        assert (dataset, DCTERMS.conformsTo, PROFILE) in graph
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) >= 7
        for distribution in distributions:
            assert graph.value(distribution, DCTERMS.license) is not None


def test_every_download_url_downloads(public):
    graph = catalogue(public)
    urls = [str(u) for u in graph.objects(None, DCAT.downloadURL)]
    assert len(urls) >= 14
    for url in urls:
        answer = public.get(url.removeprefix(HOST))
        assert answer.status_code == 200, url
        assert answer.headers["access-control-allow-origin"] == "*"


def test_the_catalogue_page_links_the_dumps(public):
    page = public.get("/catalog", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "/dumps/register.nt" in page.text
    assert public.get("/catalog", headers={"Accept": "application/ld+json"}).json()


@pytest.mark.parametrize(("name", "fmt"), [
    ("register.nt", "nt"), ("register.ttl", "turtle"), ("register.jsonld", "json-ld"),
    ("register.nt.gz", "nt"), ("register.ttl.gz", "turtle"), ("register.jsonld.gz", "json-ld"),
])
def test_each_dump_format_holds_the_same_graph(public, name, fmt):
    answer = public.get(f"/dumps/{name}")
    assert answer.status_code == 200
    data = gzip.decompress(answer.content) if name.endswith(".gz") else answer.content
    if fmt == "json-ld":
        from vptr.validation.loading import context
        document = json.loads(data)
        data = json.dumps({**document, "@context": context()}).encode()
    graph = Graph().parse(data=data, format=fmt)
    reference = Graph().parse(data=public.get("/dumps/register.nt").text, format="nt")
    assert len(graph) == len(reference) > 100


def test_an_area_managers_dump_holds_only_its_resources(public, manager, antwerpen):
    gent = Graph().parse(data=public.get("/dumps/stad-gent.nt").text, format="nt")
    subjects = {str(s) for s in gent.subjects() if isinstance(s, URIRef)}
    assert HOST + "/id/zone/gent-rood" in subjects
    assert not any("antwerpen" in s for s in subjects)
    other = public.get(f"/dumps/{antwerpen.organisation.rsplit('/', 1)[-1]}.nt").text
    assert "gent-rood" not in other and "/id/zone/" in other


def test_the_zones_as_geojson_for_map_makers(public, manager):
    assert manager.post("/zones", json=new_zone("proef-kaart")).status_code == 201
    collection = public.get("/dumps/register.geojson").json()
    assert collection["type"] == "FeatureCollection"
    ids = {feature["id"] for feature in collection["features"]}
    assert HOST + "/id/zone/proef-kaart" in ids
    rood = next(f for f in collection["features"] if f["id"].endswith("/gent-rood"))
    assert rood["geometry"]["type"] == "Polygon"
    assert rood["properties"]["name"].startswith("Parkeerzone rood")


@pytest.mark.parametrize("name", ["register.xml", "register", "nobody.nt", ".nt", "x.geojson.zip"])
def test_an_unknown_dump_is_404(public, name):
    assert public.get(f"/dumps/{name}").status_code == 404


def test_a_dump_revalidates_until_something_public_changes(public, manager, store):
    from datetime import timedelta

    from vptr.store import tables

    with store.transaction() as connection:  # the demo's changes, an hour ago
        events = tables.change_events
        for seq, at in connection.execute(events.select().with_only_columns(
                events.c.seq, events.c.at)).all():
            connection.execute(events.update().where(events.c.seq == seq)
                               .values(at=at - timedelta(hours=1)))
    first = public.get("/dumps/register.nt.gz")
    modified = first.headers["last-modified"]
    assert public.get("/dumps/register.nt.gz",
                      headers={"If-Modified-Since": modified}).status_code == 304
    assert manager.post("/zones", json=new_zone("proef-nieuw")).status_code == 201
    changed = public.get("/dumps/register.nt.gz", headers={"If-Modified-Since": modified})
    assert changed.status_code == 200
    assert changed.headers["last-modified"] != modified
