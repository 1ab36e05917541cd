"""What routes share: the store, the JSON body (size-capped, parsed once), paging, and the parsing
of query parameters into the register's terms with errors that name the parameter."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from vptr.auth.principal import Principal
from vptr.errors import BadRequest, FieldError, Forbidden, Invalid, RegisterError
from vptr.store.database import Store
from vptr.store.paging import Page
from vptr.store.plate_keys import check_plate
from vptr.store.sqlite_writes import WriteBusy
from vptr.times import parse_instant

JSON_TYPES = ("application/json", "application/ld+json", "application/geo+json")


class PayloadTooLarge(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMediaType(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    store.ensure_ready()
    return store


async def store_dependency(request: Request) -> Store:
    """The store, for a route. Asynchronous: a store that is ready (always, once `vptr serve`
    has started) is handed over without the trip to the thread pool and back that a plain
    function dependency costs; only preparing it (a migration) runs there."""
    store: Store = request.app.state.store
    if not store.ready:
        await run_in_threadpool(store.ensure_ready)
    return store


StoreDep = Annotated[Store, Depends(store_dependency)]

P = ParamSpec("P")
T = TypeVar("T")


async def run_read(request: Request, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
                   ) -> T:
    """Runs a hot, read-only handler (the check, the trial price) where the store says it is
    cheapest: inline on the embedded store, in the thread pool on PostgreSQL
    (:attr:`vptr.store.database.Store.works_inline`)."""
    if get_store(request).works_inline:
        return work(*args, **kwargs)
    return await run_in_threadpool(work, *args, **kwargs)


async def run_write(request: Request, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs
                    ) -> T:
    """Runs a hot write handler (registering, ending a right) where it is cheapest: inline on
    the embedded store when the write lock is free, else (another writer holds it, or the store
    is PostgreSQL) in the thread pool, where waiting blocks no other request
    (:meth:`vptr.store.database.Store.write_now`). ``work`` must not change anything before its
    first write transaction: after WriteBusy it runs again from the start."""
    store = get_store(request)
    if store.works_inline:
        try:
            return store.write_now(work, *args, **kwargs)
        except WriteBusy:
            pass
    return await run_in_threadpool(work, *args, **kwargs)


async def read_json(request: Request, optional: bool = False) -> Any:
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is {declared} bytes, more than the {limit} accepted")
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise PayloadTooLarge(f"the body is more than the {limit} bytes accepted")
    if not raw.strip():
        if optional:
            return None
        raise BadRequest("the body is empty", [FieldError(None, "send a JSON object")])
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media not in JSON_TYPES:
        raise UnsupportedMediaType(f"send the body as {' or '.join(JSON_TYPES[:2])}, not {media}",
                                   [FieldError("Content-Type", f"{media} is not accepted")])
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(
            exc, json.JSONDecodeError) else ""
        raise BadRequest(f"the body is not valid JSON{where}",
                         [FieldError(None, f"not valid JSON: {exc}")]) from exc


async def json_body(request: Request) -> Any:
    return await read_json(request)


async def optional_json_body(request: Request) -> Any:
    return await read_json(request, optional=True)


JsonBody = Annotated[Any, Depends(json_body)]
OptionalJsonBody = Annotated[Any, Depends(optional_json_body)]


def paging(request: Request,
           page: Annotated[int, Query(ge=1, description="Page number, from 1.")] = 1,
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


def plate_query(plate: str | None, country: str | None) -> tuple[str, str] | None:
    if plate is None:
        if country is not None:
            raise Invalid.field("plate", "is required with country")
        return None
    if not country:
        raise Invalid.field("country", "is required with plate (the ISO code, such as BE)")
    return check_plate(plate, country)


def area_manager(principal: Principal) -> str:
    """The caller's tenant; only area managers manage their configuration."""
    if principal.tenant is None:
        raise Forbidden("only an area manager manages this resource")
    return principal.tenant


def one_of(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    if value is not None and value not in allowed:
        raise Invalid.field(name, f"one of {', '.join(allowed)}")
    return value
