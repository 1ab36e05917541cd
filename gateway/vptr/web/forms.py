"""Reading form values into the register's terms: local times, numbers, outlines. A value that
cannot be read is refused as the register refuses a bad body: :class:`Invalid`, naming the field,
so the page shows it next to that field."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from starlette.datastructures import FormData

from vptr.errors import FieldError, Invalid
from vptr.times import in_zone
from vptr.web.pages import LOCAL


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def local_instant(value: str, field: str) -> datetime | None:
    """A local date (``2026-03-01``) or date and time (``2026-03-01T08:00``) in Europe/Brussels,
    or an instant with its offset; None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid.field(field, "not a valid date or time (2026-03-01T08:00)") from None
    return moment.replace(tzinfo=LOCAL) if moment.tzinfo is None else moment


def instant_text(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def period(start: datetime | None, end: datetime | None) -> dict[str, str] | None:
    if start is None and end is None:
        return None
    found = {"startTime": instant_text(start), "endTime": instant_text(end)}
    return {k: v for k, v in found.items() if v}


def integer(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise Invalid.field(field, "not a whole number") from None


def outline(value: str, field: str = "geometry") -> dict[str, str] | None:
    """A zone's geometry from GeoJSON (a geometry or a feature) or WKT, as the register takes it
    (``asGeoJSON``, ``asWKT``)."""
    value = value.strip()
    if not value:
        return None
    if value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            raise Invalid.field(field, "not valid GeoJSON") from None
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        return {"asGeoJSON": json.dumps(data, separators=(",", ":"))}
    return {"asWKT": value}


def geojson_of(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A zone's stored outline as a GeoJSON geometry (for the map)."""
    if not geometry:
        return None
    try:
        if geometry.get("asGeoJSON"):
            return mapping(shape(json.loads(geometry["asGeoJSON"])))
        if geometry.get("asWKT"):
            return mapping(wkt.loads(geometry["asWKT"]))
    except (ValueError, ShapelyError, TypeError, KeyError):
        return None
    return None


def invalid(errors: list[FieldError]) -> Invalid:
    return Invalid("; ".join(f"{e.field}: {e.reason}" for e in errors), errors)


def local_input_of(value: str | None) -> str:
    """A stored instant as the value of an ``<input type="datetime-local">``."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return in_zone(moment, LOCAL).strftime("%Y-%m-%dT%H:%M")
