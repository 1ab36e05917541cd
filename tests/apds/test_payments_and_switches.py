"""What an assigned right and a session say beyond their period: payments (the lines add up to
the amount paid; each payment's period covered is kept), a planned use's cancellation and expiry,
and segments that switch to another assigned right (the register ends the right of the segment
before and starts the next). Every body valid against apds4.yaml."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.apds.conftest import assigned_body, conforms, instant, new_id, session_body, status

ID = "https://data.parkeerregister.vlaanderen.be/id/"


def _payment(value: float, kind: str = "payment", start: int | None = -1,
             end: int | None = 60, **extra) -> dict:
    payment = {"id": new_id(), "version": 1, "paymentLines": [{
        "id": "1", "version": 1, "paymentType": kind, "value": {
            "currencyType": "EUR", "currencyValue": value}}], **extra}
    if start is not None:
        payment["startPeriodCovered"] = instant(start)
    if end is not None:
        payment["endPeriodCovered"] = instant(end)
    return payment


def _native(client_as, assigned: dict) -> dict:
    found = client_as("enforcement").get("/rights", params={
        "plate": "1XYZ987", "country": "BE"}).json()["@graph"]
    return next(r for r in found if any(i.get("notation") == assigned["id"]
                                        for i in r.get("identifiers", [])))


def test_payments_add_up_to_the_amount_paid_and_keep_their_periods(client_as, store):
    provider = client_as("provider")
    body = assigned_body(payments=[
        _payment(2.0, start=-1, end=30, transactionID="kaart-4242-zeer-geheim"),
        {**_payment(0.5, "validation", start=None, end=None)}])

    status(provider.post("/apds/rights/assigned", json=body), 201)

    read = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{body['id']}").json())
    assert read["monetaryValue"]["value"] == {"currencyType": "EUR", "currencyValue": 1.5}
    assert [p["paymentLines"][0]["value"]["currencyValue"] for p in read["payments"]] == [2.0,
                                                                                         0.5]
    assert read["payments"][0]["startPeriodCovered"] == body["payments"][0][
        "startPeriodCovered"]
    assert read["payments"][0]["serviceProvider"]["id"] == "parkplus"
    assert _native(client_as, body)["amountPaid"] == {"value": "1.50", "currency": "EUR"}
    with store.reading() as connection:
        kept = repr(connection.execute(sa.text("SELECT document FROM apds_records")).all())
    assert "kaart-4242" not in kept  # transaction ids are the provider's bookkeeping


@pytest.mark.parametrize("payments, field", [
    ([_payment(2.0, start=-30)], "payments[0].startPeriodCovered"),
    ([_payment(2.0, start=30, end=10)], "payments[0].endPeriodCovered"),
    ([_payment(2.0, start=None, end=None), {"id": "p2", "version": 1, "paymentLines": [{
        "id": "1", "version": 1, "paymentType": "payment",
                                         "value": {"currencyType": "GBP",
                                                   "currencyValue": 1}}]}],
     "payments[1].paymentLines[0].value.currencyType"),
    ([{"id": "p1", "version": 1, "paymentLines": [{"id": "1", "version": 1, "paymentType": "cash",
                         "value": {"currencyType": "EUR", "currencyValue": 1}}]}],
     "payments[0].paymentLines[0].paymentType"),
    ([_payment(3.0, "validation", start=None, end=None)], "payments"),
])
def test_bad_payments_are_a_400_naming_the_field_and_nothing_is_stored(client_as, count_rows,
                                                                       payments, field):
    before = (count_rows("rights"), count_rows("apds_records"))

    message = status(client_as("provider").post("/apds/rights/assigned", json=assigned_body(
        payments=payments)), 400)["message"]

    assert field in message, message
    assert (count_rows("rights"), count_rows("apds_records")) == before


def test_payments_that_disagree_with_the_monetary_value_are_refused(client_as):
    body = assigned_body(payments=[_payment(2.0)], monetaryValue={
        "taxIncluded": True, "value": {"currencyType": "EUR", "currencyValue": 3.0}})

    assert "payments" in status(client_as("provider").post("/apds/rights/assigned", json=body),
                                400)["message"]


def test_a_cancelled_planned_use_ends_the_right_then(client_as):
    provider = client_as("provider")
    body = assigned_body(start=-10, end=60)
    status(provider.post("/apds/rights/assigned", json=body), 201)
    cancel = instant(5)
    changed = {**body, "version": 2,
               "plannedUses": [{**body["plannedUses"][0], "cancelTime": cancel}]}

    status(provider.put(f"/apds/rights/assigned/{body['id']}", json=changed), 200)

    read = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{body['id']}").json())
    assert read["plannedUses"][0]["cancelTime"] == cancel
    assert read["plannedUses"][0]["endTime"] == cancel


def test_a_planned_use_cancelled_before_its_start_revokes_the_right(client_as):
    provider = client_as("provider")
    body = assigned_body(start=60, end=120)
    status(provider.post("/apds/rights/assigned", json=body), 201)
    changed = {**body, "version": 2,
               "plannedUses": [{**body["plannedUses"][0], "cancelTime": instant(0)}]}

    status(provider.put(f"/apds/rights/assigned/{body['id']}", json=changed), 200)

    native = client_as("area-manager").get("/rights", params={
        "plate": "1XYZ987", "country": "BE", "status": "revoked"}).json()["@graph"]
    assert len(native) == 1


def test_an_expiry_ends_a_planned_use_without_an_end(client_as):
    provider = client_as("provider")
    body = assigned_body(end=None)
    expiry = instant(45)
    body["plannedUses"][0]["expiryTime"] = expiry

    status(provider.post("/apds/rights/assigned", json=body), 201)

    read = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{body['id']}").json())
    assert read["plannedUses"][0]["endTime"] == expiry


def test_a_segment_naming_another_assigned_right_ends_the_first_and_starts_the_next(
        client_as):
    provider = client_as("provider")
    session = session_body(start=-10)
    first = session["segments"][0]["assignedRight"]["id"]
    status(provider.post("/apds/sessions", json=session), 201)
    second, switch = new_id(), instant(-2)
    switched = {**session, "version": 2, "segments": [
        {**session["segments"][0], "actualEnd": switch},
        {"id": "2", "version": 1, "actualStart": switch, "validationType": ["licensePlate"],
         "assignedRight": {"id": second, "version": 1}}]}

    status(provider.put(f"/apds/sessions/{session['id']}", json=switched), 200)

    before = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{first}").json())
    after = conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{second}").json())
    assert before["plannedUses"][0]["endTime"] == switch
    assert after["plannedUses"][0]["startTime"] == switch and "endTime" not in after[
        "plannedUses"][0]
    native = _native(client_as, {"id": second})
    assert native["sourceRight"].rsplit("/", 1)[-1] == _native(client_as, {"id": first})[
        "id"].rsplit("/", 1)[-1]
    read = conforms("Session", provider.get(f"/apds/sessions/{session['id']}").json())
    assert [s["assignedRight"]["id"] for s in read["segments"]] == [first, second]
    assert "actualEnd" not in read  # the session goes on in its second segment

    end = instant(30)
    status(provider.put(f"/apds/sessions/{session['id']}",
                        json={**switched, "version": 3, "actualEnd": end}), 200)

    read = conforms("Session", provider.get(f"/apds/sessions/{session['id']}").json())
    assert read["actualEnd"] == end
    assert conforms("AssignedRight", provider.get(f"/apds/rights/assigned/{second}").json())[
        "plannedUses"][0]["endTime"] == end

    status(provider.delete(f"/apds/sessions/{session['id']}"), 200)
    for assigned in (first, second):
        status(provider.get(f"/apds/rights/assigned/{assigned}"), 404)


def test_a_switch_before_the_first_right_started_is_a_400_naming_the_segment(client_as,
                                                                             count_rows):
    provider = client_as("provider")
    session = session_body(start=-10)
    status(provider.post("/apds/sessions", json=session), 201)
    before = count_rows("rights")
    switched = {**session, "version": 2, "segments": [
        session["segments"][0],
        {"id": "2", "version": 1, "actualStart": instant(-20),
         "validationType": ["licensePlate"], "assignedRight": {"id": new_id(), "version": 1}}]}

    message = status(provider.put(f"/apds/sessions/{session['id']}", json=switched),
                     400)["message"]

    assert "segments[1].actualStart" in message
    assert count_rows("rights") == before
    assert conforms("Session", provider.get(f"/apds/sessions/{session['id']}").json())[
        "version"] == 1
