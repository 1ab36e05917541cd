"""Open data: the standard and the register's public data as linked data anyone can fetch, without
an account (docs/open-data.md). One more channel over ``vptr.services``: the public resources at
their IRIs' paths, the standard's files at theirs, a DCAT-AP catalogue, streamed dumps and a
Linked Data Event Stream.

The composition root calls :func:`install` and mounts :func:`routers`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from vptr.opendata import pages
from vptr.opendata.routes import catalog, dumps, resources, standard, stream
from vptr.opendata.site import Site
from vptr.settings import Settings

__all__ = ["install", "routers"]

_PREFLIGHT = [(b"access-control-allow-origin", b"*"),
              (b"access-control-allow-methods", b"GET, HEAD, OPTIONS"),
              (b"access-control-allow-headers", b"Accept, If-None-Match, If-Modified-Since"),
              (b"access-control-max-age", b"86400")]


class Preflight:
    """Answers a CORS preflight (OPTIONS) for the open data's paths: a page elsewhere may send
    If-None-Match, which is not a simple header. Every other request passes untouched."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] == "OPTIONS"
                and scope["path"].startswith(self.prefixes)):
            await send({"type": "http.response.start", "status": 204, "headers": _PREFLIGHT})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings, vendor_url: str) -> Site:
    """The channel's addresses, and CORS preflight for them."""
    site = Site.of(settings, vendor_url)
    app.state.opendata = site
    prefixes = tuple(p for p in (site.path_of(site.data_base), "/ns/", "/doc/", "/shacl/",
                                 site.path_of(site.catalog), site.path_of(site.stream),
                                 site.path_of(site.register_base + "dumps/")) if p)
    app.add_middleware(Preflight, prefixes=prefixes)
    app.mount(pages.STATIC, StaticFiles(directory=Path(__file__).parent / "static"),
              name="open-data-static")
    return site


def routers(site: Site) -> list[APIRouter]:
    """In matching order: the code lists' concepts before the register's ``/id/{kind}/...``;
    each limited per client address (vptr.opendata.limits)."""
    return [standard.router(site), catalog.router(site), stream.router(site),
            dumps.router(site), resources.router(site)]
