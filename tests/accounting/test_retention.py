"""Retention blanks the clear plates of what ended long ago and keeps everything else working."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from support import rows
from support.small_app import small_app

from vptr.accounting.retention import run_retention
from vptr.settings import Settings
from vptr.store import tables
from vptr.store.plate_keys import hash_for
from vptr.times import now


@pytest.fixture
def tenant(sqlite_engine):
    with sqlite_engine.begin() as connection:
        gent = rows.organisation(connection, "gent", area_manager=True)
        app = rows.organisation(connection, "app", provider=True, tenant=gent)
        zone = rows.zone(connection, gent, "gent-centrum")
    return sqlite_engine, gent, app, zone


def stored_right(engine, iri):
    with engine.connect() as connection:
        return connection.execute(select(tables.rights).where(tables.rights.c.id == iri)).one()


def add_right(engine, gent, app, zone, plate, *, ended_days_ago, lasted_hours=2, **kwargs):
    end = rows.days_ago(ended_days_ago) if ended_days_ago is not None else None
    start = (end or now()) - timedelta(hours=lasted_hours)
    with engine.begin() as connection:
        return rows.right(connection, tenant=gent, zone_id=zone, provider=app, plate=plate,
                          start=start, end=end, **kwargs)


def test_a_right_that_ended_past_the_retention_period_keeps_only_its_pseudonym(tenant):
    engine, gent, app, zone = tenant
    old = add_right(engine, gent, app, zone, "1ABC123", ended_days_ago=92)
    before = stored_right(engine, old)

    result = run_retention(engine, days=91)

    after = stored_right(engine, old)
    assert result.rights == 1
    assert after.plate is None
    assert after.pseudonymised_at is not None
    assert after.plate_hash == before.plate_hash
    with engine.connect() as connection:
        assert hash_for(connection, gent, "BE", "1ABC123") == after.plate_hash


def test_recent_and_running_rights_keep_their_plates(tenant):
    engine, gent, app, zone = tenant
    recent = add_right(engine, gent, app, zone, "2ABC123", ended_days_ago=90)
    running = add_right(engine, gent, app, zone, "3ABC123", ended_days_ago=None)

    result = run_retention(engine, days=91)

    assert result.rights == 0
    assert stored_right(engine, recent).plate == "2ABC123"
    assert stored_right(engine, running).plate == "3ABC123"


def test_a_right_revoked_long_ago_is_pseudonymised_even_if_it_was_meant_to_last(tenant):
    engine, gent, app, zone = tenant
    long_ago = rows.days_ago(200)
    with engine.begin() as connection:
        revoked = rows.right(connection, tenant=gent, zone_id=zone, provider=app, plate="4ABC123",
                             start=long_ago, end=None, status="revoked", updated=long_ago)

    run_retention(engine, days=91)

    assert stored_right(engine, revoked).plate is None


def test_the_period_is_configurable(tenant):
    engine, gent, app, zone = tenant
    week_old = add_right(engine, gent, app, zone, "5ABC123", ended_days_ago=8)

    assert run_retention(engine, days=30).rights == 0
    assert run_retention(engine, days=7).rights == 1
    assert stored_right(engine, week_old).plate is None


def test_a_dry_run_counts_without_changing_anything(tenant):
    engine, gent, app, zone = tenant
    old = add_right(engine, gent, app, zone, "6ABC123", ended_days_ago=120)

    result = run_retention(engine, days=91, dry_run=True)

    assert (result.rights, result.dry_run) == (1, True)
    assert stored_right(engine, old).plate == "6ABC123"


def test_running_twice_pseudonymises_nothing_more_and_keeps_the_first_stamp(tenant):
    engine, gent, app, zone = tenant
    old = add_right(engine, gent, app, zone, "7ABC123", ended_days_ago=120)
    run_retention(engine, days=91)
    stamp = stored_right(engine, old).pseudonymised_at

    again = run_retention(engine, days=91)

    assert again.rights == 0
    assert stored_right(engine, old).pseudonymised_at == stamp


def test_many_rights_are_handled_in_batches(tenant):
    engine, gent, app, zone = tenant
    for i in range(23):
        add_right(engine, gent, app, zone, f"8AB{i:03d}", ended_days_ago=100 + i)

    result = run_retention(engine, days=91, batch_size=5)

    with engine.connect() as connection:
        clear = connection.execute(
            select(func.count()).where(tables.rights.c.plate.is_not(None))
        ).scalar_one()
    assert (result.rights, clear) == (23, 0)


def test_money_totals_do_not_change(tenant):
    engine, gent, app, zone = tenant
    for days, cents in ((100, 250), (95, 1_000), (10, 75)):
        add_right(engine, gent, app, zone, f"9A{days}", ended_days_ago=days, amount_minor=cents)

    def total() -> tuple[int, int]:
        with engine.connect() as connection:
            return connection.execute(
                select(func.count(), func.sum(tables.rights.c.amount_minor))
            ).one()

    before = total()
    run_retention(engine, days=91)
    assert total() == before


def test_permit_vehicles_and_whitelist_entries_that_ended_long_ago_lose_their_plates(tenant):
    engine, gent, _app, _zone = tenant
    with engine.begin() as connection:
        rows.permit(connection, tenant=gent, plates=["1OLD001", "1OLD002"],
                    start=rows.days_ago(500), end=rows.days_ago(100))
        rows.permit(connection, tenant=gent, plates=["1NEW001"], start=rows.days_ago(500),
                    end=rows.days_ago(10))
        rows.whitelist(connection, tenant=gent, start=rows.days_ago(400), end=rows.days_ago(95),
                       entries=[("2OLD001", None)])
        rows.whitelist(connection, tenant=gent, start=rows.days_ago(400), end=None,
                       entries=[("2OLD002", rows.days_ago(92)), ("2NEW001", None)])

    result = run_retention(engine, days=91)

    with engine.connect() as connection:
        plates = set(connection.execute(select(tables.permit_vehicles.c.plate)).scalars())
        plates |= set(connection.execute(select(tables.whitelist_entries.c.plate)).scalars())
    assert (result.permit_vehicles, result.whitelist_entries) == (2, 2)
    assert plates == {None, "1NEW001", "2NEW001"}


def test_a_negative_period_is_refused(tenant):
    engine, *_ = tenant
    with pytest.raises(ValueError, match="negative"):
        run_retention(engine, days=-1)


def test_the_server_runs_retention_itself_when_asked_to(tenant):
    engine, gent, app, zone = tenant
    old = add_right(engine, gent, app, zone, "9JOB001", ended_days_ago=120)
    settings = Settings(database_url=str(engine.url), retention_interval_hours=1.0)

    with TestClient(small_app(settings)):  # the job runs once at start-up, then hourly
        deadline = time.monotonic() + 15  # generous: the job runs in the background
        while time.monotonic() < deadline:
            if stored_right(engine, old).plate is None:
                break
            threading.Event().wait(0.02)

    assert stored_right(engine, old).plate is None


def test_retention_is_off_in_the_server_by_default(tenant):
    engine, gent, app, zone = tenant
    old = add_right(engine, gent, app, zone, "9JOB002", ended_days_ago=120)

    with TestClient(small_app(Settings(database_url=str(engine.url)))) as client:
        client.get("/open")

    assert Settings().retention_interval_hours == 0
    assert stored_right(engine, old).plate == "9JOB002"
