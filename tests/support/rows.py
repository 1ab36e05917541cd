"""Rows written straight into the store's tables, for specifications of code that works on rows
(retention, the audit log) without going through the API."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection

from vptr.store import tables
from vptr.store.plate_keys import create_tenant_key, hash_for
from vptr.times import now

BASE = "https://data.parkeerregister.vlaanderen.be/id/"


def organisation(connection: Connection, ref: str, *, area_manager: bool = False,
                 provider: bool = False, enforcement: bool = False, tenant: str | None = None
                 ) -> str:
    iri = f"{BASE}organisation/{ref}"
    moment = now()
    connection.execute(tables.organisations.insert().values(
        id=iri, tenant_id=tenant or iri, name=ref, is_area_manager=area_manager,
        is_provider=provider, is_enforcement=enforcement, document={"id": iri, "name": ref},
        created_at=moment, updated_at=moment, version=1,
    ))
    if area_manager:
        create_tenant_key(connection, iri)
    return iri


def zone(connection: Connection, tenant: str, ref: str) -> str:
    iri = f"{BASE}zone/{ref}"
    moment = now()
    connection.execute(tables.zones.insert().values(
        id=iri, tenant_id=tenant, name=ref, zone_kind="parkingZone",
        wkt="POLYGON((3.7 51.0,3.8 51.0,3.8 51.1,3.7 51.1,3.7 51.0))", geojson="{}",
        min_lon=3.7, min_lat=51.0, max_lon=3.8, max_lat=51.1, document={"id": iri},
        created_at=moment, updated_at=moment, version=1,
    ))
    return iri


def right(connection: Connection, *, tenant: str, zone_id: str, provider: str, plate: str,
          start: datetime, end: datetime | None, status: str = "active",
          amount_minor: int | None = None, updated: datetime | None = None) -> str:
    iri = f"{BASE}right/{uuid.uuid4()}"
    connection.execute(tables.rights.insert().values(
        id=iri, tenant_id=tenant, zone_id=zone_id, provider_id=provider,
        plate_hash=hash_for(connection, tenant, "BE", plate), plate=plate, country="BE",
        start_time=start, end_time=end, status=status, channel="app",
        request_hash=uuid.uuid4().hex, amount_minor=amount_minor,
        currency="EUR" if amount_minor is not None else None, document={"id": iri},
        created_at=start, updated_at=updated or start, version=1,
    ))
    return iri


def permit(connection: Connection, *, tenant: str, plates: list[str], start: datetime,
           end: datetime | None, status: str = "active") -> str:
    iri = f"{BASE}permit/{uuid.uuid4()}"
    connection.execute(tables.permits.insert().values(
        id=iri, tenant_id=tenant, permit_type="resident", status=status,
        holder_reference="holder-0001", valid_from=start, valid_to=end, document={"id": iri},
        created_at=start, updated_at=start, version=1,
    ))
    for position, plate in enumerate(plates):
        connection.execute(tables.permit_vehicles.insert().values(
            permit_id=iri, position=position, plate=plate, country="BE",
            plate_hash=hash_for(connection, tenant, "BE", plate),
        ))
    return iri


def whitelist(connection: Connection, *, tenant: str, start: datetime, end: datetime | None,
              entries: list[tuple[str, datetime | None]]) -> list[str]:
    """A whitelist with one entry per (plate, entry end or None for the list's end)."""
    list_iri = f"{BASE}whitelist/{uuid.uuid4()}"
    connection.execute(tables.whitelists.insert().values(
        id=list_iri, tenant_id=tenant, name="fleet", reason="municipalFleet", valid_from=start,
        valid_to=end, document={"id": list_iri}, created_at=start, updated_at=start, version=1,
    ))
    made = []
    for plate, entry_end in entries:
        iri = f"{BASE}whitelist-entry/{uuid.uuid4()}"
        connection.execute(tables.whitelist_entries.insert().values(
            id=iri, whitelist_id=list_iri, tenant_id=tenant, plate=plate, country="BE",
            plate_hash=hash_for(connection, tenant, "BE", plate), valid_from=None,
            valid_to=entry_end, document={"id": iri}, created_at=start, updated_at=start,
            version=1,
        ))
        made.append(iri)
    return made


def days_ago(days: float, moment: datetime | None = None) -> datetime:
    return (moment or now()) - timedelta(days=days)
