"""OpenAPI operation ids: one per route, the camelCase of its handler's name (``register_right``
gives ``registerRight``) unless the route names its own (``check``, ``trialPrice``).

Why: providers generate their clients from the OpenAPI document, and the id becomes the method
they call; FastAPI's default (``register_right_rights_post``) repeats the path and the verb. The
same id names the operation in the metering counts and in the audit log, so a bill, an audit
entry and the API description speak of the same thing.
"""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def operation_id(route: APIRoute) -> str:
    """The id of a route that does not name its own (FastAPI's ``generate_unique_id_function``)."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def operation_of(route: BaseRoute | None) -> str | None:
    """The operation a matched route serves: its OpenAPI id, or the name of a route outside the
    API description (the documentation pages)."""
    if isinstance(route, APIRoute):
        # Not route.unique_id: a route of an included router keeps the one its router made.
        return route.operation_id or operation_id(route)
    return getattr(route, "name", None)
