"""The APDS gateway's rows: what an APDS AssignedRight or Session stands for in the register (its
client-assigned id and version, the right, permit or whitelist entry it became, its deletion),
webhook subscriptions and the log of their deliveries; and the configuration rows the APDS read
paths publish with their versions and change times.

No row of these tables holds a plate: a record points at the register's own row, which does (and
falls under retention there).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from vptr.store import tables

ASSIGNED_RIGHT = "AssignedRight"
SESSION = "Session"

r = tables.apds_records.c


def record(connection: Connection, class_name: str, record_id: str, lock: bool = False
           ) -> Row | None:
    query = select(tables.apds_records).where(r.class_name == class_name, r.id == record_id)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return connection.execute(query).first()


def records_for(connection: Connection, class_name: str, targets: Iterable[str],
                live: bool = True) -> list[Row]:
    """The records (live ones only, unless ``live`` is False) standing for any of ``targets``
    (IRIs of the register's rows)."""
    targets = sorted(set(targets))
    if not targets:
        return []
    condition = r.deleted_at.is_(None) if live else r.deleted_at.is_(None) | \
        r.deleted_at.is_not(None)
    return list(connection.execute(select(tables.apds_records).where(
        r.class_name == class_name, r.target.in_(targets), condition)))


def deleted_since(connection: Connection, class_name: str, tenants: Iterable[str],
                  owner: str | None, since: datetime) -> list[Row]:
    """Records deleted after ``since`` in ``tenants`` (or made by ``owner``)."""
    condition = r.tenant_id.in_(sorted(set(tenants)))
    if owner is not None:
        condition = condition | (r.owner_id == owner)
    return list(connection.execute(select(tables.apds_records).where(
        r.class_name == class_name, r.deleted_at.is_not(None), r.deleted_at > since, condition)
        .order_by(r.deleted_at)))


def insert_record(connection: Connection, *, class_name: str, record_id: str, version: int,
                  tenant: str, owner: str, target_kind: str, target: str,
                  document: dict[str, Any], moment: datetime) -> None:
    connection.execute(insert(tables.apds_records).values(
        class_name=class_name, id=record_id, version=version, tenant_id=tenant, owner_id=owner,
        target_kind=target_kind, target=target, document=document, created_at=moment,
        updated_at=moment, deleted_at=None))


def update_record(connection: Connection, row: Row, *, version: int, moment: datetime,
                  document: dict[str, Any] | None = None, deleted: bool = False) -> None:
    values: dict[str, Any] = {"version": version, "updated_at": moment}
    if document is not None:
        values["document"] = document
    if deleted:
        values["deleted_at"] = moment
    connection.execute(update(tables.apds_records).where(
        r.class_name == row.class_name, r.id == row.id).values(**values))


# --- the configuration as the read paths publish it -------------------------------------------

def zone_rows(connection: Connection, tenants: Iterable[str]) -> list[Row]:
    z = tables.zones.c
    return list(connection.execute(select(
        z.id, z.tenant_id, z.document, z.version, z.updated_at, z.created_at, z.valid_to)
        .where(z.tenant_id.in_(sorted(set(tenants)))).order_by(z.id)))


def regime_rows(connection: Connection, tenants: Iterable[str]) -> list[Row]:
    """Every regime version of the tenants, with its zones, oldest version first."""
    rv = tables.regime_versions.c
    return list(connection.execute(select(
        rv.id, rv.regime_id, rv.tenant_id, rv.version_number, rv.valid_from, rv.valid_to,
        rv.document, rv.created_at)
        .where(rv.tenant_id.in_(sorted(set(tenants))))
        .order_by(rv.regime_id, rv.version_number)))


# --- webhooks ---------------------------------------------------------------------------------

s = tables.apds_subscriptions.c
d = tables.apds_deliveries.c


def insert_subscription(connection: Connection, subscription_id: str, organisation: str,
                        endpoint: str, topics: list[str], moment: datetime) -> None:
    connection.execute(insert(tables.apds_subscriptions).values(
        id=subscription_id, organisation_id=organisation, endpoint=endpoint, topics=topics,
        created_at=moment))


def subscriptions_of(connection: Connection, organisation: str) -> list[Row]:
    return list(connection.execute(select(tables.apds_subscriptions).where(
        s.organisation_id == organisation).order_by(s.created_at, s.id)))


def subscriptions_with_topic(connection: Connection, topic: str) -> list[Row]:
    """Every subscription that listens to ``topic``."""
    rows = connection.execute(select(tables.apds_subscriptions).order_by(s.id))
    return [row for row in rows if topic in (row.topics or [])]


def delete_subscription(connection: Connection, organisation: str, subscription_id: str) -> int:
    return connection.execute(delete(tables.apds_subscriptions).where(
        s.id == subscription_id, s.organisation_id == organisation)).rowcount


def log_delivery(connection: Connection, *, subscription_id: str, event_id: str, topic: str,
                 attempt: int, moment: datetime, status_code: int | None, error: str | None,
                 delivered: bool) -> None:
    connection.execute(insert(tables.apds_deliveries).values(
        subscription_id=subscription_id, event_id=event_id, topic=topic, attempt=attempt,
        at=moment, status_code=status_code, error=(error or None) and error[:200],
        delivered=delivered))


def deliveries(connection: Connection, subscription_ids: Iterable[str], limit: int = 100
               ) -> list[Row]:
    return list(connection.execute(select(tables.apds_deliveries).where(
        d.subscription_id.in_(sorted(set(subscription_ids)))).order_by(d.id.desc()).limit(limit)))


def _in_force(connection: Connection, zone: str, at: datetime) -> list[Row]:
    rv, rz = tables.regime_versions.c, tables.regime_zones.c
    return list(connection.execute(select(tables.regime_versions).join(
        tables.regime_zones, rz.regime_version_id == rv.id).where(
        rz.zone_id == zone, rv.valid_from <= at,
        (rv.valid_to.is_(None)) | (rv.valid_to > at)).order_by(rv.id)).all())


def _single_use(row: Row) -> bool:
    return row.usage != "permitParking" and not row.usage.endswith("Access")


def regime_in_force(connection: Connection, zone: str, at: datetime) -> Row | None:
    """The regime version a session that creates its right in ``zone`` at ``at`` falls under:
    one in force there for single use (not a permit or access regime), the base one first."""
    usable = [row for row in _in_force(connection, zone, at) if _single_use(row)]
    usable.sort(key=lambda row: row.document.get("regulationType") != "base")
    return usable[0] if usable else None


def regime_of_right(connection: Connection, zone: str, at: datetime, usage: str | None,
                    right_kind: str | None) -> Row | None:
    """The regime version a right that names none falls under: of those in force in its zone at
    its start, the one of the right's usage, else of its kind (parking, access), single use
    before permits and access, the base regime first. None only where no regime is in force
    in the zone at all (the zone regulates nothing then: docs/mapping-apds-npr.md)."""
    rows = _in_force(connection, zone, at)
    rows.sort(key=lambda row: (row.usage != usage, row.right_kind != right_kind,
                               not _single_use(row),
                               row.document.get("regulationType") != "base", row.id))
    return rows[0] if rows else None


def whitelist_entry(connection: Connection, tenant: str, iri: str) -> Row | None:
    e = tables.whitelist_entries.c
    return connection.execute(select(tables.whitelist_entries).where(
        e.id == iri, e.tenant_id == tenant)).first()


def managed_records(connection: Connection, tenant: str) -> list[Row]:
    """The live assigned rights of a tenant that became permits or whitelist entries."""
    return list(connection.execute(select(tables.apds_records).where(
        r.class_name == ASSIGNED_RIGHT, r.tenant_id == tenant, r.target_kind != "right",
        r.deleted_at.is_(None))))


# --- the webhook queue (apds_outbox) ------------------------------------------------------------

o = tables.apds_outbox.c


def queue_delivery(connection: Connection, *, delivery_id: str, subscription_id: str,
                   event_id: str, topic: str, tenant: str, endpoint: str, body: dict[str, Any],
                   plate: str | None, moment: datetime) -> None:
    connection.execute(insert(tables.apds_outbox).values(
        id=delivery_id, subscription_id=subscription_id, event_id=event_id, topic=topic,
        tenant_id=tenant, endpoint=endpoint, body=body, plate=plate, attempt=1, due_at=moment,
        lease_owner=None, lease_until=None, created_at=moment))


def _claimable(moment: datetime) -> Any:
    return (o.due_at <= moment) & (o.lease_until.is_(None) | (o.lease_until < moment))


def claim_deliveries(connection: Connection, owner: str, moment: datetime, lease_until: datetime,
                     limit: int) -> list[Row]:
    """Up to ``limit`` due deliveries nobody holds, leased to ``owner`` until ``lease_until``.
    PostgreSQL locks the candidates and skips those another instance is claiming (FOR UPDATE
    SKIP LOCKED); SQLite claims each with a conditional UPDATE that only one writer can win."""
    query = select(o.id).where(_claimable(moment)).order_by(o.due_at, o.id).limit(limit)
    if connection.dialect.name == "postgresql":
        ids = list(connection.execute(query.with_for_update(skip_locked=True)).scalars())
        if ids:
            connection.execute(update(tables.apds_outbox).where(o.id.in_(ids)).values(
                lease_owner=owner, lease_until=lease_until))
    else:
        ids = [candidate for candidate in connection.execute(query).scalars()
               if connection.execute(update(tables.apds_outbox).where(
                   o.id == candidate, _claimable(moment)).values(
                   lease_owner=owner, lease_until=lease_until)).rowcount == 1]
    if not ids:
        return []
    return list(connection.execute(select(tables.apds_outbox).where(o.id.in_(ids))
                                   .order_by(o.due_at, o.id)))


def retry_delivery(connection: Connection, delivery_id: str, owner: str, attempt: int,
                   due: datetime) -> int:
    """The next attempt, due at ``due``, released (only while ``owner`` still holds it)."""
    return connection.execute(update(tables.apds_outbox).where(
        o.id == delivery_id, o.lease_owner == owner).values(
        attempt=attempt, due_at=due, lease_owner=None, lease_until=None)).rowcount


def finish_delivery(connection: Connection, delivery_id: str, owner: str) -> int:
    """Delivered or given up: the row (and its plate) goes."""
    return connection.execute(delete(tables.apds_outbox).where(
        o.id == delivery_id, o.lease_owner == owner)).rowcount


def next_due(connection: Connection) -> datetime | None:
    """When the next delivery can be claimed: its due time, or the end of the lease another
    instance holds on it."""
    from sqlalchemy import case, func
    free_at = case((o.lease_until > o.due_at, o.lease_until), else_=o.due_at)
    return connection.execute(select(func.min(free_at))).scalar()


def claimable(connection: Connection, moment: datetime) -> bool:
    """Whether a delivery is due that nobody holds."""
    return connection.execute(select(o.id).where(_claimable(moment)).limit(1)).first() \
        is not None


def queued(connection: Connection, due_by: datetime | None = None) -> int:
    """Deliveries still to make (due by ``due_by``, if given)."""
    from sqlalchemy import func
    query = select(func.count()).select_from(tables.apds_outbox)
    if due_by is not None:
        query = query.where(o.due_at <= due_by)
    return connection.execute(query).scalar_one()


def end_regime_version(connection: Connection, row: Row, moment: datetime) -> dict[str, Any]:
    """Ends a regime version's validity at ``moment`` (a right specification deleted: every
    version stays, rights under it keep it)."""
    from vptr.times import format_instant
    document = dict(row.document)
    document["validityPeriod"] = {**document.get("validityPeriod", {}),
                                  "endTime": format_instant(moment)}
    rv = tables.regime_versions.c
    connection.execute(update(tables.regime_versions).where(rv.id == row.id).values(
        valid_to=moment, document=document))
    return document
