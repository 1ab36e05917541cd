"""The store's answer to :class:`vptr.domain.sources.CheckSources`: every read a check or a trial
price makes, each one indexed query on the request's connection.

Regime documents are parsed into the generated Pydantic ``Regime`` once per version and cached in
the process, keyed by the version's IRI and its end of validity, the only thing that changes in a
stored version (when the next version closes it). Another instance's change is a new key, so the
cache can never answer with a stale version.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, or_, select
from vptr.standard.datamodel import Regime

from ..domain.regime_time import as_regime
from ..domain.sources import PermitRecord, RightRecord, WhitelistEntryRecord, ZoneRecord
from . import regimes, tables, zones
from .plates import hash_for

DEFAULT_TIME_ZONE = "Europe/Brussels"


def zone_record(zone_id: str, tenant: str, document: dict[str, Any]) -> ZoneRecord:
    return ZoneRecord(id=zone_id, area_manager=tenant,
                      time_zone=document.get("timeZone") or DEFAULT_TIME_ZONE,
                      zone_kind=document.get("zoneKind"), name=document.get("name"))


@lru_cache(maxsize=4096)
def _parsed(_version_id: str, _valid_to: datetime | None, document_json: str) -> Regime:
    import json

    return as_regime(json.loads(document_json))


def regime_model(row: Any) -> Regime:
    import json

    return _parsed(row.id, row.valid_to, json.dumps(row.document, sort_keys=True))


class StoreCheckSources:
    """CheckSources over one connection (the caller opens and closes it)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def zones_by_ids(self, zone_ids: Sequence[str]) -> list[ZoneRecord]:
        if not zone_ids:
            return []
        z = tables.zones.c
        rows = self.connection.execute(
            select(z.id, z.tenant_id, z.document).where(z.id.in_(list(zone_ids))))
        return [zone_record(r.id, r.tenant_id, r.document) for r in rows]

    def zones_at_point(self, lon: float, lat: float, moment: datetime) -> list[ZoneRecord]:
        return [zone_record(r.id, r.tenant_id, r.document)
                for r in zones.at_point(self.connection, None, lon, lat, moment)]

    def regimes_in_force(self, zone_ids: Sequence[str], moment: datetime) -> list[Regime]:
        return [regime_model(r) for r in regimes.in_force(self.connection, list(zone_ids), moment)]

    def regime_history(self, zone_id: str) -> list[Regime]:
        rv, rz = tables.regime_versions.c, tables.regime_zones.c
        rows = self.connection.execute(select(tables.regime_versions).where(
            rv.id.in_(select(rz.regime_version_id).where(rz.zone_id == zone_id))))
        return [regime_model(r) for r in rows]

    def plate_hash(self, area_manager: str, country: str, plate_number: str) -> str:
        return hash_for(self.connection, area_manager, country, plate_number)

    def rights_for_plate(self, plate_hash: str, zone_ids: Sequence[str], since: datetime,
                         until: datetime) -> list[RightRecord]:
        if not zone_ids:
            return []
        r = tables.rights.c
        rows = self.connection.execute(
            select(r.id, r.zone_id, r.start_time, r.end_time, r.status, r.regime_id, r.document)
            .where(r.plate_hash == plate_hash, r.zone_id.in_(list(zone_ids)),
                   r.start_time <= until, or_(r.end_time.is_(None), r.end_time > since)))
        return [RightRecord(id=row.id, zone=row.zone_id, start=row.start_time, end=row.end_time,
                            status=row.status,
                            right_kind=row.document.get("rightKind", "parking"),
                            regime=row.regime_id) for row in rows]

    def permits_for_plate(self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
                          ) -> list[PermitRecord]:
        if not zone_ids:
            return []
        p, pv, pz = tables.permits.c, tables.permit_vehicles.c, tables.permit_zones.c
        rows = self.connection.execute(
            select(p.id, p.permit_type, p.valid_from, p.valid_to, p.status).where(
                p.id.in_(select(pv.permit_id).where(pv.plate_hash == plate_hash)),
                p.id.in_(select(pz.permit_id).where(pz.zone_id.in_(list(zone_ids)))),
                p.valid_from <= moment, or_(p.valid_to.is_(None), p.valid_to > moment))).all()
        permit_zones = self._zones_of(tables.permit_zones, "permit_id", [r.id for r in rows])
        return [PermitRecord(id=row.id, permit_type=row.permit_type,
                             zones=permit_zones.get(row.id, ()), start=row.valid_from,
                             end=row.valid_to, status=row.status) for row in rows]

    def whitelist_entries_for_plate(self, plate_hash: str, zone_ids: Sequence[str],
                                    moment: datetime) -> list[WhitelistEntryRecord]:
        if not zone_ids:
            return []
        we, w = tables.whitelist_entries.c, tables.whitelists.c
        rows = self.connection.execute(
            select(we.id, we.whitelist_id, we.valid_from, we.valid_to, w.valid_from.label("lf"),
                   w.valid_to.label("lt"), w.reason, we.document)
            .join(tables.whitelists, w.id == we.whitelist_id)
            .where(we.plate_hash == plate_hash, w.valid_from <= moment,
                   or_(w.valid_to.is_(None), w.valid_to > moment))).all()
        if not rows:
            return []
        list_zones = self._zones_of(tables.whitelist_zones, "whitelist_id",
                                    list({r.whitelist_id for r in rows}))
        entry_zones = self._zones_of(tables.whitelist_entry_zones, "entry_id", [r.id for r in rows])
        wanted = set(zone_ids)
        found = []
        for row in rows:
            effective = entry_zones.get(row.id) or list_zones.get(row.whitelist_id, ())
            if not wanted.intersection(effective):
                continue
            found.append(WhitelistEntryRecord(
                id=row.id, whitelist=row.whitelist_id,
                list_zones=list_zones.get(row.whitelist_id, ()), list_start=row.lf,
                list_end=row.lt, entry_zones=entry_zones.get(row.id, ()),
                entry_start=row.valid_from, entry_end=row.valid_to,
                reason=row.document.get("whitelistReason") or row.reason))
        return found

    def _zones_of(self, table: tables.Table, key: str, owners: list[str]
                  ) -> dict[str, tuple[str, ...]]:
        if not owners:
            return {}
        found: dict[str, list[str]] = {}
        for owner, zone in self.connection.execute(
                select(table.c[key], table.c.zone_id).where(table.c[key].in_(owners))
                .order_by(table.c[key], table.c.zone_id)):
            found.setdefault(owner, []).append(zone)
        return {k: tuple(v) for k, v in found.items()}
