"""Schemathesis over the whole OpenAPI description, with each demo role (issue 18): whatever a
schema-driven fuzzer sends, the register never answers 5xx, and every answer conforms to the
description (a documented status, a documented media type, a body of the documented schema).

Bounded for CI: SQLite only, ``MAX_EXAMPLES`` examples per operation and role, a deadline per
example, the rate limit lifted. docs/security.md records the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
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
