"""Revision 0010_web_sessions adds the table of the web app's staff sessions, keeps every existing
row, and can be undone."""

from __future__ import annotations

import sqlalchemy as sa
from support.migrations import downgrade

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_0010_adds_the_sessions_table_and_keeps_existing_rows(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "store.sqlite"))
    migrations.upgrade(engine, "0009_audit_person")
    with engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO audit_events (at, organisation_id, tenant_id, action, resource_kind, "
            "person) VALUES ('2026-01-01 00:00:00', 'o', 't', 'read', 'right', 'An')"))
    assert "web_sessions" not in table_names(engine)

    assert migrations.upgrade(engine, "0010_web_sessions") == "0010_web_sessions"
    assert "web_sessions" in table_names(engine)
    columns = {c["name"] for c in sa.inspect(engine).get_columns("web_sessions")}
    assert "id_hash" in columns and "id" not in columns  # never the session id itself
    with engine.connect() as connection:
        assert connection.execute(sa.text(
            "SELECT organisation_id, person FROM audit_events")).all() == [("o", "An")]

    downgrade(engine, "0009_audit_person")
    assert "web_sessions" not in table_names(engine)
    engine.dispose()
