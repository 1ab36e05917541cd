"""Permits: long-running rights of a holder for zones and (unless bound to the person) vehicles.

Like rights, a stored permit document holds no plates: each vehicle's plate is a row of
``permit_vehicles`` (clear plate and tenant-keyed hash), in the order the permit lists them.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, or_, select

from vptr.domain import status_history
from vptr.domain.plates import plate_hash, pseudonym
from vptr.errors import Conflict, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import iri_list, normalise, validate
from vptr.repositories.references import zone_rows
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.store.plate_keys import tenant_key
from vptr.times import now, parse_instant, period

p = tables.permits.c
pv = tables.permit_vehicles.c


def _prepared(iris: Iris, tenant: str, body: Any, iri: str | None = None,
              stored: dict[str, Any] | None = None) -> dict[str, Any]:
    """A permit document ready to store; its status history is the register's: begun at
    ``statusSince`` (now if absent) for a new permit, carried on from ``stored`` for a change."""
    document = normalise(body, "Permit")
    document.setdefault("areaManager", tenant)
    if document["areaManager"] != tenant:
        raise Invalid.field("areaManager", f"must be {tenant}, the authenticated area manager")
    iris.assign("permit", document, iri)
    validate(document)
    if stored is None:
        given = document.get("statusSince")
        status_history.begin(document, status_history.PERMIT,
                             parse_instant(given, "statusSince") if given else now())
    else:
        status_history.follow(document, stored, status_history.PERMIT, now())
        _keep_credit_used(document, stored)
    return document


def _keep_credit_used(document: dict[str, Any], stored: dict[str, Any]) -> None:
    """The register counts a credit's use (vptr.services.credits): a change keeps the count of
    the same credit period, whatever ``minutesUsed`` it sends; a new period starts from what it
    sends (0 if nothing)."""
    new, old = document.get("credit"), stored.get("credit")
    if isinstance(new, dict) and isinstance(old, dict) and \
            new.get("validityPeriod") == old.get("validityPeriod"):
        new["minutesUsed"] = old.get("minutesUsed", 0)


def _plates(document: dict[str, Any]) -> list[tuple[str, str]]:
    plates = []
    for i, vehicle in enumerate(document.get("vehicles") or []):
        licence = vehicle.get("licencePlate") if isinstance(vehicle, dict) else None
        if not isinstance(licence, dict) or "plateNumber" not in licence:
            raise Invalid.field(f"vehicles[{i}].licencePlate", "needs plateNumber and country")
        plates.append((licence["plateNumber"], licence["country"]))
    return plates


def _store(connection: Connection, tenant: str, document: dict[str, Any], row: Row | None
           ) -> dict[str, Any]:
    start, end = period(document, required=True)
    zone_iris = iri_list(document, "zones")
    zone_rows(connection, tenant, zone_iris, "zones")
    plates = _plates(document)
    stored = copy.deepcopy(document)
    for vehicle in stored.get("vehicles") or []:
        vehicle["licencePlate"].pop("plateNumber", None)
    moment = now()
    values = {
        "tenant_id": tenant, "permit_type": document["permitType"],
        "status": document["permitStatus"], "holder_reference": document["holderReference"],
        "valid_from": start, "valid_to": end, "document": stored, "updated_at": moment,
        "status_since": parse_instant(document["statusSince"], "statusSince"),
    }
    if row is None:
        connection.execute(tables.permits.insert().values(
            id=document["id"], created_at=moment, version=1, **values))
    else:
        connection.execute(tables.permits.update().where(p.id == row.id).values(
            version=row.version + 1, **values))
        connection.execute(tables.permit_vehicles.delete().where(pv.permit_id == row.id))
        connection.execute(tables.permit_zones.delete().where(
            tables.permit_zones.c.permit_id == row.id))
    key = tenant_key(connection, tenant)
    if plates:
        connection.execute(tables.permit_vehicles.insert(), [
            {"permit_id": document["id"], "position": i, "plate": plate, "country": country,
             "plate_hash": plate_hash(key, country, plate)}
            for i, (plate, country) in enumerate(plates)])
    if zone_iris:
        connection.execute(tables.permit_zones.insert(), [
            {"permit_id": document["id"], "zone_id": z} for z in zone_iris])
    return document


def create(connection: Connection, iris: Iris, tenant: str, body: Any) -> dict[str, Any]:
    document = _prepared(iris, tenant, body)
    if connection.execute(select(p.id).where(p.id == document["id"])).first():
        raise Conflict.taken(document["id"])
    return _store(connection, tenant, document, None)


def get(connection: Connection, tenant: str, iri: str) -> Row:
    row = connection.execute(select(tables.permits).where(p.id == iri, p.tenant_id == tenant)
                             ).first()
    if row is None:
        raise NotFound(f"no permit {iri}")
    return row


def replace(connection: Connection, iris: Iris, tenant: str, iri: str, body: Any
            ) -> dict[str, Any]:
    row = get(connection, tenant, iri)
    return _store(connection, tenant, _prepared(iris, tenant, body, iri, row.document), row)


def delete(connection: Connection, tenant: str, iri: str) -> None:
    get(connection, tenant, iri)
    connection.execute(tables.permits.delete().where(p.id == iri))


def listing(connection: Connection, tenant: str | ColumnElement[bool], page: Page,
            plate_hash_value: str | list[str] | None = None, zone: str | None = None,
            status: str | None = None, permit_type: str | None = None,
            at: datetime | None = None) -> tuple[list[Row], int]:
    """A tenant's permits (or those a condition on ``permits`` selects: a delegate's); the plate
    by its hash (one per tenant searched)."""
    query: Select = select(tables.permits).where(
        p.tenant_id == tenant if isinstance(tenant, str) else tenant)
    if plate_hash_value is not None:
        hashes = [plate_hash_value] if isinstance(plate_hash_value, str) else plate_hash_value
        query = query.where(p.id.in_(select(pv.permit_id).where(pv.plate_hash.in_(hashes))))
    if zone:
        pz = tables.permit_zones.c
        query = query.where(p.id.in_(select(pz.permit_id).where(pz.zone_id == zone)))
    if status:
        query = query.where(p.status == status)
    if permit_type:
        query = query.where(p.permit_type == permit_type)
    if at is not None:
        query = query.where(p.valid_from <= at, or_(p.valid_to.is_(None), p.valid_to > at))
    return fetch_page(connection, query.order_by(p.valid_from.desc(), p.id), page)


def render_all(connection: Connection, rows: list[Row]) -> list[dict[str, Any]]:
    """Permit documents with their plates back (one query for all their vehicles)."""
    ids = [row.id for row in rows]
    vehicles: dict[str, dict[int, Row]] = {i: {} for i in ids}
    if ids:
        for v in connection.execute(select(tables.permit_vehicles).where(pv.permit_id.in_(ids))):
            vehicles[v.permit_id][v.position] = v
    documents = []
    for row in rows:
        document = row.document
        for i, vehicle in enumerate(document.get("vehicles") or []):
            v = vehicles[row.id].get(i)
            if v is not None:
                vehicle["licencePlate"] = {"plateNumber": v.plate or pseudonym(v.plate_hash),
                                           **vehicle["licencePlate"]}
        documents.append(document)
    return documents


def render(connection: Connection, row: Row) -> dict[str, Any]:
    return render_all(connection, [row])[0]
