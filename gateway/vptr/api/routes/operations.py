"""Liveness and readiness for load balancers and orchestrators: ``/health`` answers without
touching the store (the benchmarks' trivial baseline); ``/ready`` says this instance can reach
its store and that the store's schema is the one this version of the register expects (so an
instance started during a deploy takes traffic only once the migration is through)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vptr.api.authentication import runtime_of
from vptr.services import operations

hot_router = APIRouter(tags=["operations"])
router = APIRouter(tags=["operations"])


@hot_router.get("/health", operation_id="health")
async def health() -> dict[str, str]:
    """Liveness: answers without touching the store (the benchmarks' trivial baseline)."""
    return {"status": "ok"}


@router.get("/ready", operation_id="ready", summary="Readiness: the store answers, schema current")
def ready(request: Request) -> JSONResponse:
    """200 when the store answers and its schema is at the newest revision this code knows;
    503 otherwise (the instance stays out of the load balancer's rotation). It never migrates."""
    state = operations.readiness(runtime_of(request))
    return JSONResponse(state.as_json(), status_code=200 if state.ready else 503)
