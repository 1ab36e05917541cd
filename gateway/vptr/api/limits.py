"""The per-organisation rate limit as an app-wide dependency, run before every route.

It has to know who is calling before the route runs, and only authentication can say that
without letting one client spend another's tokens (a key's public prefix or a token's unverified
client id could be forged by anyone). So it authenticates: an authenticated caller draws from its
organisation's bucket; a request without credentials, or with credentials that do not
authenticate, draws from the bucket of its client address. The principal found is kept on
``request.state`` and reused by the route's ``CurrentPrincipal``, so nothing is looked up twice.
"""

from __future__ import annotations

import threading

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from vptr.api.authentication import authenticate, known_principal, presented_key
from vptr.auth.principal import Principal
from vptr.auth.ratelimit import TokenBucketLimiter, retry_after_header
from vptr.errors import RegisterError

_CREATE_LOCK = threading.Lock()


def _authenticated(request: Request) -> Principal | None:
    try:
        return authenticate(request)
    except RegisterError:
        return None  # the route answers 401 itself if it needs a caller


def limiter_of(request: Request) -> TokenBucketLimiter | None:
    """The app's limiter, made from the settings on first use (None: rate limiting is off)."""
    state = request.app.state
    limiter = getattr(state, "rate_limiter", False)
    if limiter is not False:
        return limiter
    with _CREATE_LOCK:
        if getattr(state, "rate_limiter", False) is False:
            settings = state.settings
            state.rate_limiter = (
                TokenBucketLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
                if settings.rate_limit_per_second > 0 else None
            )
    return state.rate_limiter


async def enforce_rate_limit(request: Request) -> None:
    """429 with ``Retry-After`` once the caller's bucket is empty; otherwise nothing.

    Asynchronous so an anonymous request, or a caller known from the authentication cache, costs
    no trip to the thread pool; authentication (a database read) runs in the pool."""
    limiter = limiter_of(request)
    if limiter is None:
        return
    principal = known_principal(request)
    if principal is None and presented_key(request) is not None:
        principal = await run_in_threadpool(_authenticated, request)
    if principal is not None:
        bucket, who = f"organisation:{principal.organisation}", principal.organisation
    else:
        address = request.client.host if request.client else "unknown"
        bucket, who = f"address:{address}", f"address {address}"
    wait = limiter.acquire(bucket)
    if wait:
        raise HTTPException(
            429,
            detail=f"too many requests from {who}: at most {limiter.rate:g} a second with bursts "
                   f"of {limiter.burst} per instance; retry after the Retry-After seconds",
            headers={"Retry-After": retry_after_header(wait)},
        )
