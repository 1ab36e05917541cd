"""GDPR retention: clear plates are kept only as long as they are needed, then only their pseudonym.

A licence plate is personal data (NF6.6). Once a right has been over for ``days`` days (91 by
default, the 13 weeks the Dutch NPR keeps), retention blanks its clear plate (``plate`` becomes
NULL) and stamps ``pseudonymised_at``. The tenant-keyed ``plate_hash`` stays, so a historical
check ("did this plate have a right in zone Z on date D?") still answers by hashing the plate it is
asked about, and reports that count rights or sum amounts never read the plate at all.

The same applies to the vehicles of permits and to whitelist entries whose validity ended that long
ago (their clear plate becomes NULL; a NULL plate is their mark).

The APDS gateway's own rows follow the same clock: the log of webhook delivery attempts and the
records of deleted sessions and assigned rights (with their segments) and of quotations are
removed ``days`` after they were written or deleted. They never hold a plate (the rights they
point at do, and are pseudonymised above); a live session's record stays as long as its right.
A queued webhook delivery (``apds_outbox``) holds its event's plate until it is delivered or given
up, minutes later; one still queued ``days`` after it was written is removed with its plate.

The web app's staff sessions (``web_sessions``) past their idle limit or their expiry are deleted
at every run, whatever ``days`` says: a dead session is never answered, and its row (which may
hold a CSV upload waiting for confirmation, plates included) has no reason to stay.

A right is over at its end time; a right ended early or revoked without an end time is over from
its last change. Runs are idempotent and work in small batches, so several instances (or the
periodic job and the command) may run it at once, and no batch holds locks for long.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    Update,
    and_,
    func,
    or_,
    select,
    update,
)

from vptr.store import tables
from vptr.store.sqlite_writes import write_transaction
from vptr.times import now as utc_now

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 91
BATCH_SIZE = 500


@dataclass(frozen=True)
class RetentionResult:
    """What a run pseudonymised (or, in a dry run, would have)."""

    cutoff: datetime
    rights: int
    permit_vehicles: int
    whitelist_entries: int
    dry_run: bool
    apds_deliveries: int = 0
    apds_records: int = 0
    web_sessions: int = 0
    apds_queued: int = 0

    def as_json(self) -> dict[str, object]:
        return {"cutoff": self.cutoff.isoformat(), "rights": self.rights,
                "permitVehicles": self.permit_vehicles,
                "whitelistEntries": self.whitelist_entries,
                "apdsDeliveries": self.apds_deliveries, "apdsRecords": self.apds_records,
                "webSessions": self.web_sessions, "apdsQueued": self.apds_queued,
                "dryRun": self.dry_run}


def _rights_due(cutoff: datetime) -> ColumnElement[bool]:
    r = tables.rights.c
    return and_(
        r.plate.is_not(None),
        or_(r.end_time < cutoff, and_(r.status != "active", r.updated_at < cutoff)),
    )


def _permits_due(cutoff: datetime) -> ColumnElement[bool]:
    p = tables.permits.c
    return or_(p.valid_to < cutoff, and_(p.status == "revoked", p.updated_at < cutoff))


def _whitelist_entries_due(cutoff: datetime) -> ColumnElement[bool]:
    e, w = tables.whitelist_entries.c, tables.whitelists.c
    ends = func.coalesce(
        e.valid_to, select(w.valid_to).where(w.id == e.whitelist_id).scalar_subquery()
    )
    return and_(e.plate.is_not(None), ends < cutoff)


def _apds_records_due(cutoff: datetime) -> ColumnElement[bool]:
    """Deleted sessions and assigned rights, and quotations (never booked after an hour)."""
    a = tables.apds_records.c
    return or_(and_(a.deleted_at.is_not(None), a.deleted_at < cutoff),
               and_(a.class_name == "Quote", a.created_at < cutoff))


def _web_sessions_dead(moment: datetime) -> ColumnElement[bool]:
    s = tables.web_sessions.c
    return or_(s.idle_until <= moment, s.expires_at <= moment)


def purge_web_sessions(connection: Connection, moment: datetime) -> int:
    """Delete the staff sessions dead at ``moment`` (also done now and then as sessions start,
    so a store whose retention never runs does not fill up with abandoned login pages)."""
    return connection.execute(tables.web_sessions.delete().where(
        _web_sessions_dead(moment))).rowcount


def run_retention(
    engine: Engine,
    *,
    days: int = DEFAULT_RETENTION_DAYS,
    dry_run: bool = False,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
) -> RetentionResult:
    """Pseudonymise every plate whose right, permit or whitelist entry ended ``days`` days ago."""
    if days < 0:
        raise ValueError("the retention period cannot be negative")
    moment = now or utc_now()
    cutoff = moment - timedelta(days=days)
    rights, vehicles, entries = tables.rights, tables.permit_vehicles, tables.whitelist_entries
    due_permits = select(tables.permits.c.id).where(_permits_due(cutoff))
    vehicles_due = and_(vehicles.c.plate.is_not(None), vehicles.c.permit_id.in_(due_permits))

    if dry_run:
        with engine.connect() as connection:
            def count(table: Table, condition: ColumnElement[bool]) -> int:
                return connection.execute(
                    select(func.count()).select_from(table).where(condition)
                ).scalar_one()

            return RetentionResult(
                cutoff=cutoff,
                rights=count(rights, _rights_due(cutoff)),
                permit_vehicles=count(vehicles, vehicles_due),
                whitelist_entries=count(entries, _whitelist_entries_due(cutoff)),
                dry_run=True,
                apds_deliveries=count(tables.apds_deliveries,
                                      tables.apds_deliveries.c.at < cutoff),
                apds_records=count(tables.apds_records, _apds_records_due(cutoff)),
                web_sessions=count(tables.web_sessions, _web_sessions_dead(moment)),
                apds_queued=count(tables.apds_outbox,
                                  tables.apds_outbox.c.created_at < cutoff),
            )

    n_rights = _in_batches(
        engine, rights.c.id, _rights_due(cutoff),
        lambda ids: update(rights).where(rights.c.id.in_(ids), rights.c.plate.is_not(None))
        .values(plate=None, pseudonymised_at=moment),
        batch_size,
    )
    with write_transaction(engine) as connection:
        n_vehicles = connection.execute(
            update(vehicles).where(vehicles_due).values(plate=None)
        ).rowcount
    n_entries = _in_batches(
        engine, entries.c.id, _whitelist_entries_due(cutoff),
        lambda ids: update(entries).where(entries.c.id.in_(ids), entries.c.plate.is_not(None))
        .values(plate=None),
        batch_size,
    )
    with write_transaction(engine) as connection:
        n_deliveries = connection.execute(tables.apds_deliveries.delete().where(
            tables.apds_deliveries.c.at < cutoff)).rowcount
        n_records = connection.execute(tables.apds_records.delete().where(
            _apds_records_due(cutoff))).rowcount
        n_sessions = purge_web_sessions(connection, moment)
        n_queued = connection.execute(tables.apds_outbox.delete().where(
            tables.apds_outbox.c.created_at < cutoff)).rowcount
    result = RetentionResult(cutoff, n_rights, n_vehicles, n_entries, dry_run=False,
                             apds_deliveries=n_deliveries, apds_records=n_records,
                             web_sessions=n_sessions, apds_queued=n_queued)
    if n_rights or n_vehicles or n_entries:
        log.info(
            "retention pseudonymised %d rights, %d permit vehicles, %d whitelist entries "
            "that ended before %s", n_rights, n_vehicles, n_entries, cutoff.isoformat(),
        )
    return result


def _in_batches(
    engine: Engine,
    id_column: ColumnElement[str],
    condition: ColumnElement[bool],
    statement: Callable[[list[str]], Update],
    size: int,
) -> int:
    """Apply ``statement(ids)`` to the rows matching ``condition``, ``size`` per transaction."""
    done = 0
    while True:
        with write_transaction(engine) as connection:
            ids = list(connection.execute(select(id_column).where(condition).limit(size)).scalars())
            if not ids:
                return done
            done += connection.execute(statement(ids)).rowcount


class RetentionJob:
    """The optional periodic run inside the server (``VPTR_RETENTION_INTERVAL_HOURS`` > 0)."""

    def __init__(self, engine: Engine, *, days: int, interval_hours: float,
                 before_run: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self._before_run = before_run
        self.days = days
        self.interval_seconds = interval_hours * 3600
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="vptr-retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            try:
                if self._before_run is not None:
                    self._before_run()
                run_retention(self.engine, days=self.days)
            except Exception:  # the next run tries again; the server keeps serving
                log.exception("periodic retention run failed")
            if self._stop.wait(self.interval_seconds):
                return
