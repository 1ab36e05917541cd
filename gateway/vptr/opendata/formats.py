"""What an open-data response is made of: the format a client asks for, and the headers that let
caches and other web pages use it (validators, freshness, CORS)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response
from starlette.exceptions import HTTPException

from vptr.http.accept import accepted_media_ranges

JSONLD = "application/ld+json"
JSON = "application/json"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
HTML = "text/html"
RDF_OFFERED = (JSONLD, JSON, TURTLE, NTRIPLES)
OFFERED = (*RDF_OFFERED, HTML)

#: Headers a script on another site may read (CORS).
EXPOSED = "ETag, Last-Modified, Link, Location, Retry-After"
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED}


def choose(request: Request, offered: tuple[str, ...] = OFFERED, default: str = JSONLD) -> str:
    """The offered type the Accept header prefers (JSON-LD when it says nothing or anything; HTML
    for a browser, which names text/html first); 406 naming what is offered otherwise."""
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
            return TURTLE if TURTLE in offered else default
    raise HTTPException(406, f"this resource is offered as {', '.join(offered)}")


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def answer(request: Request, body: bytes, media: str, *, modified: datetime | None = None,
           max_age: int = 300, immutable: bool = False, charset: bool = True,
           headers: dict[str, str] | None = None, csp: str | None = None) -> Response:
    """The body with a strong ETag (its hash), Last-Modified, freshness and CORS; 304 when the
    client's copy is current (If-None-Match first, else If-Modified-Since)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    cache = ("public, max-age=31536000, immutable" if immutable
             else f"public, max-age={max_age}")
    out = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept", **CORS, **(headers or {})}
    if modified is not None:
        out["Last-Modified"] = http_date(modified)
    if _current(request, etag, modified):
        return Response(status_code=304, headers=out)
    if media == HTML:
        out["Content-Security-Policy"] = csp or "default-src 'none'"
    media_type = f"{media}; charset=utf-8" if charset and media.startswith("text/") else media
    return Response(body, 200, out, media_type=media_type)


def _current(request: Request, etag: str, modified: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return etag in tags or "*" in tags
    return modified is not None and unchanged_since(request, modified)


def unchanged_since(request: Request, modified: datetime) -> bool:
    """Whether the client's If-Modified-Since is at or after ``modified`` (to the second)."""
    since = request.headers.get("if-modified-since")
    if not since:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= moment
