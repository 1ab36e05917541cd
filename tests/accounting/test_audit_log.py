"""The audit log keeps who touched what, per tenant, and finds every access to one plate by its
pseudonym."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support import rows

from vptr.accounting.audit import Access, Actor, AuditAction, query, record
from vptr.store.plate_keys import hash_for
from vptr.times import now

GENT = rows.BASE + "organisation/gent"
ANTWERPEN = rows.BASE + "organisation/antwerpen"
APP = rows.BASE + "organisation/app"


@pytest.fixture
def engine(sqlite_engine):
    with sqlite_engine.begin() as connection:
        rows.organisation(connection, "gent", area_manager=True)
        rows.organisation(connection, "antwerpen", area_manager=True)
    return sqlite_engine


def right(n: int) -> str:
    return f"{rows.BASE}right/r{n}"


def test_entries_are_returned_to_their_tenant_only_newest_first(engine):
    caller = Actor(APP, "createRight", "192.0.2.7")
    start = now()
    with engine.begin() as connection:
        record(connection, caller, [Access(AuditAction.CREATE, "right", right(1), GENT)],
               at=start)
        record(connection, caller, [Access(AuditAction.CREATE, "right", right(2), ANTWERPEN)],
               at=start + timedelta(seconds=1))
        record(connection, caller, [Access(AuditAction.READ, "right", right(1), GENT)],
               at=start + timedelta(seconds=2))

    with engine.connect() as connection:
        entries, total = query(connection, tenants=[GENT], since=start,
                               until=start + timedelta(minutes=1))

    assert total == 2
    assert [(e.action, e.resource) for e in entries] == [("read", right(1)), ("create", right(1))]
    assert (entries[0].organisation, entries[0].client_address) == (APP, "192.0.2.7")


def test_the_time_window_includes_its_start_and_excludes_its_end(engine):
    start = now()
    with engine.begin() as connection:
        for seconds in (0, 10, 20):
            record(connection, Actor(APP),
                   [Access(AuditAction.READ, "permit", f"{rows.BASE}permit/p{seconds}", GENT)],
                   at=start + timedelta(seconds=seconds))

    with engine.connect() as connection:
        entries, _ = query(connection, tenants=[GENT], since=start,
                           until=start + timedelta(seconds=20))

    assert sorted(e.resource for e in entries) == [f"{rows.BASE}permit/p0",
                                                   f"{rows.BASE}permit/p10"]


def test_every_access_to_one_plate_is_found_by_its_pseudonym(engine):
    with engine.connect() as connection:
        pseudonym = hash_for(connection, GENT, "BE", "1ABC123")
        other = hash_for(connection, GENT, "BE", "2XYZ999")
    start = now()
    with engine.begin() as connection:
        record(connection, Actor(APP), [
            Access(AuditAction.SEARCH, "right", None, GENT, pseudonym),
            Access(AuditAction.CHECK, "right", right(3), GENT, pseudonym),
            Access(AuditAction.CHECK, "right", right(4), GENT, other),
        ], at=start)

    with engine.connect() as connection:
        entries, total = query(connection, tenants=[GENT], since=start,
                               until=start + timedelta(seconds=1), plate_hash=pseudonym)

    assert total == 2
    assert {e.action for e in entries} == {"search", "check"}
    assert all(e.plate_hash == pseudonym for e in entries)


def test_one_resource_history_can_be_asked_for(engine):
    start = now()
    with engine.begin() as connection:
        record(connection, Actor(APP), [
            Access(AuditAction.CREATE, "whitelist-entry", f"{rows.BASE}whitelist-entry/w1", GENT),
            Access(AuditAction.DELETE, "whitelist-entry", f"{rows.BASE}whitelist-entry/w2", GENT),
        ], at=start)

    with engine.connect() as connection:
        entries, total = query(connection, tenants=[GENT], since=start,
                               until=start + timedelta(seconds=1),
                               resource=f"{rows.BASE}whitelist-entry/w2")

    assert (total, entries[0].action) == (1, "delete")


def test_only_resources_that_hold_plates_are_audited():
    with pytest.raises(ValueError, match="not an audited kind"):
        Access(AuditAction.READ, "zone", rows.BASE + "zone/z", GENT)
