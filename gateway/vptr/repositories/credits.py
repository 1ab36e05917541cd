"""The store side of permit credits (F2.5): the permit row locked while its credit is counted, what
each right took (``credit_consumptions``), and the per-plate totals of a tenant's credits."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, select

from vptr.store import tables

p, pv, cc = tables.permits.c, tables.permit_vehicles.c, tables.credit_consumptions.c


def locked_permit(connection: Connection, tenant: str, iri: str) -> Row | None:
    """The permit, locked until the transaction ends (PostgreSQL: a row lock; SQLite's writer
    holds the whole store), so two registrations never count the same credit twice."""
    return connection.execute(select(tables.permits).where(p.id == iri, p.tenant_id == tenant)
                              .with_for_update()).first()


def holds_plate(connection: Connection, permit: str, plate_hash: str) -> bool:
    return connection.execute(select(pv.permit_id).where(
        pv.permit_id == permit, pv.plate_hash == plate_hash).limit(1)).first() is not None


def set_used(connection: Connection, permit: Row, minutes_used: int, moment: datetime) -> None:
    document = copy.deepcopy(permit.document)
    document["credit"]["minutesUsed"] = minutes_used
    connection.execute(tables.permits.update().where(p.id == permit.id).values(
        document=document, version=permit.version + 1, updated_at=moment))


def record(connection: Connection, right: str, permit: str, tenant: str, plate_hash: str,
           minutes: int, moment: datetime) -> None:
    connection.execute(tables.credit_consumptions.insert().values(
        right_id=right, permit_id=permit, tenant_id=tenant, plate_hash=plate_hash,
        minutes=minutes, at=moment))


def forget(connection: Connection, right: str) -> Row | None:
    """Removes (and returns) what a right took, if it took anything."""
    row = connection.execute(select(tables.credit_consumptions).where(cc.right_id == right)
                             ).first()
    if row is not None:
        connection.execute(tables.credit_consumptions.delete().where(cc.right_id == right))
    return row


def taken(connection: Connection, right: str) -> Row | None:
    """What a right took, if it took anything."""
    return connection.execute(select(tables.credit_consumptions).where(cc.right_id == right)
                              ).first()


def set_taken(connection: Connection, right: str, minutes: int, moment: datetime) -> None:
    connection.execute(tables.credit_consumptions.update().where(cc.right_id == right)
                       .values(minutes=minutes, at=moment))


def permits_with_credit(connection: Connection, tenant: str) -> list[Row]:
    return [r for r in connection.execute(select(p.id, p.document).where(p.tenant_id == tenant)
                                          .order_by(p.id))
            if isinstance(r.document.get("credit"), dict)]


def used_per_plate(connection: Connection, tenant: str) -> dict[str, list[tuple[str, int, int]]]:
    """Permit -> [(plate hash, minutes taken, rights)] of the tenant, by plate hash."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for row in connection.execute(
            select(cc.permit_id, cc.plate_hash, func.sum(cc.minutes), func.count())
            .where(cc.tenant_id == tenant).group_by(cc.permit_id, cc.plate_hash)
            .order_by(cc.permit_id, cc.plate_hash)):
        found.setdefault(row[0], []).append((row[1], int(row[2]), int(row[3])))
    return found


def render(document: dict[str, Any]) -> dict[str, Any]:
    return document
