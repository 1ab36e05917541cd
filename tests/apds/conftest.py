"""What the APDS specifications share: a check that a response body conforms to its schema in
apds4.yaml (as amended by NOTES.md, vptr.apds.schemas), and the demo's APDS names."""

from __future__ import annotations

from typing import Any

from vptr.apds import schemas

PLACES = {"gent-rood", "gent-zuid", "gent-bewonerszone-kouter", "gent-autoluwe-kern"}


def conforms(schema: str, body: Any) -> Any:
    """``body``, after asserting it validates against ``schema`` (a name in apds4.yaml or in the
    register's published schemas)."""
    found = schemas.problems(schema, body)
    assert found == [], f"{schema}: {found}"
    return body


def status(response: Any, code: int) -> dict[str, Any]:
    """An APDS ResponseStatus of ``code``, validated."""
    assert response.status_code == code, response.text
    return conforms("ResponseStatus", response.json())
