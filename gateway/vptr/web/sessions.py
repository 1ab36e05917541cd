"""Staff sessions of the management web app: server-side, in the memory of the instance.

The browser holds only a random session id in an HttpOnly, SameSite=Strict cookie scoped to
``/beheer`` (Secure behind HTTPS). Each session has its own CSRF token, which every form sends
back; the id is replaced at login (no session fixation) and forgotten at logout or after
``idle_minutes`` without a request. Nothing of the register is kept here but who is logged in and,
for a moment, an upload waiting for confirmation (a CSV preview).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from vptr.auth.principal import Principal

COOKIE = "vptr_beheer"
#: The most sessions an instance keeps (anonymous ones, made by the login page, included).
MAX_SESSIONS = 10_000


@dataclass
class Session:
    id: str
    csrf: str
    expires: float
    principal: Principal | None = None
    #: The person logged in (their name as the audit log records it) and their login name.
    person: str | None = None
    login: str | None = None
    #: Uploads parsed and checked, waiting for the person to confirm them (by a random token).
    pending: dict[str, Any] = field(default_factory=dict)

    @property
    def logged_in(self) -> bool:
        return self.principal is not None


class Sessions:
    def __init__(self, idle_minutes: float = 30.0) -> None:
        self.idle_seconds = idle_minutes * 60
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _new(self) -> Session:
        return Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                       time.monotonic() + self.idle_seconds)

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expires < time.monotonic():
                del self._sessions[session_id]
                return None
            session.expires = time.monotonic() + self.idle_seconds
            return session

    def start(self) -> Session:
        """A new anonymous session (the login page's CSRF token lives in it)."""
        session = self._new()
        with self._lock:
            self._evict()
            self._sessions[session.id] = session
        return session

    def log_in(self, old: Session, principal: Principal, person: str, login: str) -> Session:
        """A fresh session (new id, new CSRF token) for the person; the old one is forgotten."""
        session = self._new()
        session.principal, session.person, session.login = principal, person, login
        with self._lock:
            self._sessions.pop(old.id, None)
            self._evict()
            self._sessions[session.id] = session
        return session

    def end(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.id, None)

    def _evict(self) -> None:
        moment = time.monotonic()
        for key in [k for k, s in self._sessions.items() if s.expires < moment]:
            del self._sessions[key]
        while len(self._sessions) >= MAX_SESSIONS:  # the oldest anonymous ones go first
            anonymous = [k for k, s in self._sessions.items() if not s.logged_in]
            victim = min(anonymous or self._sessions, key=lambda k: self._sessions[k].expires)
            del self._sessions[victim]
