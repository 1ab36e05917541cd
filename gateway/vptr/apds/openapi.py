"""The APDS operations in the gateway's OpenAPI description (``/openapi.json``): the routes read
their bodies themselves (checked against apds4.yaml, :func:`vptr.apds.http.body_of`), so FastAPI
cannot infer them; this module states them.

apds4.yaml's schemas (as amended by the reference notes, :mod:`vptr.apds.schemas`) and the ones
the register publishes where apds4.yaml has none are merged into ``components.schemas`` under an
``Apds`` prefix (``ApdsSession``, ``ApdsQuoteResponse``...), their references rewritten to match,
so the description stays one self-contained document beside the native API's classes. Each APDS
operation then names its request body and its answers by those schemas: a refusal is an APDS
``ResponseStatus`` with status 400 (never FastAPI's 422), 401, 403, 404 or 409.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from fastapi import FastAPI

from vptr.apds import schemas

PREFIX = "Apds"
MEDIA = "application/json"

#: operationId -> (request body schema or None, success status, success schema or None).
OPERATIONS: dict[str, tuple[str | None, str, str | None]] = {
    "apdsGetPlaces": (None, "200", "HierarchyElementList"),
    "apdsGetPlace": (None, "200", "HierarchyElement"),
    "apdsCreatePlace": ("HierarchyElement", "201", "ResponseStatus"),
    "apdsUpdatePlace": ("HierarchyElement", "200", "ResponseStatus"),
    "apdsDeletePlace": (None, "200", "ResponseStatus"),
    "apdsGetRightSpecs": (None, "200", "RightSpecificationList"),
    "apdsGetRightSpec": (None, "200", "RightSpecification"),
    "apdsCreateRightSpec": ("RightSpecification", "201", "ResponseStatus"),
    "apdsUpdateRightSpec": ("RightSpecification", "200", "ResponseStatus"),
    "apdsDeleteRightSpec": (None, "200", "ResponseStatus"),
    "apdsGetRates": (None, "200", "RateTableList"),
    "apdsGetRate": (None, "200", "RateTable"),
    "apdsCreateRate": ("RateTable", "200", "ResponseStatus"),
    "apdsUpdateRate": ("RateTable", "200", "ResponseStatus"),
    "apdsDeleteRate": (None, "200", "ResponseStatus"),
    "apdsGetAssignedRights": (None, "200", "AssignedRightList"),
    "apdsGetAssignedRight": (None, "200", "AssignedRight"),
    "apdsCreateAssignedRight": ("AssignedRight", "201", "ResponseStatus"),
    "apdsUpdateAssignedRight": ("AssignedRight", "200", "ResponseStatus"),
    "apdsDeleteAssignedRight": (None, "200", "ResponseStatus"),
    "apdsGetSessions": (None, "200", "SessionList"),
    "apdsGetSession": (None, "200", "Session"),
    "apdsCreateSession": ("Session", "201", "ResponseStatus"),
    "apdsUpdateSession": ("Session", "200", "ResponseStatus"),
    "apdsDeleteSession": (None, "200", "ResponseStatus"),
    "apdsCreateQuote": ("QuoteRightRequest", "200", "QuoteResponse"),
    "apdsPublishedSchemas": (None, "200", None),
    "apdsPostWebhooks": ("EventSubscription", "200", "ResponseStatusWithId"),
    "apdsGetWebhooks": (None, "200", "SubscriptionList"),
    "apdsDeleteWebhook": (None, "200", "ResponseStatus"),
    "apdsGetWebhookDeliveries": (None, "200", "DeliveryList"),
}

REFUSALS = {
    "400": "The request violates apds4.yaml or a rule of the register; the message names the "
           "field.",
    "401": "No credentials, or unknown or revoked ones.",
    "403": "The caller holds none of the operation's scopes, or may not do this.",
    "404": "Nothing there, or another tenant's.",
    "409": "A duplicate id, or an outdated or not the next version.",
}

_REFERENCE = re.compile(r'"\$ref": "(?:urn:apds4|urn:vptr-apds)?#/components/schemas/([^"]+)"')


def component(name: str) -> str:
    return f"{PREFIX}{name}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component(name)}"}


def components() -> dict[str, Any]:
    """apds4.yaml's schemas (amended) and the published ones, under the prefix, referring to
    each other by their prefixed names."""
    merged = {**schemas.apds_document()["components"]["schemas"],
              **schemas.published_document()["components"]["schemas"]}
    text = _REFERENCE.sub(lambda m: f'"$ref": "#/components/schemas/{component(m.group(1))}"',
                          json.dumps(merged))
    return {component(name): schema for name, schema in json.loads(text).items()}


def describe(document: dict[str, Any]) -> dict[str, Any]:
    """Completes the APDS operations of an OpenAPI description in place."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(
        copy.deepcopy(components()))
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/apds"):
            continue
        for operation in operations.values():
            known = OPERATIONS.get(operation.get("operationId", ""))
            if known is None:
                continue
            request, code, answer = known
            if request is not None:
                operation["requestBody"] = {"required": True, "content": {
                    MEDIA: {"schema": _ref(request)}}}
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            success = {k: v for k, v in responses.items() if k.startswith("2")}
            for other in success:
                if other != code:
                    responses.pop(other)
            responses[code] = {"description": responses.get(code, {}).get(
                "description", "Successful Response"), "content": {MEDIA: {
                    "schema": _ref(answer) if answer else {"type": "object"}}}}
            for status, description in REFUSALS.items():
                responses[status] = {"description": description, "content": {
                    MEDIA: {"schema": _ref("ResponseStatus")}}}
    return document


def install_openapi(app: FastAPI) -> None:
    """Wraps the app's description (the native API's, completed once) with the APDS parts."""
    previous = app.openapi
    described: list[int] = []

    def openapi() -> dict[str, Any]:
        document = previous()
        if id(document) not in described:
            describe(document)
            described.append(id(document))
        return document

    app.openapi = openapi  # type: ignore[method-assign]
