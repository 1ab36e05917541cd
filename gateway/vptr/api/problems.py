"""Every error the API answers is an RFC 9457 problem document, so a client handles them one way:
``type``, ``title``, ``status``, ``detail``, ``instance``, and ``errors`` (each a ``field`` and a
``reason``) naming what to fix. Installed once on the app, it also covers FastAPI's own request
validation and Starlette's 404 and 405.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from vptr.auth.oidc import IdentityProviderUnavailableError
from vptr.errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    RegisterError,
    Unauthorised,
    Unavailable,
)
from vptr.http.bodies import HttpRefusal
from vptr.validation import PayloadError

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: Problem types are documented at these IRIs (docs/api.md#problems).
PROBLEM_BASE = "https://data.parkeerregister.vlaanderen.be/problems/"

log = logging.getLogger(__name__)


def problem(request: Request | None, status: int, detail: str, errors: Iterable[FieldError] = (),
            slug: str | None = None, title: str | None = None,
            extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None
            ) -> JSONResponse:
    language = preferred_language(request.headers.get("accept-language", "")
                                  if request is not None else "")
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
        "errors": [_in_language(e, language) for e in errors],
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def preferred_language(header: str) -> str:
    """``nl`` when Accept-Language puts Dutch before English, else ``en`` (the register's own
    language)."""
    best, best_q = "en", 0.0
    for order, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        try:
            q = float(params.strip().removeprefix("q=")) if params.strip().startswith("q=") \
                else 1.0
        except ValueError:
            q = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in ("nl", "en") and q - order * 1e-6 > best_q:
            best, best_q = language, q - order * 1e-6
    return best


def _in_language(error: FieldError, language: str) -> dict[str, str | None]:
    """A reason the application profile gives in several languages, in the one asked for."""
    found = error.as_json()
    found["reason"] = error.text(language)
    return found


#: How this channel shows each refusal of the register's family (vptr.errors): status, title and
#: problem type. The most specific class of an error decides.
_SHOWN_AS: dict[type[RegisterError], tuple[int, str, str]] = {
    RegisterError: (400, "Bad request", "bad-request"),
    BadRequest: (400, "Bad request", "bad-request"),
    Invalid: (422, "Invalid content", "invalid"),
    NotFound: (404, "Not found", "not-found"),
    Forbidden: (403, "Forbidden", "forbidden"),
    Unauthorised: (401, "Unauthorised", "unauthorised"),
    Conflict: (409, "Conflict", "conflict"),
    Unavailable: (503, "Service unavailable", "unavailable"),
    IdentityProviderUnavailableError: (503, "Identity provider unavailable",
                                       "identity-provider-unavailable"),
}


def shown_as(exc: RegisterError) -> tuple[int, str, str]:
    """The status, title and problem type of a refusal."""
    if isinstance(exc, HttpRefusal):
        return exc.status, exc.title, exc.slug
    for kind in type(exc).__mro__:
        if kind in _SHOWN_AS:
            return _SHOWN_AS[kind]  # type: ignore[index]
    raise AssertionError("unreachable: RegisterError is mapped")


def _register_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegisterError)
    status, title, slug = shown_as(exc)
    headers = {"WWW-Authenticate": 'Bearer realm="vptr"'} if status == 401 else None
    return problem(request, status, exc.detail, exc.errors, slug, title, exc.extra, headers)


def _payload_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PayloadError)
    field = exc.field.strip("/").replace("/", ".") if exc.field else None
    return problem(request, 400, str(exc), [FieldError(field or None, exc.reason)], "bad-request")


def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        field = ".".join(location[1:]) if len(location) > 1 else (location[0] if location else None)
        errors.append(FieldError(field, str(error.get("msg", "invalid"))))
    detail = "; ".join(f"{e.field}: {e.reason}" for e in errors) or "invalid request"
    return problem(request, 422, detail, errors, "invalid")


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        headers = {**(headers or {}), "Allow": ", ".join(_allowed_methods(request))}
    return problem(request, exc.status_code, detail, headers=headers)


def _routes(routes: Iterable[Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every route with the prefix it is served under, routers included in routers unfolded."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        else:
            yield prefix, route


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path (each route knows only its own, and
    Starlette's 405 names the first route's alone)."""
    methods: set[str] = set()
    for prefix, route in _routes(request.app.router.routes):
        path = request.url.path
        if prefix and not path.startswith(prefix):
            continue
        scope = {**request.scope, "method": "GET", "path": path[len(prefix):]}
        match, _ = route.matches(scope)
        route_methods = getattr(route, "methods", None)
        if match != Match.NONE and route_methods:
            methods.update(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


#: Control characters (C0, DEL, C1), which a log line must not carry as they are.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """The text with every control character escaped (``\\x00``, ``\\x1b``): a path is
    decoded from the client's percent-escapes, and written raw a NUL or an escape sequence would
    cut, forge or colour the error log's lines."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", printable(request.method),
                  printable(request.url.path), exc_info=exc)
    return problem(request, 500, "the register failed to answer; the error was logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RegisterError, _register_error)
    app.add_exception_handler(PayloadError, _payload_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
