"""Zone outlines: read from WKT or GeoJSON (WGS84), checked, and kept in both forms with a bounding
box, so a point lookup is an indexed box test followed by an exact point-in-polygon test.

Parsed outlines are cached per zone row version: a changed zone has a new version, so the cache
never serves an outline another instance has replaced.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import shapely
from shapely import wkt as shapely_wkt
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from vptr.errors import Invalid

AREAS = ("Polygon", "MultiPolygon")
#: Two encodings of one outline may differ by rounding, not by more (degrees, about 1 cm).
_SAME_OUTLINE_TOLERANCE = 1e-7


def _check(geometry: BaseGeometry, field: str) -> BaseGeometry:
    if geometry.geom_type not in AREAS:
        raise Invalid.field(field, f"a zone's outline is a Polygon or MultiPolygon, not a "
                                   f"{geometry.geom_type}")
    if geometry.is_empty:
        raise Invalid.field(field, "the outline is empty")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise Invalid.field(field, "coordinates must be WGS84 longitude latitude (EPSG:4326, "
                                   "CRS84); reproject Lambert 72 or other systems first")
    if not geometry.is_valid:
        raise Invalid.field(field, f"the outline is not a valid polygon: "
                                   f"{shapely.is_valid_reason(geometry)}")
    return geometry


def from_wkt(text: Any, field: str) -> BaseGeometry:
    if not isinstance(text, str):
        raise Invalid.field(field, "must be a WKT string")
    try:
        geometry = shapely_wkt.loads(text)
    except Exception as exc:  # shapely raises GEOSException or ValueError
        raise Invalid.field(field, f"not valid WKT: {exc}") from exc
    return _check(geometry, field)


def from_geojson(value: Any, field: str) -> BaseGeometry:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise Invalid.field(field, f"not valid GeoJSON: {exc.msg}") from exc
        except (RecursionError, ValueError):  # nested beyond the parser, numbers beyond ints
            raise Invalid.field(field, "not valid GeoJSON: nested too deep or a number out of "
                                       "range") from None
    if not isinstance(value, dict) or "type" not in value:
        raise Invalid.field(field, "a GeoJSON geometry object (type and coordinates)")
    try:
        geometry = shape(value)
    except Exception as exc:
        raise Invalid.field(field, f"not a valid GeoJSON geometry: {exc}") from exc
    return _check(geometry, field)


def to_geojson(geometry: BaseGeometry) -> str:
    return json.dumps(mapping(geometry), separators=(",", ":"))


def outline(document: dict[str, Any]) -> tuple[BaseGeometry, str, str]:
    """A zone document's outline, its WKT and GeoJSON; fills in whichever of the two is missing in
    ``document['geometry']`` and refuses two encodings of different outlines."""
    geometry = document.get("geometry")
    if not isinstance(geometry, dict):
        raise Invalid.field("geometry", "is required: an object with asWKT and/or asGeoJSON")
    from_text = from_wkt(geometry["asWKT"], "geometry.asWKT") if "asWKT" in geometry else None
    from_json = (from_geojson(geometry["asGeoJSON"], "geometry.asGeoJSON")
                 if "asGeoJSON" in geometry else None)
    if from_text is None and from_json is None:
        raise Invalid.field("geometry", "give the outline as asWKT or asGeoJSON")
    if from_text is not None and from_json is not None and not from_text.equals_exact(
            from_json, _SAME_OUTLINE_TOLERANCE):
        raise Invalid.field("geometry.asGeoJSON", "describes another outline than asWKT")
    chosen = from_text if from_text is not None else from_json
    assert chosen is not None
    wkt_text = geometry.get("asWKT") or chosen.wkt
    geojson_text = to_geojson(chosen) if from_json is None else (
        geometry["asGeoJSON"] if isinstance(geometry["asGeoJSON"], str)
        else json.dumps(geometry["asGeoJSON"], separators=(",", ":")))
    geometry["asWKT"] = wkt_text
    geometry["asGeoJSON"] = geojson_text
    return chosen, wkt_text, geojson_text


@lru_cache(maxsize=8192)
def prepared(zone_id: str, version: int, wkt_text: str) -> PreparedGeometry:
    """A zone's outline ready for fast point tests; keyed by the row's version."""
    return prep(shapely_wkt.loads(wkt_text))
