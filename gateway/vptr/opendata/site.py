"""Where open data lives: the IRIs it publishes and the paths that serve them.

Every IRI is served at its own path: ``https://data.parkeerregister.vlaanderen.be/id/zone/x`` at
``/id/zone/x`` and ``https://data.vlaanderen.be/ns/parkeren-en-toegang`` at
``/ns/parkeren-en-toegang``, so a deployment behind those hosts serves them as they are and a
client maps a host to the gateway. The bases are settings (``data_base_iri``,
``standard_base_iri``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request

from vptr.services.open_data import public_caller
from vptr.services.runtime import Caller, Runtime
from vptr.settings import Settings
from vptr.validation import CONTEXT_IRI

VOCABULARY_IRI = "https://data.vlaanderen.be/ns/parkeren-en-toegang"
PROFILE_IRI = "https://data.vlaanderen.be/doc/applicatieprofiel/parkeren-en-toegang"
SHAPES_IRI = "https://data.vlaanderen.be/shacl/parkeren-en-toegang"
SCHEMA_IRI = PROFILE_IRI + "/schema.json"


@dataclass(frozen=True)
class Site:
    data_base: str  # .../id/
    register_base: str  # the register's host: .../
    standard_base: str
    vendor_url: str
    tile_url: str
    attribution: str
    licence: str
    max_age: int
    page_size: int

    @classmethod
    def of(cls, settings: Settings, vendor_url: str) -> Site:
        data_base = settings.data_base_iri.rstrip("/") + "/"
        parts = urlsplit(data_base)
        return cls(data_base, f"{parts.scheme}://{parts.netloc}/",
                   settings.standard_base_iri.rstrip("/") + "/", vendor_url.rstrip("/"),
                   settings.web_tile_url, settings.web_tile_attribution,
                   settings.open_data_licence, settings.open_data_max_age_seconds,
                   settings.ldes_page_size)

    def path_of(self, iri: str) -> str | None:
        """The path here that serves ``iri`` (a fragment dropped), or None if none does."""
        iri = iri.split("#", 1)[0]
        for base in (self.register_base, self.standard_base):
            if iri.startswith(base):
                return "/" + iri[len(base):]
        return None

    @property
    def csp(self) -> str:
        from vptr.opendata.pages import content_security_policy

        return content_security_policy(self.tile_url)

    @property
    def specification_csp(self) -> str:
        """The policy of the specification page (generated/.../index.html): the open data's,
        and fonts from ``data:`` URIs, because the page's diagrams (D2's SVG) carry their font
        inside them; without it the browser refuses the font and draws the labels in another,
        wider one that runs out of the boxes D2 measured for it."""
        return self.csp + "; font-src data:"

    @property
    def catalog(self) -> str:
        return self.register_base + "catalog"

    @property
    def stream(self) -> str:
        return self.register_base + "ldes"

    def stream_page(self, number: int) -> str:
        return f"{self.stream}/{number}"

    def dump(self, name: str, extension: str) -> str:
        return f"{self.register_base}dumps/{name}.{extension}"

    def standard_path(self, iri: str) -> str:
        path = self.path_of(iri)
        assert path is not None, f"{iri} is not under {self.standard_base}"
        return path

    @property
    def context_path(self) -> str:
        return self.standard_path(CONTEXT_IRI)


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def caller_of(request: Request, operation: str) -> Caller:
    return public_caller(operation, request.client.host if request.client else None)
