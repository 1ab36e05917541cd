"""Builds the FastAPI application: the one place where routers, middleware and the store meet."""

from __future__ import annotations

from fastapi import FastAPI

from ..settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="Vlaams Parkeer- en Toegangsregister",
        description="The register's native API (OSLO JSON-LD), validation and open data.",
        version="0.1.0",
    )
    app.state.settings = settings

    @app.get("/health", operation_id="health", tags=["operations"])
    def health() -> dict[str, str]:
        """Liveness: answers without touching the store (the benchmarks' trivial baseline)."""
        return {"status": "ok"}

    return app
