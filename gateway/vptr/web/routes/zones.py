"""Zones on a map (F1.1, F1.2): every zone of the tenant on a map and in a table, stacked zones
at a point, drawing or editing an outline, importing a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from vptr.errors import BadRequest, Invalid, RegisterError
from vptr.http.bodies import parse_body
from vptr.paging import Page
from vptr.services import zones
from vptr.services.codes import codes
from vptr.web import forms
from vptr.web.pages import (
    PREFIX,
    SHOWN_AGAIN,
    Web,
    WebRoute,
    errors_for,
    field_errors,
    page,
    redirect,
    staff,
)

router = APIRouter(prefix=PREFIX + "/zones", route_class=WebRoute, include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
ALL = Page(1, 500)
#: Which form field shows the refusals of which property of the zone.
FIELDS = {"name": ("name",), "zoneKind": ("zoneKind",), "description": ("description",),
          "outline": ("geometry", "features"), "validFrom": ("validityPeriod",)}


def _kinds(current: Web) -> list[tuple[str, str]]:
    return [(k, current.t_code(k)) for k in codes("ZoneKind")]


def _iri(current: Web, ref: str) -> str:
    return current.runtime.store.iris.from_path("zone", ref)


@router.get("")
async def zone_list(current: Staff) -> Response:
    documents, total = await current.call(zones.listing, current.runtime,
                                          current.caller("zones.list"), zones.Filter(), ALL)
    return page(current, "zones/list.html", zones=documents, total=total,
                tile_url=current.config.tile_url,
                tile_attribution=current.config.tile_attribution)


@router.get("/kaart.json")
async def zone_map(current: Staff) -> Response:
    """The tenant's zones as GeoJSON for the map (no personal data)."""
    documents, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.map"), zones.Filter(), ALL)
    return _geojson(current, documents)


@router.get("/op-punt.json")
async def zones_at(current: Staff, lon: Annotated[float, Query()],
                   lat: Annotated[float, Query()]) -> Response:
    """The zones stacked at a point (what a check at that point pricks through)."""
    documents, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.atPoint"),
                                      zones.Filter(point=(lon, lat)), ALL)
    return JSONResponse([{"name": d.get("name"), "kind": current.t_code(d.get("zoneKind")),
                          "href": f"{PREFIX}/zones/{_ref(d['id'])}"} for d in documents],
                        headers={"Cache-Control": "no-store"})


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _geojson(current: Web, documents: list[dict[str, Any]]) -> Response:
    features = []
    for d in documents:
        geometry = forms.geojson_of(d.get("geometry"))
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "name": d.get("name"), "kind": d.get("zoneKind"),
            "kindLabel": current.t_code(d.get("zoneKind")),
            "href": f"{PREFIX}/zones/{_ref(d['id'])}"}})
    return JSONResponse({"type": "FeatureCollection", "features": features},
                        headers={"Cache-Control": "no-store"})


def _body(form: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    body = dict(base or {})
    for name in ("name", "zoneKind", "description"):
        value = forms.text(form, name)
        if value:
            body[name] = value
        else:
            body.pop(name, None)
    geometry = forms.outline(forms.text(form, "outline"))
    if geometry is None:
        body.pop("geometry", None)
    else:
        body["geometry"] = geometry
    start = forms.local_instant(forms.text(form, "validFrom"), "validityPeriod.startTime")
    if start is not None:
        body["validityPeriod"] = {**(body.get("validityPeriod") or {}),
                                  "startTime": forms.instant_text(start)}
    return body


#: What the outline editor announces as corners are added, moved, chosen and removed (its
#: keyboard path), in the screen's language; ``{n}``, ``{lat}``... are filled in by map.js.
EDITOR_MESSAGES = ("corner_option", "corner_added", "corner_moved", "corner_removed",
                   "corner_chosen", "corner_none", "outline_cleared")


def _editor(current: Web, template_values: dict[str, Any], status: int = 200) -> Response:
    return page(current, "zones/edit.html", status, kinds=_kinds(current),
                editor_messages={key: current.t(key) for key in EDITOR_MESSAGES},
                tile_url=current.config.tile_url,
                tile_attribution=current.config.tile_attribution, **template_values)


@router.get("/nieuw")
async def new_zone(current: Staff) -> Response:
    return _editor(current, {"zone": None, "values": {}, "errors": {}, "rest": []})


@router.post("/nieuw")
async def create_zone(current: Staff) -> Response:
    form = await current.form()
    values = {k: forms.text(form, k) for k in FIELDS}
    try:
        document = await current.call(zones.create, current.runtime,
                                      current.caller("zones.create"), _body(form))
    except Invalid as exc:
        errors, rest = errors_for(*_split(exc, current))
        return _editor(current, {"zone": None, "values": values, "errors": errors,
                                 "rest": rest}, SHOWN_AGAIN)
    return redirect(current, f"{PREFIX}/zones/{_ref(document['id'])}?opgeslagen=1")


def _split(exc: RegisterError, current: Web) -> tuple[dict[str, list[str]], dict]:
    by_field, general = field_errors(exc, current.lang)
    if general:
        by_field.setdefault("", []).extend(general)
    return by_field, FIELDS


def _values_of(document: dict[str, Any]) -> dict[str, str]:
    geometry = forms.geojson_of(document.get("geometry"))
    return {"name": document.get("name", ""), "zoneKind": document.get("zoneKind", ""),
            "description": document.get("description", ""),
            "outline": json.dumps(geometry) if geometry else "",
            "validFrom": (document.get("validityPeriod") or {}).get("startTime", "")}


@router.get("/import")
async def import_page(current: Staff) -> Response:
    return page(current, "zones/import.html", kinds=_kinds(current), errors={}, rest=[])


@router.post("/import")
async def import_zones(current: Staff) -> Response:
    form = await current.form()
    upload = form.get("file")
    kind = forms.text(form, "zoneKind") or None
    errors: dict[str, list[str]] = {}
    rest: list[str] = []
    try:
        raw = await upload.read() if upload is not None and hasattr(upload, "read") else b""
        if not raw:
            raise Invalid.field("file", "choose a GeoJSON file")
        try:
            # The one reader of every channel's JSON: deep nesting, duplicate keys and huge
            # numbers are refused, never a server error.
            collection = parse_body(raw)
        except BadRequest as exc:
            reason = exc.errors[0].reason if exc.errors else str(exc)
            raise Invalid.field("file", f"not valid GeoJSON (JSON): {reason}") from None
        result = await current.call(zones.import_collection, current.runtime,
                                    current.caller("zones.import"), collection,
                                    zones.ImportOptions(zone_kind=kind))
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        for prop, reasons in by_field.items():
            target = "file" if prop == "file" else ("zoneKind" if prop == "zoneKind" else None)
            if target:
                errors.setdefault(target, []).extend(reasons)
            else:
                rest.extend(f"{prop}: {r}" for r in reasons)
        rest.extend(general)
        return page(current, "zones/import.html", SHOWN_AGAIN, kinds=_kinds(current), errors=errors,
                    rest=rest, kind=kind)
    return page(current, "zones/import.html", kinds=_kinds(current), errors={}, rest=[],
                result=result)


@router.get("/{ref}")
async def zone_page(ref: str, current: Staff) -> Response:
    document = await current.call(zones.get, current.runtime, current.caller("zones.read"),
                                  _iri(current, ref))
    saved = current.request.query_params.get("opgeslagen") == "1"
    return _editor(current, {"zone": document, "values": _values_of(document), "errors": {},
                             "rest": [], "flashes": [("ok", current.t("saved"))] if saved
                             else []})


@router.post("/{ref}")
async def replace_zone(ref: str, current: Staff) -> Response:
    form = await current.form()
    iri = _iri(current, ref)
    document = await current.call(zones.get, current.runtime, current.caller("zones.read"), iri)
    values = {k: forms.text(form, k) for k in FIELDS}
    try:
        body = _body(form, {k: v for k, v in document.items() if k != "geometry"})
        if "geometry" not in body:
            raise Invalid.field("geometry", "draw or paste the outline")
        updated = await current.call(zones.replace, current.runtime,
                                     current.caller("zones.replace"), iri, body)
    except Invalid as exc:
        errors, rest = errors_for(*_split(exc, current))
        return _editor(current, {"zone": document, "values": values, "errors": errors,
                                 "rest": rest}, SHOWN_AGAIN)
    return redirect(current, f"{PREFIX}/zones/{_ref(updated['id'])}?opgeslagen=1")


@router.post("/{ref}/verwijderen")
async def delete_zone(ref: str, current: Staff) -> Response:
    await current.form()
    iri = _iri(current, ref)
    try:
        await current.call(zones.delete, current.runtime, current.caller("zones.delete"), iri)
    except RegisterError as exc:
        document = await current.call(zones.get, current.runtime,
                                      current.caller("zones.read"), iri)
        return _editor(current, {"zone": document, "values": _values_of(document),
                                 "errors": {}, "rest": [
                                     f"{current.t('zone_delete_refused')} {exc.detail}"]},
                       SHOWN_AGAIN)
    return redirect(current, f"{PREFIX}/zones")
