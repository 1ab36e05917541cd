"""Staff sessions of the web app live in the store, on SQLite and PostgreSQL: only the SHA-256 of
the session id is stored, the id and the CSRF token are replaced at login, a session ends at
logout, after the idle limit and at its expiry, and the retention run deletes the dead ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from vptr.accounting.retention import run_retention
from vptr.auth.principal import principal_for_organisation
from vptr.services import staff_sessions
from vptr.services.demo import GENT
from vptr.store import tables
from vptr.times import now


@pytest.fixture
def gent(store):
    with store.reading() as connection:
        return principal_for_organisation(connection, GENT)


@pytest.fixture
def clock(monkeypatch):
    """``clock.later(minutes)``: the sessions' clock moves on."""

    class Clock:
        offset = timedelta()

        def later(self, **delta: float) -> None:
            self.offset += timedelta(**delta)

    found = Clock()
    monkeypatch.setattr(staff_sessions, "now", lambda: now() + found.offset)
    return found


def stored_rows(store) -> list[dict]:
    with store.reading() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(tables.web_sessions))]


def test_the_store_keeps_the_hash_of_the_session_id_never_the_id(runtime, store, gent):
    session = staff_sessions.log_in(runtime, None, gent, "An Beheerder (an.beheerder)", "an")
    [row] = stored_rows(store)
    assert row["id_hash"] == staff_sessions.digest(session.id) != session.id
    assert session.id not in repr(row)
    assert row["organisation_id"] == GENT and row["person"] == "An Beheerder (an.beheerder)"


def test_login_replaces_the_id_and_the_csrf_token_and_ends_the_old_session(runtime, gent):
    anonymous = staff_sessions.start(runtime)
    assert not anonymous.logged_in
    logged_in = staff_sessions.log_in(runtime, anonymous, gent, "An (an)", "an")
    assert logged_in.id != anonymous.id and logged_in.csrf != anonymous.csrf
    assert staff_sessions.resume(runtime, anonymous.id) is None
    found = staff_sessions.resume(runtime, logged_in.id)
    assert found is not None and found.principal == gent and found.csrf == logged_in.csrf


def test_logout_deletes_the_row(runtime, store, gent):
    session = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    staff_sessions.end(runtime, session)
    assert staff_sessions.resume(runtime, session.id) is None
    assert stored_rows(store) == []


def test_an_idle_session_ends_and_a_busy_one_ends_at_its_expiry(runtime, store, gent, clock):
    idle = store.settings.web_session_idle_minutes
    session = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    clock.later(minutes=idle - 1)
    assert staff_sessions.resume(runtime, session.id) is not None  # slides the idle limit
    clock.later(minutes=idle - 1)
    assert staff_sessions.resume(runtime, session.id) is not None
    clock.later(minutes=idle + 1)
    assert staff_sessions.resume(runtime, session.id) is None

    busy = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    hours = store.settings.web_session_max_hours
    steps = int(hours * 60 / (idle / 2)) + 2
    for _ in range(steps):  # a request every half idle period, well past the expiry
        clock.later(minutes=idle / 2)
        alive = staff_sessions.resume(runtime, busy.id)
    assert alive is None


def test_what_waits_for_confirmation_is_kept_with_the_session(runtime, gent):
    session = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    session.pending["t1"] = {"whitelist": "w", "bodies": [{"a": 1}]}
    assert staff_sessions.keep(runtime, session)
    assert staff_sessions.resume(runtime, session.id).pending == session.pending
    staff_sessions.end(runtime, session)
    assert not staff_sessions.keep(runtime, session)


def test_an_unknown_or_absurd_id_finds_nothing(runtime):
    assert staff_sessions.resume(runtime, "not-a-session") is None
    assert staff_sessions.resume(runtime, "x" * 10_000) is None
    assert staff_sessions.resume(runtime, None) is None


def test_the_retention_run_deletes_dead_sessions_and_keeps_live_ones(runtime, store, gent,
                                                                     clock):
    dead = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    clock.later(minutes=store.settings.web_session_idle_minutes + 1)
    live = staff_sessions.log_in(runtime, None, gent, "An (an)", "an")
    moment = now() + clock.offset
    assert run_retention(store.engine, now=moment, dry_run=True).web_sessions == 1
    result = run_retention(store.engine, now=moment)
    assert result.web_sessions == 1 and result.as_json()["webSessions"] == 1
    assert [r["id_hash"] for r in stored_rows(store)] == [staff_sessions.digest(live.id)]
    assert staff_sessions.resume(runtime, dead.id) is None


def test_new_sessions_clear_away_dead_ones_now_and_then(runtime, store, gent, clock,
                                                        monkeypatch):
    """Where retention never runs, abandoned sessions (a login page opened once) do not pile up:
    an instance deletes the dead ones as a session starts, at most every PURGE_SECONDS."""
    dead = staff_sessions.start(runtime)
    clock.later(minutes=staff_sessions.ANONYMOUS_MINUTES + 1)
    monkeypatch.setattr(staff_sessions, "_last_purge", {})
    fresh = staff_sessions.start(runtime)
    hashes = [r["id_hash"] for r in stored_rows(store)]
    assert hashes == [fresh.id_hash] and dead.id_hash not in hashes
    clock.later(minutes=staff_sessions.ANONYMOUS_MINUTES + 1)
    staff_sessions.start(runtime)  # within PURGE_SECONDS of the last purge: no purge
    assert fresh.id_hash in [r["id_hash"] for r in stored_rows(store)]
