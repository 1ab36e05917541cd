"""Listing helpers the APDS routers share: the paginated list envelope and the geographic filter
(latitude, longitude, radius) apds4.yaml gives every collection."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from shapely.geometry import Point, shape

from vptr.apds.http import reference_instant
from vptr.errors import Invalid


def paginated(items: Sequence[dict[str, Any]], page: int, size: int,
              deleted: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``{meta, data[, deletedReferences]}`` of one page (apds4.yaml PaginatedList)."""
    offset = (page - 1) * size
    body: dict[str, Any] = {"meta": {"referenceInstant": reference_instant(), "offset": offset,
                                     "pageSize": size, "total": len(items)},
                            "data": list(items[offset:offset + size])}
    if deleted is not None:
        body["deletedReferences"] = deleted
    return body


class Circle:
    """The circle of latitude, longitude and radius (metres) a list is filtered by."""

    def __init__(self, latitude: float | None, longitude: float | None, radius: int | None
                 ) -> None:
        given = [latitude is not None, longitude is not None, radius is not None]
        if any(given) and not all(given):
            missing = next(n for n, g in zip(("latitude", "longitude", "radius"), given,
                                         strict=True) if not g)
            raise Invalid.field(missing, "latitude, longitude and radius go together")
        self.active = all(given)
        if self.active:
            assert latitude is not None and longitude is not None and radius is not None
            if not -90 <= latitude <= 90:
                raise Invalid.field("latitude", "from -90 to 90")
            if not -180 <= longitude <= 180:
                raise Invalid.field("longitude", "from -180 to 180")
            if radius < 0:
                raise Invalid.field("radius", "0 or more metres")
            self.latitude, self.longitude, self.radius = latitude, longitude, radius

    def touches(self, geometry: dict[str, Any] | None) -> bool:
        """Whether a zone's outline (its GeoJSON) comes within the circle."""
        if not self.active:
            return True
        if not geometry or not geometry.get("asGeoJSON"):
            return False
        outline = shape(json.loads(geometry["asGeoJSON"]))
        # Degrees of longitude shrink with latitude: scale x so the distance is in metres.
        scale = math.cos(math.radians(self.latitude))
        metres_per_degree = 111_320.0
        here = Point(self.longitude * scale, self.latitude)
        from shapely.affinity import scale as scaled
        outline = scaled(outline, xfact=scale, yfact=1, origin=(0, 0))
        return outline.distance(here) * metres_per_degree <= self.radius
