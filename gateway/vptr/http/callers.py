"""The register, the principal and the caller of an HTTP request.

A principal is resolved at most once per request and kept on ``request.state`` (the rate limit,
the route and metering all ask for it). An API key this instance resolved a moment ago costs no
I/O (:func:`vptr.services.authentication.remembered`); only a store read goes to the thread pool,
so a known caller never leaves the event loop.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from vptr.auth.credentials import presented_credential
from vptr.auth.principal import Principal
from vptr.services import authentication
from vptr.services.runtime import Caller, Runtime


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


async def ready_runtime(request: Request) -> Runtime:
    """The running register; a store that is not ready yet (a test's fresh store) is migrated in
    the thread pool first."""
    runtime = runtime_of(request)
    if not runtime.store.ready:
        await run_in_threadpool(runtime.store.ensure_ready)
    return runtime


def known_principal(request: Request) -> Principal | None:
    """The caller if already known without any I/O: authenticated earlier in this request, or an
    API key this instance resolved less than ``auth_cache_seconds`` ago."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    credential = presented_credential(request.headers)
    if credential is None:
        return None
    principal = authentication.remembered(runtime_of(request), credential)
    if principal is not None:
        request.state.principal = principal
    return principal


def authenticate(request: Request) -> Principal:
    """The authenticated caller, or :class:`vptr.errors.Unauthorised` (blocking: reads the store
    unless the caller is known)."""
    known = known_principal(request)
    if known is not None:
        return known
    principal = authentication.authenticate(runtime_of(request),
                                            presented_credential(request.headers))
    request.state.principal = principal
    return principal


async def principal_of(request: Request) -> Principal:
    """:func:`authenticate` without a trip to the thread pool for a caller already known."""
    known = known_principal(request)
    if known is not None:
        return known
    return await run_in_threadpool(authenticate, request)


def caller_of(request: Request, principal: Principal, operation: str | None) -> Caller:
    """The caller as the use cases see it: principal, operation, client address, and where to
    note the tenant served (metering counts per tenant)."""
    state = request.state

    def served(tenant: str) -> None:
        state.metering_tenant = tenant

    return Caller(principal, operation, request.client.host if request.client else None,
                  served)
