"""Every error the API answers is an RFC 9457 problem document, so a client handles them one way:
``type``, ``title``, ``status``, ``detail``, ``instance``, and ``errors`` (each a ``field`` and a
``reason``) naming what to fix. Installed once on the app, it also covers FastAPI's own request
validation and Starlette's 404 and 405.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vptr.errors import FieldError, RegisterError
from vptr.validation import PayloadError

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: Problem types are documented at these IRIs (docs/api.md#problems).
PROBLEM_BASE = "https://data.parkeerregister.vlaanderen.be/problems/"

log = logging.getLogger(__name__)


def problem(request: Request | None, status: int, detail: str, errors: Iterable[FieldError] = (),
            slug: str | None = None, title: str | None = None,
            extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None
            ) -> JSONResponse:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
        "errors": [e.as_json() for e in errors],
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _register_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegisterError)
    headers = {"WWW-Authenticate": 'Bearer realm="vptr"'} if exc.status == 401 else None
    return problem(request, exc.status, exc.detail, exc.errors, exc.slug, exc.title, exc.extra,
                   headers)


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
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem(request, exc.status_code, detail, headers=getattr(exc, "headers", None))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, 500, "the register failed to answer; the error was logged")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RegisterError, _register_error)
    app.add_exception_handler(PayloadError, _payload_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
