"""Whitelists and their entries: plates exempt from paying or allowed to enter, per zone and period.

A whitelist's entries are stored one per row (so a check finds a plate by its hash at once, and a
list of thousands of plates is edited entry by entry); the whitelist's own document holds no
entries. An entry holds for the list's zones and period unless it names fewer zones or a shorter
period.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, select

from vptr.domain.plates import plate_hash
from vptr.errors import Conflict, FieldError, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import iri_list, normalise, validate
from vptr.repositories.references import zone_rows
from vptr.repositories.rights import strip_plate, with_plate
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.store.plate_keys import tenant_key
from vptr.times import now, period

w = tables.whitelists.c
we = tables.whitelist_entries.c
MAX_ENTRIES_PER_REQUEST = 5000


def _store_zones(connection: Connection, table: tables.Table, key: str, owner: str,
                 zone_iris: list[str]) -> None:
    connection.execute(table.delete().where(table.c[key] == owner))
    if zone_iris:
        connection.execute(table.insert(), [{key: owner, "zone_id": z} for z in zone_iris])


# --- whitelists -------------------------------------------------------------------------------

def _prepared(iris: Iris, tenant: str, body: Any, iri: str | None = None
              ) -> tuple[dict[str, Any], list[Any] | None]:
    if isinstance(body, dict) and "entries" in body:
        body = dict(body)
        entries = body.pop("entries")
        if not isinstance(entries, list):
            raise Invalid.field("entries", "must be a list of whitelist entries")
    else:
        entries = None
    # An old key (``owner``) is read as its new one until 2.0 (vptr.validation.replaced).
    document = normalise(body, "Whitelist")
    document.setdefault("areaManager", tenant)
    if document["areaManager"] != tenant:
        raise Invalid.field("areaManager", f"must be {tenant}, the authenticated area manager")
    iris.assign("whitelist", document, iri)
    validate(document)
    return document, entries


def _whitelist_values(connection: Connection, tenant: str, document: dict[str, Any]
                      ) -> tuple[dict[str, Any], list[str]]:
    start, end = period(document, required=True)
    zone_iris = iri_list(document, "zones")
    zone_rows(connection, tenant, zone_iris, "zones")
    return {"tenant_id": tenant, "name": document["name"], "reason": document["whitelistReason"],
            "valid_from": start, "valid_to": end, "document": document,
            "updated_at": now()}, zone_iris


def create(connection: Connection, iris: Iris, tenant: str, body: Any) -> dict[str, Any]:
    document, entries = _prepared(iris, tenant, body)
    if connection.execute(select(w.id).where(w.id == document["id"])).first():
        raise Conflict.taken(document["id"])
    values, zone_iris = _whitelist_values(connection, tenant, document)
    connection.execute(tables.whitelists.insert().values(
        id=document["id"], created_at=values["updated_at"], version=1, **values))
    _store_zones(connection, tables.whitelist_zones, "whitelist_id", document["id"], zone_iris)
    if entries:
        add_entries(connection, iris, tenant, document["id"], entries, field="entries")
    return document


def get(connection: Connection, tenant: str, iri: str) -> Row:
    row = connection.execute(select(tables.whitelists).where(w.id == iri, w.tenant_id == tenant)
                             ).first()
    if row is None:
        raise NotFound(f"no whitelist {iri}")
    return row


def replace(connection: Connection, iris: Iris, tenant: str, iri: str, body: Any
            ) -> dict[str, Any]:
    """Replaces the list's own fields; its entries too when the body lists ``entries``."""
    row = get(connection, tenant, iri)
    document, entries = _prepared(iris, tenant, body, iri)
    values, zone_iris = _whitelist_values(connection, tenant, document)
    connection.execute(tables.whitelists.update().where(w.id == iri).values(
        version=row.version + 1, **values))
    _store_zones(connection, tables.whitelist_zones, "whitelist_id", iri, zone_iris)
    if entries is not None:
        connection.execute(tables.whitelist_entries.delete().where(we.whitelist_id == iri))
        add_entries(connection, iris, tenant, iri, entries, field="entries")
    else:
        _check_entries_fit(connection, iri, set(zone_iris))
    return document


def _check_entries_fit(connection: Connection, whitelist: str, zone_iris: set[str]) -> None:
    wez = tables.whitelist_entry_zones.c
    outside = connection.execute(
        select(wez.zone_id).join(tables.whitelist_entries, we.id == wez.entry_id)
        .where(we.whitelist_id == whitelist, wez.zone_id.not_in(sorted(zone_iris))).limit(1)
    ).first()
    if outside is not None:
        raise Invalid.field("zones",
                            f"entries still name zone {outside.zone_id}; change them first")


def delete(connection: Connection, tenant: str, iri: str) -> None:
    get(connection, tenant, iri)
    connection.execute(tables.whitelists.delete().where(w.id == iri))


def listing(connection: Connection, tenant: str | ColumnElement[bool], page: Page,
            zone: str | None = None, reason: str | None = None, at: datetime | None = None
            ) -> tuple[list[Row], int]:
    """A tenant's whitelists (or those a condition on ``whitelists`` selects: a delegate's)."""
    query: Select = select(tables.whitelists).where(
        w.tenant_id == tenant if isinstance(tenant, str) else tenant)
    if zone:
        wz = tables.whitelist_zones.c
        query = query.where(w.id.in_(select(wz.whitelist_id).where(wz.zone_id == zone)))
    if reason:
        query = query.where(w.reason == reason)
    if at is not None:
        query = query.where(w.valid_from <= at, (w.valid_to.is_(None)) | (w.valid_to > at))
    return fetch_page(connection, query.order_by(w.name, w.id), page)


# --- entries ----------------------------------------------------------------------------------

def _prepared_entry(iris: Iris, whitelist: Row, zone_iris: set[str], body: Any, field: str,
                    iri: str | None = None) -> dict[str, Any]:
    try:
        document = normalise(body, "WhitelistEntry")
        iris.assign("whitelist-entry", document, iri)
        validate(document)
        for i, zone in enumerate(iri_list(document, "zones")):
            if zone not in zone_iris:
                raise Invalid.field(f"zones[{i}]", f"{zone} is not one of the whitelist's zones")
        start, end = period(document)
        if (start is not None and start < whitelist.valid_from) or (
                end is not None and whitelist.valid_to is not None and end > whitelist.valid_to):
            raise Invalid.field("validityPeriod", "must lie within the whitelist's period")
    except Invalid as exc:
        if not field:
            raise
        raise Invalid(f"{field}: {exc.detail}", [
            FieldError(f"{field}.{e.field}" if e.field else field, e.reason) for e in exc.errors
        ]) from exc
    return document


def check_entries(connection: Connection, iris: Iris, tenant: str, whitelist_iri: str,
                  bodies: list[Any]) -> list[list[FieldError]]:
    """What adding each entry on its own would be refused for (an empty list: it would be
    added), storing nothing: the same normalisation, validation and rules as
    :func:`add_entries`."""
    whitelist = get(connection, tenant, whitelist_iri)
    zone_iris = set(iri_list(whitelist.document, "zones"))
    found: list[list[FieldError]] = []
    for body in bodies:
        try:
            _prepared_entry(iris, whitelist, zone_iris, body, "")
        except Invalid as exc:
            found.append(exc.errors or [FieldError(None, exc.detail)])
        else:
            found.append([])
    return found


def _entry_values(key: bytes, tenant: str, whitelist: str, document: dict[str, Any]
                  ) -> dict[str, Any]:
    licence = document["vehicle"]["licencePlate"]
    start, end = period(document)
    moment = now()
    return {
        "id": document["id"], "whitelist_id": whitelist, "tenant_id": tenant,
        "plate_hash": plate_hash(key, licence["country"], licence["plateNumber"]),
        "plate": licence["plateNumber"], "country": licence["country"], "valid_from": start,
        "valid_to": end, "document": strip_plate(document), "created_at": moment,
        "updated_at": moment, "version": 1,
    }


def add_entries(connection: Connection, iris: Iris, tenant: str, whitelist_iri: str,
                bodies: list[Any], field: str = "") -> list[dict[str, Any]]:
    """Adds entries (all or none); ``field`` prefixes error fields (``entries[3]``)."""
    if len(bodies) > MAX_ENTRIES_PER_REQUEST:
        raise Invalid.field(field or None, f"at most {MAX_ENTRIES_PER_REQUEST} entries per request")
    whitelist = get(connection, tenant, whitelist_iri)
    zone_iris = set(iri_list(whitelist.document, "zones"))
    key = tenant_key(connection, tenant)
    documents = []
    for i, body in enumerate(bodies):
        where = f"{field}[{i}]" if field or len(bodies) > 1 else ""
        documents.append(_prepared_entry(iris, whitelist, zone_iris, body, where))
    ids = [d["id"] for d in documents]
    if len(set(ids)) != len(ids) or connection.execute(
            select(we.id).where(we.id.in_(ids)).limit(1)).first():
        raise Conflict("an entry id is already in use", [FieldError("id", "already in use")])
    if documents:
        connection.execute(tables.whitelist_entries.insert(), [
            _entry_values(key, tenant, whitelist_iri, d) for d in documents])
        rows = [{"entry_id": d["id"], "zone_id": z} for d in documents
                for z in iri_list(d, "zones")]
        if rows:
            connection.execute(tables.whitelist_entry_zones.insert(), rows)
        connection.execute(tables.whitelists.update().where(w.id == whitelist_iri).values(
            updated_at=now(), version=whitelist.version + 1))
    return documents


def get_entry(connection: Connection, tenant: str, whitelist: str, iri: str) -> Row:
    row = connection.execute(select(tables.whitelist_entries).where(
        we.id == iri, we.whitelist_id == whitelist, we.tenant_id == tenant)).first()
    if row is None:
        raise NotFound(f"no entry {iri} on whitelist {whitelist}")
    return row


def replace_entry(connection: Connection, iris: Iris, tenant: str, whitelist_iri: str, iri: str,
                  body: Any) -> dict[str, Any]:
    row = get_entry(connection, tenant, whitelist_iri, iri)
    whitelist = get(connection, tenant, whitelist_iri)
    document = _prepared_entry(iris, whitelist, set(iri_list(whitelist.document, "zones")), body,
                               "", iri)
    values = _entry_values(tenant_key(connection, tenant), tenant, whitelist_iri, document)
    values.pop("created_at")
    values["version"] = row.version + 1
    connection.execute(tables.whitelist_entries.update().where(we.id == iri).values(**values))
    _store_zones(connection, tables.whitelist_entry_zones, "entry_id", iri,
                 iri_list(document, "zones"))
    return document


def delete_entry(connection: Connection, tenant: str, whitelist: str, iri: str) -> None:
    get_entry(connection, tenant, whitelist, iri)
    connection.execute(tables.whitelist_entries.delete().where(we.id == iri))


def list_entries(connection: Connection, tenant: str, whitelist: str, page: Page,
                 plate_hash_value: str | None = None) -> tuple[list[Row], int]:
    get(connection, tenant, whitelist)
    query = select(tables.whitelist_entries).where(we.whitelist_id == whitelist)
    if plate_hash_value is not None:
        query = query.where(we.plate_hash == plate_hash_value)
    return fetch_page(connection, query.order_by(we.created_at, we.id), page)


def render_entry(row: Row) -> dict[str, Any]:
    return with_plate(row.document, row.plate, row.plate_hash)


def render(row: Row) -> dict[str, Any]:
    return row.document
