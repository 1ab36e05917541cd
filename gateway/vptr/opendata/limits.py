"""Anonymous open-data reads draw from a bucket per client address of their own
(``open_data_rate_limit_per_second`` and ``_burst``), so crawlers of the open data and callers of
the API do not starve each other."""

from __future__ import annotations

import threading

from fastapi import Depends, Request
from starlette.exceptions import HTTPException

from vptr.auth.ratelimit import TokenBucketLimiter, retry_after_header

_LOCK = threading.Lock()


def _limiter(request: Request) -> TokenBucketLimiter | None:
    state = request.app.state
    limiter = getattr(state, "open_data_limiter", False)
    if limiter is False:
        with _LOCK:
            settings = state.settings
            if getattr(state, "open_data_limiter", False) is False:
                state.open_data_limiter = (
                    TokenBucketLimiter(settings.open_data_rate_limit_per_second,
                                       settings.open_data_rate_limit_burst)
                    if settings.open_data_rate_limit_per_second > 0 else None)
            limiter = state.open_data_limiter
    return limiter


async def open_data_rate_limit(request: Request) -> None:
    limiter = _limiter(request)
    if limiter is None:
        return
    address = request.client.host if request.client else "unknown"
    wait = limiter.acquire(f"open-data:{address}")
    if wait:
        raise HTTPException(
            429, f"too many open-data requests from address {address}: at most "
                 f"{limiter.rate:g} a second with bursts of {limiter.burst}",
            headers={"Retry-After": retry_after_header(wait), "Access-Control-Allow-Origin": "*"})


#: The dependency list every open-data router is made with.
LIMITED = [Depends(open_data_rate_limit)]
