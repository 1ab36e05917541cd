"""Logging in and out, the language switch and the overview."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from fastapi.responses import RedirectResponse, Response

from vptr.errors import RegisterError
from vptr.paging import Page
from vptr.services import authentication, demo, regimes, staff_sessions, whitelists, zones
from vptr.web import i18n
from vptr.web.pages import PREFIX, SHOWN_AGAIN, Web, WebRoute, page, redirect, safe_next, staff, web
from vptr.web.sessions import COOKIE
from vptr.web.users import DEMO_USERS, demo_user

router = APIRouter(prefix=PREFIX, route_class=WebRoute, include_in_schema=False)
Current = Annotated[Web, Depends(web)]
Staff = Annotated[Web, Depends(staff)]


@router.get("/login")
async def login_page(current: Current, next: Annotated[str | None, Query()] = None) -> Response:
    return page(current, "login.html", next=safe_next(next),
                demo_users=DEMO_USERS if current.config.demo else (),
                oidc=authentication.staff_login_enabled(current.runtime.settings))


# --- logging in through the identity provider (OIDC authorisation code flow with PKCE) --------

#: The cookie holding the pending login while the person is at the identity provider. Lax, not
#: Strict: the identity provider's redirect back is a cross-site navigation.
OIDC_COOKIE = "vptr_beheer_oidc"


@router.get("/login/oidc")
async def oidc_start(current: Current, next: Annotated[str | None, Query()] = None
                     ) -> Response:
    settings = current.runtime.settings
    if not authentication.staff_login_enabled(settings):
        return page(current, "problem.html", 404, key="not_found")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()
                                         ).rstrip(b"=").decode()
    login = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24),
             "verifier": verifier, "next": safe_next(next)}
    pending = await current.call(staff_sessions.start, current.runtime, {"oidc": login})
    query = urlencode({
        "response_type": "code", "client_id": settings.web_oidc_client_id,
        "redirect_uri": _callback(current), "scope": settings.web_oidc_scope,
        "state": login["state"], "nonce": login["nonce"],
        "code_challenge": challenge, "code_challenge_method": "S256"})
    target = str(settings.web_oidc_authorization_url)
    response = RedirectResponse(f"{target}{'&' if '?' in target else '?'}{query}", 303)
    response.set_cookie(OIDC_COOKIE, pending.id, path=PREFIX + "/login", httponly=True,
                        samesite="lax", max_age=600,
                        secure=current.request.url.scheme == "https")
    return response


def _callback(current: Web) -> str:
    return str(current.request.url_for("oidc_callback"))


@router.get("/login/oidc/terug", name="oidc_callback")
async def oidc_callback(current: Current, code: Annotated[str | None, Query()] = None,
                        state: Annotated[str | None, Query()] = None) -> Response:
    cookie = current.request.cookies.get(OIDC_COOKIE)
    pending = await current.call(staff_sessions.resume, current.runtime, cookie) \
        if cookie else None
    login = pending.pending.get("oidc") if pending is not None else None
    if pending is not None:  # one try per login: the state cannot be played again
        await current.call(staff_sessions.end, current.runtime, pending)
    if login is None or not code or not state or not hmac.compare_digest(state, login["state"]):
        return _oidc_failed(current)
    try:
        member = await current.call(authentication.staff_login, current.runtime, code,
                                    _callback(current), login["verifier"], login["nonce"])
    except RegisterError:
        return _oidc_failed(current)
    session = await current.call(staff_sessions.log_in, current.runtime, current.session,
                                 member.principal, member.person, member.person)
    current.session, current.new_cookie = session, True
    # A page, not a redirect: after the identity provider's cross-site redirect the browser
    # would not send the SameSite=Strict session cookie along a further redirect.
    response = page(current, "continue.html", target=login["next"])
    response.delete_cookie(OIDC_COOKIE, path=PREFIX + "/login")
    return response


def _oidc_failed(current: Web) -> Response:
    response = page(current, "login.html", SHOWN_AGAIN, next=PREFIX + "/", oidc_failed=True,
                    demo_users=DEMO_USERS if current.config.demo else (), oidc=True)
    response.delete_cookie(OIDC_COOKIE, path=PREFIX + "/login")
    return response


@router.post("/login")
async def login(current: Current) -> Response:
    form = await current.form()
    target = safe_next(str(form.get("next") or ""))
    user = demo_user(str(form.get("login") or ""), str(form.get("password") or "")) \
        if current.config.demo else None
    if user is None:
        return page(current, "login.html", SHOWN_AGAIN, next=target, failed=True,
                    oidc=authentication.staff_login_enabled(current.runtime.settings),
                    login=str(form.get("login") or "")[:100],
                    demo_users=DEMO_USERS if current.config.demo else ())
    principal = await current.call(authentication.acting_for, current.runtime,
                                   demo.credential(user.role).organisation)
    session = await current.call(staff_sessions.log_in, current.runtime, current.session,
                                 principal, user.person, user.login)
    current.session, current.new_cookie = session, True
    return redirect(current, target)


@router.post("/logout")
async def logout(current: Staff) -> Response:
    await current.form()
    await current.call(staff_sessions.end, current.runtime, current.session)
    response = redirect(current, PREFIX + "/login")
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/taal/{lang}")
async def language(lang: str, current: Current,
                   next: Annotated[str | None, Query()] = None) -> Response:
    """Switch the language (a preference in a cookie; changes nothing in the register)."""
    response = redirect(current, safe_next(next))
    if lang in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, path=PREFIX, samesite="lax",
                            max_age=365 * 24 * 3600,
                            secure=current.request.url.scheme == "https")
    return response


@router.get("/")
async def overview(current: Staff) -> Response:
    counts: dict[str, int | None] = {}
    principal = current.session.principal
    if principal is not None and principal.is_area_manager:
        one = Page(1, 1)
        for key, count in (
            ("zones", lambda: zones.listing(current.runtime, current.caller("zones.list"),
                                            zones.Filter(), one)[1]),
            ("regimes", lambda: regimes.listing(current.runtime,
                                                current.caller("regimes.list"), one)[1]),
            ("whitelists", lambda: whitelists.listing(current.runtime,
                                                      current.caller("whitelists.list"), one)[1]),
        ):
            try:
                counts[key] = await current.call(count)
            except RegisterError:
                counts[key] = None
    return page(current, "home.html", counts=counts)

