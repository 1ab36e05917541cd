"""Puts the security machinery around the app in one call from :func:`create_app`:

- the per-organisation rate limit, as a dependency of every route (``vptr.api.limits``), and the
  refusal of path and query parameters holding control characters
  (``vptr.api.deps.readable_parameters``);
- request metering (outermost, so refused requests are counted too) and the body-size limit;
The counters, the audit buffer and the retention job belong to the running register
(``vptr.services.runtime.Runtime``), which the composition root starts and stops.

Call it right after the app is made and before any router is included: FastAPI copies the app's
dependencies onto each route when the route is added.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from vptr.api.deps import readable_parameters
from vptr.api.limits import enforce_rate_limit
from vptr.api.middleware.body_limit import BodyLimitMiddleware
from vptr.api.middleware.metering import MeteringMiddleware

#: The app-wide guards, in the order they run before every route: the rate limit, then the
#: text of the path's and the query's parameters. A hot route (vptr.api.hot_route) runs the same
#: tuple itself.
GUARDS = (enforce_rate_limit, readable_parameters)


def install_security(app: FastAPI) -> None:
    """Wire the rate limit, metering and the body limit into ``app`` (which must have
    ``state.settings`` and ``state.runtime``)."""
    settings = app.state.settings
    for guard in GUARDS:
        app.router.dependencies.append(Depends(guard))
    # For routes of other channels that serve themselves without FastAPI's dependency machinery
    # (vptr.npr's message endpoints): they run these, in this order, from the app's state.
    app.state.guards = GUARDS
    # Starlette runs the middleware added last first: metering sees even a refused body.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MeteringMiddleware)
