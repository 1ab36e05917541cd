"""Everything published is valid: each public resource's Turtle conforms to the application
profile, and an independent JSON-LD processor (PyLD, with the context the gateway serves at its
IRI's path) expands each JSON-LD document to the same triples rdflib reads from the Turtle of the
same resource; the same for the catalogue and the stream's pages. The dumps' N-Triples, written by
the channel's own serialiser, hold the same graph rdflib reads from the JSON-LD."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from vptr.validation import validate_graph
from vptr.validation.loading import context

from .conftest import GENT_PATH, REGIME_V1, ZONE_PATH

CONTEXT = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang/context.jsonld"
HOSTS = ("https://data.vlaanderen.be", "https://data.parkeerregister.vlaanderen.be")


def pyld_graph(client, document: object) -> Graph:
    """PyLD's RDF of a JSON-LD document; remote contexts are fetched from the gateway at their
    IRIs' paths, as a client mapping the hosts to the gateway would."""

    def loader(url: str, options: object = None) -> dict:
        for host in HOSTS:
            if url.startswith(host):
                answer = client.get(url.removeprefix(host))
                assert answer.status_code == 200, url
                return {"contentType": "application/ld+json", "contextUrl": None,
                        "documentUrl": url, "document": answer.json()}
        raise AssertionError(f"PyLD would fetch {url} from elsewhere")

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    return Graph().parse(data=nquads, format="nt")


def public_paths(client) -> list[str]:
    paths = [ZONE_PATH, REGIME_V1, GENT_PATH, "/id/organisation/parkplus"]
    listing = client.get("/dumps/register.jsonld").json()["@graph"]
    paths += ["/id/" + d["id"].split("/id/", 1)[1] for d in listing]
    return sorted(set(paths))


def assert_same(left: Graph, right: Graph, what: str) -> None:
    if not isomorphic(left, right):
        _, only_left, only_right = graph_diff(to_isomorphic(left), to_isomorphic(right))
        pytest.fail(f"{what}: only in the first:\n{only_left.serialize(format='nt')}\n"
                    f"only in the second:\n{only_right.serialize(format='nt')}")


def test_pyld_reads_each_resource_as_rdflib_reads_its_turtle(public):
    paths = public_paths(public)
    assert len(paths) >= 10
    for path in paths:
        document = public.get(path, headers={"Accept": "application/ld+json"}).json()
        turtle = public.get(path, headers={"Accept": "text/turtle"}).text
        nt = public.get(path, headers={"Accept": "application/n-triples"}).text
        from_turtle = Graph().parse(data=turtle, format="turtle")
        assert_same(pyld_graph(public, document), from_turtle, path)
        assert_same(Graph().parse(data=nt, format="nt"), from_turtle, path)


def test_pyld_reads_the_catalogue_and_the_stream_as_rdflib_reads_their_turtle(public):
    for path in ("/catalog", "/ldes", "/ldes/0"):
        document = public.get(path, headers={"Accept": "application/ld+json"}).json()
        turtle = public.get(path, headers={"Accept": "text/turtle"}).text
        assert_same(pyld_graph(public, document), Graph().parse(data=turtle, format="turtle"),
                    path)


def test_every_public_resource_conforms_to_the_application_profile(public):
    for path in public_paths(public):
        graph = Graph().parse(data=public.get(path, headers={"Accept": "text/turtle"}).text,
                              format="turtle")
        report = validate_graph(graph)
        assert report.conforms, (path, [v.as_json() for v in report.violations])


def test_the_whole_dump_conforms_to_the_application_profile(public):
    graph = Graph().parse(data=public.get("/dumps/register.ttl").text, format="turtle")
    report = validate_graph(graph)
    assert report.conforms, [v.as_json() for v in report.violations][:5]


def test_our_ntriples_are_rdflibs_reading_of_the_json_ld(public):
    """The dump's streamed serialiser against rdflib's JSON-LD parser, over the whole dump."""
    dump = public.get("/dumps/register.jsonld").json()
    local = {"@context": context(), "@graph": dump["@graph"]}
    by_rdflib = Graph().parse(data=json.dumps(local), format="json-ld")
    ours = Graph().parse(data=public.get("/dumps/register.nt").text, format="nt")
    assert len(ours) > 100
    assert_same(ours, by_rdflib, "register dump")
