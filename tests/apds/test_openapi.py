"""/openapi.json describes every APDS operation: the request body it reads and the answers it
gives, by apds4.yaml's schemas (as amended by the reference notes) merged into the description's
components under an ``Apds`` prefix, so a generated client or a schema-driven fuzzer sees what
the gateway checks."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.apds.conftest import session_body
from vptr.apds.openapi import OPERATIONS

WRITES = {"post", "put"}


@pytest.fixture
def described(client_as) -> dict:
    return client_as("anonymous").get("/openapi.json").json()


def _apds_operations(document: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, operation) for path, operations in document["paths"].items()
            if path.startswith("/apds") for method, operation in operations.items()]


def _validator(document: dict, reference: str) -> Draft202012Validator:
    registry = Registry().with_resource("urn:openapi", Resource(
        contents=document, specification=DRAFT202012))
    return Draft202012Validator({"$ref": "urn:openapi" + reference}, registry=registry)


def test_every_apds_operation_that_takes_a_body_names_its_schema(described):
    operations = _apds_operations(described)
    assert len(operations) >= 31
    for path, method, operation in operations:
        assert operation["operationId"] in OPERATIONS, (path, method)
        if method in WRITES:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            assert name.startswith("Apds") and name in described["components"]["schemas"], \
                (path, method, name)
        else:
            assert "requestBody" not in operation, (path, method)
        assert "422" not in operation["responses"], (path, method)
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApdsResponseStatus"}


def test_every_reference_in_the_apds_components_resolves(described):
    names = set(described["components"]["schemas"])
    text = json.dumps({k: v for k, v in described["components"]["schemas"].items()
                       if k.startswith("Apds")} | {"paths": {
                           p: o for p, o in described["paths"].items() if p.startswith("/apds")}})
    references = {r.rsplit("/", 1)[-1] for r in __import__("re").findall(
        r'"\$ref": "([^"]+)"', text)}
    assert references and references <= names
    assert "urn:apds4" not in text


def test_the_described_session_body_accepts_and_refuses_what_the_gateway_does(described,
                                                                             client_as):
    schema = described["paths"]["/apds/sessions"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["$ref"]
    validator = _validator(described, schema)
    good = session_body()
    good["initiator"] = {"id": "parkplus", "version": 1, "className": "ContactPoint"}
    assert list(validator.iter_errors(good)) == []
    bad = session_body()
    bad["segments"][0]["assignedRight"]["version"] = "one"  # deep inside a nested object
    assert list(validator.iter_errors(bad)) != []
    refused = client_as("provider").post("/apds/sessions", json=bad)
    assert refused.status_code == 400 and "segments[0].assignedRight.version" in \
        refused.json()["message"]


def test_a_described_answer_validates_what_the_gateway_answers(described, client_as):
    reference = described["paths"]["/apds/rights/assigned"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]["$ref"]
    answer = client_as("enforcement").get("/apds/rights/assigned").json()
    assert answer["data"]
    assert list(_validator(described, reference).iter_errors(answer)) == []
