"""Rights in the store: the rows behind registering, ending, revoking, adjusting and searching
(the rules are vptr.services.rights).

The stored document holds no plate: the plate sits in its own column beside its tenant-keyed hash,
and reads put it back (or its pseudonym, once retention blanked it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, bindparam, or_, select, text

from vptr.auth import access
from vptr.auth.principal import Principal
from vptr.domain.plates import plate_hash, pseudonym
from vptr.errors import Invalid, NotFound
from vptr.paging import Page
from vptr.repositories.documents import iri_value
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.store.plate_keys import tenant_key
from vptr.times import now

r = tables.rights.c
ACTIVE, ENDED, REVOKED = "active", "ended", "revoked"
STATUSES = (ACTIVE, ENDED, REVOKED)
ADJUSTABLE = ("validityPeriod", "amountPaid")


def plate_of(document: dict[str, Any], field: str = "vehicle") -> tuple[dict[str, Any], str, str]:
    vehicle = document.get(field)
    plate = vehicle.get("licencePlate") if isinstance(vehicle, dict) else None
    if not isinstance(plate, dict) or not isinstance(plate.get("plateNumber"), str) \
            or not isinstance(plate.get("country"), str):
        raise Invalid.field(f"{field}.licencePlate", "needs plateNumber and country")
    return plate, plate["plateNumber"], plate["country"]


def strip_plate(document: dict[str, Any], field: str = "vehicle") -> dict[str, Any]:
    """A copy of the document without the clear plate (what the store keeps)."""
    stored = copy.deepcopy(document)
    stored[field]["licencePlate"].pop("plateNumber", None)
    return stored


def with_plate(document: dict[str, Any], plate: str | None, hashed: str,
               field: str = "vehicle") -> dict[str, Any]:
    """The stored document with its plate back, or the pseudonym once retention blanked it."""
    licence = document[field]["licencePlate"]
    document[field]["licencePlate"] = {"plateNumber": plate or pseudonym(hashed), **licence}
    return document


def amount_columns(document: dict[str, Any]) -> tuple[int | None, str | None]:
    amount = document.get("amountPaid")
    if not isinstance(amount, dict):
        return None, None
    try:
        value = Decimal(str(amount.get("value")))
    except InvalidOperation as exc:
        raise Invalid.field("amountPaid.value", "must be a decimal number") from exc
    return int((value * tables.AMOUNT_SCALE).to_integral_value()), amount.get("currency")


def render(row: Row) -> dict[str, Any]:
    return with_plate(row.document, row.plate, row.plate_hash)


_ik = tables.idempotency_keys.c
_ZONE = select(tables.zones.c.id, tables.zones.c.tenant_id, tables.zones.c.document).where(
    tables.zones.c.id == bindparam("zone"))
_BY_KEY = select(_ik.request_hash, _ik.resource_id).where(
    _ik.organisation_id == bindparam("organisation"), _ik.key == bindparam("key"))
_BY_REFERENCE = select(tables.rights).where(
    r.provider_id == bindparam("provider"), r.client_reference == bindparam("reference"))
_BY_ID = select(tables.rights).where(r.id == bindparam("id"))
_INSERT = tables.rights.insert()
_INSERT_NPR_ID = tables.npr_rights.insert()
_INSERT_KEY = tables.idempotency_keys.insert()


def by_idempotency_key(connection: Connection, organisation: str, key: str) -> Row | None:
    """The request hash and right an organisation's Idempotency-Key was first used for."""
    return connection.execute(_BY_KEY, {"organisation": organisation, "key": key}).first()


def by_client_reference(connection: Connection, provider: str, reference: str) -> Row | None:
    return connection.execute(_BY_REFERENCE, {"provider": provider,
                                              "reference": reference}).first()


def by_id(connection: Connection, iri: str) -> Row | None:
    return connection.execute(_BY_ID, {"id": iri}).first()


def zone_of(connection: Connection, iri: str) -> Row | None:
    """The zone a right names (id, tenant, document), or None."""
    return connection.execute(_ZONE, {"zone": iri}).first()


def exists(connection: Connection, iri: str) -> bool:
    return connection.execute(select(r.id).where(r.id == iri)).first() is not None


def insert(connection: Connection, document: dict[str, Any], *, tenant: str, provider: str,
           plate_hash: str, request_hash: str, client_reference: str | None, moment: datetime,
           start: datetime, end: datetime | None) -> None:
    """Stores a new, validated right; the stored document holds no clear plate."""
    _, plate, country = plate_of(document)
    amount_minor, currency = amount_columns(document)
    connection.execute(_INSERT, {
        "id": document["id"], "tenant_id": tenant, "zone_id": iri_value(document, "zone"),
        "provider_id": provider, "authorisation_id": iri_value(document, "authorisation"),
        "regime_id": iri_value(document, "regime"),
        "plate_hash": plate_hash, "plate": plate, "country": country,
        "start_time": start, "end_time": end, "status": ACTIVE, "channel": document["channel"],
        "client_reference": client_reference, "request_hash": request_hash,
        "amount_minor": amount_minor, "currency": currency, "document": strip_plate(document),
        "created_at": moment, "updated_at": moment, "version": 1,
    })
    # Every right gets the numeric id the NPR-style gateway names it by (PSRightId), whichever
    # channel registered it, so an NPR CheckPSRight can list it (vptr.repositories.npr).
    connection.execute(_INSERT_NPR_ID, {"right_id": document["id"], "tenant_id": tenant})


def insert_idempotency_key(connection: Connection, organisation: str, key: str,
                           request_hash: str, right: str, moment: datetime) -> None:
    connection.execute(_INSERT_KEY, {
        "organisation_id": organisation, "key": key, "request_hash": request_hash,
        "resource_id": right, "created_at": moment})


# --- reading ----------------------------------------------------------------------------------

def get(connection: Connection, principal: Principal, iri: str) -> Row:
    row = connection.execute(select(tables.rights).where(
        r.id == iri, access.rights_read_condition(connection, principal, now()))).first()
    if row is None:
        raise NotFound(f"no right {iri}")
    return row


@dataclass(frozen=True)
class Search:
    plate: str | None = None
    country: str | None = None
    zone: str | None = None
    start: datetime | None = None  # rights that overlap [start, end)
    end: datetime | None = None
    status: str | None = None
    provider: str | None = None
    client_reference: str | None = None


def search(connection: Connection, principal: Principal, criteria: Search, page: Page
           ) -> tuple[list[Row], int]:
    moment = now()
    query: Select = select(tables.rights).where(
        access.rights_read_condition(connection, principal, moment))
    if criteria.plate is not None:
        assert criteria.country is not None
        tenants = {principal.tenant} if principal.tenant else set()
        tenants.update(g.tenant for g in access.grants(connection, principal.organisation, None,
                                                       moment))
        by_tenant = [and_(r.tenant_id == t, r.plate_hash == plate_hash(
            tenant_key(connection, t), criteria.country, criteria.plate)) for t in sorted(tenants)]
        query = query.where(or_(*by_tenant) if by_tenant else r.id.is_(None))
    if criteria.zone:
        query = query.where(r.zone_id == criteria.zone)
    if criteria.end is not None:
        query = query.where(r.start_time < criteria.end)
    if criteria.start is not None:
        query = query.where(or_(r.end_time.is_(None), r.end_time > criteria.start))
    if criteria.status:
        query = query.where(r.status == criteria.status)
    if criteria.provider:
        query = query.where(r.provider_id == criteria.provider)
    if criteria.client_reference:
        query = query.where(r.client_reference == criteria.client_reference)
    return fetch_page(connection, query.order_by(r.start_time.desc(), r.id), page)


# --- changing ---------------------------------------------------------------------------------

def locked(connection: Connection, iri: str) -> Row | None:
    """The right, locked for a change (SQLite's writers take turns anyway)."""
    return connection.execute(_FOR_CHANGE, {"id": iri}).first()


def visible(connection: Connection, principal: Principal, iri: str) -> bool:
    """Whether the principal may read the right (vptr.auth.access)."""
    return connection.execute(select(r.id).where(
        r.id == iri, access.rights_read_condition(connection, principal, now()))).first() \
        is not None


def save(connection: Connection, row: Row, document: dict[str, Any], **values: Any) -> None:
    """Writes a changed right (its document and the columns ``values`` name), one version on."""
    connection.execute(_UPDATE, {
        "right": row.id, **values, "updated_at": now(), "version": row.version + 1,
        "document": strip_plate(document) if "plateNumber" in document["vehicle"]["licencePlate"]
        else document})


# Built once: every end, revoke and adjust runs them, and building a statement costs more than
# SQLite takes to run it. The update sets the columns its parameters name.
def lock_plate(connection: Connection, tenant: str, hashed: str) -> None:
    """Hold the plate's rights in this tenant against other registrations until the transaction
    ends, so a rule over the plate's other rights (linked regimes that exclude each other) cannot
    be passed by two registrations at once, each not seeing the other's uncommitted right.

    PostgreSQL: a transaction-scoped advisory lock on the tenant and pseudonym (no row to lock
    exists yet; a read after taking it sees what the holder committed). SQLite: nothing to do,
    as a write transaction there already holds the database's one write lock from its start."""
    if connection.dialect.name == "postgresql":
        connection.execute(_PLATE_LOCK, {"key": f"vptr:right-plate:{tenant}:{hashed}"})


_PLATE_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_FOR_CHANGE = select(tables.rights).where(r.id == bindparam("id")).with_for_update()
_UPDATE = tables.rights.update().where(r.id == bindparam("right"))


# --- reporting --------------------------------------------------------------------------------

def provider_report(connection: Connection, tenant: str, start: datetime, end: datetime
                    ) -> list[dict[str, Any]]:
    """Per provider, the rights that started in [start, end): how many were registered, how many
    were revoked, and the amounts collected (revoked rights collect nothing), per currency."""
    from sqlalchemy import case, func

    o = tables.organisations.c
    revoked = r.status == REVOKED
    rows = connection.execute(
        select(r.provider_id, o.name, r.currency, func.count().label("registered"),
               func.sum(case((revoked, 1), else_=0)).label("revoked"),
               func.sum(case((revoked, 0), else_=r.amount_minor)).label("amount"))
        .join(tables.organisations, o.id == r.provider_id)
        .where(r.tenant_id == tenant, r.start_time >= start, r.start_time < end)
        .group_by(r.provider_id, o.name, r.currency)
        .order_by(o.name, r.provider_id, r.currency)
    ).all()
    report: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = report.setdefault(row.provider_id, {
            "provider": row.provider_id, "name": row.name, "rightsRegistered": 0,
            "rightsRevoked": 0, "amountCollected": []})
        entry["rightsRegistered"] += row.registered
        entry["rightsRevoked"] += int(row.revoked or 0)
        if row.currency is not None:
            value = Decimal(int(row.amount or 0)) / tables.AMOUNT_SCALE
            cents = value.quantize(Decimal("0.01"))
            entry["amountCollected"].append({"currency": row.currency,
                                             "value": str(cents if cents == value else value)})
    return list(report.values())
