"""Builds the FastAPI application: the one place where routers, middleware and the store meet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from vptr.api.operation_ids import operation_id
from vptr.api.problems import install_problem_handlers
from vptr.api.routes import ROUTERS
from vptr.api.routes import check as check_routes
from vptr.api.routes import price as price_routes
from vptr.api.routes import validate as validate_routes
from vptr.api.security import install_security
from vptr.settings import Settings
from vptr.store.database import Store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app over ``store`` (tests share one), or over a new store the settings name; a new
    store migrates itself on first use."""
    settings = settings or (store.settings if store is not None else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The first check would otherwise parse every zone outline on the event loop (the
        # embedded store runs checks inline): do it before the first request arrives.
        await run_in_threadpool(app.state.store.warm_up)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Vlaams Parkeer- en Toegangsregister",
        description="The register's native API (OSLO JSON-LD), validation and open data.",
        version="0.1.0",
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings)
    install_problem_handlers(app)
    install_security(app)  # before the routers: it adds the rate limit to every route

    # Routes are matched in the order they were added: the hot ones (the benchmarks' trivial
    # endpoint, the check, the trial price) first, so they do not pay for testing every other path.
    @app.get("/health", operation_id="health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Liveness: answers without touching the store (the benchmarks' trivial baseline)."""
        return {"status": "ok"}

    app.include_router(check_routes.router)
    app.include_router(price_routes.router)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(validate_routes.router)
    check_routes.install_plate_redaction()
    return app
