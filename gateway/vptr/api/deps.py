"""What routes share: the JSON body (size-capped, parsed once), paging, and the parsing of query
parameters into plain values with errors that name the parameter."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from vptr.api.problems import HttpRefusal
from vptr.domain import plates
from vptr.errors import BadRequest, FieldError, Invalid
from vptr.paging import Page
from vptr.times import parse_instant

JSON_TYPES = ("application/json", "application/ld+json", "application/geo+json")
#: The deepest nesting a body may have (the validator's own bound, vptr.validation MAX_DEPTH): a
#: GeoJSON MultiPolygon in a FeatureCollection needs eight.
MAX_BODY_DEPTH = 32
#: The highest page number asked for (beyond it an offset would not fit the database's integers).
MAX_PAGE = 1_000_000
#: What no text of the register holds: a lone surrogate (not Unicode text) or NUL (which
#: PostgreSQL cannot store).
_SURROGATE = re.compile("[\ud800-\udfff\x00]")
#: Control characters, refused in query parameters (no filter, reference or instant holds one).
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


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
    if media not in JSON_TYPES:
        shown = media or "no Content-Type"
        raise UnsupportedMediaType(
            f"send the body as {' or '.join(JSON_TYPES[:2])}, not {shown}",
            [FieldError("Content-Type", f"{shown} is not accepted")])
    return parse_body(bytes(raw))


def parse_body(raw: bytes) -> Any:
    """A JSON body read one way only: no duplicate keys, no NaN or infinite numbers, no lone
    surrogates, at most :data:`MAX_BODY_DEPTH` levels deep. Each refusal names the place."""
    try:
        document = json.loads(raw, object_pairs_hook=_object, parse_constant=_constant,
                              parse_float=_float)
    except _UnreadableError as exc:
        raise BadRequest(f"the body cannot be read one way only: {exc.reason}",
                         [FieldError(exc.field, exc.reason)]) from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the body is not valid JSON at line {exc.lineno} column {exc.colno}",
                         [FieldError(None, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise _too_deep(None) from None
    except (UnicodeDecodeError, ValueError) as exc:  # bad UTF-8; an integer of 4,300+ digits
        raise BadRequest("the body is not valid JSON", [FieldError(None, str(exc)[:200])]
                         ) from None
    _inspect(document)
    return document


class _UnreadableError(ValueError):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _UnreadableError(key, "the key appears twice in one object")
            seen.add(key)
    return document


def _constant(name: str) -> Any:
    raise _UnreadableError(None, f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _UnreadableError(None, f"{text[:40]} is out of range for a number")
    return value


def _too_deep(field: str | None) -> BadRequest:
    return BadRequest(f"the body is nested deeper than {MAX_BODY_DEPTH} levels",
                      [FieldError(field, f"at most {MAX_BODY_DEPTH} levels of nesting")])


def _inspect(document: Any) -> None:
    """Walks the body once (without recursion): too deep, or a string that is not Unicode text
    (a lone surrogate from a ``\\ud800`` escape, which no store can hold)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            raise _too_deep(path or None)
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                if _SURROGATE.search(key):
                    raise _not_text(path or None)
                stack.append((item, where, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise _not_text(path or None)


def _not_text(field: str | None) -> BadRequest:
    return BadRequest("the body holds a string that is not text (a lone surrogate or NUL)",
                      [FieldError(field, "not text: a lone surrogate or NUL")])


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


