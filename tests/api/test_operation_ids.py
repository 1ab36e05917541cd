"""Every operation of the API description has a short, unique camelCase id (the method name a
provider's generated client gets), and metering and the audit log name operations by that id."""

from __future__ import annotations

import re

from vptr.services import demo

CAMEL_CASE = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)*$")


def operations(app) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path), failing on a repeated id (FastAPI only warns)."""
    found: dict[str, tuple[str, str]] = {}
    for path, methods in app.openapi()["paths"].items():
        for method, operation in methods.items():
            operation_id = operation["operationId"]
            assert operation_id not in found, (operation_id, found.get(operation_id), path)
            found[operation_id] = (method, path)
    return found


def test_every_operation_has_a_unique_camel_case_id(app):
    ids = operations(app)

    assert len(ids) > 40
    assert [i for i in ids if not CAMEL_CASE.match(i)] == []


def test_an_operation_is_named_after_what_it_does_not_after_its_path(app):
    ids = operations(app)

    assert ids["registerRight"] == ("post", "/rights")
    assert ids["endRight"] == ("post", "/rights/{ref}/end")
    assert ids["listRegimeVersions"] == ("get", "/regimes/{ref}/versions")
    assert ids["addWhitelistEntries"] == ("post", "/whitelists/{ref}/entries")
    # A route that names its own id keeps it.
    assert ids["trialPrice"] == ("get", "/price")


def test_metering_and_the_audit_log_name_the_operation_by_its_id(client_as, app):
    created = client_as("provider").post("/rights", json={
        "rightKind": "parking", "zone": demo.ZONE_ROOD, "channel": "app",
        "vehicle": {"licencePlate": {"plateNumber": "7OPS001", "country": "BE"}},
        "validityPeriod": {"startTime": "2026-03-02T10:00:00+01:00",
                           "endTime": "2026-03-02T11:00:00+01:00"}})
    assert created.status_code == 201, created.text
    app.state.runtime.metering.flush()

    audited = client_as("area-manager").get("/admin/audit", params={
        "resource": created.json()["id"]})
    metered = client_as("area-manager").get("/admin/metering")

    assert audited.status_code == 200 and metered.status_code == 200, (audited.text, metered.text)
    assert [e["operation"] for e in audited.json()["items"]] == ["registerRight"]
    assert {r["operation"] for r in metered.json()["rows"]
            if r["organisation"] == demo.PARKPLUS} == {"registerRight"}
