"""/apds/sessions and /apds/rights/assigned: pay on arrival, ANPR, versions, logical deletes,
what a credential becomes, tenancy; every body valid against apds4.yaml."""

from __future__ import annotations

import pytest

from tests.apds.conftest import (
    assigned_body,
    conforms,
    instant,
    new_id,
    plate_credential,
    session_body,
    status,
)

ZONE_ROOD = "https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood"


def _enforcement_finds(client_as, plate, place="gent-rood"):
    body = client_as("enforcement").get(
        f"/apds/rights/assigned?place={place}&credential_id={plate}").json()
    return conforms("AssignedRightList", body)["data"]


# --- pay on arrival ---------------------------------------------------------------------------

def test_pay_on_arrival_end_to_end(client_as):
    provider = client_as("provider")
    session = session_body(plate="1-xyz-987")
    assigned_id = session["segments"][0]["assignedRight"]["id"]

    status(provider.post("/apds/sessions", json=session), 201)

    found = _enforcement_finds(client_as, "1XYZ987")
    assert [a["id"] for a in found] == [assigned_id]
    assigned = found[0]
    assert assigned["rightHolder"]["credentials"][0]["identifier"] == {
        "id": "1XYZ987", "className": "BENumberPlate"}
    assert assigned["rightSpecification"] == {"id": "gent-rood-betalend", "version": 2}
    assert assigned["assignedRightIssuer"]["id"] == "parkplus"
    # The native API sees the same right, and the check grants it.
    native = client_as("enforcement").get("/rights", params={
        "plate": "1XYZ987", "country": "BE", "zone": ZONE_ROOD}).json()
    assert len(native["@graph"]) == 1
    check = client_as("enforcement").get("/check", params={
        "plate": "1XYZ987", "country": "BE", "zone": ZONE_ROOD}).json()
    assert check["allowed"] is True, check

    read = conforms("Session", client_as("enforcement").get(
        f"/apds/sessions/{session['id']}").json())
    assert read["segments"][0]["assignedRight"] == {"id": assigned_id, "version": 1}
    assert read["initiator"]["id"] == "parkplus" and "actualEnd" not in read

    ended = {**session, "version": 2, "actualEnd": instant(30)}
    status(provider.put(f"/apds/sessions/{session['id']}", json=ended), 200)
    read = conforms("Session", provider.get(f"/apds/sessions/{session['id']}").json())
    assert read["version"] == 2 and read["actualEnd"] == ended["actualEnd"]
    assert conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{assigned_id}")
                    .json())["plannedUses"][0]["endTime"] == ended["actualEnd"]


def test_a_session_start_without_a_place_is_refused_and_nothing_is_stored(client_as,
                                                                           count_rows):
    before = (count_rows("rights"), count_rows("apds_records"))

    body = status(client_as("provider").post("/apds/sessions",
                                             json=session_body(place=None)), 400)

    assert "hierarchyElement" in body["message"]
    assert (count_rows("rights"), count_rows("apds_records")) == before


@pytest.mark.parametrize("change, field", [
    (lambda s: s.pop("segments"), "segments"),
    (lambda s: s.update(segments=[]), "segments"),
    (lambda s: s.update(actualStart="yesterday"), "actualStart"),
    (lambda s: s["identifiedCredentials"][0]["identifier"].pop("className"),
     "identifiedCredentials[0].identifier.className"),
    (lambda s: s["identifiedCredentials"][0]["identifier"].update(id="!!"),
     "identifiedCredentials[0].identifier.id"),
    (lambda s: s.update(initiator={"id": "someone-else", "version": 1}), "initiator.id"),
    (lambda s: s.update(identifiedVehicle={"country": "nl"}), "identifiedVehicle.country"),
    (lambda s: s["identifiedCredentials"][0]["identifier"].update(className="XXNumberPlate"),
     "identifiedCredentials[0].identifier.className"),
    (lambda s: s.update(identifiedCredentials=[plate_credential(scheme="XXNumberPlate")],
                        identifiedVehicle={"country": "xx"}),
     "identifiedCredentials[0].identifier.className"),
    (lambda s: s.update(hierarchyElement={"id": "nowhere", "version": 1}),
     "hierarchyElement"),
    (lambda s: s["segments"][0]["assignedRight"].update(version=3),
     "segments[0].assignedRight.version"),
])
def test_a_session_that_violates_the_spec_gets_400_naming_the_field(client_as, count_rows,
                                                                     change, field):
    session = session_body()
    change(session)
    before = (count_rows("rights"), count_rows("apds_records"))

    body = status(client_as("provider").post("/apds/sessions", json=session), 400)

    assert field in body["message"], body
    assert (count_rows("rights"), count_rows("apds_records")) == before


@pytest.mark.parametrize("country", ["uk", "gb"])
def test_a_british_plate_is_gb_whether_the_sender_writes_uk_or_gb(client_as, country):
    """ISO 3166-1 has no `UK`; the UK platform's plate scheme is UKNumberPlate and its senders
    write `uk` as well as `gb`: both are the register's `GB`, and `UKNumberPlate` goes back out."""
    session = session_body(plate="AB12CDE", identifiedVehicle={"country": country},
                           identifiedCredentials=[plate_credential("AB12CDE", "UKNumberPlate")])

    status(client_as("provider").post("/apds/sessions", json=session), 201)

    found = client_as("enforcement").get("/rights", params={"plate": "AB12CDE",
                                                            "country": "GB"}).json()["@graph"]
    assert [r["vehicle"]["licencePlate"]["country"] for r in found] == ["GB"]
    for asked in ("GB:AB12CDE", "uk:AB12CDE"):
        assert _enforcement_finds(client_as, asked)[0]["rightHolder"]["credentials"][0][
            "identifier"] == {"id": "AB12CDE", "className": "UKNumberPlate"}
    refused = client_as("enforcement").get("/apds/rights/assigned?credential_id=XX:AB12CDE")
    assert refused.status_code == 400 and "credential_id" in refused.text


def test_a_duplicate_session_and_an_outdated_version_are_409(client_as):
    provider = client_as("provider")
    session = session_body()
    status(provider.post("/apds/sessions", json=session), 201)

    status(provider.post("/apds/sessions", json=session), 409)
    status(provider.put(f"/apds/sessions/{session['id']}", json=session), 409)  # version 1 again
    status(provider.put(f"/apds/sessions/{session['id']}",
                        json={**session, "version": 3}), 409)
    status(provider.put(f"/apds/sessions/{session['id']}",
                        json={**session, "version": 2}), 200)


def test_deleting_a_session_revokes_the_right_it_created_and_lists_it_as_deleted(client_as):
    provider = client_as("provider")
    session = session_body()
    assigned_id = session["segments"][0]["assignedRight"]["id"]
    status(provider.post("/apds/sessions", json=session), 201)

    status(provider.delete(f"/apds/sessions/{session['id']}"), 200)

    status(provider.get(f"/apds/sessions/{session['id']}"), 404)
    status(provider.delete(f"/apds/sessions/{session['id']}"), 404)
    assert _enforcement_finds(client_as, "1XYZ987") == []
    listed = conforms("SessionList", provider.get("/apds/sessions?modified_since=0").json())
    assert {"id": session["id"], "className": "Session"}.items() <= \
        listed["deletedReferences"][0].items()
    rights = conforms("AssignedRightList",
                      provider.get("/apds/rights/assigned?modified_since=0").json())
    assert assigned_id in {d["id"] for d in rights["deletedReferences"]}


# --- ANPR: the assigned right first, then sessions --------------------------------------------

def test_anpr_assigned_right_first_then_a_session_uses_it(client_as):
    provider = client_as("provider")
    assigned = assigned_body()
    status(provider.post("/apds/rights/assigned", json=assigned), 201)

    session = session_body(assigned_id=assigned["id"], place="gent-zuid")
    status(provider.post("/apds/sessions", json=session), 201)

    sessions = conforms("SessionList", client_as("enforcement").get(
        "/apds/sessions?place=gent-zuid&credential_id=1XYZ987").json())
    assert [s["id"] for s in sessions["data"]] == [session["id"]]
    assert sessions["data"][0]["segments"][0]["assignedRight"]["id"] == assigned["id"]
    # Another plate cannot use it.
    other = session_body(assigned_id=assigned["id"], place="gent-zuid", plate="9ZZZ999")
    assert "identifiedCredentials" in status(provider.post("/apds/sessions", json=other),
                                             400)["message"]


# --- versions of assigned rights --------------------------------------------------------------

def test_an_assigned_right_is_versioned_and_deleted_logically(client_as):
    provider = client_as("provider")
    assigned = assigned_body()
    status(provider.post("/apds/rights/assigned", json=assigned), 201)
    status(provider.post("/apds/rights/assigned", json=assigned), 409)

    new_end = instant(90)
    later = {**assigned, "version": 2,
             "plannedUses": [{**assigned["plannedUses"][0], "endTime": new_end}]}
    status(provider.put(f"/apds/rights/assigned/{assigned['id']}", json=later), 200)
    status(provider.put(f"/apds/rights/assigned/{assigned['id']}", json=later), 409)
    read = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{assigned['id']}")
                    .json())
    assert read["version"] == 2 and read["plannedUses"][0]["endTime"] == new_end
    moved = {**later, "version": 3, "rightHolder": {"credentials": [plate_credential("2AB")]}}
    assert "rightHolder" in status(provider.put(f"/apds/rights/assigned/{assigned['id']}",
                                                json=moved), 400)["message"]

    status(provider.delete(f"/apds/rights/assigned/{assigned['id']}"), 200)
    status(provider.get(f"/apds/rights/assigned/{assigned['id']}"), 404)
    status(provider.put(f"/apds/rights/assigned/{assigned['id']}",
                        json={**later, "version": 3}), 409)
    assert _enforcement_finds(client_as, "1XYZ987", "gent-zuid") == []


# --- what a credential becomes ----------------------------------------------------------------

def test_a_one_time_use_right_specification_makes_a_right(client_as):
    assigned = assigned_body(spec="gent-zuid-betalend",
                             monetaryValue={"taxIncluded": True, "value": {
                                 "currencyType": "EUR", "currencyValue": 1.25}})
    body = status(client_as("provider").post("/apds/rights/assigned", json=assigned), 201)

    assert "a right of the register" in body["message"]
    native = client_as("area-manager").get("/rights", params={
        "plate": "1XYZ987", "country": "BE"}).json()
    rights = native["@graph"]
    assert rights[0]["amountPaid"] == {"value": "1.25", "currency": "EUR"}
    read = conforms("AssignedRight", client_as("enforcement").get(
        f"/apds/rights/assigned/{assigned['id']}").json())
    assert read["monetaryValue"]["value"] == {"currencyType": "EUR", "currencyValue": 1.25}


def test_a_permit_right_specification_makes_a_permit_of_the_area_manager(client_as):
    assigned = assigned_body(spec="gent-bewoners-kouter", end=60 * 24 * 30)

    refused = status(client_as("provider").post("/apds/rights/assigned", json=assigned), 403)
    body = status(client_as("area-manager").post("/apds/rights/assigned", json=assigned), 201)

    assert "permit" in refused["message"] and "a permit of the register" in body["message"]
    permits = client_as("area-manager").get("/permits", params={
        "plate": "1XYZ987", "country": "BE"}).json()
    permit = permits["@graph"][0]
    assert permit["permitType"] == "resident" and permit["permitStatus"] == "active"
    read = conforms("AssignedRight", client_as("area-manager").get(
        f"/apds/rights/assigned/{assigned['id']}").json())
    assert read["issueMethod"] == "permit"
    status(client_as("area-manager").delete(f"/apds/rights/assigned/{assigned['id']}"), 200)
    permits = client_as("area-manager").get("/permits", params={
        "plate": "1XYZ987", "country": "BE"}).json()
    assert permits["@graph"][0]["permitStatus"] == "revoked"


def test_an_access_right_specification_makes_a_whitelist_entry(client_as):
    assigned = assigned_body(spec="gent-autoluwe-kern-toegang", end=None)

    status(client_as("provider").post("/apds/rights/assigned", json=assigned), 403)
    body = status(client_as("area-manager").post("/apds/rights/assigned", json=assigned), 201)

    assert "a whitelist-entry of the register" in body["message"]
    entries = client_as("area-manager").get(
        "/whitelists/apds-gent-autoluwe-kern-toegang/entries").json()
    assert len(entries["@graph"]) == 1
    listed = conforms("AssignedRightList", client_as("area-manager").get(
        "/apds/rights/assigned?credential_id=1XYZ987").json())
    assert assigned["id"] in {a["id"] for a in listed["data"]}


# --- the demo and tenancy ---------------------------------------------------------------------

@pytest.mark.parametrize("role", ["area-manager", "provider", "enforcement"])
def test_the_demo_rights_appear_as_assigned_rights_and_sessions(client_as, role):
    client = client_as(role)

    rights = conforms("AssignedRightList", client.get("/apds/rights/assigned").json())
    sessions = conforms("SessionList", client.get("/apds/sessions").json())

    assert rights["data"] and sessions["data"]
    first = sessions["data"][0]
    conforms("Session", client.get(f"/apds/sessions/{first['id']}").json())


def test_scopes_and_grants_hold_as_on_the_native_api(client_as, antwerpen):
    status(client_as("enforcement").post("/apds/sessions", json=session_body()), 403)
    # The meter vendor writes in Zuid only.
    status(client_as("provider-limited").post("/apds/sessions", json=session_body()), 403)
    status(client_as("provider-limited").post(
        "/apds/sessions", json=session_body(place="gent-zuid")), 201)
    # Antwerpen sees none of Gent's rights, and cannot start a session there.
    assert antwerpen.client.get("/apds/rights/assigned").json()["data"] == []
    assert antwerpen.client.get("/apds/sessions").json()["data"] == []
    status(antwerpen.client.post("/apds/sessions", json=session_body()), 403)


def test_another_provider_cannot_change_a_session(client_as):
    session = session_body(place="gent-zuid")
    status(client_as("provider").post("/apds/sessions", json=session), 201)

    status(client_as("provider-limited").put(f"/apds/sessions/{session['id']}",
                                             json={**session, "version": 2}), 404)
    assert new_id() != session["id"]


def test_pay_on_arrival_needs_a_single_use_right_specification_at_the_place(client_as,
                                                                            count_rows):
    before = count_rows("rights")

    body = status(client_as("provider").post(
        "/apds/sessions", json=session_body(place="gent-autoluwe-kern")), 400)

    assert "hierarchyElement" in body["message"] and count_rows("rights") == before


def test_no_clear_plate_of_an_apds_request_reaches_the_logs_or_the_audit_table(
        app, client_as, store, caplog):
    import logging

    import sqlalchemy as sa

    caplog.set_level(logging.DEBUG)
    session = session_body(plate="7APDS01")
    status(client_as("provider").post("/apds/sessions", json=session), 201)
    client_as("enforcement").get("/apds/rights/assigned?place=gent-rood&credential_id=7APDS01")
    client_as("provider").post("/apds/sessions", json=session_body(plate="7APDS02",
                                                                    place="nowhere"))
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
        "/apds/rights/assigned?place=gent-rood&credential_id=7APDS01", "1.1", 200)
    app.state.runtime.audit_buffer.flush()
    with store.reading() as connection:
        audit = [" ".join(map(str, row)) for row in connection.execute(sa.text(
            "SELECT * FROM audit_events"))]
        records = [" ".join(map(str, row)) for row in connection.execute(sa.text(
            "SELECT * FROM apds_records"))]
    log = "\n".join(caplog.handler.format(r) for r in caplog.records
                    if not r.name.startswith(("httpx", "httpcore")))

    assert "credential_id=***" in log
    assert any("apdsGetAssignedRights" in row for row in audit)
    for plate in ("7APDS01", "7APDS02"):
        assert plate not in log and not [r for r in audit + records if plate in r]


def test_the_same_session_sent_twice_at_once_is_created_once(client_as, count_rows):
    from concurrent.futures import ThreadPoolExecutor

    session = session_body(place="gent-zuid")
    clients = [client_as("provider") for _ in range(4)]
    before = count_rows("rights")

    with ThreadPoolExecutor(4) as pool:
        codes = sorted(pool.map(lambda c: c.post("/apds/sessions", json=session).status_code,
                                clients))

    assert codes == [201, 409, 409, 409]
    assert count_rows("rights") == before + 1
