"""Regimes, in versions: a change never overwrites, it adds version n+1 and closes version n's
validity where the new one starts, so the register answers for any past moment (NF6.9).

IRIs: the regime is ``.../regime/{ref}``; version n is ``.../regime/{ref}/{n}`` with ``isVersionOf``
the regime and ``version`` n. The register sets all three. Linked regimes (``grants``,
``excludes``) name the regime, never a version of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, func, or_, select

from vptr.domain.linked_regimes import series_of
from vptr.domain.regime_time import exempt_dates_on_holidays
from vptr.errors import BadRequest, Conflict, FieldError, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories.documents import iri_list, normalise, validate
from vptr.repositories.references import zone_rows
from vptr.store import tables
from vptr.store.paging import fetch_page
from vptr.times import format_instant, now, period

rv = tables.regime_versions.c


def _is_version_of(iri: str, regime: str) -> bool:
    """A version IRI of the regime: a client edits a version it read and sends it back."""
    return iri.startswith(regime + "/") and iri[len(regime) + 1:].isdigit()


#: The removed flag for public holidays by the local names of its IRIs (0.1's
#: ``vptr:exemptPublicHolidays``, the 1.0 draft's ``vptr:vrijOpWettelijkeFeestdagen``), full or
#: compact. Its plain key is read as the exempt day that says it now until version 2.0
#: (vptr.validation.replaced); an IRI names the term itself, which no longer exists.
_REMOVED_HOLIDAY_FLAG = ("exemptPublicHolidays", "vrijOpWettelijkeFeestdagen")
_HOLIDAY_ENTRY = '{"recurringDay": "publicHoliday"}'


def _refuse_removed(body: Any) -> None:
    """The removed term named by an IRI is refused by name, with what says it now."""
    if not isinstance(body, dict):
        return
    for key in body:
        if isinstance(key, str) and key != "exemptPublicHolidays" and \
                key.rsplit("#", 1)[-1].rsplit(":", 1)[-1] in _REMOVED_HOLIDAY_FLAG:
            reason = (f"removed from the standard; for a regime free on public holidays send "
                      f"the exempt day {_HOLIDAY_ENTRY} in exemptDays")
            raise BadRequest(f"{key}: {reason}", [FieldError(key, reason)])


def _refuse_redundant_exempt_dates(document: dict[str, Any]) -> None:
    """A dated exempt day on a public holiday beside the recurring public-holiday entry changes
    nothing (the holiday is free anyway): refused, naming the date, so the list says each day
    once. The calendar of holidays is the register's, not the profile's."""
    found = exempt_dates_on_holidays(document.get("exemptDays"))
    if found:
        raise Invalid(
            "exemptDays: " + "; ".join(f"[{i}] is {name}, a public holiday" for i, name in found)
            + f", already exempt by {_HOLIDAY_ENTRY}",
            [FieldError(f"exemptDays[{i}].calendarDate",
                        f"{name} is a Belgian public holiday, already exempt by the entry "
                        f"{_HOLIDAY_ENTRY}; leave the date out") for i, name in found])


def _prepared(connection: Connection, iris: Iris, tenant: str, body: Any, regime: str,
              number: int, default_start: datetime | None = None) -> dict[str, Any]:
    _refuse_removed(body)
    document = normalise(body, "Regime")
    document.setdefault("areaManager", tenant)
    if document["areaManager"] != tenant:
        raise Invalid.field("areaManager", f"must be {tenant}, the authenticated area manager")
    given = document.get("isVersionOf")
    if given is not None and given != regime:
        raise Invalid.field("isVersionOf", f"must be {regime}")
    given_id = document.get("id")
    if given_id is not None and given_id != regime and not _is_version_of(given_id, regime):
        raise Invalid.field("id", f"must be {regime} or one of its versions (or leave it out)")
    version = document.get("version")
    if version is not None and version != number:
        raise Conflict(f"version: this change makes version {number}, not {version}",
                       [FieldError("version", f"the next version is {number}")])
    if "validityPeriod" not in document and default_start is not None:
        document["validityPeriod"] = {"startTime": format_instant(default_start)}
    document.update({"id": f"{regime}/{number}", "isVersionOf": regime, "version": number})
    # The stored zones go along, so the profile's rules across entities (a regime's right kind
    # fits its zones' kinds: RightKindOfItsZones) hold for them.
    zones = zone_rows(connection, tenant, iri_list(document, "zones"), "zones")
    validate(document, [row.document for row in zones.values()])
    _refuse_redundant_exempt_dates(document)
    return document


def _linked(connection: Connection, tenant: str, regime: str, document: dict[str, Any]) -> None:
    """``grants`` and ``excludes`` name other regimes of the tenant by their IRI across versions
    (F1.6): a version IRI becomes its regime's, so the link survives the next version."""
    for field in ("grants", "excludes"):
        if field not in document:
            continue
        named = [series_of(i) for i in iri_list(document, field)]
        for index, iri in enumerate(named):
            where = f"{field}[{index}]" if isinstance(document[field], list) else field
            if iri == regime:
                raise Invalid.field(where, "must name another regime, not this one")
            if connection.execute(select(rv.id).where(rv.regime_id == iri,
                                                      rv.tenant_id == tenant).limit(1)
                                  ).first() is None:
                raise Invalid.field(where, f"no regime {iri} in the register of {tenant}")
        document[field] = list(dict.fromkeys(named))


def _insert_version(connection: Connection, tenant: str, regime: str, number: int,
                    document: dict[str, Any]) -> None:
    _linked(connection, tenant, regime, document)
    start, end = period(document, required=True)
    zone_iris = iri_list(document, "zones")
    zone_rows(connection, tenant, zone_iris, "zones")
    connection.execute(tables.regime_versions.insert().values(
        id=document["id"], regime_id=regime, tenant_id=tenant, version_number=number,
        name=document["name"], right_kind=document["rightKind"], usage=document["usage"],
        valid_from=start, valid_to=end, document=document, created_at=now()))
    connection.execute(tables.regime_zones.insert(), [
        {"regime_version_id": document["id"], "zone_id": z} for z in zone_iris])


def create(connection: Connection, iris: Iris, tenant: str, body: Any) -> dict[str, Any]:
    regime = body.get("isVersionOf") or body.get("id") if isinstance(body, dict) else None
    if regime is None:
        regime = iris.mint("regime")
    else:
        iris.check_own("regime", regime, "id" if body.get("id") else "isVersionOf")
    if connection.execute(select(rv.id).where(rv.regime_id == regime).limit(1)).first():
        raise Conflict.taken(regime)
    document = _prepared(connection, iris, tenant, body, regime, 1, default_start=now())
    _insert_version(connection, tenant, regime, 1, document)
    return document


def newest(connection: Connection, tenants: set[str], regime: str, for_update: bool = False
           ) -> Row:
    query = (select(tables.regime_versions)
             .where(rv.regime_id == regime, rv.tenant_id.in_(sorted(tenants)))
             .order_by(rv.version_number.desc()).limit(1))
    if for_update:
        query = query.with_for_update()
    row = connection.execute(query).first()
    if row is None:
        raise NotFound(f"no regime {regime}")
    return row


def new_version(connection: Connection, iris: Iris, tenant: str, regime: str, body: Any
                ) -> dict[str, Any]:
    """Version n+1 from ``body``; version n's validity ends where n+1 starts."""
    current = newest(connection, {tenant}, regime, for_update=True)
    number = current.version_number + 1
    document = _prepared(connection, iris, tenant, body, regime, number,
                         default_start=now())
    start, _ = period(document, required=True)
    assert start is not None
    if start <= current.valid_from:
        raise Invalid.field("validityPeriod.startTime",
                            f"must be after the start of version {current.version_number} "
                            f"({format_instant(current.valid_from)})")
    if current.valid_to is None or current.valid_to > start:
        closed = dict(current.document)
        closed["validityPeriod"] = {**closed.get("validityPeriod", {}),
                                    "endTime": format_instant(start)}
        connection.execute(tables.regime_versions.update().where(rv.id == current.id)
                           .values(valid_to=start, document=closed))
    _insert_version(connection, tenant, regime, number, document)
    return document


def get(connection: Connection, tenants: set[str], regime: str, at: datetime | None = None
        ) -> Row:
    """The newest version, or the one in force at ``at``."""
    if at is None:
        return newest(connection, tenants, regime)
    row = connection.execute(
        select(tables.regime_versions).where(
            rv.regime_id == regime, rv.tenant_id.in_(sorted(tenants)), rv.valid_from <= at,
            or_(rv.valid_to.is_(None), rv.valid_to > at))
        .order_by(rv.version_number.desc()).limit(1)).first()
    if row is None:
        newest(connection, tenants, regime)  # 404 when the regime itself is unknown
        raise NotFound(f"no version of regime {regime} in force at {format_instant(at)}")
    return row


def get_version(connection: Connection, tenants: set[str], regime: str, number: int) -> Row:
    row = connection.execute(select(tables.regime_versions).where(
        rv.regime_id == regime, rv.version_number == number,
        rv.tenant_id.in_(sorted(tenants)))).first()
    if row is None:
        raise NotFound(f"no version {number} of regime {regime}")
    return row


def versions(connection: Connection, tenants: set[str], regime: str, page: Page
             ) -> tuple[list[Row], int]:
    newest(connection, tenants, regime)
    query = (select(tables.regime_versions)
             .where(rv.regime_id == regime, rv.tenant_id.in_(sorted(tenants)))
             .order_by(rv.version_number))
    return fetch_page(connection, query, page)


def listing(connection: Connection, tenants: set[str], page: Page, zone: str | None = None,
            at: datetime | None = None, usage: str | None = None) -> tuple[list[Row], int]:
    """One version per regime: the newest, or the one in force at ``at``."""
    query: Select = select(tables.regime_versions).where(rv.tenant_id.in_(sorted(tenants)))
    if at is not None:
        query = query.where(rv.valid_from <= at, or_(rv.valid_to.is_(None), rv.valid_to > at))
    else:
        newest_numbers = (select(rv.regime_id, func.max(rv.version_number).label("n"))
                          .group_by(rv.regime_id).subquery())
        query = query.join(newest_numbers, (newest_numbers.c.regime_id == rv.regime_id)
                           & (newest_numbers.c.n == rv.version_number))
    if zone:
        rz = tables.regime_zones.c
        query = query.where(rv.id.in_(select(rz.regime_version_id).where(rz.zone_id == zone)))
    if usage:
        query = query.where(rv.usage == usage)
    return fetch_page(connection, query.order_by(rv.name, rv.regime_id), page)


def in_force(connection: Connection, zone_ids: list[str], moment: datetime) -> list[Row]:
    """The regime versions in force at ``moment`` in any of the zones (checks and prices)."""
    if not zone_ids:
        return []
    rz = tables.regime_zones.c
    return list(connection.execute(
        select(tables.regime_versions).where(
            rv.id.in_(select(rz.regime_version_id).where(rz.zone_id.in_(zone_ids))),
            rv.valid_from <= moment, or_(rv.valid_to.is_(None), rv.valid_to > moment))
        .order_by(rv.regime_id)))


def render(row: Row) -> dict[str, Any]:
    return row.document
