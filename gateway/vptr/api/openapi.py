"""The OpenAPI description tells the truth (issue 18, item 9): every operation lists the statuses it
can answer, every refusal as an RFC 9457 problem (``application/problem+json``), and each success
in the media types the route really answers (the documents in JSON-LD, JSON, Turtle and
N-Triples). A client generated from it, and a schema-driven fuzzer, agree with the server
(``tests/api/test_fuzz_openapi.py``).

FastAPI describes what it can infer; the routes read their bodies and negotiate their formats
themselves, so this module completes the description once, when it is first asked for.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from vptr.api.problems import PROBLEM_MEDIA_TYPE
from vptr.domain.plates import COUNTRIES
from vptr.http.bodies import JSON_TYPES
from vptr.paths import Artefact
from vptr.services import exports, organisations, rights
from vptr.services.codes import codes

#: The refusals any operation may answer: the body cannot be read (400), credentials (401), access
#: (403), nothing there or another tenant's (404), an Accept nothing satisfies (406), a clash with
#: what is stored (409), the body limit (413), a body that is not JSON (415), invalid content or
#: parameters (422), the rate limit (429), an identity provider that does not answer (503).
REFUSALS = {
    "400": "The body cannot be read (not JSON, ambiguous, too deep, not Unicode text).",
    "401": "No credentials, or unknown or revoked ones.",
    "403": "Known caller, not allowed.",
    "404": "Nothing there, or another tenant's.",
    "406": "No acceptable media type.",
    "409": "Conflicts with what is stored.",
    "413": "The body is over the limit.",
    "415": "The body is not JSON.",
    "422": "Invalid content or parameter; errors name the fields.",
    "429": "Rate limit; retry after Retry-After seconds.",
    "503": "A service the register depends on does not answer.",
}

#: Documents and collections: JSON-LD by default, the same as JSON, Turtle and N-Triples by Accept.
RDF = ("application/ld+json", "application/json", "text/turtle", "application/n-triples")
_RDF_TAGS = {"zones", "regimes", "rights", "permits", "whitelists", "organisations",
             "authorisations"}
#: Success media types of the operations that do not answer documents, by operation id.
_MEDIA = {
    "createApiKey": ("application/json",),
    "exportTenantData": ("application/ld+json", "text/csv"),
    "validatePage": ("text/html",),
    "validate": ("application/json", "application/ld+json", "text/turtle"),
}
#: Operations answering more than their declared success: a re-sent right or an import that only
#: updated (200), a readiness that is not (503, in JSON).
_ALSO = {"registerRight": ("200",), "importZones": ("201",), "addWhitelistEntries": ("200",),
         "createApiKey": (), "ready": ()}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document (docs/api.md#problems).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "reason"],
            "properties": {"field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                           "reason": {"type": "string"}}}},
    },
}


#: Query parameters holding an instant: the model's date-time pattern (years 1900 to 2999,
#: vptr.times), where the ``+`` of an offset may arrive as a space.
_INSTANTS = {"at", "from", "to", "start", "end"}
INSTANT_PATTERN = ("^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                   "(\\.[0-9]{1,9})?(Z|[+ -][0-9]{2}:[0-9]{2})$")
#: Whole minutes, or an ISO 8601 duration of days, hours, minutes and seconds (routes/price.py).
DURATION_PATTERN = "^([0-9]+|P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+S)?)?)$"
#: A plate as a query may write it (vptr.domain.plates.checked): 1 to 25 letters and digits, with
#: spaces, dots, dashes, underscores and slashes between them, which the register ignores.
PLATE_PATTERN = "^[ ._/-]*([A-Za-z0-9][ ._/-]*){1,25}$"
#: A plate's country: the model's code list (ISO 3166-1 alpha-2), as the register checks it.
COUNTRY_CODES = sorted(COUNTRIES)
#: FastAPI's own schemas of its validation errors, which this channel answers as problems.
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def _allowed_values() -> dict[tuple[str, str], tuple[str, ...]]:
    """The code lists the use cases check query parameters against, by (path, parameter)."""
    return {
        ("/zones", "kind"): codes("ZoneKind"),
        ("/zones/import", "zoneKind"): codes("ZoneKind"),
        ("/regimes", "usage"): codes("Usage"),
        ("/permits", "status"): codes("PermitStatus"),
        ("/permits", "permitType"): codes("PermitType"),
        ("/whitelists", "reason"): codes("UserClass"),
        ("/organisations", "role"): tuple(organisations.ROLES),
        ("/export", "format"): tuple(exports.FORMATS),
        ("/rights", "status"): tuple(rights.STATUSES),
    }


def native_paths() -> frozenset[str]:
    """The paths of this channel's own operations: the other channels (APDS, NPR) answer their
    refusals in their own message formats and describe them themselves."""
    from vptr.api.routes import ROUTERS

    return frozenset(route.path for router in ROUTERS for route in router.routes)


def install_openapi(app: FastAPI) -> None:
    """Replace the app's description by the completed one (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes, openapi_version=app.openapi_version),
                max_page_size=app.state.settings.max_page_size, paths=native_paths())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


#: What the register fills in on a write (docs/api.md), so a body may leave it out.
_FILLED_IN = {"id", "areaManager", "grantor", "provider", "authorisation", "rightStatus",
              "created", "version", "isVersionOf", "permitStatus"}


def _standard_schemas() -> dict[str, Any]:
    """The classes of the standard's JSON Schema (``schema.json``) as OpenAPI components, and for
    each class a ``{Class}Body``: the same, with what the register fills in left optional (a
    regime's period too: it starts now when absent)."""
    text = json.dumps(json.loads(Artefact.JSON_SCHEMA.path().read_text())["$defs"])
    classes = json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))
    bodies = {}
    for name, schema in list(classes.items()):
        if schema.get("type") == "object" and "properties" in schema:
            body = dict(schema)
            optional = _FILLED_IN | ({"validityPeriod"} if name == "Regime" else set())
            body["required"] = [r for r in schema.get("required", ()) if r not in optional]
            bodies[f"{name}Body"] = body
    return {**classes, **bodies}


def complete(document: dict[str, Any], max_page_size: int | None = None,
             paths: frozenset[str] | None = None) -> dict[str, Any]:
    """The description with every operation's statuses, media types and parameter bounds (of the
    operations under ``paths``, every one when None)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _standard_schemas().items():
        components.setdefault(name, schema)
    components["Problem"] = PROBLEM_SCHEMA
    for name in _FASTAPI_ERRORS:
        components.pop(name, None)
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    allowed = _allowed_values()
    for path, operations in document.get("paths", {}).items():
        if paths is not None and path not in paths:
            for operation in operations.values():
                _fastapi_errors_as_problems(operation, problem)
            continue
        for operation in operations.values():
            _complete_operation(operation, problem)
            for parameter in operation.get("parameters", ()):
                _bound(path, parameter, allowed, max_page_size)
    return document


def _fastapi_errors_as_problems(operation: dict[str, Any], problem: dict[str, Any]) -> None:
    """Another channel's operation describes itself, but FastAPI's 422 (a path or query parameter
    of the wrong type) is answered by the app-wide handler as a problem document on every channel
    that does not catch it itself (the open data, NPR): described so, and without a reference to
    the FastAPI schemas this description no longer holds."""
    for response in operation.get("responses", {}).values():
        content = response.get("content", {})
        if any(_FASTAPI_ERRORS[0] in json.dumps(c.get("schema", {})) for c in content.values()):
            response["content"] = problem


def _bound(path: str, parameter: dict[str, Any],
           allowed: dict[tuple[str, str], tuple[str, ...]], max_page_size: int | None) -> None:
    """A query parameter's allowed values, pattern or maximum, as the server checks them."""
    if parameter.get("in") != "query":
        return
    name = parameter["name"]
    schema = parameter.setdefault("schema", {})
    options = schema.get("anyOf")
    target = next((o for o in options if o.get("type") != "null"), schema) if options else schema
    if (path, name) in allowed:
        target.clear()
        target.update({"type": "string", "enum": list(allowed[(path, name)])})
    elif name in _INSTANTS and target.get("type") == "string":
        target["pattern"] = INSTANT_PATTERN
    elif name == "duration" and path == "/price":
        target["pattern"] = DURATION_PATTERN
    elif name == "pageSize" and max_page_size is not None:
        target["maximum"] = max_page_size
    elif name == "country" and target.get("type") == "string":
        target["enum"] = COUNTRY_CODES
    elif name == "plate" and target.get("type") == "string":
        target["pattern"] = PLATE_PATTERN


def _complete_operation(operation: dict[str, Any], problem: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    op_id = operation.get("operationId", "")
    successes = {code: r for code, r in responses.items() if code.startswith("2")}
    for code in _ALSO.get(op_id, ()):
        successes.setdefault(code, {"description": "Successful Response"})
    media = _MEDIA.get(op_id) or (RDF if _RDF_TAGS & set(operation.get("tags", ())) else None)
    for code, response in successes.items():
        if code == "204":
            response.pop("content", None)
            continue
        if media is not None:
            schema = next(iter(response.get("content", {}).values()), {}).get("schema", {})
            response["content"] = {m: {"schema": schema if "json" in m else {"type": "string"}}
                                   for m in media}
        responses[code] = response
    if op_id == "ready":
        responses["503"] = {"description": "Not ready: the store does not answer or its schema "
                                           "is behind.", "content": responses["200"]["content"]}
    for code, description in REFUSALS.items():
        if op_id == "ready" and code == "503":
            continue
        responses[code] = {"description": description, "content": problem}
    body = operation.get("requestBody")
    if body is not None:  # the media types read_json accepts
        content = body.get("content", {})
        first = next(iter(content.values()), {"schema": {}})
        body["content"] = {m: content.get(m, first) for m in JSON_TYPES[:2]}
