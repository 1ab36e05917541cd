"""Revision 0009_audit_person adds the acting person to the audit log, keeps existing entries, and
can be undone."""

from __future__ import annotations

import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url


def columns(engine: sa.Engine) -> set[str]:
    return {column["name"] for column in sa.inspect(engine).get_columns("audit_events")}


def test_0009_adds_the_person_and_keeps_entries(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    migrations.upgrade(engine, "0005_sealed_plate_keys")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO audit_events (at, organisation_id, tenant_id, action, resource_kind) "
            "VALUES ('2026-01-01 00:00:00', 'o', 't', 'read', 'right')"))
    assert "person" not in columns(engine)

    assert migrations.upgrade(engine, "0009_audit_person") == "0009_audit_person"
    assert "person" in columns(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT organisation_id, person FROM audit_events")).all() == [("o", None)]

    downgrade(engine, "0005_sealed_plate_keys")
    assert "person" not in columns(engine)
