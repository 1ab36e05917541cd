"""After retention, the register still answers for the past: checks, searches and reports work on
the pseudonyms, while no clear plate of an old right is left in the store or in an answer."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from support.two_tenants import right_body
from typer.testing import CliRunner

from vptr.accounting.retention import run_retention
from vptr.cli import app as cli
from vptr.services import demo
from vptr.store import tables
from vptr.times import format_instant, now

PLATE = "8HIST01"


def register_and_age(client_as, store):
    """A right registered now, and retention run as if 100 days had passed since it ended."""
    created = client_as("provider").post("/rights", json={
        **right_body(demo.ZONE_ROOD, PLATE), "amountPaid": {"value": "3.20", "currency": "EUR"}})
    assert created.status_code == 201, created.text
    right = created.json()
    result = run_retention(store.engine, days=91, now=now() + timedelta(days=100))
    assert result.rights >= 1
    return right


def test_a_check_at_a_past_moment_still_finds_the_pseudonymised_right(client_as, store):
    right = register_and_age(client_as, store)
    during = right["validityPeriod"]["startTime"]

    answer = client_as("enforcement").get("/check", params={
        "plate": PLATE, "country": "BE", "zone": demo.ZONE_ROOD, "at": during})

    assert answer.status_code == 200, answer.text
    assert answer.json()["allowed"] is True
    assert [g["id"] for g in answer.json()["grants"] if g["kind"] == "right"] == [right["id"]]


def test_a_search_by_plate_still_finds_it_but_shows_only_the_pseudonym(client_as, store):
    right = register_and_age(client_as, store)

    found = client_as("area-manager").get("/rights", params={"plate": PLATE, "country": "BE"})

    assert [r["id"] for r in found.json()["@graph"]] == [right["id"]]
    assert PLATE not in found.text
    with store.reading() as connection:
        r = tables.rights.c
        stored = connection.execute(sa.select(r.plate, r.pseudonymised_at)
                                    .where(r.id == right["id"])).one()
    assert stored.plate is None and stored.pseudonymised_at is not None


def test_the_provider_report_totals_are_unchanged(client_as, store):
    period = {"from": format_instant(now() - timedelta(days=1)),
              "to": format_instant(now() + timedelta(days=1))}
    client_as("provider").post("/rights", json={
        **right_body(demo.ZONE_ROOD, PLATE), "amountPaid": {"value": "3.20", "currency": "EUR"}})
    before = client_as("area-manager").get("/reports/providers", params=period).json()

    run_retention(store.engine, days=91, now=now() + timedelta(days=100))
    after = client_as("area-manager").get("/reports/providers", params=period).json()

    assert before["providers"], before
    assert after["providers"] == before["providers"]


def test_the_command_reports_what_it_did_and_a_dry_run_changes_nothing(client_as, store,
                                                                        store_url):
    right = register_and_age(client_as, store)["id"]
    with store.transaction() as connection:  # put the clear plate back, as before retention
        connection.execute(tables.rights.update().where(tables.rights.c.id == right)
                           .values(plate=PLATE, pseudonymised_at=None,
                                   end_time=now() - timedelta(days=100)))
    runner = CliRunner()

    def clear() -> str | None:
        with store.reading() as connection:
            return connection.execute(sa.select(tables.rights.c.plate)
                                      .where(tables.rights.c.id == right)).scalar_one()

    dry = runner.invoke(cli, ["retention", "run", "--dry-run", "--json",
                              "--database-url", store_url])
    assert dry.exit_code == 0, dry.output
    assert (json.loads(dry.stdout)["rights"], json.loads(dry.stdout)["dryRun"]) == (1, True)
    assert clear() == PLATE

    real = runner.invoke(cli, ["retention", "run", "--database-url", store_url])
    assert real.exit_code == 0, real.output
    assert "pseudonymised 1 rights" in real.stdout
    assert clear() is None
