"""Responses in the format the client asks for: JSON-LD by default, Turtle or N-Triples by
``Accept``. RDF is produced from the same JSON-LD with the local copy of the context, so the
formats can never disagree."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response

from vptr.http.accept import accepted_media_ranges
from vptr.http.bodies import HttpRefusal
from vptr.validation import CONTEXT_IRI
from vptr.validation.loading import json_to_graph, prepare_json

JSONLD = "application/ld+json"
JSON = "application/json"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
_RDFLIB_FORMATS = {TURTLE: "turtle", NTRIPLES: "nt"}
_OFFERED = (JSONLD, JSON, TURTLE, NTRIPLES)


class NotAcceptable(HttpRefusal):
    status = 406
    title = "Not acceptable"
    slug = "not-acceptable"


def preferred(request: Request, offered: tuple[str, ...], *, default: str, for_text: str,
              what: str) -> str:
    """The type of ``offered`` the Accept header prefers: ``default`` when it says nothing or
    accepts anything (``*/*``, ``application/*``), ``for_text`` for ``text/*``; 406 naming
    ``what`` is offered how when it accepts none of them."""
    header = request.headers.get("accept")
    if not header:
        return default
    for quality, media in accepted_media_ranges(header):
        if quality <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*"):
            return default
        if media == "text/*":
            return for_text
    raise NotAcceptable(f"{what} is offered as {', '.join(offered)}")


def choose(request: Request) -> str:
    """The format of a resource: JSON-LD unless the Accept header prefers another."""
    return preferred(request, _OFFERED, default=JSONLD, for_text=TURTLE, what="this resource")


def tidy(document: dict[str, Any]) -> dict[str, Any]:
    """The document with ``id`` and ``type`` first, as people read it."""
    head = {k: document[k] for k in ("id", "type") if k in document}
    return {**head, **{k: v for k, v in document.items() if k not in head}}


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _rdf(documents: list[dict[str, Any]], media: str) -> bytes:
    graph = json_to_graph(prepare_json({"@context": CONTEXT_IRI, "@graph": documents}))
    data = graph.serialize(format=_RDFLIB_FORMATS[media])
    return data.encode() if isinstance(data, str) else data


def document_response(request: Request, document: dict[str, Any], status: int = 200,
                      headers: dict[str, str] | None = None) -> Response:
    media = choose(request)
    if media in _RDFLIB_FORMATS:
        return Response(_rdf([document], media), status, headers, media_type=media)
    return Response(_json_bytes({"@context": CONTEXT_IRI, **tidy(document)}), status, headers,
                    media_type=media)


def collection_response(request: Request, documents: list[dict[str, Any]], page: int,
                        page_size: int, total: int, extra: dict[str, Any] | None = None,
                        status: int = 200) -> Response:
    """A page of a collection: ``@graph`` holds the items; ``page``, ``pageSize``, ``total`` and
    ``next`` (the URL of the next page, or null) are paging members outside the vocabulary, which
    JSON-LD processors ignore. Turtle and N-Triples carry the items only."""
    media = choose(request)
    if media in _RDFLIB_FORMATS:
        return Response(_rdf(documents, media), status, media_type=media)
    more = page * page_size < total
    body = {
        "@context": CONTEXT_IRI,
        "@graph": [tidy(d) for d in documents],
        "page": page,
        "pageSize": page_size,
        "total": total,
        "next": str(request.url.include_query_params(page=page + 1)) if more else None,
        **(extra or {}),
    }
    return Response(_json_bytes(body), status, media_type=media)
