"""Migration 0014_model_rules: stored whitelists name their area manager ``areaManager`` and their
reason with the user class's concept; whitelists already in the new form, and the rest of the
store, are left exactly as they were."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from vptr.store import migrations
from vptr.store.db import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
CONCEPT = "https://data.vlaanderen.be/id/concept/"
ID = "https://data.parkeerregister.vlaanderen.be/id/"
T = "2026-01-01 00:00:00"
PERIOD = {"startTime": "2026-01-01T00:00:00Z"}

#: A whitelist as 1.0 stored it: ``owner``, and a reason a client wrote as a full concept IRI.
OLD = {"id": ID + "whitelist/oud", "type": "Whitelist", "name": "Hulpdiensten",
       "owner": "urn:o", "zones": [ID + "zone/z"], "validityPeriod": PERIOD,
       "whitelistReason": CONCEPT + "RedenWitteLijst/hulpdiensten"}
NEW = {"id": ID + "whitelist/oud", "type": "Whitelist", "name": "Hulpdiensten",
       "areaManager": "urn:o", "zones": [ID + "zone/z"], "validityPeriod": PERIOD,
       "whitelistReason": CONCEPT + "Gebruikersklasse/hulpdiensten"}
OLD_REASON = {"sqlite": CONCEPT + "RedenWitteLijst/hulpdiensten",
              "postgresql": "emergencyServices"}
NEW_REASON = {"sqlite": CONCEPT + "Gebruikersklasse/hulpdiensten",
              "postgresql": "emergencyServices"}
#: Already in the new form (a short name, which did not change).
PLAIN = {"id": ID + "whitelist/nieuw", "type": "Whitelist", "name": "Wagenpark",
         "areaManager": "urn:o", "zones": [ID + "zone/z"], "validityPeriod": PERIOD,
         "whitelistReason": "municipalFleet", "description": "owner of nothing"}
#: An entry whose reason, deep in the document, is an old IRI.
ENTRY = {"id": ID + "whitelist-entry/e", "type": "WhitelistEntry",
         "vehicle": {"licencePlate": {"plateNumber": "1ABC123", "country": "BE"}},
         "whitelistReason": CONCEPT + "RedenWitteLijst/evenement"}


def _whitelist(connection: sa.Connection, document: dict, reason: str) -> None:
    connection.execute(sa.text(
        "INSERT INTO whitelists (id, tenant_id, name, reason, valid_from, document, created_at, "
        "updated_at, version) VALUES (:id, 'urn:o', 'w', :reason, :t, :doc, :t, :t, 1)"),
        {"id": document["id"], "reason": reason, "doc": json.dumps(document), "t": T})


def _stored(connection: sa.Connection, table: str, iri: str, column: str = "document") -> object:
    value = connection.execute(sa.text(f"SELECT {column} FROM {table} WHERE id = :id"),
                               {"id": iri}).scalar_one()
    return json.loads(value) if column == "document" and isinstance(value, str) else value


@pytest.mark.parametrize("backend", BACKENDS)
def test_whitelists_get_area_manager_and_the_user_class_concept(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0013_change_stream")
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
                "is_enforcement, document, created_at, updated_at, version) VALUES "
                "('urn:o', 'urn:o', 'Stad', true, false, false, '{}', :t, :t, 1)"), {"t": T})
            # whitelists.reason is 64 characters: only SQLite can hold a full IRI of the old list
            _whitelist(connection, OLD, OLD_REASON[backend])
            _whitelist(connection, PLAIN, "municipalFleet")
            connection.execute(sa.text(
                "INSERT INTO whitelist_entries (id, whitelist_id, tenant_id, plate_hash, plate, "
                "country, document, created_at, updated_at, version) VALUES (:id, :w, 'urn:o', "
                "'h', '1ABC123', 'BE', :doc, :t, :t, 1)"),
                {"id": ENTRY["id"], "w": OLD["id"], "doc": json.dumps(ENTRY), "t": T})

        assert migrations.upgrade(engine) == migrations.head_revision()

        with engine.connect() as connection:
            assert _stored(connection, "whitelists", OLD["id"]) == NEW
            assert (_stored(connection, "whitelists", OLD["id"], "reason")
                    == NEW_REASON[backend])
            assert _stored(connection, "whitelists", PLAIN["id"]) == PLAIN
            assert _stored(connection, "whitelists", PLAIN["id"], "reason") == "municipalFleet"
            entry = _stored(connection, "whitelist_entries", ENTRY["id"])
            assert entry == {**ENTRY, "whitelistReason": CONCEPT + "Gebruikersklasse/evenement"}
    finally:
        engine.dispose()
