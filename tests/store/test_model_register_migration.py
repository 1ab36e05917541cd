"""Migration 0011_model_register keeps existing data: every zone becomes its version 1 (in force
for its whole validity, its outline kept), linked regimes that named one version of a regime name
the regime across its versions, and rights and permits get the status history the store knew;
it can be undone without losing a zone, right or permit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
BASE = "https://data.parkeerregister.vlaanderen.be/id/"
ZONE = BASE + "zone/oud"
REGIME = BASE + "regime/rood"
LINKED = BASE + "regime/bewoners"
T = "2026-01-01 00:00:00"
WKT = "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, 3.70 51.00))"
ZONE_DOCUMENT = {"id": ZONE, "type": "Zone", "name": "Oud", "zoneKind": "blueZone",
                 "geometry": {"asWKT": WKT},
                 "validityPeriod": {"startTime": "2025-01-01T00:00:00Z"}}
REGIME_DOCUMENT = {"id": REGIME + "/1", "isVersionOf": REGIME, "version": 1, "name": "Rood",
                   "rightKind": "parking", "usage": "paidParking", "areaManager": "urn:o",
                   "validityPeriod": {"startTime": "2025-01-01T00:00:00Z"},
                   "grants": [LINKED + "/2", LINKED], "excludes": [LINKED + "/1"],
                   "zones": [ZONE]}


def _loaded(value):
    return json.loads(value) if isinstance(value, str) else value


def _seed(connection: sa.Connection) -> None:
    connection.execute(sa.text(
        "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
        "is_enforcement, document, created_at, updated_at, version) VALUES "
        "('urn:o', 'urn:o', 'Stad', true, false, false, '{}', :t, :t, 1)"), {"t": T})
    connection.execute(sa.text(
        "INSERT INTO zones (id, tenant_id, name, zone_kind, wkt, geojson, min_lon, min_lat, "
        "max_lon, max_lat, valid_from, document, created_at, updated_at, version) VALUES (:id, "
        "'urn:o', 'Oud', 'blueZone', :wkt, '{}', 3.70, 51.00, 3.71, 51.01, :t, :doc, :t, :t, 4)"),
        {"id": ZONE, "wkt": WKT, "doc": json.dumps(ZONE_DOCUMENT), "t": T})
    connection.execute(sa.text(
        "INSERT INTO regime_versions (id, regime_id, tenant_id, version_number, name, right_kind, "
        "usage, valid_from, document, created_at) VALUES (:id, :regime, 'urn:o', 1, 'Rood', "
        "'parking', 'paidParking', :t, :doc, :t)"),
        {"id": REGIME + "/1", "regime": REGIME, "doc": json.dumps(REGIME_DOCUMENT), "t": T})


T2 = "2026-03-01 10:00:00"
RIGHT = {"id": BASE + "right/r1", "type": "Right", "rightStatus": "revoked"}
ACTIVE_RIGHT = {"id": BASE + "right/r2", "type": "Right", "rightStatus": "active"}
PERMIT = {"id": BASE + "permit/p1", "type": "Permit", "permitStatus": "suspended"}
NEW_PERMIT = {"id": BASE + "permit/p2", "type": "Permit", "permitStatus": "active"}


def _seed_statuses(connection: sa.Connection) -> None:
    for document, status in ((RIGHT, "revoked"), (ACTIVE_RIGHT, "active")):
        connection.execute(sa.text(
            "INSERT INTO rights (id, tenant_id, zone_id, provider_id, plate_hash, country, "
            "start_time, status, channel, request_hash, document, created_at, updated_at, "
            "version) VALUES (:id, 'urn:o', :zone, 'urn:o', 'h', 'BE', :t, :status, 'app', 'x', "
            ":doc, :t, :t2, 2)"),
            {"id": document["id"], "zone": ZONE, "status": status, "doc": json.dumps(document),
             "t": T, "t2": T2})
    for document, status, version in ((PERMIT, "suspended", 3), (NEW_PERMIT, "active", 1)):
        connection.execute(sa.text(
            "INSERT INTO permits (id, tenant_id, permit_type, status, holder_reference, "
            "valid_from, document, created_at, updated_at, version) VALUES (:id, 'urn:o', "
            "'resident', :status, 'holder-0001', :t, :doc, :t, :t2, :v)"),
            {"id": document["id"], "status": status, "doc": json.dumps(document), "t": T,
             "t2": T2, "v": version})


@pytest.mark.parametrize("backend", BACKENDS)
def test_rights_and_permits_get_the_status_history_the_store_knew(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0010_web_sessions")
        with engine.begin() as connection:
            _seed(connection)
            _seed_statuses(connection)

        migrations.upgrade(engine, "0011_model_register")

        with engine.connect() as connection:
            def document(table, iri):
                return _loaded(connection.execute(sa.text(
                    f"SELECT document FROM {table} WHERE id = :id"), {"id": iri}).scalar_one())

            revoked, active = document("rights", RIGHT["id"]), document("rights",
                                                                         ACTIVE_RIGHT["id"])
            suspended, new = document("permits", PERMIT["id"]), document("permits",
                                                                         NEW_PERMIT["id"])
            since = dict(connection.execute(sa.text(
                "SELECT id, status_since FROM permits")).all())
        first, last = "2026-01-01T00:00:00Z", "2026-03-01T10:00:00Z"
        assert revoked["rightStatusHistory"] == [
            {"rightStatus": "active", "statusSince": first},
            {"rightStatus": "revoked", "statusSince": last}]
        assert revoked["statusSince"] == last and revoked["rightStatus"] == "revoked"
        assert active["rightStatusHistory"] == [{"rightStatus": "active", "statusSince": first}]
        assert suspended["permitStatusHistory"] == [{"permitStatus": "suspended",
                                                     "statusSince": last}]
        assert new["statusSince"] == first  # never changed: its status since its registration
        assert {k: str(v)[:19] for k, v in since.items()} == {
            PERMIT["id"]: "2026-03-01 10:00:00", NEW_PERMIT["id"]: "2026-01-01 00:00:00"}

        downgrade(engine, "0010_web_sessions")
        with engine.connect() as connection:
            assert document("rights", RIGHT["id"]) == RIGHT
            assert document("permits", PERMIT["id"]) == PERMIT
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_zones_become_version_1_and_linked_regimes_name_the_regime(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0010_web_sessions")
        with engine.begin() as connection:
            _seed(connection)

        assert migrations.upgrade(engine, "0011_model_register") == "0011_model_register"

        with engine.connect() as connection:
            zone = _loaded(connection.execute(sa.text(
                "SELECT document FROM zones WHERE id = :id"), {"id": ZONE}).scalar_one())
            versions = connection.execute(sa.text(
                "SELECT id, zone_id, tenant_id, version_number, valid_from, valid_to, wkt, "
                "min_lon, max_lat, document FROM zone_versions")).all()
            regime = _loaded(connection.execute(sa.text(
                "SELECT document FROM regime_versions")).scalar_one())
        assert zone == {**ZONE_DOCUMENT, "version": 1}
        assert len(versions) == 1
        (vid, zone_id, tenant, number, start, end, wkt, min_lon, max_lat, document) = versions[0]
        assert (vid, zone_id, tenant, number) == (ZONE + "/1", ZONE, "urn:o", 1)
        assert (start, end) == (None, None)  # the zone's own validity bounds it
        assert (wkt, min_lon, max_lat) == (WKT, 3.70, 51.01)
        assert _loaded(document) == {**ZONE_DOCUMENT, "version": 1}
        assert regime["grants"] == [LINKED]  # both forms name the same regime: once
        assert regime["excludes"] == [LINKED]
        assert regime["zones"] == [ZONE] and regime["id"] == REGIME + "/1"

        downgrade(engine, "0010_web_sessions")
        assert "zone_versions" not in sa.inspect(engine).get_table_names()
        with engine.connect() as connection:
            kept = _loaded(connection.execute(sa.text(
                "SELECT document FROM zones WHERE id = :id"), {"id": ZONE}).scalar_one())
        assert kept == ZONE_DOCUMENT
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_migrated_zone_is_found_at_a_point_in_the_past(backend, empty_store_url):
    """The check's catalogue reads the migrated version: the zone answers at a point."""
    from vptr.store import catalogue

    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0010_web_sessions")
        with engine.begin() as connection:
            _seed(connection)
        migrations.upgrade(engine)
        with engine.connect() as connection:
            found = catalogue.current(connection).zones_at_point(
                3.705, 51.005, datetime(2026, 6, 1, tzinfo=UTC))
        assert [z.id for z in found] == [ZONE]
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_authorisations_keep_their_scopes_and_gain_none_and_credits_start_unused(
        backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        migrations.upgrade(engine, "0010_web_sessions")
        with engine.begin() as connection:
            _seed(connection)
            connection.execute(sa.text(
                "INSERT INTO authorisations (id, tenant_id, grantee_id, can_read, can_write, "
                "all_zones, document, created_at, updated_at, version) VALUES ('urn:a', 'urn:o', "
                "'urn:o', true, false, true, '{}', :t, :t, 1)"), {"t": T})

        migrations.upgrade(engine, "0011_model_register")

        with engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT can_read, can_write, can_manage_permits, can_manage_whitelists "
                "FROM authorisations")).one() == (True, False, False, False)
            assert connection.execute(sa.text(
                "SELECT count(*) FROM credit_consumptions")).scalar_one() == 0
        downgrade(engine, "0010_web_sessions")
        names = sa.inspect(engine).get_table_names()
        columns = {c["name"] for c in sa.inspect(engine).get_columns("authorisations")}
        assert "credit_consumptions" not in names and "can_manage_permits" not in columns
    finally:
        engine.dispose()
