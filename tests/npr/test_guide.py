"""docs/npr-gateway.md: its examples run against the demo and answer what the guide shows, and its
tables of error codes and faults are the gateway's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

from vptr.npr import errors
from vptr.npr.schema import schema

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "npr-gateway.md"
SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"


def blocks(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in
            re.finditer(r"^```(\w+)\n(.*?)^```$", text, flags=re.S | re.M)]


def without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "PSRightId"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def send(client: Any, request: str) -> Any:
    head, _, body = request.partition("\n\n")
    first, *header_lines = head.splitlines()
    method, path = first.split()
    headers = dict(line.split(": ", 1) for line in header_lines)
    return client.request(method, path, content=body.encode(), headers=headers)


def test_the_examples_answer_what_the_guide_shows(client_as):
    examples = blocks(GUIDE.read_text(encoding="utf-8").split("## Examples", 1)[1])
    assert [kind for kind, _ in examples] == ["http", "json", "http", "xml"]
    client = client_as("anonymous")  # the examples carry their own credentials
    response = send(client, examples[0][1])
    assert response.status_code == 200, response.text
    assert without_ids(response.json()) == without_ids(json.loads(examples[1][1]))
    response = send(client, examples[2][1])
    assert response.status_code == 200, response.text
    got = etree.fromstring(response.content).find(f"{SOAP_ENV}Body")[0]
    shown = etree.fromstring(examples[3][1].encode()).find(f"{SOAP_ENV}Body")[0]
    assert without_ids(schema().from_xml(got)) == without_ids(schema().from_xml(shown))


def test_the_error_tables_are_the_gateways():
    text = GUIDE.read_text(encoding="utf-8").split("## Errors", 1)[1].split("## Examples")[0]
    rows = re.findall(r"^\| (\d+) \| (\d+) \| (.+?) \|$", text, flags=re.M)
    assert [(int(c), int(s), m) for c, s, m in rows] == [
        (c.code, c.http_status, c.meaning) for c in errors.CODES]
    faults = re.findall(r"^\| `(s:\w+)` \| (.+?) \|$", text, flags=re.M)
    assert [(c, w.replace("`", "")) for c, w in faults] == [
        (c.replace("soap:", "s:"), w.replace("`", "")) for c, w in errors.FAULTS]
