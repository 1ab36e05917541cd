"""A request's JSON body read one way for every channel: the native API, APDS and NPR take their
bodies from here, so a body one of them refuses the others refuse too, and none of them answers a
malformed body with a 5xx (Python's parser raises RecursionError on deep nesting and ValueError on
an integer of more than 4,300 digits, neither a JSONDecodeError).

Each channel renders the refusals (:class:`vptr.errors.BadRequest`, :class:`PayloadTooLarge`,
:class:`UnsupportedMediaType`) in its own format: a problem document, an APDS ResponseStatus, an
NPR ``*ResponseError`` with ErrorCode 101.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from starlette.requests import Request

from vptr.errors import BadRequest, FieldError, RegisterError

JSON_TYPES = ("application/json", "application/ld+json", "application/geo+json")
#: The deepest nesting a body may have (the validator's own bound, vptr.validation MAX_DEPTH): a
#: GeoJSON MultiPolygon in a FeatureCollection needs eight.
MAX_BODY_DEPTH = 32
#: The most digits an integer in a body may have: Python's own bound on converting text to int
#: (above it ``int()`` raises ValueError), stated here so the refusal names the number.
MAX_INTEGER_DIGITS = sys.get_int_max_str_digits() or 4300
#: What no text of the register holds: a lone surrogate (not Unicode text) or NUL (which
#: PostgreSQL cannot store).
_SURROGATE = re.compile("[\ud800-\udfff\x00]")


class HttpRefusal(RegisterError):  # noqa: N818 - a refusal, not a bug
    """A refusal only HTTP can make (an Accept header nothing satisfies, a body too large): it
    carries its own status, title and problem type."""

    status = 400
    title = "Bad request"
    slug = "bad-request"


class PayloadTooLarge(HttpRefusal):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMediaType(HttpRefusal):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


async def read_bytes(request: Request) -> bytes:
    """The body, at most the settings' ``max_body_bytes`` of it (413 beyond, before reading it
    all when Content-Length says so)."""
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the body is {declared} bytes, more than the {limit} accepted")
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > limit:
            raise PayloadTooLarge(f"the body is more than the {limit} bytes accepted")
    return bytes(raw)


async def read_json(request: Request, optional: bool = False,
                    media_types: tuple[str, ...] | None = JSON_TYPES) -> Any:
    """The body as JSON (:func:`parse_body`); ``None`` for an empty body when ``optional``.
    ``media_types``: the Content-Types accepted (None: any, for clients of a standard that do
    not all send one)."""
    raw = await read_bytes(request)
    if not raw.strip():
        if optional:
            return None
        raise BadRequest("the body is empty", [FieldError(None, "send a JSON object")])
    if media_types is not None:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in media_types:
            shown = media or "no Content-Type"
            raise UnsupportedMediaType(
                f"send the body as {' or '.join(media_types[:2])}, not {shown}",
                [FieldError("Content-Type", f"{shown} is not accepted")])
    return parse_body(raw)


def parse_body(raw: bytes) -> Any:
    """A JSON body read one way only: no duplicate keys, no NaN or infinite numbers, no integer
    of more than :data:`MAX_INTEGER_DIGITS` digits, no lone surrogates, at most
    :data:`MAX_BODY_DEPTH` levels deep. Each refusal is a :class:`BadRequest` naming the place."""
    try:
        document = json.loads(raw, object_pairs_hook=_object, parse_constant=_constant,
                              parse_float=_float, parse_int=_int)
    except _UnreadableError as exc:
        raise BadRequest(f"the body cannot be read one way only: {exc.reason}",
                         [FieldError(exc.field, exc.reason)]) from None
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the body is not valid JSON at line {exc.lineno} column {exc.colno}",
                         [FieldError(None, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise _too_deep(None) from None
    except UnicodeDecodeError as exc:
        raise BadRequest("the body is not UTF-8 text",
                         [FieldError(None, f"not UTF-8: byte {exc.start} cannot be read")]
                         ) from None
    except ValueError as exc:  # nothing else json.loads raises; kept readable all the same
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


class _Unreadable:
    """A value the parser met that the body may not hold: returned by the parser's hooks
    (which do not know where they are) and refused by :func:`_inspect`, which does."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _constant(name: str) -> Any:
    return _Unreadable(f"{name} is not a JSON number")


def _float(text: str) -> float | _Unreadable:
    value = float(text)
    if not math.isfinite(value):
        return _Unreadable(f"{text[:40]} is out of range for a number")
    return value


def _int(text: str) -> int | _Unreadable:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        return _Unreadable(f"an integer of {digits} digits (at most {MAX_INTEGER_DIGITS})")
    return int(text)


def _too_deep(field: str | None) -> BadRequest:
    return BadRequest(f"the body is nested deeper than {MAX_BODY_DEPTH} levels",
                      [FieldError(field, f"at most {MAX_BODY_DEPTH} levels of nesting")])


def _inspect(document: Any) -> None:
    """Walks the body once (without recursion): too deep, a string that is not Unicode text
    (a lone surrogate from a ``\\ud800`` escape, which no store can hold), or a number the
    parser's hooks marked (NaN, infinite, too many digits), each refused naming its place."""
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
        elif isinstance(value, _Unreadable):
            raise BadRequest(f"the body cannot be read one way only: {value.reason}",
                             [FieldError(path or None, value.reason)])


def _not_text(field: str | None) -> BadRequest:
    return BadRequest("the body holds a string that is not text (a lone surrogate or NUL)",
                      [FieldError(field, "not text: a lone surrogate or NUL")])
