"""What routes share: the JSON body (size-capped, parsed once), paging, and the parsing of query
parameters into plain values with errors that name the parameter."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from vptr.api.problems import HttpRefusal
from vptr.domain import plates
from vptr.errors import BadRequest, FieldError, Invalid
from vptr.paging import Page
from vptr.times import parse_instant

JSON_TYPES = ("application/json", "application/ld+json", "application/geo+json")


class PayloadTooLarge(HttpRefusal):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMediaType(HttpRefusal):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


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


def required_instant(value: str | None, name: str) -> datetime:
    """A query parameter holding an instant that must be given."""
    moment = instant(value, name)
    if moment is None:
        raise Invalid.field(name, "is required")
    return moment


def plate_query(plate: str | None, country: str | None) -> tuple[str, str] | None:
    """A plate and its country asked about together, in normal form."""
    if plate is None:
        if country is not None:
            raise Invalid.field("plate", "is required with country")
        return None
    if not country:
        raise Invalid.field("country", "is required with plate (the ISO code, such as BE)")
    try:
        return plates.checked(plate, country)
    except plates.PlateError as exc:
        raise Invalid.field(exc.field, str(exc)) from None


