"""Staff sessions of the management web app, kept in the store so that every instance serves every
session: no sticky sessions behind a load balancer, and a restart logs nobody out.

The browser holds a random session id (256 bits) in its cookie; the store keeps only the id's
SHA-256, so whoever reads the table (a backup, a replica) cannot take a session over. Each session
has its own CSRF token. A session ends at logout (its row is deleted), after
``web_session_idle_minutes`` without a request, or ``web_session_max_hours`` after it began,
whatever happens first; a dead row is never answered and the retention run deletes it
(:func:`vptr.accounting.retention.run_retention`). The id is replaced at login (no session
fixation). The organisation's roles are read again on every request, so a changed role counts at
once. What waits for the person's confirmation (a checked CSV upload, an OIDC login under way) is
kept with the session until it is confirmed, the session ends, or another upload replaces it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from vptr.accounting.retention import purge_web_sessions
from vptr.auth.principal import Principal, principal_for_organisation
from vptr.repositories import web_sessions as rows
from vptr.services.runtime import Runtime
from vptr.times import now

#: How long an anonymous session (the login page's CSRF token, an OIDC login under way) lives.
ANONYMOUS_MINUTES = 30
#: A session's idle limit is pushed forward at most this often (one write a minute, not one a
#: request).
SLIDE_SECONDS = 60
#: Each instance deletes dead sessions at most this often as new ones start (besides every
#: retention run), so abandoned login pages cannot pile up where retention never runs.
PURGE_SECONDS = 600
_last_purge: WeakKeyDictionary[Runtime, float] = WeakKeyDictionary()


@dataclass
class StaffSession:
    """One session as a request sees it. ``id`` is the browser's secret, never stored."""

    id: str
    csrf: str
    principal: Principal | None = None
    #: The person logged in (how the audit log names them) and their login name.
    person: str | None = None
    login: str | None = None
    #: What waits for the person's confirmation, by a random token (JSON-serialisable).
    pending: dict[str, Any] = field(default_factory=dict)

    @property
    def logged_in(self) -> bool:
        return self.principal is not None

    @property
    def id_hash(self) -> str:
        return digest(self.id)


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _limits(runtime: Runtime, moment: datetime, logged_in: bool) -> tuple[datetime, datetime]:
    settings = runtime.settings
    idle = timedelta(minutes=settings.web_session_idle_minutes if logged_in
                     else min(ANONYMOUS_MINUTES, settings.web_session_idle_minutes))
    return moment + idle, moment + timedelta(hours=settings.web_session_max_hours)


def _new(runtime: Runtime, principal: Principal | None = None, person: str | None = None,
         login: str | None = None, pending: dict[str, Any] | None = None) -> StaffSession:
    session = StaffSession(secrets.token_urlsafe(32), secrets.token_urlsafe(32), principal,
                           person, login, dict(pending or {}))
    moment = now()
    idle_until, expires_at = _limits(runtime, moment, principal is not None)
    store = runtime.store
    store.ensure_ready()
    with store.transaction() as connection:
        if time.monotonic() - _last_purge.get(runtime, -PURGE_SECONDS) >= PURGE_SECONDS:
            _last_purge[runtime] = time.monotonic()
            purge_web_sessions(connection, moment)
        rows.add(connection, rows.SessionRow(
            session.id_hash, session.csrf, principal.organisation if principal else None,
            person, login, session.pending, idle_until, expires_at), moment)
    return session


def start(runtime: Runtime, pending: dict[str, Any] | None = None) -> StaffSession:
    """A new anonymous session (the login page's CSRF token lives in it; an OIDC login keeps its
    state in ``pending``)."""
    return _new(runtime, pending=pending)


def resume(runtime: Runtime, session_id: str | None) -> StaffSession | None:
    """The live session with this id (its idle limit pushed forward), or None."""
    if not session_id or len(session_id) > 200:
        return None
    store = runtime.store
    store.ensure_ready()
    moment = now()
    id_hash = digest(session_id)
    with store.reading() as connection:
        row = rows.live(connection, id_hash, moment)
        if row is None:
            return None
        principal = None
        if row.organisation is not None:
            principal = principal_for_organisation(connection, row.organisation)
            if principal is None:  # the organisation is gone: so is the session
                row = None
    if row is None:
        end_by_hash(runtime, id_hash)
        return None
    idle_until, _ = _limits(runtime, moment, principal is not None)
    if idle_until - row.idle_until >= timedelta(seconds=SLIDE_SECONDS):
        with store.transaction() as connection:
            rows.slide(connection, id_hash, min(idle_until, row.expires_at))
    return StaffSession(session_id, row.csrf, principal, row.person, row.login, row.data)


def log_in(runtime: Runtime, old: StaffSession | None, principal: Principal, person: str,
           login: str) -> StaffSession:
    """A fresh session (new id, new CSRF token) for the person; the old one ends."""
    if old is not None:
        end(runtime, old)
    return _new(runtime, principal, person, login)


def keep(runtime: Runtime, session: StaffSession) -> bool:
    """Store what waits in the session (``pending``); False when the session has ended."""
    store = runtime.store
    with store.transaction() as connection:
        return rows.set_data(connection, session.id_hash, session.pending)


def end(runtime: Runtime, session: StaffSession) -> None:
    """Logout: the session's row is deleted, on every instance at once."""
    end_by_hash(runtime, session.id_hash)


def end_by_hash(runtime: Runtime, id_hash: str) -> None:
    store = runtime.store
    store.ensure_ready()
    with store.transaction() as connection:
        rows.remove(connection, id_hash)
