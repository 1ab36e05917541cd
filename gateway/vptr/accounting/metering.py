"""Counting every request per organisation, tenant, day and operation: the basis of the bill.

The financing model bills municipalities per API call, so counts must be durable and must add up
when several gateway instances share one database. Each instance keeps a small in-memory tally
and adds it to the ``metering_counts`` table at most ``flush_seconds`` later, with one
``INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count`` per changed counter.
Addition in the database (never read-modify-write in the instance) is what makes the counts of
several instances add up; batching is what keeps the cost at one small transaction per second per
instance instead of one per request (``python -m bench.security`` measures the difference).

Loss bound: a graceful stop flushes everything. A crash (kill -9, power loss) of an instance
loses at most the requests that instance answered in the last ``flush_seconds`` (default 1 s). A
failed flush (database briefly away) keeps its counts in memory and retries at the next flush, so
an outage of the database loses nothing unless the instance also dies before it comes back.

The day is the calendar day in Europe/Brussels, the time zone municipalities are billed in.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from vptr.accounting.batching import BackgroundBatch
from vptr.domain.calendar import DEFAULT_TIME_ZONE
from vptr.store.sqlite_writes import write_transaction
from vptr.store.tables import metering_counts

log = logging.getLogger(__name__)

BILLING_TIME_ZONE = ZoneInfo(DEFAULT_TIME_ZONE)
#: Empty flushes in a row after which the background thread ends until the next count.


@dataclass(frozen=True)
class MeterKey:
    """One counter: who called (organisation IRI, ``""`` if anonymous), for which tenant (``""``
    when the call concerned no single tenant), on which day, which operation (OpenAPI id)."""

    organisation: str
    tenant: str
    day: date
    operation: str


def billing_day(moment: datetime | None = None) -> date:
    """The billing day of an instant (now by default)."""
    return (moment or datetime.now(BILLING_TIME_ZONE)).astimezone(BILLING_TIME_ZONE).date()


class MeteringCounter(BackgroundBatch[Counter[MeterKey]]):
    """An in-process tally flushed to the database by a background thread at least once a second."""

    label = "metering"

    def __init__(
        self,
        engine: Engine,
        *,
        flush_seconds: float = 1.0,
        today: Callable[[], date] = billing_day,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self._today = today
        super().__init__(engine, flush_seconds=flush_seconds, before_write=before_write)

    def count(self, organisation: str | None, tenant: str | None, operation: str) -> None:
        """Count one request; cheap (a dict update under a lock) so it can sit on every request:
        while the flushing thread runs, the key is counted in place, without a batch of its own
        (the thread, once started, ends only under the same lock with nothing pending)."""
        key = MeterKey(organisation or "", tenant or "", self._today(), operation)
        with self._lock:
            if self._thread is not None and self.flush_seconds > 0:
                self._pending[key] += 1
                return
        self._add(Counter({key: 1}))

    def _empty(self) -> Counter[MeterKey]:
        return Counter()

    def _merge(self, into: Counter[MeterKey], batch: Counter[MeterKey]) -> None:
        into.update(batch)

    def _size(self, batch: Counter[MeterKey]) -> int:
        return sum(batch.values())

    def _write_batch(self, engine: Engine, batch: Counter[MeterKey]) -> None:
        rows = [
            {
                "organisation_id": key.organisation,
                "tenant_id": key.tenant,
                "day": key.day,
                "operation": key.operation,
                "count": n,
            }
            for key, n in sorted(batch.items(), key=lambda item: _sort_key(item[0]))
        ]
        # Sorted so concurrent instances lock rows in the same order and cannot deadlock; on
        # SQLite it queues with the requests' writes instead of polling for the lock.
        with write_transaction(engine) as connection:
            connection.execute(_upsert(connection.dialect.name), rows)


def _sort_key(key: MeterKey) -> tuple[str, date, str, str]:
    return (key.tenant, key.day, key.organisation, key.operation)


def _upsert(dialect: str) -> sa.Insert:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the register runs on SQLite or PostgreSQL only
        raise NotImplementedError(f"metering has no upsert for {dialect}")
    statement = insert(metering_counts)
    return statement.on_conflict_do_update(
        index_elements=["tenant_id", "day", "organisation_id", "operation"],
        set_={"count": metering_counts.c.count + statement.excluded["count"]},
    )


@dataclass(frozen=True)
class MeteringRow:
    """One line of a metering report."""

    tenant: str
    organisation: str
    day: date
    operation: str
    count: int

    def as_json(self) -> dict[str, object]:
        return {
            "tenant": self.tenant or None,
            "organisation": self.organisation or None,
            "day": self.day.isoformat(),
            "operation": self.operation,
            "count": self.count,
        }


def report(
    engine: Engine,
    *,
    first_day: date,
    last_day: date,
    tenants: Iterable[str] | None = None,
) -> list[MeteringRow]:
    """The counts from ``first_day`` to ``last_day`` inclusive, for the given tenants (all if None),
    ordered by tenant, day, organisation and operation."""
    table = metering_counts
    query = sa.select(
        table.c.tenant_id, table.c.organisation_id, table.c.day, table.c.operation, table.c.count
    ).where(table.c.day >= first_day, table.c.day <= last_day)
    if tenants is not None:
        query = query.where(table.c.tenant_id.in_(list(tenants)))
    query = query.order_by(
        table.c.tenant_id, table.c.day, table.c.organisation_id, table.c.operation
    )
    with engine.connect() as connection:
        return [MeteringRow(*row) for row in connection.execute(query)]
