"""Counts every request, whatever its outcome, for the per-call bill (see vptr.accounting.metering).

Runs after the app answered, when the route (its OpenAPI operation id), the authenticated
organisation (``request.state.principal``) and the tenant served are known. The tenant is the one
a use case noted (``vptr.services.runtime.Caller.served``, told by every audited access), else the
caller's own tenant for an area manager, else none. A request no route matched is counted as
operation ``unmatched``; a request refused before routing names its own (``refused:...``).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from vptr.api.operation_ids import operation_of

log = logging.getLogger(__name__)


class MeteringMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._count(scope)

    @staticmethod
    def _count(scope: Scope) -> None:
        runtime = getattr(scope["app"].state, "runtime", None)
        counter = runtime.metering if runtime is not None else None
        if counter is None:
            return
        state = scope.get("state") or {}
        principal = state.get("principal")
        tenant = state.get("metering_tenant") or getattr(principal, "tenant", None)
        route = scope.get("route")
        if route is not None:
            # A channel whose one route serves many operations (NPR SOAP) names the one served.
            operation = state.get("channel_operation") or operation_of(route) or "unnamed"
        else:
            operation = state.get("metering_operation", "unmatched")
        try:
            counter.count(getattr(principal, "organisation", None), tenant, operation)
        except Exception:  # metering must never break an answer already given
            log.exception("could not count a request")
