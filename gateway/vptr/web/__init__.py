"""The management web app for the staff of an area manager, at ``/beheer``: one more channel
over the use cases of ``vptr.services`` (parse a form, call a use case, render a page), holding no
rule of the register. Dutch first, English switchable; server-rendered HTML with a little
JavaScript for the map (Leaflet, vendored under ``static/vendor``, no CDN).

The composition root (``vptr.app``) calls :func:`install`.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from vptr.settings import Settings
from vptr.web.pages import HERE, PREFIX, WebConfig
from vptr.web.routes import ROUTERS

__all__ = ["ROUTERS", "VENDOR_DIR", "install"]

#: The vendored libraries (Leaflet), which the composition root also serves to other channels.
VENDOR_DIR = HERE / "static" / "vendor"


def install(app: FastAPI, settings: Settings) -> None:
    """What the web app needs around its routers (``ROUTERS``, mounted by the composition root):
    its settings and its static files (sessions are kept in the store)."""
    app.state.web = WebConfig(
        tile_url=settings.web_tile_url, tile_attribution=settings.web_tile_attribution,
        demo=settings.demo)
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="web-static")
