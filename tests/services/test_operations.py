"""Readiness (vptr.services.operations.readiness): an instance serves when its store answers with
the schema this version expects."""

from __future__ import annotations

from vptr.services.operations import readiness
from vptr.services.runtime import Runtime
from vptr.settings import Settings
from vptr.store import migrations
from vptr.store.database import Store


def test_a_migrated_store_is_ready(runtime):
    ready = readiness(runtime)
    assert ready.ready and ready.as_json() == {"status": "ready",
                                               "schema": migrations.head_revision()}


def test_an_empty_store_is_migrating_and_no_store_is_unavailable(empty_store_url):
    empty = Store(Settings(database_url=empty_store_url("sqlite")))
    with empty.engine.connect():  # an empty SQLite file exists: its schema is to come
        pass
    missing = Store(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/nothing"))
    try:
        migrating = readiness(Runtime(empty))
        unavailable = readiness(Runtime(missing))
    finally:
        empty.dispose()
        missing.dispose()
    assert (migrating.status, migrating.details["expected"]) == ("migrating",
                                                                 migrations.head_revision())
    assert unavailable.status == "unavailable" and not unavailable.ready


def test_a_missing_store_file_is_unavailable_and_the_probe_does_not_create_it(tmp_path):
    mistyped = tmp_path / "registre.sqlite"
    store = Store(Settings(database_url=f"sqlite:///{mistyped}"))
    try:
        state = readiness(Runtime(store))
    finally:
        store.dispose()
    assert state.status == "unavailable" and "no store file" in state.details["detail"]
    assert not mistyped.exists()
