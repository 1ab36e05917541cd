"""The caller of a native API request, as FastAPI dependencies over what every HTTP channel shares
(:mod:`vptr.http.callers`: the credential read from the headers, authenticated once per request
and kept on ``request.state`` for the rate limit, the route and metering).

API keys travel as ``Authorization: Bearer <key>`` or ``X-API-Key``; OAuth2 client-credentials
JWTs as Bearer tokens.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vptr.api.operation_ids import operation_of
from vptr.auth.credentials import presented_credential
from vptr.auth.principal import Principal
from vptr.http import callers
from vptr.http.callers import authenticate, known_principal, runtime_of
from vptr.services.runtime import Caller, Runtime

__all__ = ["CurrentCaller", "CurrentPrincipal", "RuntimeDep", "authenticate", "caller_of",
           "current_caller", "current_principal", "current_runtime", "known_principal",
           "presented_key", "runtime_of"]


def presented_key(request: Request) -> str | None:
    return presented_credential(request.headers)


async def current_principal(request: Request) -> Principal:
    """The authenticated caller, or 401. Asynchronous: a caller already known costs no trip to
    the thread pool; only a store read runs there."""
    return await callers.principal_of(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def caller_of(request: Request, principal: Principal) -> Caller:
    """The caller of a native route: its operation id names the operation."""
    return callers.caller_of(request, principal, operation_of(request.scope.get("route")))


async def current_caller(request: Request, principal: CurrentPrincipal) -> Caller:
    return caller_of(request, principal)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def current_runtime(request: Request) -> Runtime:
    """The running register, for a route (its store migrated first if a test's is fresh)."""
    return await callers.ready_runtime(request)


RuntimeDep = Annotated[Runtime, Depends(current_runtime)]
