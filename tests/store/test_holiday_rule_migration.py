"""Migration 0015_holiday_rule: a stored regime that was free on public holidays by its flag
``exemptPublicHolidays`` says so with the exempt day ``{"recurringDay": "publicHoliday"}``, and no
stored regime keeps the flag; the copies in the change stream follow. Downgrade gives the flag
back, so the register of 0014 reads the same regimes."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ID = "https://data.parkeerregister.vlaanderen.be/id/"
VPTR = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
T = "2026-01-01 00:00:00"
PERIOD = {"startTime": "2026-01-01T00:00:00Z"}
FEESTEN = {"calendarDate": "2026-07-20", "name": "Gentse Feesten"}
HOLIDAYS = {"recurringDay": "publicHoliday"}


def regime(ref: str, **fields: object) -> dict:
    return {"id": ID + f"regime/{ref}/1", "type": "Regime", "name": ref, "rightKind": "parking",
            "usage": "paidParking", "zones": [ID + "zone/z"], "areaManager": "urn:o",
            "validityPeriod": PERIOD, "version": 1, "isVersionOf": ID + f"regime/{ref}",
            **fields}


#: (as 0014 stored it, as 0015 stores it)
CASES = {
    "free with a dated day": (regime("a", exemptDays=[FEESTEN], exemptPublicHolidays=True),
                              regime("a", exemptDays=[FEESTEN, HOLIDAYS])),
    "free without dated days": (regime("b", exemptPublicHolidays=True),
                                regime("b", exemptDays=[HOLIDAYS])),
    "not free": (regime("c", exemptDays=[FEESTEN], exemptPublicHolidays=False),
                 regime("c", exemptDays=[FEESTEN])),
    "the 1.0 draft's IRI as a compact key": (
        regime("d", **{"vptr:vrijOpWettelijkeFeestdagen": True}),
        regime("d", exemptDays=[HOLIDAYS])),
    "the 0.1 IRI as a full key": (
        regime("e", **{VPTR + "exemptPublicHolidays": False}), regime("e")),
    "never had the flag": (regime("f", exemptDays=[FEESTEN]), regime("f", exemptDays=[FEESTEN])),
}


def _insert(connection: sa.Connection, seq: int, document: dict) -> None:
    connection.execute(sa.text(
        "INSERT INTO regime_versions (id, regime_id, tenant_id, version_number, name, right_kind, "
        "usage, valid_from, document, created_at) VALUES (:id, :regime, 'urn:o', 1, :name, "
        "'parking', 'paidParking', :t, :doc, :t)"),
        {"id": document["id"], "regime": document["isVersionOf"], "name": document["name"],
         "doc": json.dumps(document), "t": T})
    connection.execute(sa.text(
        "INSERT INTO change_events (seq, at, kind, resource_id, tenant_id, document) VALUES "
        "(:seq, :t, 'regime', :id, 'urn:o', :doc)"),
        {"seq": seq, "id": document["id"], "doc": json.dumps(document), "t": T})


def _stored(connection: sa.Connection) -> tuple[dict[str, dict], dict[str, dict]]:
    def read(value: object) -> dict:
        return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]

    versions = {row.id: read(row.document) for row in connection.execute(
        sa.text("SELECT id, document FROM regime_versions"))}
    events = {row.resource_id: read(row.document) for row in connection.execute(
        sa.text("SELECT resource_id, document FROM change_events"))}
    return versions, events


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_holiday_flag_becomes_an_exempt_day_and_back(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0014_model_rules")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
                "is_enforcement, document, created_at, updated_at, version) VALUES "
                "('urn:o', 'urn:o', 'Stad', true, false, false, '{}', :t, :t, 1)"), {"t": T})
            for seq, (old, _) in enumerate(CASES.values(), start=1):
                _insert(connection, seq, old)

        assert migrations.upgrade(engine) == migrations.head_revision()

        upgraded = {new["id"]: new for _, new in CASES.values()}
        with engine.connect() as connection:
            versions, events = _stored(connection)
        assert versions == upgraded
        assert events == upgraded
        assert "exemptPublicHolidays" not in json.dumps(versions)
        assert "vrijOpWettelijkeFeestdagen" not in json.dumps(versions)

        downgrade(engine, "0014_model_rules")
        with engine.connect() as connection:
            versions, _ = _stored(connection)
        # The flag is back wherever it was true (under the model's key); a false one was the same
        # as none, and a regime that never had it is untouched.
        assert versions[ID + "regime/a/1"] == regime("a", exemptDays=[FEESTEN],
                                                     exemptPublicHolidays=True)
        assert versions[ID + "regime/b/1"] == regime("b", exemptPublicHolidays=True)
        assert versions[ID + "regime/c/1"] == regime("c", exemptDays=[FEESTEN])
        assert versions[ID + "regime/d/1"] == regime("d", exemptPublicHolidays=True)
        assert versions[ID + "regime/f/1"] == regime("f", exemptDays=[FEESTEN])
    finally:
        engine.dispose()
