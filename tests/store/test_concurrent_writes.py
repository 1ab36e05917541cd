"""Writers under load: on SQLite they queue in the process instead of polling SQLite's lock, hold
the write lock from the first statement, give way to another process's writer when they must not
wait, and never checkpoint the log on a request's path; on both stores a burst of concurrent
registrations stores each right exactly once."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from support.builders import right_body

from vptr.auth.principal import Principal
from vptr.services import rights
from vptr.services.demo import PARKPLUS
from vptr.services.runtime import Caller, Runtime
from vptr.store import sqlite_writes, tables
from vptr.store.database import Store
from vptr.store.db import make_engine
from vptr.store.sqlite_writes import WriteBusy, write_transaction

PROVIDER = Principal(PARKPLUS, "ParkPlus NV", frozenset({"provider"}))


def database_file(engine: sa.Engine) -> str:
    assert engine.url.database
    return engine.url.database


def another_process_holds_the_write_lock(path: str) -> sqlite3.Connection:
    """A connection outside the process's gate, as another process's, holding the write lock
    (taken as soon as a write of an earlier test's background flush, if any, is done)."""
    other = sqlite3.connect(path, isolation_level=None, timeout=5, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_transaction_holds_the_write_lock_before_its_first_statement(empty_store_url):
    engine = make_engine(empty_store_url("sqlite"))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        with write_transaction(engine) as connection:
            assert connection.connection.driver_connection.in_transaction
            other = sqlite3.connect(database_file(engine), isolation_level=None, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # a reader-turned-writer could slip in here
            other.close()
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == \
                sqlite_writes.SQLITE_AUTOCHECKPOINT_PAGES
    finally:
        engine.dispose()


def test_a_rolled_back_write_transaction_leaves_nothing_and_frees_the_lock(empty_store_url):
    engine = make_engine(empty_store_url("sqlite"))
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        with pytest.raises(RuntimeError), write_transaction(engine) as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            raise RuntimeError("refused half-way")
        done = threading.Event()
        threading.Thread(target=lambda: (write_transaction(engine).__enter__(), done.set()),
                         daemon=True).start()
        assert done.wait(5), "another thread could not begin a write after the rollback"
    finally:
        engine.dispose()


#: PostgreSQL writers do not queue for one lock, and only the embedded store writes on the event
#: loop: these two are about SQLite alone.
sqlite_only = pytest.mark.parametrize("_demo_store", ["sqlite"], indirect=True)


@sqlite_only
def test_a_write_that_must_not_wait_gives_way_to_another_process_before_writing(store: Store,
                                                                                count_rows):
    before = count_rows("rights")
    other = another_process_holds_the_write_lock(database_file(store.engine))
    try:
        with pytest.raises(WriteBusy):
            store.write_now(rights.register, Runtime(store), Caller(PROVIDER),
                            right_body(reference="busy-1"))
    finally:
        other.rollback()
        other.close()
    assert count_rows("rights") == before
    registered = store.write_now(rights.register, Runtime(store), Caller(PROVIDER),
                                 right_body(reference="busy-1"))  # the lock is free again
    assert registered.created and count_rows("rights") == before + 1


@sqlite_only
def test_a_request_waits_in_the_thread_pool_while_another_process_writes(store: Store,
                                                                         client_as):
    provider = client_as("provider")
    other = another_process_holds_the_write_lock(database_file(store.engine))
    released = threading.Timer(0.3, lambda: (other.rollback(), other.close()))
    released.start()
    began = time.monotonic()
    try:
        response = provider.post("/rights", json=right_body(reference="after-the-other"))
    finally:
        released.join()
    assert response.status_code == 201, response.text
    assert time.monotonic() - began >= 0.25  # it waited for the other writer, and then wrote


def test_a_burst_of_concurrent_registrations_stores_each_right_once(store: Store, client_as,
                                                                    count_rows):
    """Many threads register at once, each its own rights and all of them the same re-sent one,
    while metering and the read audit flush beside them: no 'database is locked', no duplicate."""
    threads, each = 8, 6
    clients = [client_as("provider") for _ in range(threads)]
    enforcement = client_as("enforcement")
    rights_before, audit_before = count_rows("rights"), count_rows("audit_events")
    shared_body = right_body(plate="1SAME01", reference="burst-shared")  # one body, one moment

    def burst(index: int) -> list[int]:
        client = clients[index]
        statuses = [client.post("/rights", json=right_body(
            plate=f"1BRS{index}{n:02d}", reference=f"burst-{index}-{n}")).status_code
            for n in range(each)]
        statuses.append(client.post("/rights", json=shared_body).status_code)
        enforcement.get("/rights", params={"plate": f"1BRS{index}00", "country": "BE"})
        return statuses

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(burst, range(threads)))

    own = [status for statuses in results for status in statuses[:-1]]
    shared = sorted(statuses[-1] for statuses in results)
    assert own == [201] * threads * each
    assert shared == [200] * (threads - 1) + [201]  # one stored, the others answered as re-sends
    assert count_rows("rights") == rights_before + threads * each + 1
    with store.reading() as connection:
        created = connection.execute(sa.text(
            "SELECT count(*) FROM audit_events WHERE action = 'create' AND resource_kind = "
            "'right'")).scalar_one()
    assert count_rows("audit_events") > audit_before
    assert created >= threads * each + 1


def test_a_registration_and_its_re_send_are_audited_under_the_rights_tenant_and_pseudonym(
        store: Store):
    runtime = Runtime(store)
    body = right_body(reference="knows-1")  # one body: a re-send is the same right
    first = rights.register(runtime, Caller(PROVIDER), body)
    again = rights.register(runtime, Caller(PROVIDER), body)
    assert (first.created, again.created) == (True, False)
    r, a = tables.rights.c, tables.audit_events.c
    with store.reading() as connection:
        row = connection.execute(sa.select(r.tenant_id, r.plate_hash).where(
            r.id == first.document["id"])).one()
        entries = connection.execute(sa.select(a.action, a.tenant_id, a.plate_hash).where(
            a.resource_id == first.document["id"]).order_by(a.id)).all()
    assert [tuple(e) for e in entries] == [("create", *row), ("read", *row)]
