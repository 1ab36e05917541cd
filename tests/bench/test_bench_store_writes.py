"""bench/store_writes.py runs (on a tiny store, a few operations); it asserts nothing about speed,
only that every measured path does what it claims (creates, re-sends, ends): read back from the
store the benchmark wrote to."""

from __future__ import annotations

import sqlalchemy as sa

from bench.store_writes import empty_store, measure
from vptr.services.demo import GENT, PARKPLUS
from vptr.store import tables
from vptr.store.db import make_engine

COUNT, WARMUP = 3, 20  # measure's operations per path, and register's warm-up (timed's default)


def test_the_store_writes_benchmark_measures_every_path(tmp_path):
    url, provider, zone = empty_store(tmp_path)
    engine = make_engine(url)
    with engine.connect() as connection:
        demo_rights = connection.execute(sa.select(sa.func.count()).select_from(
            tables.rights)).scalar_one()
    engine.dispose()

    report = measure(url, provider, zone, count=COUNT, label="smoke")

    assert set(report) == {"trivial_transaction", "validation_alone", "register", "resend", "end"}
    assert all(r["median_ms"] > 0 for r in report.values())
    r, a = tables.rights.c, tables.audit_events.c
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rights = connection.execute(sa.select(r.id, r.client_reference, r.status, r.start_time,
                                                  r.end_time, r.provider_id, r.tenant_id, r.zone_id)
                                        .where(r.client_reference.like("smoke-%"))).all()
            total = connection.execute(sa.select(sa.func.count()).select_from(
                tables.rights)).scalar_one()
            audited = connection.execute(sa.select(a.action, a.resource_id).where(
                a.resource_kind == "right")).all()
    finally:
        engine.dispose()

    measured = {f"smoke-{i}" for i in range(COUNT)}
    warmed = {f"smoke--{i}" for i in range(1, WARMUP + 1)}
    by_reference = {row.client_reference: row for row in rights}
    # register: every right stored once, for the provider in its zone
    assert set(by_reference) == measured | warmed
    assert {(row.provider_id, row.tenant_id, row.zone_id) for row in rights} == {
        (PARKPLUS, GENT, zone)}
    # resend: the re-sent rights stored nothing more
    assert total == demo_rights + len(measured) + len(warmed)
    # end: the measured rights, and only those, are ended, after their start
    assert {ref for ref, row in by_reference.items() if row.status == "ended"} == measured
    assert all(row.start_time < row.end_time for row in rights)
    ids = {ref: row.id for ref, row in by_reference.items()}
    actions = sorted(audited)
    assert actions == sorted(
        [("create", ids[ref]) for ref in measured | warmed]
        + [("read", ids[ref]) for ref in measured]  # each re-send answered with the first
        + [("update", ids[ref]) for ref in measured])  # each end
