"""The store's answer to :class:`vptr.domain.sources.CheckSources`: every read a check or a trial
price makes, on the request's connection.

Zones and regime versions come from the in-process catalogue (``vptr.store.catalogue``), which
one read per request keeps exact; everything about a plate is an indexed query, run on the driver's
cursor (``vptr.store.hot_reads``).

The statements are built once, with bound parameters (lists as expanding ``IN``): building a
SQLAlchemy expression anew costs more than SQLite takes to answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, or_, select

from vptr.domain import status_history
from vptr.domain.sources import PermitRecord, RightRecord, WhitelistEntryRecord, ZoneRecord
from vptr.standard.datamodel import Regime
from vptr.store import catalogue, tables
from vptr.store.hot_reads import HotSelect
from vptr.store.plate_keys import hash_for


def _zones_in(name: str = "zone_ids"):
    return bindparam(name, expanding=True)


_r = tables.rights.c
_RIGHTS_FOR_PLATE = HotSelect(
    select(_r.id, _r.zone_id, _r.start_time, _r.end_time, _r.status, _r.regime_id, _r.document)
    .where(_r.plate_hash == bindparam("plate_hash"), _r.zone_id.in_(_zones_in()),
           _r.start_time <= bindparam("until"),
           or_(_r.end_time.is_(None), _r.end_time > bindparam("since"))),
    expanding="zone_ids")

_p, _pv, _pz = tables.permits.c, tables.permit_vehicles.c, tables.permit_zones.c
_PERMITS_FOR_PLATE = HotSelect(
    select(_p.id, _p.permit_type, _p.valid_from, _p.valid_to, _p.status, _p.status_since,
           _p.document)
    .where(_p.id.in_(select(_pv.permit_id).where(_pv.plate_hash == bindparam("plate_hash"))),
           _p.id.in_(select(_pz.permit_id).where(_pz.zone_id.in_(_zones_in()))),
           _p.valid_from <= bindparam("moment"),
           or_(_p.valid_to.is_(None), _p.valid_to > bindparam("moment"))),
    expanding="zone_ids")

_we, _w = tables.whitelist_entries.c, tables.whitelists.c
_WHITELIST_ENTRIES_FOR_PLATE = HotSelect(
    select(_we.id, _we.whitelist_id, _we.valid_from, _we.valid_to, _w.valid_from.label("lf"),
           _w.valid_to.label("lt"), _w.reason, _we.document)
    .join(tables.whitelists, _w.id == _we.whitelist_id)
    .where(_we.plate_hash == bindparam("plate_hash"), _w.valid_from <= bindparam("moment"),
           or_(_w.valid_to.is_(None), _w.valid_to > bindparam("moment"))))


def _zones_of_statement(table: tables.Table, key: str) -> HotSelect:
    return HotSelect(select(table.c[key], table.c.zone_id)
                     .where(table.c[key].in_(bindparam("owners", expanding=True)))
                     .order_by(table.c[key], table.c.zone_id), expanding="owners")


_PERMIT_ZONES = _zones_of_statement(tables.permit_zones, "permit_id")
_WHITELIST_ZONES = _zones_of_statement(tables.whitelist_zones, "whitelist_id")
_ENTRY_ZONES = _zones_of_statement(tables.whitelist_entry_zones, "entry_id")


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

    def linked_regimes(self, series: Sequence[str], moment: datetime) -> list[Regime]:
        return self.catalogue.linked_regimes(series, moment)

    def plate_hash(self, area_manager: str, country: str, plate_number: str) -> str:
        return hash_for(self.connection, area_manager, country, plate_number)

    def rights_for_plate(self, plate_hash: str, zone_ids: Sequence[str], since: datetime,
                         until: datetime) -> list[RightRecord]:
        if not zone_ids:
            return []
        rows = _RIGHTS_FOR_PLATE.rows(self.connection, plate_hash=plate_hash,
                                      zone_ids=list(zone_ids), until=until, since=since)
        return [RightRecord(id=id_, zone=zone, start=start, end=end, status=status,
                            right_kind=document.get("rightKind", "parking"), regime=regime,
                            credit_minutes=document.get("creditMinutesUsed") or 0)
                for id_, zone, start, end, status, regime, document in rows]

    def permits_for_plate(self, plate_hash: str, zone_ids: Sequence[str], moment: datetime
                          ) -> list[PermitRecord]:
        if not zone_ids:
            return []
        rows = _PERMITS_FOR_PLATE.rows(self.connection, plate_hash=plate_hash,
                                       zone_ids=list(zone_ids), moment=moment)
        permit_zones = self._zones_of(_PERMIT_ZONES, [row[0] for row in rows])
        return [PermitRecord(id=id_, permit_type=permit_type, zones=permit_zones.get(id_, ()),
                             start=start, end=end, status=status, status_since=since,
                             history=status_history.parsed(document, status_history.PERMIT))
                for id_, permit_type, start, end, status, since, document in rows]

    def whitelist_entries_for_plate(self, plate_hash: str, zone_ids: Sequence[str],
                                    moment: datetime) -> list[WhitelistEntryRecord]:
        if not zone_ids:
            return []
        rows = _WHITELIST_ENTRIES_FOR_PLATE.rows(self.connection, plate_hash=plate_hash,
                                                 moment=moment)
        if not rows:
            return []
        list_zones = self._zones_of(_WHITELIST_ZONES, list({row[1] for row in rows}))
        entry_zones = self._zones_of(_ENTRY_ZONES, [row[0] for row in rows])
        wanted = set(zone_ids)
        found = []
        for id_, whitelist, start, end, list_start, list_end, reason, document in rows:
            effective = entry_zones.get(id_) or list_zones.get(whitelist, ())
            if not wanted.intersection(effective):
                continue
            found.append(WhitelistEntryRecord(
                id=id_, whitelist=whitelist, list_zones=list_zones.get(whitelist, ()),
                list_start=list_start, list_end=list_end, entry_zones=entry_zones.get(id_, ()),
                entry_start=start, entry_end=end,
                reason=document.get("whitelistReason") or reason))
        return found

    def _zones_of(self, statement: HotSelect, owners: list[str]) -> dict[str, tuple[str, ...]]:
        if not owners:
            return {}
        found: dict[str, list[str]] = {}
        for owner, zone in statement.rows(self.connection, owners=list(dict.fromkeys(owners))):
            found.setdefault(owner, []).append(zone)
        return {k: tuple(v) for k, v in found.items()}
