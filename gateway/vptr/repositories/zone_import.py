"""Bulk import of zones from any GIS: a GeoJSON FeatureCollection (RFC 7946, WGS84) becomes zones.

Each feature becomes one Zone: its geometry the outline (kept as WKT and GeoJSON), its properties
mapped by name (below; other names can be chosen per import). A feature whose GIS identifier matches
a zone of the tenant updates that zone, so re-importing a corrected layer does not duplicate it. The
import is all or nothing: one bad feature stores nothing, and every bad feature is reported with its
index.

Property names read, first match wins (case as written):

| zone field | feature properties |
|---|---|
| name | ``name``, ``naam``, ``NAAM``, ``Name`` |
| zoneKind | ``zoneKind``, ``zone_kind``, ``zonetype``, ``kind`` (a ZoneKind short name) |
| description | ``description``, ``beschrijving``, ``omschrijving`` |
| gisId identifier | ``gisId``, ``gis_id``, ``OBJECTID``, ``objectid``, ``fid``, feature ``id`` |
| capacity | ``capacity``, ``capaciteit`` |
| timeZone | ``timeZone`` |
| validityPeriod | ``validFrom`` / ``validTo`` (ISO 8601 with offset) |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from vptr.domain.geometry import from_geojson
from vptr.errors import BadRequest, FieldError, Invalid, RegisterError
from vptr.iris import Iris
from vptr.repositories import zones
from vptr.repositories.documents import normalise, validate
from vptr.store import tables

PROPERTY_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("name", "naam", "NAAM", "Name"),
    "zoneKind": ("zoneKind", "zone_kind", "zonetype", "kind"),
    "description": ("description", "beschrijving", "omschrijving"),
    "gisId": ("gisId", "gis_id", "OBJECTID", "objectid", "fid"),
    "capacity": ("capacity", "capaciteit"),
    "timeZone": ("timeZone",),
    "validFrom": ("validFrom",),
    "validTo": ("validTo",),
}
_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326",
          "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
MAX_FEATURES = 5000


@dataclass
class ImportOptions:
    """Per-import choices: which property holds what, and a zone kind for features without one."""

    zone_kind: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # zone field -> property name


@dataclass
class ImportResult:
    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)


def _pick(properties: dict[str, Any], target: str, options: ImportOptions
          ) -> tuple[str | None, Any]:
    names = (options.overrides[target],) if target in options.overrides else PROPERTY_NAMES[target]
    for name in names:
        if properties.get(name) not in (None, ""):
            return name, properties[name]
    return None, None


def _feature_to_zone(feature: Any, index: int, tenant: str, options: ImportOptions
                     ) -> tuple[dict[str, Any], dict[str, str]]:
    """The Zone document of one feature, and where each of its fields came from (for errors)."""
    where = f"features[{index}]"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise Invalid.field(where, "not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise Invalid.field(f"{where}.properties", "must be an object")
    geometry = from_geojson(feature.get("geometry"), f"{where}.geometry")
    sources: dict[str, str] = {"geometry": f"{where}.geometry"}
    document: dict[str, Any] = {"type": "Zone", "areaManager": tenant,
                                "geometry": {"asWKT": geometry.wkt,
                                             "asGeoJSON": zones_geojson(feature["geometry"])}}
    for target in ("name", "zoneKind", "description", "capacity", "timeZone"):
        name, value = _pick(properties, target, options)
        if name is not None:
            document[target] = value
            sources[target] = f"{where}.properties.{name}"
    if "zoneKind" not in document and options.zone_kind:
        document["zoneKind"] = options.zone_kind
    if "name" not in document:
        sources["name"] = f"{where}.properties.name"
    if "zoneKind" not in document:
        sources["zoneKind"] = f"{where}.properties.zoneKind"
    name, gis = _pick(properties, "gisId", options)
    if gis is None and feature.get("id") not in (None, ""):
        name, gis = "id", feature["id"]
    if gis is not None:
        document["identifiers"] = [{"notation": str(gis), "identifierScheme": "gisId"}]
        sources["identifiers"] = f"{where}.properties.{name}" if name != "id" else f"{where}.id"
    _, start = _pick(properties, "validFrom", options)
    _, end = _pick(properties, "validTo", options)
    if start is not None:
        document["validityPeriod"] = {"startTime": start, **({"endTime": end} if end else {})}
        sources["validityPeriod"] = f"{where}.properties"
    return document, sources


def zones_geojson(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


def _feature_field(field_name: str | None, sources: dict[str, str], index: int) -> str:
    if not field_name:
        return f"features[{index}]"
    head = field_name.split(".")[0]
    return sources.get(head, f"features[{index}].properties.{head}")


def import_collection(connection: Connection, iris: Iris, tenant: str, collection: Any,
                      options: ImportOptions | None = None) -> ImportResult:
    options = options or ImportOptions()
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BadRequest("the body must be a GeoJSON FeatureCollection",
                         [FieldError("type", "must be FeatureCollection")])
    crs = collection.get("crs")
    if crs is not None:
        name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
        if name not in _CRS84:
            raise Invalid.field("crs", f"coordinates must be WGS84 (CRS84), not {name!r}; "
                                       "reproject the layer before importing")
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise Invalid.field("features", "a non-empty list of features")
    if len(features) > MAX_FEATURES:
        raise Invalid.field("features", f"at most {MAX_FEATURES} features per import")

    existing = {r.gis_id: r for r in connection.execute(
        select(tables.zones).where(tables.zones.c.tenant_id == tenant,
                                   tables.zones.c.gis_id.is_not(None)))}
    errors: list[FieldError] = []
    prepared: list[tuple[int, dict[str, Any], dict[str, str]]] = []
    seen_gis: dict[str, int] = {}
    for index, feature in enumerate(features):
        try:
            document, sources = _feature_to_zone(feature, index, tenant, options)
            document = normalise(document, "Zone")
            gis = zones.gis_id(document)
            if gis is not None:
                if gis in seen_gis:
                    raise Invalid.field(sources["identifiers"],
                                        f"same GIS id as features[{seen_gis[gis]}]")
                seen_gis[gis] = index
            row = existing.get(gis) if gis is not None else None
            document["id"] = row.id if row is not None else iris.mint("zone")
            prepared.append((index, document, sources))
        except RegisterError as exc:
            errors.extend(FieldError(_prefixed(e.field, index), e.reason) for e in exc.errors)
    if not errors:
        errors = _validate_all(prepared)
    if errors:
        raise Invalid(f"{len({e.field.split('.')[0] for e in errors if e.field})} of "
                      f"{len(features)} features cannot be imported; nothing was stored", errors)

    result = ImportResult()
    for _, document, _ in prepared:
        row = existing.get(zones.gis_id(document) or "")
        if row is not None:
            zones.update(connection, tenant, row, document)
            result.updated.append(document)
        else:
            zones.insert(connection, tenant, document)
            result.created.append(document)
    return result


def _prefixed(field_name: str | None, index: int) -> str:
    if field_name and field_name.startswith("features["):
        return field_name
    return f"features[{index}]" + (f".{field_name}" if field_name else "")


def _validate_all(prepared: list[tuple[int, dict[str, Any], dict[str, str]]]) -> list[FieldError]:
    """Validates every zone in one pass; only when something fails, one by one to say which."""
    if not prepared:
        return []
    try:
        validate({"@graph": [doc for _, doc, _ in prepared]})  # type: ignore[arg-type]
        return []
    except RegisterError:
        pass
    errors: list[FieldError] = []
    for index, document, sources in prepared:
        try:
            validate(document)
        except RegisterError as exc:
            errors.extend(FieldError(_feature_field(e.field, sources, index), e.reason)
                          for e in exc.errors)
    return errors
