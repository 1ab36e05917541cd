"""Full dumps, streamed: of the whole register (``/dumps/register.nt``) or of one area manager
(``/dumps/{reference}.nt``), in N-Triples, Turtle or JSON-LD, gzipped with ``.gz``; the zones also
as GeoJSON (``.geojson``) for map makers. One document is written at a time, so the server's
memory does not depend on the register's size."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.exceptions import HTTPException

from vptr.opendata.formats import CORS, JSONLD, NTRIPLES, TURTLE, http_date, unchanged_since
from vptr.opendata.limits import LIMITED
from vptr.opendata.site import Site, caller_of, runtime_of
from vptr.opendata.triples import Writer, publishable
from vptr.services import open_data
from vptr.validation import CONTEXT_IRI

GEOJSON = "application/geo+json"
#: A dump's file extension -> its media type.
EXTENSIONS = {"nt": NTRIPLES, "ttl": TURTLE, "jsonld": JSONLD, "geojson": GEOJSON}
REGISTER = "register"
_CHUNK = 64 * 1024


def ntriples(rows: Iterable[open_data.PublicRow]) -> Iterator[str]:
    writer = Writer()
    for row in rows:
        yield writer.ntriples(publishable(row.document))


def turtle(rows: Iterable[open_data.PublicRow]) -> Iterator[str]:
    writer = Writer()
    yield writer.turtle_prefixes()
    for row in rows:
        yield writer.turtle(publishable(row.document))


def jsonld(rows: Iterable[open_data.PublicRow]) -> Iterator[str]:
    yield '{"@context":' + json.dumps(CONTEXT_IRI) + ',"@graph":['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(publishable(row.document), ensure_ascii=False)
    yield "]}\n"


def geojson(rows: Iterable[open_data.PublicRow]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(feature(row.document), ensure_ascii=False)
    yield "]}\n"


def feature(zone: dict[str, Any]) -> dict[str, Any]:
    geometry = zone.get("geometry") or {}
    outline = geometry.get("asGeoJSON")
    properties = {k: v for k, v in zone.items() if k not in ("id", "geometry")}
    return {"type": "Feature", "id": zone["id"],
            "geometry": json.loads(outline) if isinstance(outline, str) else None,
            "properties": properties}


WRITERS = {"nt": ntriples, "ttl": turtle, "jsonld": jsonld, "geojson": geojson}


def chunked(parts: Iterable[str], compress: bool) -> Iterator[bytes]:
    """The text in chunks of about 64 KiB, gzipped as it goes when asked."""
    gzip = zlib.compressobj(6, zlib.DEFLATED, 31) if compress else None
    buffer: list[bytes] = []
    size = 0
    for part in parts:
        data = part.encode()
        buffer.append(data)
        size += len(data)
        if size >= _CHUNK:
            block = b"".join(buffer)
            buffer, size = [], 0
            out = gzip.compress(block) if gzip else block
            if out:
                yield out
    block = b"".join(buffer)
    if gzip:
        yield gzip.compress(block) + gzip.flush()
    elif block:
        yield block


def parse(name: str) -> tuple[str, str, bool]:
    """``gent.nt.gz`` -> (``gent``, ``nt``, True); 404 for anything else."""
    compress = name.endswith(".gz")
    stem = name.removesuffix(".gz")
    base, _, extension = stem.rpartition(".")
    if not base or extension not in EXTENSIONS:
        raise HTTPException(404, f"no dump {name}: dumps are {{register or an area manager's "
                                 f"reference}}.{{{','.join(EXTENSIONS)}}}[.gz]")
    return base, extension, compress


def router(site: Site) -> APIRouter:
    routes = APIRouter(tags=["open data"], dependencies=LIMITED)
    prefix = site.path_of(site.register_base + "dumps/")

    @routes.get(f"{prefix}{{name}}", summary="A full dump, streamed",
                operation_id="openDataDump")
    def dump(name: str, request: Request) -> Response:
        runtime, caller = runtime_of(request), caller_of(request, "openDataDump")
        base, extension, compress = parse(name)
        tenant = None
        if base != REGISTER:
            tenant = open_data.tenant_of(runtime, caller,
                                         site.data_base + "organisation/" + base).iri
        kinds = ("zone",) if extension == "geojson" else open_data.PUBLIC_KINDS
        # When anything public last changed: a dump is current while nothing did.
        modified = open_data.catalogue(runtime, caller).modified
        headers = {**CORS, "Cache-Control": f"public, max-age={site.max_age}",
                   "Content-Disposition": f'attachment; filename="{name}"'}
        if modified is not None:
            headers["Last-Modified"] = http_date(modified)
            if unchanged_since(request, modified):
                return Response(status_code=304, headers=headers)
        rows = open_data.dump(runtime, caller, tenant, kinds)
        media = "application/gzip" if compress else EXTENSIONS[extension]
        return StreamingResponse(chunked(WRITERS[extension](rows), compress), 200, headers,
                                 media_type=media)

    return routes
