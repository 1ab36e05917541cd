"""Puts the security machinery around the app in one call from :func:`create_app`:

- the per-organisation rate limit, as a dependency of every route (``vptr.api.limits``);
- request metering (outermost, so refused requests are counted too) and the body-size limit;
- the ``/admin`` routes (metering and audit reports);
- the buffer of read audit entries (``vptr.accounting.audit.ReadAuditBuffer``);
- at start-up, the optional periodic retention job; at shutdown, the last metering and audit
  flushes.

Call it right after the app is made and before any router is included: FastAPI copies the app's
dependencies onto each route when the route is added.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from vptr.accounting.audit import ReadAuditBuffer
from vptr.accounting.metering import MeteringCounter
from vptr.accounting.retention import RetentionJob
from vptr.api.limits import enforce_rate_limit
from vptr.api.middleware.body_limit import BodyLimitMiddleware
from vptr.api.middleware.metering import MeteringMiddleware
from vptr.api.routes import admin


def install_security(app: FastAPI) -> None:
    """Wire limits, metering, admin routes and background jobs into ``app`` (which must have
    ``state.settings`` and ``state.store``)."""
    settings = app.state.settings
    store = app.state.store
    app.router.dependencies.append(Depends(enforce_rate_limit))
    app.state.metering = MeteringCounter(
        store.engine, flush_seconds=settings.metering_flush_seconds, before_write=store.ensure_ready
    )
    app.state.audit_buffer = ReadAuditBuffer(
        store.engine, flush_seconds=settings.audit_flush_seconds, before_write=store.ensure_ready
    )
    # Starlette runs the middleware added last first: metering sees even a refused body.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MeteringMiddleware)
    app.include_router(admin.router)

    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[object]:
        job = None
        if settings.retention_interval_hours > 0:
            job = RetentionJob(store.engine, days=settings.retention_days,
                               interval_hours=settings.retention_interval_hours,
                               before_run=store.ensure_ready)
            job.start()
        try:
            async with inner(app) as state:
                yield state
        finally:
            if job is not None:
                job.stop()
            app.state.metering.close()
            app.state.audit_buffer.close()

    app.router.lifespan_context = lifespan
