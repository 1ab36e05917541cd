"""The session store: ids and CSRF tokens are random and replaced at login, idle sessions expire,
and the store never grows without bound."""

from __future__ import annotations

import time

from vptr.auth.principal import Principal
from vptr.web import sessions
from vptr.web.sessions import Sessions

GENT = Principal("https://example.test/id/organisation/gent", "Gent", frozenset({"areaManager"}))


def test_login_replaces_the_id_and_the_csrf_token():
    store = Sessions()
    anonymous = store.start()
    logged_in = store.log_in(anonymous, GENT, "An (an)", "an")
    assert logged_in.id != anonymous.id and logged_in.csrf != anonymous.csrf
    assert store.get(anonymous.id) is None and store.get(logged_in.id) is logged_in
    store.end(logged_in)
    assert store.get(logged_in.id) is None


def test_an_idle_session_expires():
    store = Sessions(idle_minutes=0.001)  # 60 ms
    session = store.log_in(store.start(), GENT, "An (an)", "an")
    time.sleep(0.1)
    assert store.get(session.id) is None


def test_anonymous_sessions_go_first_when_the_store_is_full(monkeypatch):
    monkeypatch.setattr(sessions, "MAX_SESSIONS", 5)
    store = Sessions()
    kept = store.log_in(store.start(), GENT, "An (an)", "an")
    for _ in range(20):
        store.start()
    assert store.get(kept.id) is kept
    assert len(store._sessions) <= 5
