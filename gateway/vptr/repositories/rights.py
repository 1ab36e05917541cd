"""Rights: registered by providers (or the area manager), ended early, revoked, adjusted, searched.

A right belongs to the tenant of its zone. Registering is idempotent: a right re-sent with the same
``clientReference`` (per provider) or ``Idempotency-Key`` (per caller) returns the first one and
stores nothing; the same reference with a different body is a conflict. The stored document holds no
plate: the plate sits in its own column beside its tenant-keyed hash.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, Select, and_, bindparam, or_, select
from sqlalchemy.exc import IntegrityError

from vptr.auth import access
from vptr.auth.principal import Principal
from vptr.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from vptr.iris import Iris
from vptr.repositories.documents import fingerprint, iri_value, normalise, validate
from vptr.repositories.references import exists_in_tenant, organisation_row, regime_document
from vptr.store import tables
from vptr.store.paging import Page, fetch_page
from vptr.store.plate_keys import plate_hash, pseudonym, tenant_key
from vptr.times import format_instant, now, parse_instant, period

if TYPE_CHECKING:
    from vptr.store.database import Store

r = tables.rights.c
ACTIVE, ENDED, REVOKED = "active", "ended", "revoked"
STATUSES = (ACTIVE, ENDED, REVOKED)
ADJUSTABLE = ("validityPeriod", "amountPaid")


@dataclass(frozen=True)
class Registered:
    document: dict[str, Any]
    created: bool  # False: a re-sent request answered with the first right
    #: The right's tenant and plate pseudonym: what its audit entry names, known without a read.
    tenant: str
    plate_hash: str


def _plate_of(document: dict[str, Any], field: str = "vehicle") -> tuple[dict[str, Any], str, str]:
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


def _amount(document: dict[str, Any]) -> tuple[int | None, str | None]:
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


def _existing(connection: Connection, iri: str) -> Row:
    row = connection.execute(select(tables.rights).where(r.id == iri)).first()
    assert row is not None
    return row


_ik = tables.idempotency_keys.c
_ZONE = select(tables.zones.c.id, tables.zones.c.tenant_id, tables.zones.c.document).where(
    tables.zones.c.id == bindparam("zone"))
_BY_KEY = select(_ik.request_hash, _ik.resource_id).where(
    _ik.organisation_id == bindparam("organisation"), _ik.key == bindparam("key"))
_BY_REFERENCE = select(tables.rights).where(
    r.provider_id == bindparam("provider"), r.client_reference == bindparam("reference"))
_BY_ID = select(tables.rights).where(r.id == bindparam("id"))
_INSERT = tables.rights.insert()
_INSERT_KEY = tables.idempotency_keys.insert()


def _replay(connection: Connection, principal: Principal, provider: str, request_hash: str,
            idempotency_key: str | None, client_reference: str | None) -> Registered | None:
    """The first right, if this request was sent before; a conflict if the key was used for
    another request."""
    if idempotency_key:
        row = connection.execute(_BY_KEY, {"organisation": principal.organisation,
                                           "key": idempotency_key}).first()
        if row is not None:
            if row.request_hash != request_hash:
                raise Conflict("the Idempotency-Key was used for a different request",
                               [FieldError("Idempotency-Key", "used before with another body")])
            first = connection.execute(_BY_ID, {"id": row.resource_id}).one()
            return Registered(render(first), False, first.tenant_id, first.plate_hash)
    if client_reference:
        row = connection.execute(_BY_REFERENCE, {"provider": provider,
                                                 "reference": client_reference}).first()
        if row is not None:
            if row.request_hash != request_hash:
                raise Conflict(
                    f"clientReference: {provider} already registered another right as "
                    f"{client_reference!r} ({row.id})",
                    [FieldError("clientReference", "used before for a different right")])
            return Registered(render(row), False, row.tenant_id, row.plate_hash)
    return None


def register_in(store: Store, principal: Principal, body: Any,
                idempotency_key: str | None = None,
                then: Callable[[Connection, Registered], None] | None = None) -> Registered:
    """Registers in a transaction of its own (``then`` runs in it, e.g. to write the audit log).
    When the same request is registered concurrently (a client retrying through another
    instance), the loser's insert breaks a unique constraint: its transaction is rolled back and
    the request answered again, now as a re-send."""
    for attempt in (1, 2):
        try:
            with store.transaction() as connection:
                result = register(connection, store.iris, principal, body, idempotency_key)
                if then is not None:
                    then(connection, result)
                return result
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def register(connection: Connection, iris: Iris, principal: Principal, body: Any,
             idempotency_key: str | None = None) -> Registered:
    """Validates and stores a right in the caller's transaction (which a duplicate registered
    at the same moment aborts with IntegrityError: see :func:`register_in`)."""
    document = normalise(body, "Right")
    moment = now()

    provider = iri_value(document, "provider")
    if principal.is_provider and not principal.is_area_manager:
        provider = provider or principal.organisation
        if provider != principal.organisation:
            raise Invalid.field("provider", f"must be {principal.organisation}, the "
                                            "authenticated provider")
    elif principal.is_area_manager:
        provider = provider or principal.organisation
    else:
        raise Forbidden("only providers and area managers register rights")
    document["provider"] = provider

    zone_iri = iri_value(document, "zone")
    if zone_iri is None:
        raise Invalid.field("zone", "is required")
    zone = connection.execute(_ZONE, {"zone": zone_iri}).first()
    if zone is None:
        raise Invalid.field("zone", f"no zone {zone_iri} in the register")
    tenant = zone.tenant_id
    given = iri_value(document, "authorisation")
    authorisation = None
    if principal.tenant == tenant:
        if provider != tenant:
            organisation_row(connection, provider, "provider", "provider")
        if given is not None:
            authorisation = access.write_authorisation(connection, provider, tenant, zone_iri,
                                                       moment, given)
    elif principal.is_provider and provider == principal.organisation:
        authorisation = access.write_authorisation(connection, provider, tenant, zone_iri, moment,
                                                   given)
        if authorisation is None and (given is None or access.write_authorisation(
                connection, provider, tenant, zone_iri, moment) is None):
            raise Forbidden(f"{provider} has no authorisation with writeRights for zone {zone_iri}")
    else:
        raise Invalid.field("zone", f"no zone {zone_iri} in the register of "
                                    f"{principal.tenant or principal.organisation}")
    if given is not None and authorisation is None:
        raise Invalid.field("authorisation", f"{given} does not let {provider} write rights in "
                                             f"{zone_iri} now")

    key = tenant_key(connection, tenant)
    request_hash = fingerprint(key, body)
    client_reference = document.get("clientReference")
    if not isinstance(client_reference, str):
        client_reference = None
    replay = _replay(connection, principal, provider, request_hash, idempotency_key,
                     client_reference)
    if replay is not None:
        return replay

    if "id" in document:
        iris.check_own("right", document["id"])
        if connection.execute(select(r.id).where(r.id == document["id"])).first():
            raise Conflict(f"right {document['id']} exists", [FieldError("id", "already in use")])
    else:
        document["id"] = iris.mint("right")
    if document.get("rightStatus", ACTIVE) != ACTIVE:
        raise Invalid.field("rightStatus", "a new right is active; end or revoke it afterwards")
    document["rightStatus"] = ACTIVE
    document["created"] = format_instant(moment)
    if authorisation is not None:
        document["authorisation"] = authorisation.id

    start, end = period(document, required=True)
    supporting = [zone.document, authorisation.document if authorisation is not None else None]
    regime = iri_value(document, "regime")
    if regime:
        supporting.append(regime_document(connection, tenant, regime, "regime", start))
    for field, table, what in (("sourcePermit", tables.permits, "permit"),
                               ("sourceWhitelistEntry", tables.whitelist_entries,
                                "whitelist entry"),
                               ("sourceRight", tables.rights, "right")):
        value = iri_value(document, field)
        if value:
            exists_in_tenant(connection, table, tenant, value, field, what)
    validate(document, [d for d in supporting if d is not None])

    _, plate, country = _plate_of(document)
    amount_minor, currency = _amount(document)
    hashed = plate_hash(key, country, plate)
    connection.execute(_INSERT, {
        "id": document["id"], "tenant_id": tenant, "zone_id": zone_iri, "provider_id": provider,
        "authorisation_id": iri_value(document, "authorisation"), "regime_id": regime,
        "plate_hash": hashed, "plate": plate, "country": country,
        "start_time": start, "end_time": end, "status": ACTIVE, "channel": document["channel"],
        "client_reference": client_reference, "request_hash": request_hash,
        "amount_minor": amount_minor, "currency": currency, "document": strip_plate(document),
        "created_at": moment, "updated_at": moment, "version": 1,
    })
    if idempotency_key:
        connection.execute(_INSERT_KEY, {
            "organisation_id": principal.organisation, "key": idempotency_key,
            "request_hash": request_hash, "resource_id": document["id"], "created_at": moment})
    return Registered(document, True, tenant, hashed)


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

def _for_change(connection: Connection, principal: Principal, iri: str) -> Row:
    """The right, locked, if the caller may change it: the tenant's area manager, or the provider
    that registered it while it is still authorised to write there."""
    row = connection.execute(_FOR_CHANGE, {"id": iri}).first()
    if row is None:
        raise NotFound(f"no right {iri}")
    if principal.tenant == row.tenant_id:
        return row
    if principal.is_provider and row.provider_id == principal.organisation:
        if access.write_grant(connection, principal.organisation, row.tenant_id, row.zone_id,
                              now()) is None:
            raise Forbidden(f"{principal.organisation} has no authorisation with writeRights for "
                            f"zone {row.zone_id}")
        return row
    visible = connection.execute(select(r.id).where(
        r.id == iri, access.rights_read_condition(connection, principal, now()))).first()
    if visible is None:
        raise NotFound(f"no right {iri}")
    raise Forbidden("only the provider that registered a right, or the area manager, changes it")


def _save(connection: Connection, row: Row, document: dict[str, Any], **values: Any) -> None:
    connection.execute(_UPDATE, {
        "right": row.id, **values, "updated_at": now(), "version": row.version + 1,
        "document": strip_plate(document) if "plateNumber" in document["vehicle"]["licencePlate"]
        else document})


# Built once: every end, revoke and adjust runs them, and building a statement costs more than
# SQLite takes to run it. The update sets the columns its parameters name.
_FOR_CHANGE = select(tables.rights).where(r.id == bindparam("id")).with_for_update()
_UPDATE = tables.rights.update().where(r.id == bindparam("right"))


def end(connection: Connection, principal: Principal, iri: str, end_time: datetime | None
        ) -> dict[str, Any]:
    """Ends an active right early: at ``end_time``, or now."""
    row = _for_change(connection, principal, iri)
    if row.status != ACTIVE:
        raise Conflict(f"the right is {row.status}; only an active right can be ended")
    explicit = end_time is not None
    end_time = end_time or now()
    if end_time <= row.start_time:
        raise Invalid.field("endTime", f"not after the right's start "
                                       f"({format_instant(row.start_time)}); revoke it instead")
    if row.end_time is not None and end_time > row.end_time:
        if explicit:
            raise Invalid.field("endTime", f"after the right's end ({format_instant(row.end_time)})"
                                           "; PATCH the right to extend it")
        raise Conflict(f"the right already ended at {format_instant(row.end_time)}")
    document = row.document
    document["validityPeriod"] = {**document["validityPeriod"],
                                  "endTime": format_instant(end_time)}
    document["rightStatus"] = ENDED
    _save(connection, row, document, end_time=end_time, status=ENDED)
    return with_plate(document, row.plate, row.plate_hash)


def revoke(connection: Connection, principal: Principal, iri: str) -> dict[str, Any]:
    """Withdraws a right: it grants nothing, not even for the time before."""
    row = _for_change(connection, principal, iri)
    if row.status == REVOKED:
        raise Conflict("the right is already revoked")
    document = row.document
    document["rightStatus"] = REVOKED
    _save(connection, row, document, status=REVOKED)
    return with_plate(document, row.plate, row.plate_hash)


def adjust(connection: Connection, principal: Principal, iri: str, patch: Any) -> dict[str, Any]:
    """Changes the end time (of an active right) and the amount paid; validated again."""
    if not isinstance(patch, dict) or not patch:
        raise Invalid.field(None, "send a JSON object with validityPeriod.endTime and/or "
                                  "amountPaid")
    for key in patch:
        if key not in ADJUSTABLE:
            raise Invalid.field(key, "cannot be adjusted; PATCH changes validityPeriod.endTime "
                                     "and amountPaid")
    row = _for_change(connection, principal, iri)
    if row.status == REVOKED:
        raise Conflict("a revoked right cannot be adjusted")
    document = with_plate(row.document, row.plate, row.plate_hash)
    values: dict[str, Any] = {}
    if "validityPeriod" in patch:
        change = patch["validityPeriod"]
        if not isinstance(change, dict) or set(change) != {"endTime"}:
            raise Invalid.field("validityPeriod", "only endTime can be adjusted")
        if row.status != ACTIVE:
            raise Conflict(f"the right is {row.status}; only an active right's end can move")
        new_end = parse_instant(change["endTime"], "validityPeriod.endTime")
        if new_end <= row.start_time:
            raise Invalid.field("validityPeriod.endTime", "must be after the right's start")
        document["validityPeriod"] = {**document["validityPeriod"], "endTime": change["endTime"]}
        values["end_time"] = new_end
    if "amountPaid" in patch:
        if patch["amountPaid"] is None:
            document.pop("amountPaid", None)
        else:
            document["amountPaid"] = patch["amountPaid"]
    document = normalise(document, "Right")
    zone = connection.execute(select(tables.zones.c.document).where(
        tables.zones.c.id == row.zone_id)).scalar_one()
    validate(document, [zone])
    if "amountPaid" in patch:
        values["amount_minor"], values["currency"] = _amount(document)
    _save(connection, row, document, **values)
    return document


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
