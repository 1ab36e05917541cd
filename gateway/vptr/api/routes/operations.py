"""Readiness for load balancers and orchestrators: this instance can reach its store, and the
store's schema is the one this version of the register expects (so an instance started during a
deploy takes traffic only once the migration is through)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vptr.store import migrations

router = APIRouter(tags=["operations"])


@router.get("/ready", operation_id="ready", summary="Readiness: the store answers, schema current")
def ready(request: Request) -> JSONResponse:
    """200 when the store answers and its schema is at the newest revision this code knows;
    503 otherwise (the instance stays out of the load balancer's rotation)."""
    store = request.app.state.store
    try:
        current = migrations.current_revision(store.engine)
    except Exception as exc:  # any failure to reach the database means: not ready
        return JSONResponse({"status": "unavailable", "detail": exc.__class__.__name__},
                            status_code=503)
    expected = migrations.head_revision()
    if current != expected:
        return JSONResponse({"status": "migrating", "schema": current, "expected": expected},
                            status_code=503)
    return JSONResponse({"status": "ready", "schema": current})
