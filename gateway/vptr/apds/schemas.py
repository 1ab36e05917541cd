"""The APDS v4 schemas the gateway validates against, served from the repository.

``spec/apds4-schemas.json`` is ``components.schemas`` of apds4.yaml, copied unchanged
(``tests/apds/test_spec.py`` fails when it drifts from the reference file); ``spec/
vptr-apds-published.json`` holds what the register publishes where apds4.yaml has no schema (the
general APDS Quote, the webhook event envelope, the subscription list).

Loading applies the two amendments of the reference notes (NOTES.md), the only defects of the
schema file: ``Reference`` sets ``maxProperties: 1`` while requiring ``id`` and ``className``, so
no reference could be valid (the limit is dropped); ``RateTable`` requires ``validityStart`` and
``activeTimes`` without defining them (they are not required).

Two views: a **response** view (the schemas as amended) and a **request** view in which a
``readOnly`` property is never required (``Session.initiator``, ``AssignedRight.
assignedRightIssuer``, ``HierarchyElement.hierarchyElementRecord``...): the server sets those from
the authenticated caller, as OpenAPI 3.0 said explicitly.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_DIR = Path(__file__).parent / "spec"
APDS_URI = "urn:apds4"
PUBLISHED_URI = "urn:vptr-apds"


def _load(name: str) -> dict[str, Any]:
    return json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))


@cache
def apds_document() -> dict[str, Any]:
    """apds4.yaml's schemas, amended as NOTES.md says (the copy on disk stays faithful)."""
    document = _load("apds4-schemas.json")
    schemas = document["components"]["schemas"]
    schemas["Reference"].pop("maxProperties", None)
    for part in [schemas["RateTable"], *schemas["RateTable"].get("allOf", [])]:
        if "required" in part:
            part["required"] = [r for r in part["required"]
                                if r not in ("validityStart", "activeTimes")]
    return document


@cache
def published_document() -> dict[str, Any]:
    return _load("vptr-apds-published.json")


def _without_read_only_required(node: Any) -> Any:
    """A copy in which no object schema requires one of its readOnly properties."""
    if isinstance(node, list):
        return [_without_read_only_required(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _without_read_only_required(value) for key, value in node.items()}
    if isinstance(node.get("required"), list):
        # The properties a ``required`` list names may sit beside it or in its allOf parts
        # (HierarchyElement requires its readOnly hierarchyElementRecord that way).
        properties = dict(node.get("properties") or {})
        for part in node.get("allOf") or []:
            if isinstance(part, dict):
                properties.update(part.get("properties") or {})
        result["required"] = [name for name in node["required"]
                              if not (isinstance(properties.get(name), dict)
                                      and properties[name].get("readOnly"))]
    return result


@cache
def _registry(request: bool) -> Registry:
    apds, published = apds_document(), published_document()
    if request:
        apds, published = _without_read_only_required(apds), \
            _without_read_only_required(published)
    return Registry().with_resources([
        (APDS_URI, Resource(contents=copy.deepcopy(apds), specification=DRAFT202012)),
        (PUBLISHED_URI, Resource(contents=copy.deepcopy(published),
                                 specification=DRAFT202012)),
    ])


@cache
def validator(name: str, request: bool = False) -> Draft202012Validator:
    """The validator of one schema by its name in apds4.yaml (or in the published file)."""
    if name in apds_document()["components"]["schemas"]:
        uri = APDS_URI
    elif name in published_document()["components"]["schemas"]:
        uri = PUBLISHED_URI
    else:
        raise KeyError(f"no APDS schema {name!r}")
    return Draft202012Validator({"$ref": f"{uri}#/components/schemas/{name}"},
                                registry=_registry(request), format_checker=FormatChecker())


def field_of(error: ValidationError) -> str:
    """The property chain of an error (``segments[0].assignedRight.id``), or the property a
    ``required`` error misses."""
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if error.validator == "required":
        found = re.match(r"^'([^']+)' is a required property", error.message)
        if found:
            path = f"{path}.{found.group(1)}" if path else found.group(1)
    return path


def errors(name: str, instance: Any, request: bool = False) -> Iterator[ValidationError]:
    return validator(name, request).iter_errors(instance)


def first_error(name: str, instance: Any, request: bool = False) -> ValidationError | None:
    """The most relevant violation of ``name`` by ``instance`` (None: it conforms)."""
    return best_match(errors(name, instance, request))


def problems(name: str, instance: Any, request: bool = False) -> list[tuple[str, str]]:
    """Every violation as (field, message), for reports (the conformance kit)."""
    found = []
    for error in errors(name, instance, request):
        leaves = error.context or [error]
        deepest = best_match(leaves) if error.context else error
        found.append((field_of(deepest or error), (deepest or error).message[:300]))
    return found
