"""A consumer of the register's Linked Data Event Stream, as any LDES client works: fetch a page,
take its members, follow its tree:relation to the next page; and the replay of members into a
graph (each member's triples replace its resource's, a deletion removes them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

TREE = Namespace("https://w3id.org/tree#")
LDES = Namespace("https://w3id.org/ldes#")
PROV = Namespace("http://www.w3.org/ns/prov#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")
STREAM = URIRef("https://data.parkeerregister.vlaanderen.be/ldes")
HOST = "https://data.parkeerregister.vlaanderen.be"


@dataclass
class Member:
    iri: URIRef
    seq: int
    resource: URIRef
    at: Any
    deleted: bool
    triples: Graph


@dataclass
class Bookmark:
    page: str  # the path of the page the last member was on
    seq: int  # the last member processed


@dataclass
class Consumer:
    client: Any
    accept: str = "text/turtle"
    pages_fetched: list[str] = field(default_factory=list)

    def page(self, path: str) -> tuple[list[Member], str | None, Any]:
        answer = self.client.get(path, headers={"Accept": self.accept})
        assert answer.status_code == 200, answer.text
        self.pages_fetched.append(path)
        fmt = "json-ld" if "json" in self.accept else "turtle"
        graph = Graph().parse(data=answer.text, format=fmt)
        members = [self._member(graph, m) for m in graph.objects(STREAM, TREE.member)]
        members.sort(key=lambda m: m.seq)
        node = URIRef(HOST + path)
        following = None
        for relation in graph.objects(node, TREE.relation):
            following = str(graph.value(relation, TREE.node)).removeprefix(HOST)
        return members, following, answer

    @staticmethod
    def _member(graph: Graph, iri: Any) -> Member:
        resource = graph.value(iri, PROV.specializationOf)
        deleted = (iri, RDF.type, AS.Delete) in graph
        own = Graph()
        todo = [iri]
        seen = set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for _, p, o in graph.triples((subject, None, None)):
                if subject == iri and p in (PROV.specializationOf, PROV.generatedAtTime):
                    continue
                if subject == iri and p == RDF.type and o == AS.Delete:
                    continue
                own.add((resource if subject == iri else subject, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
        at = graph.value(iri, PROV.generatedAtTime)
        return Member(iri, int(str(iri).rsplit("/", 1)[-1]), resource,
                      at.toPython() if isinstance(at, Literal) else None, deleted, own)

    def follow(self, start: str = "/ldes/0", after: int = 0
               ) -> tuple[list[Member], Bookmark]:
        """Every member after ``after``, from ``start`` to the newest page."""
        path: str | None = start
        found: list[Member] = []
        last = Bookmark(start, after)
        while path is not None:
            members, following, _ = self.page(path)
            new = [m for m in members if m.seq > after]
            found += new
            if members:
                last = Bookmark(path, max(last.seq, members[-1].seq))
            path = following if following and len(members) else None
            if following and not members:
                path = None
        return found, last


def replay(members: list[Member], graph: Graph | None = None) -> Graph:
    """Apply the members in order to ``graph`` (a new one by default)."""
    graph = graph if graph is not None else Graph()
    for member in members:
        _remove(graph, member.resource)
        if not member.deleted:
            for triple in member.triples:
                graph.add(triple)
    return graph


def _remove(graph: Graph, subject: Any) -> None:
    for _, p, o in list(graph.triples((subject, None, None))):
        graph.remove((subject, p, o))
        if isinstance(o, BNode):
            _remove(graph, o)
