"""Request bodies as the OpenAPI description shows them: one example per write, taken from the
demo municipality, so /docs offers a body that works against ``vptr serve --demo`` as it stands.

The routes read bodies themselves (size cap, JSON-LD or plain JSON, errors naming the field), so
FastAPI cannot infer their schema; this module states it.
"""

from __future__ import annotations

from typing import Any

from vptr.services import demo


def body(description: str, example: Any, required: bool = True, model: str | None = None,
         many: bool = False) -> dict[str, Any]:
    """A request body; ``model`` names the class of the standard it is a document of, whose JSON
    Schema (``schema.json``, with what the register fills in left optional) the OpenAPI
    description then states (vptr.api.openapi)."""
    schema: dict[str, Any] = {"type": "array" if isinstance(example, list) else "object"}
    if model is not None:
        one = {"$ref": f"#/components/schemas/{model}Body"}
        schema = {"anyOf": [one, {"type": "array", "items": one}]} if many else one
    content = {"schema": schema, "example": example}
    return {"requestBody": {"required": required, "description": description, "content": {
        "application/ld+json": content, "application/json": content}}}


def _without_id(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "id"}


ZONE = body("A Zone (its outline as WKT and/or GeoJSON, in WGS84).", {
    "name": "Blauwe zone Sint-Pietersplein", "zoneKind": "blueZone",
    "geometry": {"asWKT": "POLYGON ((3.7245 51.0425, 3.7285 51.0425, 3.7285 51.0445, "
                          "3.7245 51.0445, 3.7245 51.0425))"},
    "identifiers": [{"notation": "BZ-SPP", "identifierScheme": "gisId"}]}, model="Zone")

ZONE_IMPORT = body("A GeoJSON FeatureCollection (RFC 7946, WGS84) exported from any GIS.", {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "id": "BZ-17",
                  "properties": {"naam": "Blauwe zone Citadelpark", "zoneKind": "blueZone"},
                  "geometry": {"type": "Polygon", "coordinates": [[
                      [3.7200, 51.0380], [3.7240, 51.0380], [3.7240, 51.0400],
                      [3.7200, 51.0400], [3.7200, 51.0380]]]}}]})

_zuid = next(r for r in demo.regime_documents() if r["id"].endswith("gent-zuid-betalend"))
REGIME = body("A Regime; the register sets id, version and isVersionOf.", {
    **_without_id(_zuid), "name": "Betalend parkeren Zuid (voorbeeld)",
    "validityPeriod": {"startTime": "2027-01-01T00:00:00+01:00"}}, model="Regime")
REGIME_CHANGE = body("The next version of the regime: the whole regime as it will be, from its "
                     "validityPeriod.startTime (now if absent).", {
                         **_without_id(_zuid), "tariff": {**_zuid["tariff"], "dayMaximum": "9.00"},
                         "validityPeriod": {"startTime": "2027-01-01T00:00:00+01:00"}},
                     model="Regime")

RIGHT = body("A Right; the register sets id, rightStatus, created, provider and authorisation.", {
    "rightKind": "parking", "zone": demo.ZONE_ROOD, "channel": "app",
    "vehicle": {"licencePlate": {"plateNumber": "1XYZ987", "country": "BE"}},
    "validityPeriod": {"startTime": "2026-11-23T10:00:00+01:00",
                       "endTime": "2026-11-23T12:00:00+01:00"},
    "amountPaid": {"value": "3.00", "currency": "EUR"}, "clientReference": "app-session-0001"},
    model="Right")
RIGHT_ADJUST = body("A merge patch: validityPeriod.endTime and/or amountPaid.", {
    "validityPeriod": {"endTime": "2026-11-23T13:00:00+01:00"},
    "amountPaid": {"value": "4.50", "currency": "EUR"}})
RIGHT_END = body("Optional: when the right ends (now if absent).",
                 {"endTime": "2026-11-23T11:15:00+01:00"}, required=False)

PERMIT = body("A Permit (plates are personal data: only the area manager reads them back).",
              _without_id(demo.permit_documents()[0]), model="Permit")
WHITELIST = body("A Whitelist; its entries may be included or added later.",
                 {**_without_id(demo.whitelist_document()), "name": "Evenement Gentse Feesten",
                  "entries": [_without_id(demo.whitelist_document()["entries"][0])]},
                 model="Whitelist")
WHITELIST_ENTRY = body("One WhitelistEntry, or a list of them (all or none are added).", {
    "vehicle": {"licencePlate": {"plateNumber": "1POL101", "country": "BE"}},
    "description": "Politie Gent"}, model="WhitelistEntry", many=True)
ORGANISATION = body("An Organisation with roles provider and/or enforcement.", {
    "name": "4411 NV", "roles": ["provider"], "homepage": "https://www.4411.example"},
    model="Organisation")
AUTHORISATION = body("An Authorisation: grantee, scopes, zones (none: all yours), period.", {
    "grantee": demo.METERS, "scopes": ["readRights"], "zones": [demo.ZONE_ZUID],
    "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}}, model="Authorisation")
API_KEY = body("Optional: a label to recognise the key by.", {"label": "production"},
               required=False)
