"""Zones and regime versions as the check and the trial price read them, held in the process.

Why: a check needs the zones it asks about (or those under a point) and the regime versions in
force there. Reading and parsing those rows for every check cost more than everything else the
check does, while they change a few times a year. Rights, permits and whitelists change all the
time and are always read from the store.

Why it is never stale: triggers in the database (migration 0004) bump ``catalogue_state`` on every
change to zones, regime_versions and regime_zones, whoever makes it. :func:`current` reads that one
row on the caller's connection and reloads when the (epoch, generation) pair differs from the copy
it holds, so a zone or regime written through one instance counts at the very next check through
any other. The pair is read *before* the rows it labels: a change committed during a reload makes
the copy newer than its label, never older, and the next check reloads again.

A reload re-reads only zones whose row version changed (parsing 1,000 outlines takes a while), with
every version of their outline (``zone_versions``, written with the zone's row, so its trigger
covers them), and all regime versions (few, and parsed once per version and end of validity).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

import shapely
from shapely import STRtree
from sqlalchemy import Connection, Engine, select

from vptr.domain.linked_regimes import excluded, granted
from vptr.domain.regime_time import as_regime
from vptr.domain.sources import ZoneRecord
from vptr.standard.datamodel import Regime
from vptr.store import tables
from vptr.store.hot_reads import HotSelect

DEFAULT_TIME_ZONE = "Europe/Brussels"


def zone_record(zone_id: str, tenant: str, document: dict[str, Any]) -> ZoneRecord:
    return ZoneRecord(id=zone_id, area_manager=tenant,
                      time_zone=document.get("timeZone") or DEFAULT_TIME_ZONE,
                      zone_kind=document.get("zoneKind"), name=document.get("name"))


def _within(start: datetime | None, end: datetime | None, moment: datetime) -> bool:
    return (start is None or start <= moment) and (end is None or end > moment)


@dataclass(frozen=True, slots=True)
class CatalogueOutline:
    """One version's outline and when that version was in force (None: open)."""

    valid_from: datetime | None
    valid_to: datetime | None
    geometry: shapely.Geometry


@dataclass(frozen=True, slots=True)
class CatalogueZone:
    record: ZoneRecord
    version: int
    valid_from: datetime | None
    valid_to: datetime | None
    outlines: tuple[CatalogueOutline, ...]

    def valid_at(self, moment: datetime) -> bool:
        return _within(self.valid_from, self.valid_to, moment)


@dataclass(frozen=True, slots=True)
class CatalogueRegime:
    """One stored regime version: its validity as stored (the row, which the next version closes)
    and the parsed document."""

    regime_id: str
    valid_from: datetime
    valid_to: datetime | None
    model: Regime

    def in_force(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_to is None or self.valid_to > moment)


class Catalogue:
    """An immutable copy of the zones and regime versions, with a spatial index of the outlines."""

    def __init__(self, key: tuple[str, int] | None, zones: dict[str, CatalogueZone],
                 regimes: list[CatalogueRegime], regime_zones: dict[str, list[str]]) -> None:
        self.key = key
        self.zones = zones
        self._regimes_by_zone: dict[str, list[CatalogueRegime]] = {}
        #: Regime series IRI -> the versions that are it or link to it (F1.6).
        self._linked: dict[str, list[CatalogueRegime]] = {}
        for regime in sorted(regimes, key=lambda r: (r.regime_id, r.valid_from)):
            for zone_id in regime_zones.get(regime.model.id, ()):
                self._regimes_by_zone.setdefault(zone_id, []).append(regime)
            for series in {regime.regime_id} | granted(regime.model) | excluded(regime.model):
                self._linked.setdefault(series, []).append(regime)
        self._outlines = [(zone_id, outline) for zone_id, zone in zones.items()
                          for outline in zone.outlines]
        self._tree = STRtree([outline.geometry for _, outline in self._outlines])

    def zones_by_ids(self, zone_ids: Iterable[str]) -> list[ZoneRecord]:
        return [self.zones[i].record for i in zone_ids if i in self.zones]

    def zones_at_point(self, lon: float, lat: float, moment: datetime) -> list[ZoneRecord]:
        """Zones valid at ``moment`` whose outline in force at ``moment`` covers the point (its
        boundary included)."""
        hits = self._tree.query(shapely.Point(lon, lat), predicate="covered_by")
        found: dict[str, ZoneRecord] = {}
        for index in sorted(hits.tolist()):
            zone_id, outline = self._outlines[int(index)]
            zone = self.zones[zone_id]
            if zone.valid_at(moment) and _within(outline.valid_from, outline.valid_to, moment):
                found.setdefault(zone_id, zone.record)
        return list(found.values())

    def regimes_in_force(self, zone_ids: Sequence[str], moment: datetime) -> list[Regime]:
        """Each version in force at ``moment`` listing any of the zones, once, by regime IRI."""
        seen: dict[str, CatalogueRegime] = {}
        for zone_id in zone_ids:
            for regime in self._regimes_by_zone.get(zone_id, ()):
                if regime.in_force(moment):
                    seen.setdefault(regime.model.id, regime)
        return [r.model for r in sorted(seen.values(), key=lambda r: (r.regime_id, r.model.id))]

    def linked_regimes(self, series: Iterable[str], moment: datetime) -> list[Regime]:
        """The versions in force at ``moment`` that are, grant or exclude one of ``series``."""
        seen: dict[str, Regime] = {}
        for name in series:
            for regime in self._linked.get(name, ()):
                if regime.in_force(moment):
                    seen.setdefault(regime.model.id, regime.model)
        return list(seen.values())

    def regime_history(self, zone_id: str) -> list[Regime]:
        return [regime.model for regime in self._regimes_by_zone.get(zone_id, ())]


_state = tables.catalogue_state.c
_READ_KEY = HotSelect(select(_state.epoch, _state.generation).where(_state.id == 1))
_z, _zv = tables.zones.c, tables.zone_versions.c
_ZONE_VERSIONS = select(_z.id, _z.version)
_rv, _rz = tables.regime_versions.c, tables.regime_zones.c
_REGIMES = select(_rv.id, _rv.regime_id, _rv.valid_from, _rv.valid_to, _rv.document)
_REGIME_ZONES = select(_rz.regime_version_id, _rz.zone_id).order_by(_rz.regime_version_id,
                                                                    _rz.zone_id)


@lru_cache(maxsize=4096)
def _parsed(_version_id: str, _valid_to: datetime | None, document_json: str) -> Regime:
    return as_regime(json.loads(document_json))


def regime_model(row: Any) -> Regime:
    """The stored regime version as the generated class, parsed once per version and end of
    validity (the only thing that changes in a stored version, when the next one closes it)."""
    return _parsed(row.id, row.valid_to, json.dumps(row.document, sort_keys=True))


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.catalogue: Catalogue | None = None


_HOLDERS: WeakKeyDictionary[Engine, _Holder] = WeakKeyDictionary()
_HOLDERS_LOCK = threading.Lock()


def _holder(engine: Engine) -> _Holder:
    holder = _HOLDERS.get(engine)
    if holder is None:
        with _HOLDERS_LOCK:
            holder = _HOLDERS.setdefault(engine, _Holder())
    return holder


def current(connection: Connection) -> Catalogue:
    """The catalogue as the store holds it now (one indexed read when nothing changed)."""
    rows = _READ_KEY.rows(connection)
    key = (rows[0][0], int(rows[0][1])) if rows else None
    holder = _holder(connection.engine)
    held = holder.catalogue
    if held is not None and key is not None and held.key == key:
        return held
    with holder.lock:  # one reload per instance; the others wait for it rather than repeat it
        held = holder.catalogue
        if held is not None and key is not None and held.key == key:
            return held
        fresh = _load(connection, key, held)
        holder.catalogue = fresh
        return fresh


def _load(connection: Connection, key: tuple[str, int] | None, previous: Catalogue | None
          ) -> Catalogue:
    # Outlines are reused by row version only within one database (epoch): a store rebuilt
    # under the same engine may number its rows' versions from 1 again.
    same_database = previous is not None and previous.key is not None and key is not None and (
        previous.key[0] == key[0])
    known = previous.zones if previous is not None and same_database else {}
    versions = {r.id: r.version for r in connection.execute(_ZONE_VERSIONS)}
    zones = {i: z for i, z in known.items() if versions.get(i) == z.version}
    changed = [i for i in versions if i not in zones]
    for start in range(0, len(changed), 500):
        batch = changed[start:start + 500]
        outlines: dict[str, list[CatalogueOutline]] = {}
        for v in connection.execute(
                select(_zv.zone_id, _zv.valid_from, _zv.valid_to, _zv.wkt)
                .where(_zv.zone_id.in_(batch)).order_by(_zv.zone_id, _zv.version_number)):
            outlines.setdefault(v.zone_id, []).append(
                CatalogueOutline(v.valid_from, v.valid_to, shapely.from_wkt(v.wkt)))
        rows = connection.execute(
            select(_z.id, _z.tenant_id, _z.version, _z.valid_from, _z.valid_to, _z.wkt,
                   _z.document).where(_z.id.in_(batch)))
        for r in rows:
            # A zone without a stored version (written around the repository) has its row's.
            kept = outlines.get(r.id) or [CatalogueOutline(None, None, shapely.from_wkt(r.wkt))]
            zones[r.id] = CatalogueZone(zone_record(r.id, r.tenant_id, r.document), r.version,
                                        r.valid_from, r.valid_to, tuple(kept))
    regimes = [CatalogueRegime(r.regime_id, r.valid_from, r.valid_to, regime_model(r))
               for r in connection.execute(_REGIMES)]
    regime_zones: dict[str, list[str]] = {}
    for version_id, zone_id in connection.execute(_REGIME_ZONES):
        regime_zones.setdefault(version_id, []).append(zone_id)
    return Catalogue(key, dict(sorted(zones.items())), regimes, regime_zones)
