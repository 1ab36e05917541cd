"""Request bodies into stored documents: the standard's validation, then the register's own rules.

A body is normalised once (type set, decimals as strings, the context left implicit), validated
against the application profile, and stored without ``@context``; responses add the context back.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import inspect
import json
from collections.abc import Iterable
from typing import Any

from vptr.errors import BadRequest, FieldError, Invalid
from vptr.validation import CONTEXT_IRI, PayloadError, validate_document
from vptr.validation.loading import prepare_json

#: Whether the validator can take the stored documents a payload refers to (cross-document rules).
_TAKES_SUPPORTING = "supporting" in inspect.signature(validate_document).parameters


def field_of_pointer(pointer: str | None) -> str | None:
    """``/vehicle/licencePlate/x`` (a JSON pointer) as the ``vehicle.licencePlate.x`` the API
    uses."""
    if not pointer:
        return None
    return ".".join(part for part in pointer.strip("/").split("/") if part) or None


def payload_error(exc: PayloadError) -> BadRequest:
    field = field_of_pointer(exc.field)
    return BadRequest(exc.reason if not field else f"{field}: {exc.reason}",
                      [FieldError(field, exc.reason)])


def normalise(body: Any, type_name: str) -> dict[str, Any]:
    """The body as a document of ``type_name``: one JSON object, the standard's context or none."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be one JSON object",
                         [FieldError(None, "not a JSON object")])
    context = body.get("@context")
    if context is not None and context != CONTEXT_IRI:
        raise BadRequest(f"@context: use {CONTEXT_IRI} or leave it out",
                         [FieldError("@context", f"use {CONTEXT_IRI} or leave it out")])
    given_type = body.get("type", body.get("@type"))
    if given_type is not None and given_type != type_name:
        raise Invalid.field("type", f"must be {type_name} here, not {given_type!r}")
    document = {k: v for k, v in copy.deepcopy(body).items() if k not in ("@context", "@type")}
    if "@id" in document:
        document.setdefault("id", document.pop("@id"))
    document = {"type": type_name, **{k: v for k, v in document.items() if k != "type"}}
    try:
        prepared = prepare_json(document, type_name)
    except PayloadError as exc:
        raise payload_error(exc) from exc
    prepared.pop("@context", None)
    return prepared


def validate(document: dict[str, Any], supporting: Iterable[dict[str, Any]] = ()) -> None:
    """Raises Invalid listing every violation (field, property, message) unless it conforms."""
    extra = [d for d in supporting if d]
    try:
        if _TAKES_SUPPORTING and extra:
            report = validate_document(document, supporting=extra)  # type: ignore[call-arg]
        else:
            report = validate_document(document)
    except PayloadError as exc:
        raise payload_error(exc) from exc
    if report.conforms:
        return
    violations = [v for v in report.violations if v.severity == "Violation"]
    error = Invalid(
        f"the {document.get('type', 'document')} does not conform to the application profile: "
        + "; ".join(f"{v.field or v.property or v.focus}: {v.message}" for v in violations[:5]),
        [FieldError(v.field or v.property, v.message, dict(v.messages) or None)
         for v in violations],
    )
    error.extra = {"violations": [v.as_json() for v in violations]}
    raise error


def prepare_validation() -> None:
    """Loads and compiles the application profile now: a quarter of a second, once per process,
    that the first registration after start-up would otherwise add to its answer (and to every
    request queued behind it)."""
    validate_document({"type": "Right", "rightKind": "parking"})  # its verdict does not matter


def fingerprint(key: bytes, body: Any) -> str:
    """A keyed hash of a request body (it may hold a plate), to recognise a re-sent request."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def iri_list(document: dict[str, Any], field: str) -> list[str]:
    """A multivalued reference (one IRI or a list of them) as a list."""
    value = document.get(field)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    for i, item in enumerate(values):
        if not isinstance(item, str):
            raise Invalid.field(f"{field}[{i}]" if isinstance(value, list) else field,
                                "must be an IRI")
    return list(dict.fromkeys(values))


def iri_value(document: dict[str, Any], field: str) -> str | None:
    value = document.get(field)
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    if not isinstance(value, str):
        raise Invalid.field(field, "must be an IRI")
    return value
