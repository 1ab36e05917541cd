"""docs/apds-integration.md: every example request of the provider's guide runs, in order,
against the demo, and gets the status the guide says."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.apds.conftest import conforms

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "apds-integration.md"
EXAMPLE = re.compile(r"```http\n(?P<request>.*?)```\s*\n\s*answers `(?P<status>\d{3})`"
                     r"(?:, an? `(?P<schema>\w+)`)?", re.S)


def examples() -> list[tuple[str, int, str | None]]:
    text = GUIDE.read_text(encoding="utf-8")
    found = [(m["request"], int(m["status"]), m["schema"]) for m in EXAMPLE.finditer(text)]
    assert len(found) == text.count("```http"), "every http example says what it answers"
    return found


def test_the_guide_has_an_example_of_every_step():
    requests = [request.split("\n", 1)[0] for request, _, _ in examples()]

    assert requests == [
        "GET /apds/places", "GET /apds/places?latitude=51.0455&longitude=3.731&radius=50",
        "GET /apds/rights/specs?place=gent-rood", "GET /apds/rates/gent-rood-betalend",
        "POST /apds/quotes", "POST /apds/sessions", "PUT /apds/sessions/{{session}}",
        "POST /apds/rights/assigned",
        "GET /apds/rights/assigned?place=gent-rood&credential_id=1XYZ987",
        "POST /apds/webhooks", "POST /apds/rights/specs", "POST /apds/rates",
        "GET /apds/rates/gent-zuid-avond"]


def test_every_example_of_the_guide_answers_as_it_says(app, client_as):
    moment = datetime.now(UTC).replace(microsecond=0)
    values = {"{{now-1}}": moment - timedelta(minutes=1), "{{now+30}}": moment +
              timedelta(minutes=30)}
    names = {k: v.isoformat().replace("+00:00", "Z") for k, v in values.items()}
    names.update({"{{session}}": str(uuid.uuid4()), "{{assigned}}": str(uuid.uuid4()),
                  "{{prepaid}}": str(uuid.uuid4())})
    client = client_as("anonymous")

    for request, expected, schema in examples():
        for name, value in names.items():
            request = request.replace(name, value)
        head, _, body = request.partition("\n\n")
        line, *header_lines = head.strip().split("\n")
        method, path = line.split(" ", 1)
        headers = dict(h.split(": ", 1) for h in header_lines)
        response = client.request(method, path, headers=headers,
                                  content=body.strip().encode() if body.strip() else None)

        assert response.status_code == expected, (line, response.text)
        if schema:
            conforms(schema, response.json())
        if path.startswith("/apds/rights/assigned?"):
            assert [a["id"] for a in response.json()["data"]] == [names["{{assigned}}"]]
        json.dumps(response.json())
