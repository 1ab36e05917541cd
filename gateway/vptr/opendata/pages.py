"""The open data's HTML: a readable page per public resource (a zone on a map), the catalogue and
the concepts of the code lists. Everything taken from the data is escaped; the map is the vendored
Leaflet the composition root serves at ``vendor_url`` (no CDN), its tiles from ``tile_url``."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

#: Where the channel's own static files are served (vptr.opendata.install).
STATIC = "/static/open-data"

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#1d1d1b;background:#fff}
header{background:#ffe615;padding:.8rem 1.5rem}header a{color:#1d1d1b;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
h1{font-size:1.6rem;margin:.5rem 0}code,.iri{font-family:ui-monospace,monospace;font-size:.9em;
word-break:break-all}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #ddd;padding:.35rem .5rem}
th{width:14rem;font-weight:600}#map{height:22rem;border:1px solid #ccc;margin:1rem 0}
nav.formats a{margin-right:1rem}ul.datasets li{margin:.6rem 0}
"""


def content_security_policy(tile_url: str) -> str:
    """Scripts and styles from this server only (the page's own style sheet excepted), images
    from here and the tile server."""
    tiles = urlsplit(tile_url)
    origin = f"{tiles.scheme}://{tiles.netloc}" if tiles.netloc else ""
    return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: {origin}".rstrip() + "; base-uri 'none'; form-action 'none'")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, head: str = "", alternates: dict[str, str] | None = None,
          lang: str = "nl") -> str:
    links = "".join(f'<link rel="alternate" type="{_e(t)}" href="{_e(h)}">'
                    for t, h in (alternates or {}).items())
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<link rel="icon" href="data:,">'
            f"<title>{_e(title)}</title>{links}<style>{_STYLE}</style>{head}</head><body>"
            f'<header><a href="/catalog">Parkeer- en toegangsregister — open data</a></header>'
            f"<main>{body}</main></body></html>")


def _value(value: Any, local: Any) -> str:
    if isinstance(value, list):
        return "<br>".join(_value(v, local) for v in value)
    if isinstance(value, dict):
        rows = "".join(f"<tr><th>{_e(k)}</th><td>{_value(v, local)}</td></tr>"
                       for k, v in value.items() if k != "asGeoJSON")
        return f"<table>{rows}</table>"
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        path = local(value)
        return f'<a class="iri" href="{_e(path or value)}">{_e(value)}</a>'
    return _e(value)


def resource_page(document: dict[str, Any], kind: str, formats: dict[str, str], local: Any,
                  vendor_url: str, tile_url: str, attribution: str) -> str:
    """``formats``: media type -> URL of the same resource in it; ``local``: IRI -> path here
    (or None)."""
    title = document.get("name") or document.get("id")
    nav = "".join(f'<a href="{_e(u)}" type="{_e(t)}">{_e(t)}</a>' for t, u in formats.items())
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_value(v, local)}</td></tr>"
                   for k, v in document.items() if k not in ("name",))
    head, script, map_div = "", "", ""
    geometry = document.get("geometry") or {}
    if kind == "zone" and isinstance(geometry.get("asGeoJSON"), str):
        head = f'<link rel="stylesheet" href="{_e(vendor_url)}/leaflet/leaflet.css">'
        map_div = (f'<div id="map" role="img" aria-label="De zone op de kaart" '
                   f'data-outline="{_e(geometry["asGeoJSON"])}" data-tiles="{_e(tile_url)}" '
                   f'data-attribution="{_e(attribution)}"></div>')
        script = (f'<script src="{_e(vendor_url)}/leaflet/leaflet.js"></script>'
                  f'<script src="{STATIC}/zone-map.js"></script>')
    body = (f'<p class="kind">{_e(document.get("type", kind))}</p><h1>{_e(title)}</h1>'
            f'<p class="iri">{_e(document.get("id"))}</p>{map_div}'
            f'<nav class="formats">{nav}</nav><table>{rows}</table>{script}')
    return _page(str(title), body, head, formats)


def catalogue_page(title: str, description: str, datasets: list[dict[str, Any]],
                   formats: dict[str, str], licence: str, stream: str) -> str:
    """``datasets``: title, description, distributions (title, url, media type)."""
    items = []
    for dataset in datasets:
        links = "".join(f'<li><a href="{_e(d["url"])}">{_e(d["title"])}</a> '
                        f'<code>{_e(d["media"])}</code></li>' for d in dataset["distributions"])
        items.append(f'<li><h2>{_e(dataset["title"])}</h2><p>{_e(dataset["description"])}</p>'
                     f"<ul>{links}</ul></li>")
    nav = "".join(f'<a href="{_e(u)}">{_e(t)}</a>' for t, u in formats.items())
    body = (f"<h1>{_e(title)}</h1><p>{_e(description)}</p>"
            f'<p>Licentie: <a href="{_e(licence)}">{_e(licence)}</a></p>'
            f'<p>Wijzigingen als Linked Data Event Stream: <a href="{_e(stream)}">'
            f"{_e(stream)}</a></p>"
            f'<nav class="formats">{nav}</nav><ul class="datasets">{"".join(items)}</ul>')
    return _page(title, body, alternates=formats)


def concept_page(iri: str, rows: list[tuple[str, str]]) -> str:
    table = "".join(f"<tr><th>{_e(p)}</th><td>{_e(o)}</td></tr>" for p, o in rows)
    return _page(iri, f'<h1 class="iri">{_e(iri)}</h1><table>{table}</table>')


def vocabulary_page(title: str, terms: list[dict[str, str]], specification: str) -> str:
    """Every term of the vocabulary under an anchor of its local name, so a browser following
    ``…/ns/parkeren-en-toegang#Tarief`` lands on its definition. ``terms``: local, iri, kind,
    label_nl, label_en, comment_nl, comment_en, range."""
    sections = []
    for term in terms:
        rows = "".join(
            f"<tr><th>{_e(name)}</th><td>{_e(term[key])}</td></tr>"
            for name, key in (("Soort", "kind"), ("Label (en)", "label_en"),
                              ("Definitie", "comment_nl"), ("Definition", "comment_en"),
                              ("Bereik", "range")) if term.get(key))
        sections.append(f'<section id="{_e(term["local"])}"><h2>{_e(term["label_nl"])}</h2>'
                        f'<p class="iri">{_e(term["iri"])}</p><table>{rows}</table></section>')
    body = (f"<h1>{_e(title)}</h1><p>De volledige specificatie: "
            f'<a href="{_e(specification)}">{_e(specification)}</a>.</p>{"".join(sections)}')
    return _page(title, body)
