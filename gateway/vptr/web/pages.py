"""What every screen shares: the session behind a request, the CSRF check of a form, the caller a
use case sees (with the person logged in), rendering a template with the security headers, and
the route class that turns the register's refusals into pages."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from vptr.errors import FieldError, Forbidden, NotFound, RegisterError, Unauthorised
from vptr.services import staff_sessions
from vptr.services.runtime import Caller, Runtime
from vptr.times import in_zone
from vptr.web import i18n
from vptr.web.sessions import COOKIE, Session

P = ParamSpec("P")
T = TypeVar("T")

PREFIX = "/beheer"
#: The status of a form shown again with its errors (or a failed login): 200, as browsers log a
#: 4xx document as an error in the console, and the page itself says what is wrong.
SHOWN_AGAIN = 200
HERE = Path(__file__).resolve().parent
LOCAL = ZoneInfo("Europe/Brussels")


class LoginRequired(Exception):  # noqa: N818 - a redirect, not a bug
    """No logged-in session: the person is sent to the login page."""


class BadForm(Exception):  # noqa: N818 - a refusal, not a bug
    """A form without this session's CSRF token."""


@dataclass
class Web:
    """One request of the web app: the session, the language, the running register."""

    request: Request
    session: Session
    lang: str
    runtime: Runtime
    config: WebConfig
    new_cookie: bool = False
    flashes: list[tuple[str, str]] = field(default_factory=list)

    def t(self, key: str, **values: object) -> str:
        return i18n.text(key, self.lang, **values)

    def t_code(self, value: str | None) -> str:
        return i18n.code(value, self.lang)

    def caller(self, operation: str) -> Caller:
        """The caller as the use cases see it: the organisation, and the person logged in."""
        if self.session.principal is None:
            raise LoginRequired
        state = self.request.state

        def served(tenant: str) -> None:
            state.metering_tenant = tenant

        client = self.request.client
        return Caller(self.session.principal, f"web:{operation}",
                      client.host if client else None, served, self.session.person)

    async def call(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A use case, in the thread pool (they block on the store)."""
        return await run_in_threadpool(work, *args, **kwargs)

    async def form(self) -> FormData:
        """The posted form, after checking its CSRF token against the session's."""
        form = await self.request.form()
        sent = form.get("csrf")
        if not isinstance(sent, str) or not hmac.compare_digest(sent, self.session.csrf):
            raise BadForm
        return form


@dataclass(frozen=True)
class WebConfig:
    tile_url: str
    tile_attribution: str
    demo: bool


def config_of(request: Request) -> WebConfig:
    return request.app.state.web


def language_of(request: Request, session: Session | None) -> str:
    lang = request.cookies.get(i18n.COOKIE)
    return lang if lang in i18n.LANGUAGES else i18n.DEFAULT


async def _resumed(request: Request) -> tuple[Runtime, Session | None]:
    """The runtime, and the live session the request's cookie names (None without one)."""
    runtime: Runtime = request.app.state.runtime
    await runtime.ready()
    cookie = request.cookies.get(COOKIE)
    session = await run_in_threadpool(staff_sessions.resume, runtime, cookie) if cookie else None
    if session is not None and session.principal is not None:
        request.state.principal = session.principal  # metering counts the organisation
    return runtime, session


async def web(request: Request) -> Web:
    """The request's session (a new anonymous one when it has none)."""
    runtime, session = await _resumed(request)
    new = session is None
    if session is None:
        session = await run_in_threadpool(staff_sessions.start, runtime)
    return Web(request, session, language_of(request, session), runtime, config_of(request), new)


async def staff(request: Request) -> Web:
    """The request of a logged-in person, or a redirect to the login page (no session is made
    for a request that only gets that redirect)."""
    runtime, session = await _resumed(request)
    if session is None or not session.logged_in:
        raise LoginRequired
    return Web(request, session, language_of(request, session), runtime, config_of(request))


def set_session_cookie(response: Response, request: Request, session: Session) -> None:
    response.set_cookie(COOKIE, session.id, path=PREFIX, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def safe_next(target: str | None) -> str:
    """Only a path inside the web app (no open redirect)."""
    if target and target.startswith(PREFIX) and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return PREFIX + "/"


def redirect(current: Web, target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    if current.new_cookie:
        set_session_cookie(response, current.request, current.session)
    return response


# --- rendering ----------------------------------------------------------------------------------

@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["local"] = local_time
    env.filters["local_input"] = local_input
    env.filters["tojson_attr"] = lambda value: json.dumps(value, separators=(",", ":"))
    env.filters["ref"] = lambda iri: (iri or "").rstrip("/").rsplit("/", 1)[-1]
    env.filters["zip_self"] = lambda values: [(v, v) for v in values]
    return env


def local_time(value: str | datetime | None) -> str:
    """An instant as local time (Europe/Brussels), to the minute."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) \
        else value
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return in_zone(moment, LOCAL).strftime("%Y-%m-%d %H:%M")


def local_input(value: str | datetime | None) -> str:
    """An instant as the value of an ``<input type="datetime-local">``."""
    return local_time(value).replace(" ", "T")


def _tile_origin(config: WebConfig) -> str:
    parts = urlsplit(config.tile_url.replace("{s}", "a"))
    if not parts.netloc:
        return ""
    host = parts.netloc
    if "{s}" in config.tile_url:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f"{parts.scheme}://{host}"


def security_headers(response: Response, config: WebConfig) -> None:
    origin = _tile_origin(config)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: {origin}".rstrip() + "; connect-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def page(current: Web, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    principal = current.session.principal
    body = environment().get_template(template).render(
        w=current, t=current.t, lang=current.lang, code=lambda v: i18n.code(v, current.lang),
        weekday=lambda i: i18n.weekday(i, current.lang),
        day=lambda v: i18n.day(v, current.lang), csrf=current.session.csrf,
        principal=principal, prefix=PREFIX, path=current.request.url.path,
        is_manager=principal is not None and principal.is_area_manager, **values)
    response = HTMLResponse(body, status_code=status)
    security_headers(response, current.config)
    if current.new_cookie:
        set_session_cookie(response, current.request, current.session)
    return response


def field_errors(exc: RegisterError, lang: str) -> tuple[dict[str, list[str]], list[str]]:
    """A refusal's reasons by form field (the first segment of the property chain), and those no
    field of the form shows."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for error in exc.errors or [FieldError(None, exc.detail)]:
        text = i18n.reason_of(error, lang)
        if error.field:
            by_field.setdefault(error.field, []).append(text)
        else:
            general.append(text)
    return by_field, general


def errors_for(by_field: Mapping[str, list[str]], names: Mapping[str, tuple[str, ...]]
               ) -> tuple[dict[str, list[str]], list[str]]:
    """Errors placed next to form fields: ``names`` maps a form field to the properties of the
    body it fills (prefixes: ``validityPeriod`` covers ``validityPeriod.endTime``); what matches no
    field is returned as general errors, with the property named."""
    placed: dict[str, list[str]] = {}
    rest: list[str] = []
    for prop, reasons in by_field.items():
        if not prop:
            rest.extend(reasons)
            continue
        # The field whose property matches most closely: ``vehicle.licencePlate.country`` goes
        # to the country field, not to the plate field that covers ``vehicle``.
        matches = [(len(p), name) for name, props in names.items() for p in props
                   if prop == p or prop.startswith(p + ".") or prop.startswith(p + "[")]
        target = max(matches)[1] if matches else None
        if target is None:
            rest.extend(f"{prop}: {r}" for r in reasons)
        else:
            placed.setdefault(target, []).extend(reasons)
    return placed, rest


# --- the route class ----------------------------------------------------------------------------

class WebRoute(APIRoute):
    """Renders the register's refusals, a missing login and a bad form as pages of the app."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                target = request.url.path if request.method == "GET" else PREFIX + "/"
                response = RedirectResponse(f"{PREFIX}/login?next={target}", status_code=303)
                response.headers["Cache-Control"] = "no-store"
                return response
            except BadForm:
                return await _problem(request, 403, "csrf")
            except (NotFound, Unauthorised):
                return await _problem(request, 404, "not_found")
            except Forbidden as exc:
                return await _problem(request, 403, "forbidden", exc.detail)
            except RegisterError as exc:
                return await _problem(request, 400, "error", exc.detail)

        return route


async def _problem(request: Request, status: int, key: str, detail: str | None = None
                   ) -> Response:
    current = await web(request)
    return page(current, "problem.html", status, key=key, detail=detail)
