"""The Linked Data Event Stream at ``/ldes`` (TREE): every change to a public resource as a
version member, pages by time joined by ``tree:relation``.

A member ``{stream}/member/{seq}`` holds the resource's triples as the change left it, with
``prov:specializationOf`` the resource (``ldes:versionOfPath``; dcterms:isVersionOf is taken: a
regime version is a version of its regime) and ``prov:generatedAtTime`` the change's moment
(``ldes:timestampPath``). A member of a deleted (or no longer public) resource is an
``as:Delete`` with only those two. Replaying the members in order, each replacing its resource's
triples, gives the full dump's graph. Page n holds members ``n*size+1 .. (n+1)*size``; a full page
never changes and is cached as immutable. Every member is kept (no retention policy)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from vptr.opendata.formats import JSON, JSONLD, NTRIPLES, TURTLE, answer
from vptr.opendata.limits import LIMITED
from vptr.opendata.routes.resources import requested
from vptr.opendata.site import PROFILE_IRI, Site, caller_of, runtime_of
from vptr.opendata.triples import Writer, publishable
from vptr.opendata.vocabularies import AS, DCTERMS, LDES, PROV, TREE
from vptr.services import change_stream

_FORMATS = {TURTLE: "turtle", NTRIPLES: "nt", JSONLD: "json-ld", JSON: "json-ld"}


def member_iri(site: Site, seq: int) -> str:
    return f"{site.stream}/member/{seq}"


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in (("tree", TREE), ("ldes", LDES), ("prov", PROV), ("as", AS),
                              ("dcterms", DCTERMS)):
        graph.bind(prefix, namespace)
    return graph


def _describe_stream(graph: Graph, site: Site) -> URIRef:
    stream = URIRef(site.stream)
    graph.add((stream, RDF.type, LDES.EventStream))
    graph.add((stream, LDES.versionOfPath, PROV.specializationOf))
    graph.add((stream, LDES.timestampPath, PROV.generatedAtTime))
    graph.add((stream, TREE.shape, URIRef(PROFILE_IRI)))
    graph.add((stream, TREE.view, URIRef(site.stream_page(0))))
    return stream


def page_graph(site: Site, page: change_stream.StreamPage) -> Graph:
    graph = _bind(Graph())
    stream = _describe_stream(graph, site)
    node = URIRef(site.stream_page(page.number))
    graph.add((node, RDF.type, TREE.Node))
    nt = []
    writer = Writer(prefix=f"p{page.number}b")
    for change in page.members:
        member = URIRef(member_iri(site, change.seq))
        graph.add((stream, TREE.member, member))
        graph.add((member, PROV.specializationOf, URIRef(change.resource)))
        graph.add((member, PROV.generatedAtTime, Literal(change.at, datatype=XSD.dateTime)))
        if change.document is None:
            graph.add((member, RDF.type, AS.Delete))
        else:
            document = {**publishable(change.document), "id": str(member)}
            nt.append(writer.ntriples(document))
    if nt:
        graph.parse(data="".join(nt), format="nt")
    if page.full:
        relation = BNode()
        graph.add((node, TREE.relation, relation))
        graph.add((relation, RDF.type, TREE.GreaterThanOrEqualToRelation))
        graph.add((relation, TREE.node, URIRef(site.stream_page(page.number + 1))))
        graph.add((relation, TREE.path, PROV.generatedAtTime))
        graph.add((relation, TREE.value, Literal(page.last_at, datatype=XSD.dateTime)))
    return graph


def _serialise(graph: Graph, media: str) -> bytes:
    data = graph.serialize(format=_FORMATS[media])
    return data.encode() if isinstance(data, str) else data


def router(site: Site) -> APIRouter:
    routes = APIRouter(tags=["open data"], dependencies=LIMITED)
    base = site.path_of(site.stream) or "/ldes"

    @routes.get(base, summary="The change stream (LDES)", operation_id="openDataStream")
    def stream(request: Request) -> Response:
        media = requested(request, tuple(_FORMATS))
        graph = _bind(Graph())
        _describe_stream(graph, site)
        return answer(request, _serialise(graph, media), media, max_age=site.max_age)

    @routes.get(base + "/{number}", summary="A page of the change stream",
                operation_id="openDataStreamPage")
    def stream_page(number: Annotated[int, Path(ge=0, le=1_000_000_000)],
                    request: Request) -> Response:
        media = requested(request, tuple(_FORMATS))
        page = change_stream.page(runtime_of(request), caller_of(request, "openDataStreamPage"),
                                  number, site.page_size)
        return answer(request, _serialise(page_graph(site, page), media), media,
                      modified=page.last_at, immutable=page.full,
                      max_age=min(site.max_age, 60))

    return routes
