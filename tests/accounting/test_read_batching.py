"""The two per-instance memories that keep checks cheap, and their bounds: resolved credentials
expire after ``auth_cache_seconds``; audit rows of reads reach the database in one transaction
within ``audit_flush_seconds`` and none is lost by a graceful stop."""

from __future__ import annotations

import time

import sqlalchemy as sa

from vptr.accounting.audit import (
    AUDIT_CHUNK_ROWS,
    Access,
    Actor,
    AuditAction,
    ReadAuditBuffer,
    rows_for,
)
from vptr.auth.cache import TtlCache, credential_key
from vptr.store.tables import audit_events


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_remembered_principal_expires_after_the_ttl():
    clock = Clock()
    cache = TtlCache(2.0, clock=clock)
    cache.put(credential_key("vptr_abcd_secret"), "principal")

    clock.now = 1.9
    assert cache.get(credential_key("vptr_abcd_secret")) == "principal"
    clock.now = 2.0
    assert cache.get(credential_key("vptr_abcd_secret")) is None


def test_nothing_negative_is_remembered_and_zero_switches_the_cache_off():
    cache = TtlCache(2.0)
    cache.put("key", None)
    assert cache.get("key") is None

    off = TtlCache(0.0)
    off.put("key", "principal")
    assert off.get("key") is None


def test_the_cache_keys_a_credential_by_its_hash_not_the_credential():
    key = "vptr_abcd_0123456789abcdefXYZ"
    assert key not in credential_key(key) and len(credential_key(key)) == 64


def _count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar_one()


def _rows(n: int) -> list[dict]:
    caller = Actor("https://example.org/org/scan", "check", "192.0.2.1")
    return rows_for(caller, [Access(AuditAction.CHECK, "right", f"https://example.org/r/{i}",
                                    "https://example.org/org/gent", "ab" * 32)
                             for i in range(n)])


def test_read_rows_wait_in_memory_and_a_graceful_stop_writes_them_all(sqlite_engine):
    buffer = ReadAuditBuffer(sqlite_engine, flush_seconds=3600)
    buffer.add(_rows(3))
    buffer.add(_rows(2))

    assert _count(sqlite_engine) == 0
    buffer.close()
    assert _count(sqlite_engine) == 5


def test_read_rows_are_written_within_the_flush_interval(sqlite_engine):
    buffer = ReadAuditBuffer(sqlite_engine, flush_seconds=0.05)
    buffer.add(_rows(4))

    deadline = time.monotonic() + 5
    while _count(sqlite_engine) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _count(sqlite_engine) == 4
    buffer.close()


def test_without_buffering_every_read_is_written_at_once(sqlite_engine):
    buffer = ReadAuditBuffer(sqlite_engine, flush_seconds=0)
    buffer.add(_rows(2))
    assert _count(sqlite_engine) == 2


def test_a_large_batch_is_written_in_one_transaction_a_chunk_at_a_time(sqlite_engine):
    """The flush holds the interpreter for one chunk at most (the checks' tail), and a batch
    still commits or fails as one."""
    statements: list[int] = []
    commits: list[bool] = []

    def on_execute(_conn, _cursor, _statement, parameters, _context, executemany):
        if executemany:
            statements.append(len(parameters))

    def on_commit(_conn) -> None:
        commits.append(True)

    sa.event.listen(sqlite_engine, "before_cursor_execute", on_execute)
    sa.event.listen(sqlite_engine, "commit", on_commit)
    try:
        buffer = ReadAuditBuffer(sqlite_engine, flush_seconds=3600)
        buffer.add(_rows(AUDIT_CHUNK_ROWS * 2 + 7))
        buffer.close()
    finally:
        sa.event.remove(sqlite_engine, "before_cursor_execute", on_execute)
        sa.event.remove(sqlite_engine, "commit", on_commit)

    assert statements == [AUDIT_CHUNK_ROWS, AUDIT_CHUNK_ROWS, 7]
    assert len(commits) == 1
    assert _count(sqlite_engine) == AUDIT_CHUNK_ROWS * 2 + 7
