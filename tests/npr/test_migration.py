"""Revision 0007_npr adds the NPR codes and gives every existing right its PSRightId, in order of
registration; it can be undone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from vptr.store import migrations
from vptr.store.db import make_engine

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _rows(connection: sa.Connection) -> None:
    org = "https://data.parkeerregister.vlaanderen.be/id/organisation/gent"
    zone = "https://data.parkeerregister.vlaanderen.be/id/zone/z"
    connection.execute(sa.text(
        "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
        "is_enforcement, document, created_at, updated_at, version) VALUES "
        "(:id, :id, 'Gent', true, true, false, '{}', :t, :t, 1)"), {"id": org, "t": T0})
    connection.execute(sa.text(
        "INSERT INTO zones (id, tenant_id, name, zone_kind, wkt, geojson, min_lon, min_lat, "
        "max_lon, max_lat, document, created_at, updated_at, version) VALUES "
        "(:id, :org, 'Z', 'paidParking', 'POINT (0 0)', '{}', 0, 0, 0, 0, '{}', :t, :t, 1)"),
        {"id": zone, "org": org, "t": T0})
    for n, minutes in (("b", 5), ("a", 10), ("c", 1)):
        connection.execute(sa.text(
            "INSERT INTO rights (id, tenant_id, zone_id, provider_id, plate_hash, plate, country, "
            "start_time, status, channel, request_hash, document, created_at, updated_at, "
            "version) VALUES (:id, :org, :zone, :org, 'h', 'P', 'BE', :t, 'active', 'app', 'r', "
            "'{}', :c, :c, 1)"),
            {"id": f"https://data.parkeerregister.vlaanderen.be/id/right/{n}", "org": org,
             "zone": zone, "t": T0, "c": T0 + timedelta(minutes=minutes)})


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_0007_numbers_existing_rights_and_can_be_undone(empty_store_url, backend):
    engine = make_engine(empty_store_url(backend))
    migrations.upgrade(engine, "0005_sealed_plate_keys")
    with engine.begin() as connection:
        _rows(connection)
    assert migrations.upgrade(engine, "0007_npr") == "0007_npr"
    with engine.connect() as connection:
        numbered = connection.execute(sa.text(
            "SELECT right_id, ps_right_id FROM npr_rights ORDER BY ps_right_id")).all()
    assert [r.right_id.rsplit("/", 1)[1] for r in numbered] == ["c", "b", "a"]
    assert len({r.ps_right_id for r in numbered}) == 3
    config = migrations.alembic_config()
    with migrations.MIGRATION_LOCK, engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_sealed_plate_keys")
        connection.commit()
    assert not {"npr_codes", "npr_rights", "npr_kept"} & set(sa.inspect(engine).get_table_names())
    engine.dispose()
