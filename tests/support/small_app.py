"""A minimal app with the security machinery installed exactly as :func:`create_app` installs it,
and three routes (one authenticated, one open, one reading a body), so limits, metering and
authentication can be specified without the whole register."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from vptr.api.authentication import CurrentCaller, CurrentPrincipal
from vptr.api.problems import install_problem_handlers
from vptr.api.routes import admin
from vptr.api.security import install_security
from vptr.app import runtime_lifespan
from vptr.services.runtime import Runtime
from vptr.settings import Settings
from vptr.store.database import Store


def small_app(settings: Settings) -> FastAPI:
    runtime = Runtime(Store(settings))
    app = FastAPI(lifespan=runtime_lifespan(runtime))
    app.state.settings = settings
    app.state.store = runtime.store
    app.state.runtime = runtime
    install_problem_handlers(app)
    install_security(app)
    app.include_router(admin.router)
    app.state.route_calls = 0

    @app.get("/whoami", operation_id="whoami")
    def whoami(principal: CurrentPrincipal) -> dict[str, Any]:
        app.state.route_calls += 1
        return {"organisation": principal.organisation, "roles": sorted(principal.roles)}

    @app.get("/served/{tenant_ref}", operation_id="serveTenant")
    def serve_tenant(tenant_ref: str, caller: CurrentCaller) -> dict:
        assert caller.served is not None
        caller.served(f"https://data.parkeerregister.vlaanderen.be/id/organisation/{tenant_ref}")
        return {}

    @app.get("/open", operation_id="openData")
    def open_data() -> dict[str, str]:
        return {"open": "data"}

    @app.post("/echo", operation_id="echo")
    async def echo(request: Request) -> dict[str, int]:
        app.state.route_calls += 1
        return {"length": len(await request.body())}

    return app
