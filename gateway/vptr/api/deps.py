"""What routes share: the JSON body (size-capped, parsed once, by the reader every HTTP channel
uses: vptr.http.bodies), paging, and the parsing of query parameters into plain values with
errors that name the parameter."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from vptr.errors import Invalid
from vptr.http.bodies import read_json
from vptr.paging import Page
from vptr.services.plate_queries import paired
from vptr.times import parse_instant

#: The highest page number asked for (beyond it an offset would not fit the database's integers).
MAX_PAGE = 1_000_000
#: Control characters, refused in query parameters (no filter, reference or instant holds one).
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


async def readable_parameters(request: Request) -> None:
    """Every route's path and query parameters hold text: a control character (NUL above all,
    which PostgreSQL cannot hold or compare) in a decoded path parameter, or in a query
    parameter's name or value, is refused naming the parameter, before any use case looks it up.
    One guard for every route of every channel (it is app-wide, vptr.api.security.GUARDS); each
    channel writes the refusal in its own format (a problem document, an APDS ResponseStatus, an
    NPR ResponseError, a page). Asynchronous (it only reads the request): FastAPI runs a
    synchronous dependency in its thread pool, and the trip there and back cost every request
    more than the check itself."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and _CONTROL.search(value):
            raise Invalid.field(name, "must not hold control characters (in the path)")
    for name, value in request.query_params.multi_items():
        if _CONTROL.search(name):
            raise Invalid.field(None, "a query parameter's name holds a control character")
        if _CONTROL.search(value):
            raise Invalid.field(name, "must not hold control characters")


async def json_body(request: Request) -> Any:
    return await read_json(request)


async def optional_json_body(request: Request) -> Any:
    return await read_json(request, optional=True)


JsonBody = Annotated[Any, Depends(json_body)]
OptionalJsonBody = Annotated[Any, Depends(optional_json_body)]


def paging(request: Request,
           page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")
                           ] = 1,
           page_size: Annotated[int | None, Query(
               alias="pageSize", ge=1, description="Items per page (capped by the settings).")
           ] = None) -> Page:
    settings = request.app.state.settings
    size = page_size or settings.default_page_size
    if size > settings.max_page_size:
        raise Invalid.field("pageSize", f"at most {settings.max_page_size}")
    return Page(page, size)


PageDep = Annotated[Page, Depends(paging)]


def instant(value: str | None, name: str) -> datetime | None:
    """A query parameter holding an instant; ``+`` in an offset may arrive as a space."""
    if value is None or value == "":
        return None
    return parse_instant(value.replace(" ", "+"), name)


def required_instant(value: str | None, name: str) -> datetime:
    """A query parameter holding an instant that must be given."""
    moment = instant(value, name)
    if moment is None:
        raise Invalid.field(name, "is required")
    return moment


def plate_query(plate: str | None, country: str | None) -> tuple[str, str] | None:
    """A plate and its country asked about together, as typed: the use case puts them in normal
    form and checks them (vptr.services.plate_queries); a query parameter without its partner is
    refused here, where the two parameters are read."""
    return paired(plate, country)


