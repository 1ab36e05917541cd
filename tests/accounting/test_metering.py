"""Every request is counted once, durably, and counts of several instances add up."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from vptr.accounting.metering import MeteringCounter, billing_day, report
from vptr.cli import app as cli

GENT = "https://data.parkeerregister.vlaanderen.be/id/organisation/gent"
ANTWERPEN = "https://data.parkeerregister.vlaanderen.be/id/organisation/antwerpen"
APP = "https://data.parkeerregister.vlaanderen.be/id/organisation/parkeerapp"
DAY = date(2025, 3, 14)


def counts(engine, **kwargs) -> dict[tuple[str, str, str, str], int]:
    rows = report(engine, first_day=date(2000, 1, 1), last_day=date(2100, 1, 1), **kwargs)
    return {(r.tenant, r.organisation, r.day.isoformat(), r.operation): r.count for r in rows}


def test_counts_are_kept_per_organisation_tenant_day_and_operation(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, today=lambda: DAY)
    for _ in range(3):
        counter.count(APP, GENT, "createRight")
    counter.count(APP, ANTWERPEN, "createRight")
    counter.count(APP, GENT, "checkRight")
    counter.count(None, None, "openDataZones")

    written = counter.flush()

    assert written == 6
    assert counts(sqlite_engine) == {
        (GENT, APP, "2025-03-14", "createRight"): 3,
        (GENT, APP, "2025-03-14", "checkRight"): 1,
        (ANTWERPEN, APP, "2025-03-14", "createRight"): 1,
        ("", "", "2025-03-14", "openDataZones"): 1,
    }


def test_nothing_reaches_the_database_before_a_flush_and_everything_after_close(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, flush_seconds=3600, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")
    assert counts(sqlite_engine) == {}

    counter.close()

    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 1}


def test_the_background_thread_flushes_without_being_asked(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, flush_seconds=0.05, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")
    try:
        for _ in range(100):
            if counts(sqlite_engine):
                break
            threading.Event().wait(0.02)
        assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 1}
    finally:
        counter.close()


def test_successive_flushes_add_to_the_stored_count(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")
    counter.flush()
    counter.count(APP, GENT, "createRight")
    counter.count(APP, GENT, "createRight")
    counter.flush()

    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 3}


def test_counts_survive_a_failed_flush_and_are_written_by_the_next(sqlite_engine, monkeypatch):
    counter = MeteringCounter(sqlite_engine, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")
    original = counter._write

    def broken(batch):
        raise ConnectionError("database away")

    monkeypatch.setattr(counter, "_write", broken)
    with pytest.raises(ConnectionError):
        counter.flush()
    counter.count(APP, GENT, "createRight")
    monkeypatch.setattr(counter, "_write", original)

    assert counter.flush() == 2
    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 2}


def test_without_batching_every_request_is_written_at_once(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, flush_seconds=0, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")

    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 1}


def test_a_report_covers_the_days_asked_for_and_the_tenants_allowed(sqlite_engine):
    days = iter([date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 14)])
    counter = MeteringCounter(sqlite_engine, today=lambda: next(days))
    for tenant in (GENT, GENT, GENT, ANTWERPEN):
        counter.count(APP, tenant, "createRight")
    counter.flush()

    rows = report(
        sqlite_engine, first_day=date(2025, 3, 14), last_day=date(2025, 3, 15), tenants=[GENT]
    )

    assert [(r.day, r.tenant, r.count) for r in rows] == [
        (date(2025, 3, 14), GENT, 1),
        (date(2025, 3, 15), GENT, 1),
    ]


def test_the_billing_day_is_the_day_in_brussels():
    # 23:30 UTC on 31 March is already 1 April in Brussels (summer time, UTC+2).
    assert billing_day(datetime(2025, 3, 31, 23, 30, tzinfo=UTC)) == date(2025, 4, 1)


@pytest.mark.postgres
def test_instances_sharing_a_database_add_up_exactly(postgres_engine):
    instances = [MeteringCounter(postgres_engine, today=lambda: DAY) for _ in range(4)]
    per_instance = 250

    def serve(counter: MeteringCounter) -> None:
        for i in range(per_instance):
            counter.count(APP, GENT, "createRight")
            if i % 50 == 0:
                counter.flush()
        counter.flush()

    threads = [threading.Thread(target=serve, args=(counter,)) for counter in instances]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counts(postgres_engine) == {(GENT, APP, "2025-03-14", "createRight"): 4 * per_instance}


def test_an_idle_counter_lets_its_thread_end_and_starts_one_again_when_needed(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, flush_seconds=0.01, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")
    first = counter._thread
    first.join(timeout=5)  # ten empty flushes after the first one, it ends by itself

    counter.count(APP, GENT, "createRight")
    counter.close()

    assert not first.is_alive()
    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 2}


def test_disposing_of_the_engine_writes_what_is_pending(sqlite_engine):
    counter = MeteringCounter(sqlite_engine, flush_seconds=3600, today=lambda: DAY)
    counter.count(APP, GENT, "createRight")

    sqlite_engine.dispose()  # what the store does when it shuts down

    assert counts(sqlite_engine) == {(GENT, APP, "2025-03-14", "createRight"): 1}


def test_the_metering_command_reports_a_tenants_days_and_refuses_a_bad_period(sqlite_engine):
    days = iter([date(2025, 3, 13), date(2025, 3, 14), date(2025, 3, 14), date(2025, 3, 14)])
    counter = MeteringCounter(sqlite_engine, today=lambda: next(days))
    for tenant in (GENT, GENT, GENT, ANTWERPEN):
        counter.count(APP, tenant, "createRight")
    counter.flush()
    url = str(sqlite_engine.url)
    runner = CliRunner()

    result = runner.invoke(cli, ["metering", "--tenant", GENT, "--from", "2025-03-14",
                                 "--to", "2025-03-31", "--json", "--database-url", url])
    text = runner.invoke(cli, ["metering", "--from", "2025-03-01", "--to", "2025-03-31",
                               "--database-url", url])
    bad = runner.invoke(cli, ["metering", "--from", "14/03/2025", "--database-url", url])
    reversed_ = runner.invoke(cli, ["metering", "--from", "2025-03-14", "--to", "2025-03-01",
                                    "--database-url", url])

    assert result.exit_code == 0, result.output
    report_ = json.loads(result.stdout)
    assert report_["total"] == 2
    assert [(r["day"], r["tenant"], r["count"]) for r in report_["rows"]] == [
        ("2025-03-14", GENT, 2)]
    assert text.stdout.strip().endswith("total 4 requests from 2025-03-01 to 2025-03-31")
    assert bad.exit_code == 2 and "--from" in bad.stderr
    assert reversed_.exit_code == 2 and "--to" in reversed_.stderr
