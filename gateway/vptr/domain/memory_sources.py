"""An in-memory :class:`~vptr.domain.sources.CheckSources`, for tests and small tools.

It keeps records in lists and answers by scanning them, with the same window semantics the
protocol promises, so a test written against it says what any store must answer. Plates are
hashed here exactly as the register does (HMAC-SHA256 of ``COUNTRY:PLATE`` under a per-tenant key)
so tests exercise the per-tenant isolation too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from shapely import wkt
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from vptr.domain.linked_regimes import excluded, granted, regime_series
from vptr.domain.plates import plate_hash
from vptr.domain.regime_time import RegimeLike, as_regime, in_force
from vptr.domain.sources import PermitRecord, RightRecord, WhitelistEntryRecord, ZoneRecord
from vptr.standard.datamodel import Regime


@dataclass
class InMemorySources:
    """Zones (with optional WKT outlines), regime versions, and plate-keyed records per tenant."""

    zones: list[ZoneRecord] = field(default_factory=list)
    outlines: dict[str, BaseGeometry] = field(default_factory=dict)
    regimes: list[Regime] = field(default_factory=list)
    tenant_keys: dict[str, bytes] = field(default_factory=dict)
    rights: list[tuple[str, RightRecord]] = field(default_factory=list)
    permits: list[tuple[str, PermitRecord]] = field(default_factory=list)
    entries: list[tuple[str, WhitelistEntryRecord]] = field(default_factory=list)

    # --- building ------------------------------------------------------------------------------

    def add_zone(self, zone: ZoneRecord, outline_wkt: str | None = None) -> ZoneRecord:
        self.zones.append(zone)
        if outline_wkt:
            self.outlines[zone.id] = wkt.loads(outline_wkt)
        return zone

    def add_regime(self, regime: RegimeLike) -> Regime:
        parsed = as_regime(regime)
        self.regimes.append(parsed)
        return parsed

    def _hash_for_zone(self, zone_id: str, country: str, plate: str) -> str:
        zone = next(z for z in self.zones if z.id == zone_id)
        return self.plate_hash(zone.area_manager, country, plate)

    def add_right(self, country: str, plate: str, right: RightRecord) -> RightRecord:
        self.rights.append((self._hash_for_zone(right.zone, country, plate), right))
        return right

    def add_permit(self, country: str, plate: str, permit: PermitRecord) -> PermitRecord:
        self.permits.append((self._hash_for_zone(permit.zones[0], country, plate), permit))
        return permit

    def add_entry(self, country: str, plate: str, entry: WhitelistEntryRecord
                  ) -> WhitelistEntryRecord:
        zone = (entry.entry_zones or entry.list_zones)[0]
        self.entries.append((self._hash_for_zone(zone, country, plate), entry))
        return entry

    # --- CheckSources --------------------------------------------------------------------------

    def zones_by_ids(self, zone_ids: Sequence[str]) -> list[ZoneRecord]:
        wanted = set(zone_ids)
        return [z for z in self.zones if z.id in wanted]

    def zones_at_point(self, lon: float, lat: float, moment: datetime) -> list[ZoneRecord]:
        point = Point(lon, lat)
        return [z for z in self.zones
                if z.id in self.outlines and self.outlines[z.id].covers(point)]

    def regimes_in_force(self, zone_ids: Sequence[str], moment: datetime) -> list[Regime]:
        wanted = set(zone_ids)
        return [r for r in self.regimes if wanted.intersection(r.zones) and in_force(r, moment)]

    def regime_history(self, zone_id: str) -> list[Regime]:
        return [r for r in self.regimes if zone_id in r.zones]

    def linked_regimes(self, series: Collection[str], moment: datetime) -> list[Regime]:
        wanted = set(series)
        return [r for r in self.regimes if in_force(r, moment) and (
            regime_series(r) in wanted or (granted(r) | excluded(r)) & wanted)]

    def plate_hash(self, area_manager: str, country: str, plate_number: str) -> str:
        key = self.tenant_keys.setdefault(area_manager, f"key-of-{area_manager}".encode())
        return plate_hash(key, country, plate_number)

    def rights_for_plate(self, plate_hash: str, zone_ids: Sequence[str], since: datetime,
                         until: datetime) -> list[RightRecord]:
        wanted = set(zone_ids)
        return [r for h, r in self.rights
                if h == plate_hash and r.zone in wanted and r.start <= until
                and (r.end is None or r.end > since)]

    def permits_for_plate(self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
                          ) -> list[PermitRecord]:
        wanted = set(zone_ids)
        return [p for h, p in self.permits
                if h == plate_hash and wanted.intersection(p.zones) and p.start <= moment
                and (p.end is None or p.end > moment)]

    def whitelist_entries_for_plate(self, plate_hash: str, zone_ids: Sequence[str],
                                    moment: datetime) -> list[WhitelistEntryRecord]:
        wanted = set(zone_ids)
        return [e for h, e in self.entries
                if h == plate_hash and wanted.intersection(e.entry_zones or e.list_zones)]
