"""The caller of a native API request: its credential read from the headers, authenticated by the
service every channel shares (vptr.services.authentication), kept on ``request.state`` so the
rate limit, the route and metering look it up once.

API keys travel as ``Authorization: Bearer <key>`` or ``X-API-Key``; OAuth2 client-credentials
JWTs as Bearer tokens.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from vptr.api.operation_ids import operation_of
from vptr.auth.credentials import presented_credential
from vptr.auth.principal import Principal
from vptr.services import authentication
from vptr.services.runtime import Caller, Runtime


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def presented_key(request: Request) -> str | None:
    return presented_credential(request.headers)


def known_principal(request: Request) -> Principal | None:
    """The caller if already known without any I/O: authenticated earlier in this request, or an
    API key this instance resolved less than ``auth_cache_seconds`` ago."""
    known = getattr(request.state, "principal", None)
    if known is not None:
        return known
    key = presented_key(request)
    if key is None:
        return None
    principal = authentication.remembered(runtime_of(request), key)
    if principal is not None:
        request.state.principal = principal
    return principal


def authenticate(request: Request) -> Principal:
    """The authenticated caller, or 401 (blocking: reads the store unless the caller is known)."""
    known = known_principal(request)
    if known is not None:
        return known
    principal = authentication.authenticate(runtime_of(request), presented_key(request))
    request.state.principal = principal
    return principal


async def current_principal(request: Request) -> Principal:
    """The authenticated caller, or 401. Asynchronous: a caller already known costs no trip to
    the thread pool; only a store read runs there."""
    known = known_principal(request)
    if known is not None:
        return known
    return await run_in_threadpool(authenticate, request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def caller_of(request: Request, principal: Principal) -> Caller:
    """The caller as the use cases see it: principal, operation id, client address, and where to
    note the tenant served (for metering)."""
    state = request.state

    def served(tenant: str) -> None:
        state.metering_tenant = tenant

    return Caller(principal, operation_of(request.scope.get("route")),
                  request.client.host if request.client else None, served)


async def current_caller(request: Request, principal: CurrentPrincipal) -> Caller:
    return caller_of(request, principal)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def current_runtime(request: Request) -> Runtime:
    """The running register, for a route. A store that is not ready yet (a test's fresh store)
    is migrated in the thread pool first."""
    runtime: Runtime = request.app.state.runtime
    if not runtime.store.ready:
        await run_in_threadpool(runtime.store.ensure_ready)
    return runtime


RuntimeDep = Annotated[Runtime, Depends(current_runtime)]
