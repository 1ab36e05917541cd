"""A lean route for the register's hottest question (the check): the same guards, errors and
OpenAPI description as every route, without FastAPI's per-request machinery.

Why: a check's own work (its reads and the decision) costs about 0.2 ms of CPU; served as an
ordinary FastAPI route it cost four times that, most of it in the framework: resolving
dependencies (and running a synchronous one in the thread pool and back), the exit stacks
around every endpoint, ``jsonable_encoder`` walking the answer before ``json.dumps`` walks it
again (``bench/README.md``, "HTTP overhead"). A :class:`HotRoute` is still an ``APIRoute`` in the
one router registry: FastAPI builds its OpenAPI operation (id, parameters, security, body) from
the endpoint as always, metering reads its operation id, and errors raised in it reach the app's
problem handlers. Only the serving differs: :meth:`HotRoute.handle` runs the app-wide guards
(:data:`vptr.api.security.GUARDS`: readable query, rate limit), authenticates, calls the endpoint
with exactly the arguments it declares, and writes the dictionary it returns with orjson, in
one response start and one body message.

The endpoint may declare only what this class knows how to supply (the request, the
authenticated principal, the JSON body); anything else is refused when the route is made, so a
new parameter cannot be silently left unresolved.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, get_type_hints

import orjson
from fastapi import Request
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from vptr.api.authentication import CurrentPrincipal, current_principal
from vptr.api.deps import JsonBody, json_body
from vptr.api.security import GUARDS

Supplier = Callable[[Request, Any], Awaitable[Any]]


async def _request(request: Request, _principal: Any) -> Request:
    return request


async def _principal(_request: Request, principal: Any) -> Any:
    return principal


async def _body(request: Request, _principal: Any) -> Any:
    return await json_body(request)


#: What a hot endpoint may declare, by annotation (the same annotations FastAPI documents).
#: Pairs rather than a dict: FastAPI's Depends markers inside the annotations do not hash.
_SUPPLIERS: tuple[tuple[Any, Supplier], ...] = (
    (Request, _request), (CurrentPrincipal, _principal), (JsonBody, _body))
_JSON_HEADERS = [(b"content-type", b"application/json")]


async def admit(request: Request) -> Any:
    """What every route's dependencies do before it runs, in their order (the app-wide guards,
    then authentication): the caller, or the refusal (400 for an unreadable query, 429, 401)."""
    for guard in GUARDS:
        await guard(request)
    return await current_principal(request)


class HotRoute(APIRoute):
    """An APIRoute served by :meth:`handle` directly (see the module's docstring)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        if self.dependencies:
            raise TypeError(f"a hot route runs the app-wide guards only, not the dependencies "
                            f"given to {endpoint.__qualname__}'s route; use an ordinary route")
        if not inspect.iscoroutinefunction(endpoint):
            raise TypeError(f"a hot route's endpoint must be async: {endpoint.__qualname__}")
        hints = get_type_hints(endpoint, include_extras=True)
        suppliers = []
        for name in inspect.signature(endpoint).parameters:
            supplier = next((s for kind, s in _SUPPLIERS if kind == hints.get(name)), None)
            if supplier is None:
                raise TypeError(f"a hot route cannot supply {endpoint.__qualname__}'s parameter "
                                f"{name!r} ({hints.get(name)!r}); declare it as a Request, "
                                "CurrentPrincipal or JsonBody, or use an ordinary route")
            suppliers.append(supplier)
        self._suppliers = tuple(suppliers)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in self.methods:  # 405 with Allow, as FastAPI answers it
            await super().handle(scope, receive, send)
            return
        request = Request(scope, receive, send)
        principal = await admit(request)
        arguments = [await supply(request, principal) for supply in self._suppliers]
        answer = await self.endpoint(*arguments)
        body = orjson.dumps(answer)
        await send({"type": "http.response.start", "status": self.status_code or 200,
                    "headers": [*_JSON_HEADERS, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
