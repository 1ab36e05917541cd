"""The web app's side of staff sessions: the cookie that carries the session id, and finding,
starting, changing and ending a request's session through the use cases of
``vptr.services.staff_sessions`` (kept in the store, so every instance serves every session).

The browser holds only the random session id, in an HttpOnly, SameSite=Strict cookie scoped to
``/beheer`` (Secure behind HTTPS).
"""

from __future__ import annotations

from vptr.services.staff_sessions import StaffSession

COOKIE = "vptr_beheer"
Session = StaffSession

__all__ = ["COOKIE", "Session"]
