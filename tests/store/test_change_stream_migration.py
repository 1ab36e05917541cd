"""Revision 0013_change_stream adds the change stream of the public resources and makes the
resources a register already holds its first members (so its replay equals its dump from the
start); private resources and enforcement organisations stay out; it can be undone."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url

ID = "https://data.parkeerregister.vlaanderen.be/id/"
AT = "2026-01-01 00:00:00"



def organisation(connection, ref: str, *, manager: bool, provider: bool, enforcement: bool):
    connection.execute(sa.text(
        "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
        "is_enforcement, document, created_at, updated_at, version) VALUES (:id, :tenant, "
        ":name, :m, :p, :e, :doc, :at, :at, 1)"),
        {"id": ID + "organisation/" + ref, "tenant": ID + "organisation/gent", "name": ref,
         "m": manager, "p": provider, "e": enforcement, "at": AT,
         "doc": json.dumps({"id": ID + "organisation/" + ref, "name": ref})})


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    yield engine
    engine.dispose()


def test_0010_publishes_what_the_register_holds_and_nothing_private(engine):
    migrations.upgrade(engine, "0012_apds_webhooks")
    with engine.begin() as connection:
        organisation(connection, "gent", manager=True, provider=False, enforcement=False)
        organisation(connection, "app", manager=False, provider=True, enforcement=False)
        organisation(connection, "scan", manager=False, provider=False, enforcement=True)
        connection.execute(sa.text(
            "INSERT INTO zones (id, tenant_id, name, zone_kind, wkt, geojson, min_lon, min_lat, "
            "max_lon, max_lat, document, created_at, updated_at, version) VALUES (:id, :t, 'Z', "
            "'paidParking', 'POINT (0 0)', '{}', 0, 0, 0, 0, :doc, :at, :at, 1)"),
            {"id": ID + "zone/z", "t": ID + "organisation/gent", "at": AT,
             "doc": json.dumps({"id": ID + "zone/z", "name": "Z"})})
    assert migrations.upgrade(engine, "0013_change_stream") == "0013_change_stream"
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT seq, kind, resource_id, document FROM change_events ORDER BY seq")).all()
    assert [(r.seq, r.kind, r.resource_id.rsplit("/", 1)[-1]) for r in rows] == [
        (1, "organisation", "app"), (2, "organisation", "gent"), (3, "zone", "z")]
    document = rows[2].document
    assert (json.loads(document) if isinstance(document, str) else document)["name"] == "Z"
    # The register reads the members as it writes its own (an instant in UTC).
    from vptr.repositories import change_stream
    with engine.connect() as connection:
        head, at = change_stream.head(connection)
        assert head == 3 and at.tzinfo is not None
        assert change_stream.changes(connection, 1, 3)[2].document["name"] == "Z"

    downgrade(engine, "0012_apds_webhooks")
    assert "change_events" not in sa.inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM zones")).scalar() == 1


def test_0010_on_an_empty_register_starts_an_empty_stream(engine):
    migrations.upgrade(engine, "0013_change_stream")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM change_events")).scalar() == 0
