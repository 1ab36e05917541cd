"""Every read or change of a right, permit or whitelist entry is audited per tenant, with the plate
only as its pseudonym; the area manager queries the log by time, resource or plate."""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from support.two_tenants import entry_body, permit_body, right_body

from vptr.services import demo
from vptr.store.plate_keys import hash_for
from vptr.store.tables import audit_events
from vptr.times import format_instant, now


def entries(client_as, **params) -> list[dict]:
    response = client_as("area-manager").get("/admin/audit", params={"pageSize": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def gent_hash(store, plate: str) -> str:
    with store.reading() as connection:
        return hash_for(connection, demo.GENT, "BE", plate)


def test_a_registered_right_is_audited_with_who_what_and_the_plate_pseudonym(client_as, store):
    created = client_as("provider").post("/rights", json=right_body(demo.ZONE_ROOD, "7AUD001"))
    assert created.status_code == 201, created.text

    [entry] = [e for e in entries(client_as) if e["resource"] == created.json()["id"]]

    assert entry["action"] == "create"
    assert entry["organisation"] == demo.PARKPLUS
    assert entry["tenant"] == demo.GENT
    assert entry["resourceKind"] == "right"
    assert entry["platePseudonym"] == gent_hash(store, "7AUD001")
    assert entry["clientAddress"]


def test_reads_searches_and_checks_are_audited_too(client_as):
    provider, scan = client_as("provider"), client_as("enforcement")
    right = provider.post("/rights", json=right_body(demo.ZONE_ROOD, "7AUD002")).json()["id"]
    provider.get(f"/rights/{right.rsplit('/', 1)[1]}")
    provider.get("/rights", params={"plate": "7AUD002", "country": "BE"})
    scan.get("/check", params={"plate": "7AUD002", "country": "BE", "zone": demo.ZONE_ROOD})

    actions = [(e["action"], e["organisation"]) for e in entries(client_as, resource=right)]

    assert sorted(actions) == sorted([
        ("create", demo.PARKPLUS), ("read", demo.PARKPLUS), ("search", demo.PARKPLUS),
        ("check", demo.SCANMOBIEL)])


def test_a_check_that_finds_nothing_is_audited_against_the_plate(client_as, store):
    client_as("enforcement").get("/check", params={"plate": "7NONE99", "country": "BE",
                                                   "zone": demo.ZONE_ROOD})

    found = entries(client_as, plate="7NONE99", country="BE")

    assert [(e["action"], e["resource"]) for e in found] == [("check", None)]
    assert found[0]["platePseudonym"] == gent_hash(store, "7NONE99")


def test_every_access_to_one_plate_is_found_by_asking_for_the_plate(client_as):
    gent = client_as("area-manager")
    permit = gent.post("/permits", json=permit_body(demo.ZONE_KOUTER, "7AUD003"))
    assert permit.status_code == 201, permit.text
    client_as("provider").post("/rights", json=right_body(demo.ZONE_ROOD, "7AUD003"))
    client_as("provider").post("/rights", json=right_body(demo.ZONE_ROOD, "7OTHER1"))

    kinds = sorted(e["resourceKind"] for e in entries(client_as, plate="7-aud-003",
                                                       country="be"))

    assert kinds == ["permit", "right"]


def test_permit_and_whitelist_changes_are_audited(client_as):
    gent = client_as("area-manager")
    permit = gent.post("/permits", json=permit_body(demo.ZONE_KOUTER, "7AUD004")).json()["id"]
    gent.delete(f"/permits/{permit.rsplit('/', 1)[1]}")
    entry = gent.post("/whitelists/gent-hulpdiensten/entries", json=entry_body("7AUD005"))
    assert entry.status_code == 201, entry.text
    entry_id = entry.json()["id"]
    gent.get(f"/whitelists/gent-hulpdiensten/entries/{entry_id.rsplit('/', 1)[1]}")

    assert [e["action"] for e in entries(client_as, resource=permit)] == ["delete", "create"]
    assert [e["action"] for e in entries(client_as, resource=entry_id)] == ["read", "create"]


def test_a_refused_change_leaves_no_audit_entry(client_as):
    before = len(entries(client_as))
    refused = client_as("provider-limited").post(
        "/rights", json=right_body(demo.ZONE_ROOD, "7AUD006"))

    assert refused.status_code == 403
    assert len(entries(client_as)) == before + 0


def test_the_log_is_per_tenant_and_not_for_providers(client_as, antwerpen):
    client_as("provider").post("/rights", json=right_body(demo.ZONE_ROOD, "7AUD007"))

    other = antwerpen.client.get("/admin/audit")

    assert other.status_code == 200
    assert other.json()["items"] == []
    assert client_as("provider").get("/admin/audit").status_code == 403
    assert antwerpen.client.get("/admin/audit", params={"tenant": demo.GENT}).status_code == 403


def test_the_time_window_is_checked_and_applied(client_as):
    client_as("provider").post("/rights", json=right_body(demo.ZONE_ROOD, "7AUD008"))
    later = now() + timedelta(hours=1)

    empty = entries(client_as, **{"from": format_instant(later),
                                  "to": format_instant(later + timedelta(hours=1))})
    reversed_ = client_as("area-manager").get("/admin/audit", params={
        "from": format_instant(later), "to": format_instant(later - timedelta(hours=1))})

    assert empty == []
    assert reversed_.status_code == 422
    assert reversed_.json()["errors"][0]["field"] == "to"


def test_no_clear_plate_reaches_the_logs_or_the_audit_table(app, client_as, store, caplog):
    """After a series of operations with plates in bodies, queries and errors, neither the captured
    log output nor any column of the audit table holds one of those plates in clear."""
    caplog.set_level(logging.DEBUG)
    plates = ["7LEAK01", "7LEAK02", "7LEAK03", "7LEAK04"]
    provider, gent, scan = (client_as("provider"), client_as("area-manager"),
                            client_as("enforcement"))
    right = provider.post("/rights", json=right_body(demo.ZONE_ROOD, plates[0])).json()["id"]
    provider.post(f"/rights/{right.rsplit('/', 1)[1]}/end")
    provider.get("/rights", params={"plate": plates[0], "country": "BE"})
    scan.get("/check", params={"plate": plates[0], "country": "BE", "zone": demo.ZONE_ROOD})
    scan.post("/check", json={"plate": plates[1], "country": "BE", "zone": demo.ZONE_ROOD})
    gent.post("/permits", json=permit_body(demo.ZONE_KOUTER, plates[2]))
    gent.get("/permits", params={"plate": plates[2], "country": "BE"})
    gent.post("/whitelists/gent-hulpdiensten/entries", json=entry_body(plates[3]))
    gent.get("/export")
    # Refusals and invalid requests that carry a plate.
    client_as("provider-limited").post("/rights", json=right_body(demo.ZONE_ROOD, plates[1]))
    provider.post("/rights", json={**right_body(demo.ZONE_ROOD, plates[2]), "channel": "pigeon"})
    provider.post("/rights", json=right_body("https://example.org/no-zone", plates[3]))
    # What uvicorn's access log would write for a check with the plate in the query.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
        f"/check?plate={plates[0]}&country=BE", "1.1", 200)
    app.state.runtime.audit_buffer.flush()  # the read entries still waiting in memory
    with store.reading() as connection:
        audit_rows = [" ".join(map(str, row)) for row in
                      connection.execute(sa.select(audit_events))]
    # httpx logs the test client's own requests: that is the caller's log, not the register's.
    register_log = "\n".join(
        caplog.handler.format(record) for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore")))

    assert len(audit_rows) >= 8
    assert "/check?plate=***" in register_log  # the access log line is there, masked
    for plate in plates:
        assert plate not in register_log, f"{plate} in the logs"
        assert not [row for row in audit_rows if plate in row], f"{plate} in the audit table"
