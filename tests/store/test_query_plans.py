"""The hot paths (register, end, re-send, plate search, every read of a check) find their rows
through indexes: no query scans the rights, permits, whitelist entries or zones, so their cost
does not grow with the store (bench/store_writes.py measures it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from support.builders import right_body

from vptr.auth.principal import Principal
from vptr.services import rights
from vptr.services.demo import GENT, PARKPLUS, POINT_KOUTER, ZONE_KERN, ZONE_KOUTER, ZONE_ROOD
from vptr.services.runtime import Caller, Runtime
from vptr.store import hot_reads
from vptr.store.check_sources import StoreCheckSources

BIG_TABLES = ("rights", "permits", "permit_vehicles", "whitelist_entries", "zones",
              "idempotency_keys", "regime_versions")
PROVIDER = Principal(PARKPLUS, "ParkPlus NV", frozenset({"provider"}))


@contextmanager
def captured(store) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with hot_reads.observe(lambda sql, parameters: capture(None, None, sql, parameters,
                                                              None, False)):
            yield statements
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)


def scans(store, statements) -> list[str]:
    """Plan lines that read a big table from end to end."""
    found = []
    with store.engine.connect() as connection:
        for statement, parameters in statements:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                              parameters).all()
            for row in plan:
                detail = row[-1]
                if any(detail.startswith(f"SCAN {t}") and " USING " not in detail
                       for t in BIG_TABLES):
                    found.append(f"{detail}  <-  {statement[:160]}")
    return found


#: Plans are read on the embedded store (EXPLAIN QUERY PLAN names every table scan); PostgreSQL
#: plans by cost and statistics, so the same question has no stable answer there.
pytestmark = pytest.mark.parametrize("_demo_store", ["sqlite"], indirect=True)


@pytest.fixture
def sqlite_store(store):
    return store


def test_registering_re_sending_and_ending_use_indexes_only(sqlite_store):
    store = sqlite_store
    body = right_body(reference="plan-1")
    with store.reading() as connection:  # linked regimes (F1.6) come from the catalogue too
        StoreCheckSources(connection).catalogue  # noqa: B018 - loaded once, on first use (a scan)
    with captured(store) as statements:
        runtime, caller = Runtime(store), Caller(PROVIDER)
        first = rights.register(runtime, caller, body, idempotency_key="plan-key")
        rights.register(runtime, caller, body, idempotency_key="plan-key")
        rights.register(runtime, caller, body)
        rights.end(runtime, caller, first.document["id"], None)
    assert len(statements) > 5
    assert scans(store, statements) == []


def test_every_read_of_a_check_uses_indexes_only(sqlite_store):
    store = sqlite_store
    now = datetime.now(UTC)
    with store.reading() as connection:
        StoreCheckSources(connection).catalogue  # noqa: B018 - loaded once, on first use (a scan)
        source = StoreCheckSources(connection)
        hashed = source.plate_hash(GENT, "BE", "1ABC123")
        with captured(store) as statements:
            source.zones_at_point(*POINT_KOUTER, now)
            source.zones_by_ids([ZONE_ROOD])
            source.regimes_in_force([ZONE_ROOD, ZONE_KOUTER], now)
            source.rights_for_plate(hashed, [ZONE_ROOD, ZONE_KOUTER], now, now)
            source.permits_for_plate(hashed, [ZONE_KOUTER], now)
            source.whitelist_entries_for_plate(hashed, [ZONE_KERN], now)
    assert len(statements) >= 4  # the catalogue's counter, rights, permits, whitelist entries
    assert scans(store, statements) == []
    catalogue_reads = [s for s, _ in statements if "FROM zones" in s or "FROM regime_" in s]
    assert catalogue_reads == [], "zones and regimes come from the catalogue held in memory"


def test_searching_rights_by_plate_uses_the_plate_index(sqlite_store, client_as):
    with captured(sqlite_store) as statements:
        client_as("area-manager").get("/rights", params={"plate": "1ABC123", "country": "BE"})
    assert scans(sqlite_store, [s for s in statements if "rights" in s[0]]) == []
