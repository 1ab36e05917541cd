"""The store's answer to :class:`vptr.domain.sources.CheckSources`: every read a check or a trial
price makes, on the request's connection.

Zones and regime versions come from the in-process catalogue (``vptr.register.catalogue``), which
one read per request keeps exact; everything about a plate is an indexed query.

The statements are built once, with bound parameters (lists as expanding ``IN``): building a
SQLAlchemy expression anew costs more than SQLite takes to answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, or_, select
from vptr.standard.datamodel import Regime

from ..domain.sources import PermitRecord, RightRecord, WhitelistEntryRecord, ZoneRecord
from . import catalogue, tables
from .plates import hash_for


def _zones_in(name: str = "zone_ids"):
    return bindparam(name, expanding=True)


_r = tables.rights.c
_RIGHTS_FOR_PLATE = (
    select(_r.id, _r.zone_id, _r.start_time, _r.end_time, _r.status, _r.regime_id, _r.document)
    .where(_r.plate_hash == bindparam("plate_hash"), _r.zone_id.in_(_zones_in()),
           _r.start_time <= bindparam("until"),
           or_(_r.end_time.is_(None), _r.end_time > bindparam("since")))
)

_p, _pv, _pz = tables.permits.c, tables.permit_vehicles.c, tables.permit_zones.c
_PERMITS_FOR_PLATE = (
    select(_p.id, _p.permit_type, _p.valid_from, _p.valid_to, _p.status)
    .where(_p.id.in_(select(_pv.permit_id).where(_pv.plate_hash == bindparam("plate_hash"))),
           _p.id.in_(select(_pz.permit_id).where(_pz.zone_id.in_(_zones_in()))),
           _p.valid_from <= bindparam("moment"),
           or_(_p.valid_to.is_(None), _p.valid_to > bindparam("moment")))
)

_we, _w = tables.whitelist_entries.c, tables.whitelists.c
_WHITELIST_ENTRIES_FOR_PLATE = (
    select(_we.id, _we.whitelist_id, _we.valid_from, _we.valid_to, _w.valid_from.label("lf"),
           _w.valid_to.label("lt"), _w.reason, _we.document)
    .join(tables.whitelists, _w.id == _we.whitelist_id)
    .where(_we.plate_hash == bindparam("plate_hash"), _w.valid_from <= bindparam("moment"),
           or_(_w.valid_to.is_(None), _w.valid_to > bindparam("moment")))
)


def _zones_of_statement(table: tables.Table, key: str):
    return (select(table.c[key], table.c.zone_id)
            .where(table.c[key].in_(bindparam("owners", expanding=True)))
            .order_by(table.c[key], table.c.zone_id))


_ZONES_OF = {
    (table.name, key): _zones_of_statement(table, key)
    for table, key in ((tables.permit_zones, "permit_id"),
                       (tables.whitelist_zones, "whitelist_id"),
                       (tables.whitelist_entry_zones, "entry_id"))
}


class StoreCheckSources:
    """CheckSources over one connection (the caller opens and closes it)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._catalogue: catalogue.Catalogue | None = None

    @property
    def catalogue(self) -> catalogue.Catalogue:
        """Zones and regime versions, checked for changes once per connection (one request)."""
        if self._catalogue is None:
            self._catalogue = catalogue.current(self.connection)
        return self._catalogue

    def zones_by_ids(self, zone_ids: Sequence[str]) -> list[ZoneRecord]:
        return self.catalogue.zones_by_ids(zone_ids)

    def zones_at_point(self, lon: float, lat: float, moment: datetime) -> list[ZoneRecord]:
        return self.catalogue.zones_at_point(lon, lat, moment)

    def regimes_in_force(self, zone_ids: Sequence[str], moment: datetime) -> list[Regime]:
        return self.catalogue.regimes_in_force(zone_ids, moment)

    def regime_history(self, zone_id: str) -> list[Regime]:
        return self.catalogue.regime_history(zone_id)

    def plate_hash(self, area_manager: str, country: str, plate_number: str) -> str:
        return hash_for(self.connection, area_manager, country, plate_number)

    def rights_for_plate(self, plate_hash: str, zone_ids: Sequence[str], since: datetime,
                         until: datetime) -> list[RightRecord]:
        if not zone_ids:
            return []
        rows = self.connection.execute(_RIGHTS_FOR_PLATE, {
            "plate_hash": plate_hash, "zone_ids": list(zone_ids), "until": until, "since": since})
        return [RightRecord(id=row.id, zone=row.zone_id, start=row.start_time, end=row.end_time,
                            status=row.status,
                            right_kind=row.document.get("rightKind", "parking"),
                            regime=row.regime_id) for row in rows]

    def permits_for_plate(self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
                          ) -> list[PermitRecord]:
        if not zone_ids:
            return []
        rows = self.connection.execute(_PERMITS_FOR_PLATE, {
            "plate_hash": plate_hash, "zone_ids": list(zone_ids), "moment": moment}).all()
        permit_zones = self._zones_of(tables.permit_zones, "permit_id", [r.id for r in rows])
        return [PermitRecord(id=row.id, permit_type=row.permit_type,
                             zones=permit_zones.get(row.id, ()), start=row.valid_from,
                             end=row.valid_to, status=row.status) for row in rows]

    def whitelist_entries_for_plate(self, plate_hash: str, zone_ids: Sequence[str],
                                    moment: datetime) -> list[WhitelistEntryRecord]:
        if not zone_ids:
            return []
        rows = self.connection.execute(_WHITELIST_ENTRIES_FOR_PLATE, {
            "plate_hash": plate_hash, "moment": moment}).all()
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
        statement = _ZONES_OF.get((table.name, key))
        if statement is None:
            statement = _zones_of_statement(table, key)
        for owner, zone in self.connection.execute(statement, {"owners": list(owners)}):
            found.setdefault(owner, []).append(zone)
        return {k: tuple(v) for k, v in found.items()}
