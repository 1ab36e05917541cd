"""The check's connection (vptr.store.database.Store.hot_reading): on the embedded store the
thread that runs checks keeps one connection instead of a pool checkout per check, and still
reads what is committed at each moment."""

from __future__ import annotations

import threading

from sqlalchemy import text

from vptr.settings import Settings
from vptr.store.database import Store
from vptr.store.db import sqlite_url


def _store(tmp_path) -> Store:
    store = Store(Settings(database_url=sqlite_url(tmp_path / "hot.sqlite"), demo=False))
    store.prepare()
    with store.transaction() as connection:
        connection.execute(text("CREATE TABLE probe (n INTEGER)"))
    return store


def test_the_owning_thread_gets_the_same_connection_and_sees_every_commit(tmp_path):
    store = _store(tmp_path)
    try:
        with store.hot_reading() as first:
            assert first.execute(text("SELECT count(*) FROM probe")).scalar_one() == 0
        with store.transaction() as connection:  # another connection commits meanwhile
            connection.execute(text("INSERT INTO probe VALUES (1)"))
        with store.hot_reading() as second:
            assert second is first
            assert second.execute(text("SELECT count(*) FROM probe")).scalar_one() == 1
        assert not first.in_transaction()  # nothing held open between checks
    finally:
        store.dispose()
    assert first.closed


def test_another_thread_and_a_nested_block_get_ordinary_connections(tmp_path):
    store = _store(tmp_path)
    seen = {}
    try:
        with store.hot_reading() as own, store.hot_reading() as nested:
            seen["nested"] = nested

        def other() -> None:
            with store.hot_reading() as connection:
                seen["other"] = connection

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert seen["nested"] is not own and seen["other"] is not own
        assert seen["nested"].closed and seen["other"].closed  # returned to the pool
    finally:
        store.dispose()


def test_a_failed_statement_gives_a_fresh_connection_next_time(tmp_path):
    store = _store(tmp_path)
    try:
        try:
            with store.hot_reading() as broken:
                broken.execute(text("SELECT * FROM no_such_table"))
        except Exception:
            pass
        with store.hot_reading() as fresh:
            assert fresh is not broken
            assert fresh.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        store.dispose()
