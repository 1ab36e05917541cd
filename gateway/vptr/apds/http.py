"""What every APDS route shares: refusals rendered as APDS ``ResponseStatus`` (never the native
API's problem documents), the caller and its APDS scopes, request bodies read and checked against
apds4.yaml before anything else happens, and APDS query parameters (epoch seconds, comma lists).

Scopes (apds4.yaml ``securitySchemes.oAuth``) are the register's roles: ``po`` an area manager,
``sp`` a provider, ``ep`` enforcement, ``ad`` a platform operator (an organisation named in the
settings' ``platform_operators``, created with the CLI). A route names the scopes apds4.yaml lists
for its operation; a caller with none of them is refused (403). What the caller then sees or
changes is decided by the use cases, exactly as on the native API.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from vptr.apds import schemas
from vptr.auth.principal import Principal
from vptr.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RegisterError,
    Unauthorised,
    Unavailable,
)
from vptr.http import bodies, callers
from vptr.mapping import TranslationError
from vptr.services.runtime import Caller, Runtime

log = logging.getLogger(__name__)

STATUS = {BadRequest: 400, Invalid: 400, NotFound: 404, Forbidden: 403, Unauthorised: 401,
          Conflict: 409, Unavailable: 503}
PO, SP, EP, AD = "po", "sp", "ep", "ad"
READERS = (PO, SP, EP, AD)


def response_status(code: int, message: str, ids: list[str] | None = None) -> JSONResponse:
    """An APDS ResponseStatus (apds4.yaml components.schemas.ResponseStatus)."""
    body: dict[str, Any] = {"status": "ok" if code < 400 else "error", "code": code,
                            "message": message}
    if ids:
        body["ids"] = ids
    headers = {"WWW-Authenticate": 'Bearer realm="vptr-apds"'} if code == 401 else None
    return JSONResponse(body, status_code=code, headers=headers)


def _message(exc: RegisterError) -> str:
    """The refusal's text, naming the field of its first error when the text does not."""
    if exc.errors and exc.errors[0].field and not exc.detail.startswith(exc.errors[0].field):
        return f"{exc.errors[0].field}: {exc.detail}"
    return exc.detail


def refusal(exc: Exception) -> JSONResponse:
    if isinstance(exc, bodies.HttpRefusal):  # a body too large: 413
        return response_status(exc.status, _message(exc))
    if isinstance(exc, RegisterError):
        status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
        return response_status(status, _message(exc))
    if isinstance(exc, TranslationError):
        return response_status(400, str(exc))
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return response_status(400, f"{where}: {first.get('msg', 'invalid')}")
    if isinstance(exc, HTTPException):
        return response_status(exc.status_code, str(exc.detail))
    raise exc


class ApdsRoute(APIRoute):
    """A route whose refusals are APDS ResponseStatus bodies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except (RegisterError, TranslationError, RequestValidationError,
                    HTTPException) as exc:
                return refusal(exc)

        return handle


# --- the caller -------------------------------------------------------------------------------

async def current_runtime(request: Request) -> Runtime:
    return await callers.ready_runtime(request)


async def current_principal(request: Request) -> Principal:
    return await callers.principal_of(request)


def scopes_of(runtime: Runtime, principal: Principal) -> set[str]:
    scopes = set()
    if principal.is_area_manager:
        scopes.add(PO)
    if principal.is_provider:
        scopes.add(SP)
    if principal.is_enforcement:
        scopes.add(EP)
    if principal.organisation in runtime.settings.platform_operators:
        scopes.add(AD)
    return scopes


def caller_for(*allowed: str) -> Callable[..., Coroutine[Any, Any, Caller]]:
    """A dependency: the caller, if it holds one of the operation's scopes."""
    async def dependency(request: Request,
                         principal: Annotated[Principal, Depends(current_principal)]) -> Caller:
        runtime = callers.runtime_of(request)
        if not scopes_of(runtime, principal) & set(allowed):
            raise Forbidden(f"this operation needs scope {' or '.join(allowed)}; "
                            f"{principal.organisation} holds "
                            f"{', '.join(sorted(scopes_of(runtime, principal))) or 'none'}")
        return callers.caller_of(request, principal,
                                 getattr(request.scope.get("route"), "operation_id", None))

    return dependency


RuntimeDep = Annotated[Runtime, Depends(current_runtime)]
Reader = Annotated[Caller, Depends(caller_for(*READERS))]
ServiceProvider = Annotated[Caller, Depends(caller_for(SP))]


# --- bodies and parameters --------------------------------------------------------------------

async def body_of(request: Request, schema: str) -> Any:
    """The JSON body, read as every channel reads one (vptr.http.bodies: too deep, a number no
    parser holds, a duplicate key are 400 naming the place) and checked against ``schema`` of
    apds4.yaml (request view: readOnly properties are not required); a violation is a 400
    naming the field."""
    body = await bodies.read_json(request, media_types=None)  # the reader of every channel
    error = schemas.first_error(schema, body, request=True)
    if error is not None:
        field = schemas.field_of(error) or "body"
        raise Invalid.field(field, f"{error.message[:300]} ({schema} in apds4.yaml)")
    return body


def same_id(message: dict[str, Any], id: str) -> None:
    """A PUT's body names the resource of its path: another id is refused, naming ``id``."""
    if message.get("id") != id:
        raise Invalid.field("id", f"must be {id}, the id in the path")


def epoch(value: int | None, name: str) -> datetime | None:
    if value is None:
        return None
    if value < 0:
        raise Invalid.field(name, "Unix epoch seconds, 0 or more")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise Invalid.field(name, "out of range") from None


def comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def reference_instant() -> int:
    return int(datetime.now(UTC).timestamp())
