"""Schemathesis over the whole OpenAPI description, with each demo role (issue 18): whatever a
schema-driven fuzzer sends, the register never answers 5xx, and every answer conforms to the
description (a documented status, a documented media type, a body of the documented schema).

Bounded for CI: SQLite only, ``MAX_EXAMPLES`` examples per operation and role, a deadline per
example, the rate limit lifted. docs/security.md records the figures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from vptr.api.openapi import native_paths
from vptr.app import create_app
from vptr.services.demo import credential, load_demo
from vptr.settings import Settings
from vptr.store.database import Store
from vptr.store.db import sqlite_url

MAX_EXAMPLES = 5
DEADLINE_MS = 2000
ROLES = ["area-manager", "provider", "provider-limited", "enforcement", "anonymous"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One demo store for the whole run (what the fuzzer changes, it changes for every role)."""
    path = Path(tmp_path_factory.mktemp("fuzz")) / "demo.sqlite"
    store = Store(Settings(database_url=sqlite_url(path), rate_limit_per_second=0))
    store.prepare()
    load_demo(store)
    app = create_app(store.settings, store)
    yield app
    app.state.runtime.close()
    store.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)


#: The native API's paths (the full description checks apply to these).
NATIVE = native_paths()
#: What every run covered: (role, mode) -> [operations, examples].
FIGURES: dict[tuple[str, str], list[int]] = {}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_the_register_fail_or_break_its_description(api_schema, role: str,
                                                                    mode: GenerationMode
                                                                    ) -> None:
    """Every operation, ``MAX_EXAMPLES`` examples each (valid ones, then ones the description
    rules out), sent with the role's credentials: no 5xx, nothing the description does not say.
    (Driven here rather than by schemathesis's pytest plugin, whose lazy schemas do not run on
    this pytest.)"""
    headers = {} if role == "anonymous" else {
        "Authorization": f"Bearer {credential(role).key}"}
    figures = FIGURES.setdefault((role, mode.value), [0, 0])
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/apds/"):
            # apds4.yaml's schemas are deep and recursive: hypothesis takes minutes to draw one
            # body, so the APDS channel is fuzzed by its own property tests (tests/apds).
            continue
        definition = operation.definition.raw
        negatable = definition.get("requestBody") or any(
            p.get("in") == "query" for p in definition.get("parameters", ()))
        if mode is GenerationMode.NEGATIVE and not negatable:
            continue  # a path of free strings and no query: nothing the description rules out
        figures[0] += 1
        # Another channel (APDS, NPR) answers in its own message formats, checked against its own
        # specification by its own tests: here it must only never fail.
        checks = CHECKS if operation.path in NATIVE else [not_a_server_error]

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=DEADLINE_MS, derandomize=True,
                  database=None, phases=(Phase.explicit, Phase.generate),
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            figures[1] += 1
            case.call_and_validate(headers=headers, checks=checks)  # noqa: B023 - run() runs now

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    print(f"fuzzed as {role}, {mode.value}: {figures[0]} operations, {figures[1]} examples")
    assert failures == [], "\n\n".join(failures)


def test_every_operation_lists_its_refusals_as_problems(fuzzed_app) -> None:
    """What a generated client learns from the description (issue 18, item 9)."""
    document = fuzzed_app.openapi()
    for path, operations in document["paths"].items():
        if path not in NATIVE:
            continue  # another channel's, described in its own terms
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "401", "403", "404", "409", "413", "415", "422", "429"):
                assert list(responses[status]["content"]) == ["application/problem+json"], (
                    method, path, status)
            assert any(code.startswith("2") for code in responses), (method, path)
    body = document["paths"]["/rights"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/RightBody"}
    right = document["components"]["schemas"]["RightBody"]
    assert "provider" not in right["required"] and "zone" in right["required"]
    kinds = document["paths"]["/zones"]["get"]["parameters"]
    kind = next(p for p in kinds if p["name"] == "kind")["schema"]["anyOf"][0]
    assert "blueZone" in kind["enum"]
    assert "text/turtle" in document["paths"]["/zones/{ref}"]["get"]["responses"]["200"][
        "content"]


def _parameter(document: dict, path: str, name: str, method: str = "get") -> dict:
    schema = next(p for p in document["paths"][path][method]["parameters"]
                  if p["name"] == name)["schema"]
    return next((o for o in schema.get("anyOf", ()) if o.get("type") != "null"), schema)


def test_the_description_states_the_bounds_the_server_enforces(fuzzed_app) -> None:
    """The audit after issue 18 found the hot check's lon and lat without bounds, countries
    without their code list, plates without a pattern, and the open data's 422 described as JSON
    while it is a problem document: a generated client learnt less than the server checks."""
    document = fuzzed_app.openapi()
    assert _parameter(document, "/check", "lon")["minimum"] == -180
    assert _parameter(document, "/check", "lon")["maximum"] == 180
    assert _parameter(document, "/check", "lat")["minimum"] == -90
    assert _parameter(document, "/check", "lat")["maximum"] == 90
    body = document["paths"]["/check"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["lat"]["maximum"] == 90
    for path in ("/check", "/rights", "/permits", "/whitelists/{ref}/entries", "/admin/audit"):
        country = _parameter(document, path, "country")
        assert "BE" in country["enum"] and "UK" not in country["enum"], path
        plate = _parameter(document, path, "plate")
        assert re.fullmatch(plate["pattern"], "1-abc-123") and not re.fullmatch(
            plate["pattern"], "1ABC123!"), path
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            refused = operation["responses"].get("422", {}).get("content", {})
            if path.startswith(("/id/", "/ldes", "/dumps", "/catalog", "/npr/")) and refused:
                assert list(refused) == ["application/problem+json"], (method, path)
    assert "HTTPValidationError" not in json.dumps(document)


def test_the_open_data_answers_a_refused_parameter_as_described(fuzzed_app) -> None:
    client = TestClient(fuzzed_app)
    response = client.get("/ldes/-1")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
