"""The store: one way to open SQLite or PostgreSQL, a schema that migrations build and upgrade,
and the same tables the code describes."""

from __future__ import annotations

from datetime import UTC
from itertools import pairwise

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from vptr.store import migrations, tables
from vptr.store.db import DatabaseUrlError, make_engine, normalise_url

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def test_postgresql_urls_run_on_psycopg_3():
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(DatabaseUrlError, match="mysql"):
        normalise_url("mysql://u@h/db")


def test_the_embedded_store_logs_ahead_and_enforces_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/store.sqlite")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_revisions_start_at_0001_initial_and_form_one_line():
    script = ScriptDirectory.from_config(migrations.alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions[0].revision == "0001_initial"
    assert revisions[0].down_revision is None
    for before, after in pairwise(revisions):
        assert after.down_revision == before.revision
    assert migrations.head_revision() == revisions[-1].revision


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_build_exactly_the_tables_the_code_describes(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        assert migrations.upgrade(engine) == migrations.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, tables.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_store_made_by_the_first_version_is_upgraded_with_its_data(backend, empty_store_url):
    engine = make_engine(empty_store_url(backend))
    try:
        assert migrations.upgrade(engine, "0001_initial") == "0001_initial"
        with engine.begin() as connection:  # rows as version 0001 wrote them
            connection.execute(sa.text(
                "INSERT INTO organisations (id, tenant_id, name, is_area_manager, is_provider, "
                "is_enforcement, document, created_at, updated_at, version) VALUES "
                "('urn:o', 'urn:o', 'Stad Oud', true, false, false, '{}', :t, :t, 1)"),
                {"t": "2025-01-01 00:00:00"})
            connection.execute(sa.text(
                "INSERT INTO tenant_keys (tenant_id, hmac_key, created_at) VALUES "
                "('urn:o', 'ab', :t)"), {"t": "2025-01-01 00:00:00"})

        assert migrations.upgrade(engine) == migrations.head_revision()

        with engine.connect() as connection:
            names = connection.execute(sa.text("SELECT name FROM organisations")).scalars().all()
            keys = connection.execute(sa.text("SELECT hmac_key FROM tenant_keys")).scalars().all()
        assert (names, keys) == (["Stad Oud"], ["ab"])
        assert migrations.upgrade(engine) == migrations.head_revision()  # a no-op when current
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_instants_are_stored_in_utc_whatever_offset_they_arrive_with(backend, empty_store_url):
    from datetime import datetime, timedelta, timezone

    table = sa.Table("instants", sa.MetaData(), sa.Column("at", tables.UTCDateTime()))
    engine = make_engine(empty_store_url(backend))
    try:
        table.create(engine)
        brussels = timezone(timedelta(hours=2))
        with engine.begin() as connection:
            connection.execute(table.insert(), [
                {"at": datetime(2026, 6, 1, 12, 0, tzinfo=brussels)},
                {"at": datetime(2026, 6, 1, 10, 30, tzinfo=UTC)}])
            ordered = connection.execute(sa.select(table.c.at).order_by(table.c.at)).scalars()
            assert [a.isoformat() for a in ordered] == [
                "2026-06-01T10:00:00+00:00", "2026-06-01T10:30:00+00:00"]
            with pytest.raises(sa.exc.StatementError, match="time zone"):
                connection.execute(table.insert(), {"at": datetime(2026, 6, 1, 12, 0)})
    finally:
        engine.dispose()


def test_an_instance_is_ready_only_on_a_store_at_the_newest_schema(empty_store_url):
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.settings import Settings
    from vptr.store.database import Store

    store = Store(Settings(database_url=empty_store_url("sqlite")))
    store.mark_ready()  # as if another instance were expected to migrate it
    client = TestClient(create_app(store.settings, store))
    migrations.upgrade(store.engine, "0001_initial")
    behind = client.get("/ready")
    migrations.upgrade(store.engine)
    current = client.get("/ready")
    store.dispose()

    assert behind.status_code == 503 and behind.json()["status"] == "migrating"
    assert current.status_code == 200 and current.json()["schema"] == migrations.head_revision()
