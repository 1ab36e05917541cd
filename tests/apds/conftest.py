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


import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402


def instant(minutes_from_now: int = 0) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes_from_now)
    return moment.isoformat().replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())


def plate_credential(plate: str = "1XYZ987", scheme: str = "BENumberPlate") -> dict[str, Any]:
    return {"type": "licensePlate", "credentialAssignedType": "vehicle",
            "identifier": {"id": plate, "className": scheme}}


def session_body(session_id: str | None = None, assigned_id: str | None = None,
                 plate: str = "1XYZ987", place: str | None = "gent-rood", start: int = -1,
                 **extra: Any) -> dict[str, Any]:
    """A session as a parking app starts it on pay on arrival: the assigned right its segment
    names does not exist yet."""
    body: dict[str, Any] = {
        "id": session_id or new_id(), "version": 1, "actualStart": instant(start),
        "identifiedCredentials": [plate_credential(plate)],
        "segments": [{"id": "1", "version": 1, "actualStart": instant(start),
                      "assignedRight": {"id": assigned_id or new_id(), "version": 1},
                      "validationType": ["licensePlate"]}]}
    if place is not None:
        body["hierarchyElement"] = {"id": place, "version": 1}
    body.update(extra)
    return body


def assigned_body(assigned_id: str | None = None, spec: str = "gent-zuid-betalend",
                  spec_version: int = 1, plate: str = "1XYZ987", start: int = -1,
                  end: int | None = 60, **extra: Any) -> dict[str, Any]:
    use: dict[str, Any] = {"startTime": instant(start)}
    if end is not None:
        use["endTime"] = instant(end)
    body: dict[str, Any] = {
        "id": assigned_id or new_id(), "version": 1,
        "rightSpecification": {"id": spec, "version": spec_version},
        "rightHolder": {"credentials": [plate_credential(plate)]},
        "issueMethod": "electronic", "plannedUses": [use]}
    body.update(extra)
    return body


import pytest  # noqa: E402


@pytest.fixture
def count_rows(store):
    """How many rows a table holds (to show that a refused request stored nothing)."""
    import sqlalchemy as sa

    def count(table: str) -> int:
        with store.reading() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    return count


@pytest.fixture(autouse=True)
def _metering_written_before_the_next_test(request):
    """Write what a test's app metered when it ends: a counter flushing later would write into
    the next test's restored store (and its metering)."""
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        runtime = app.state.runtime
        runtime.metering.close()
        if runtime.webhooks is not None:  # the webhook dispatcher's thread ends with the test
            runtime.webhooks.close()
            runtime.webhooks = None
