"""The register's public resources at their IRIs' paths (``/id/{kind}/{reference}``), by content
negotiation: JSON-LD, Turtle, N-Triples or a readable page (``?format=`` overrides Accept, for a
link)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

from vptr.opendata import pages
from vptr.opendata.formats import (
    CORS,
    HTML,
    JSON,
    JSONLD,
    NTRIPLES,
    OFFERED,
    TURTLE,
    answer,
    choose,
)
from vptr.opendata.limits import LIMITED
from vptr.opendata.site import Site, caller_of, runtime_of
from vptr.opendata.triples import Writer, publishable
from vptr.services import open_data
from vptr.validation import CONTEXT_IRI

#: ``?format=`` values, for links (a link cannot send an Accept header).
FORMATS = {"jsonld": JSONLD, "json": JSON, "ttl": TURTLE, "nt": NTRIPLES, "html": HTML}
_SUFFIX = {media: name for name, media in FORMATS.items()}


def requested(request: Request, offered: tuple[str, ...] = OFFERED) -> str:
    name = request.query_params.get("format")
    if name is not None:
        if name not in FORMATS or FORMATS[name] not in offered:
            raise HTTPException(406, "format: one of " + ", ".join(
                k for k, v in FORMATS.items() if v in offered))
        return FORMATS[name]
    return choose(request, offered)


def rdf_body(document: dict[str, Any], media: str) -> bytes:
    """One document in an RDF format: the JSON-LD names the standard context; Turtle and
    N-Triples are written from the same document (vptr.opendata.triples)."""
    if media in (JSONLD, JSON):
        return json.dumps({"@context": CONTEXT_IRI, **document}, ensure_ascii=False,
                          indent=1).encode()
    writer = Writer()
    if media == TURTLE:
        return (writer.turtle_prefixes() + writer.turtle(document)).encode()
    return writer.ntriples(document).encode()


def format_links(path: str) -> dict[str, str]:
    return {media: f"{path}?format={name}" for media, name in _SUFFIX.items()}


def router(site: Site) -> APIRouter:
    base = site.path_of(site.data_base)
    assert base is not None
    routes = APIRouter(tags=["open data"], dependencies=LIMITED)

    @routes.get(base + "{kind}/{reference:path}", summary="A public resource at its IRI's path",
                operation_id="openDataResource")
    def public_resource(kind: str, reference: str, request: Request) -> Response:
        runtime, caller = runtime_of(request), caller_of(request, "openDataResource")
        iri = site.data_base + f"{kind}/{reference}"
        if kind == "regime" and "/" not in reference:
            # A regime is its versions: the newest one answers for it.
            newest = open_data.newest_regime_version(runtime, caller, iri)
            return RedirectResponse(site.path_of(newest) or newest, 303, headers=CORS)
        found = open_data.resource(runtime, caller, kind, iri)
        document = publishable(found.row.document)
        media = requested(request)
        if media == HTML:
            body = pages.resource_page(document, kind, format_links(request.url.path),
                                       site.path_of, site.vendor_url, site.tile_url,
                                       site.attribution).encode()
        else:
            body = rdf_body(document, media)
        return answer(request, body, media, modified=found.modified, max_age=site.max_age,
                      csp=site.csp)

    return routes
