"""Logging in and out, the language switch and the overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from vptr.errors import RegisterError
from vptr.paging import Page
from vptr.services import authentication, demo, regimes, whitelists, zones
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
                demo_users=DEMO_USERS if current.config.demo else ())


@router.post("/login")
async def login(current: Current) -> Response:
    form = await current.form()
    target = safe_next(str(form.get("next") or ""))
    user = demo_user(str(form.get("login") or ""), str(form.get("password") or "")) \
        if current.config.demo else None
    if user is None:
        return page(current, "login.html", SHOWN_AGAIN, next=target, failed=True,
                    login=str(form.get("login") or "")[:100],
                    demo_users=DEMO_USERS if current.config.demo else ())
    principal = await current.call(authentication.acting_for, current.runtime,
                                   demo.credential(user.role).organisation)
    session = current.config.sessions.log_in(current.session, principal, user.person,
                                             user.login)
    current.session, current.new_cookie = session, True
    return redirect(current, target)


@router.post("/logout")
async def logout(current: Staff) -> Response:
    await current.form()
    current.config.sessions.end(current.session)
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

