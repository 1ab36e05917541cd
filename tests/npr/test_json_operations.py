"""The NPR operations over JSON against the demo's Gent (AreaManagerId 4402): a client discovers
the codes it needs, enrols, checks, stops, prices; errors are the operation's *ResponseError."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from vptr.services import demo
from vptr.store import tables

from .conftest import next_monday, z

GENT = 4402
NOW = lambda: datetime.now(UTC).replace(microsecond=0)  # noqa: E731


def check(call, plate: str, **where):
    data = {"UsageId": "BETAALDP", "VehicleId": plate, "CheckTime": z(where.pop("at", NOW())),
            "ExtraInfoIndicator": "N", **where}
    return call("CheckPSRight", data)


def test_a_client_discovers_area_managers_and_areas(npr_as):
    call = npr_as("provider")
    status, data = call("RetrieveAreaManagers", {})
    assert status == 200
    assert data["AreaManagerList"]["AreaManagerInfoData"] == [
        {"AreaManagerId": GENT, "AreaManagerDesc": "Stad Gent", "AreaManagerUrl": "https://stad.gent"}]
    lon, lat = demo.POINT_KOUTER
    status, data = call("RetrieveAreasByLocation",
                        {"AreaLocation": {"Latitude": lat, "Longitude": lon}})
    assert status == 200 and data["AreaManagerId"] == GENT
    areas = {(a["AreaId"], a["UsageId"]): a for a in data["AreaTable"]["AreaData"]}
    assert set(areas) == {("4402_ROOD", "BETAALDP"), ("4402_KOUT", "VERGUNP")}
    rood = areas[("4402_ROOD", "BETAALDP")]
    assert rood["GracePeriodBefore"] == 5 and rood["GracePeriodAfter"] == 10
    assert rood["PriceOneHourParking"] == 2.0  # 4 x 0.50 in the 2026 version
    assert rood["AreaRegulationTable"]["AreaRegulationData"][0]["RegulationIdArea"] == "4402_RBET"
    status, data = call("RetrieveAreasByLocation", {"AreaManagerId": "4402"})
    assert {a["AreaId"] for a in data["AreaTable"]["AreaData"]} == {
        "4402_ROOD", "4402_ZUID", "4402_KOUT", "4402_KERN"}
    status, data = call("RetrieveAreasByLocation", {"SellingPointId": 44020001})
    assert [a["AreaId"] for a in data["AreaTable"]["AreaData"]] == ["4402_ZUID"]


def test_enforcement_checks_by_area_and_by_point(npr_as):
    call = npr_as("enforcement")
    status, data = check(call, "1-ABC-123", CountryCodeVehicle="B", AreaManagerId=GENT,
                         AreaId="4402_ROOD")
    assert status == 200 and data["CheckAnswer"] == "Y" and data["AreaManagerId"] == GENT
    (right,) = data["PSRightCheckPSRightList"]["PSRightCheckPSRightData"]
    assert right["AreaId"] == "4402_ROOD" and right["ReferencePSRight"] == "demo-parkplus-0001"
    assert right["UsageId"] == "BETAALDP" and right["GracePeriodAfter"] == 10
    assert isinstance(right["PSRightId"], int)
    lon, lat = demo.POINT_KOUTER
    status, data = check(call, "1ABC123", CheckLocation={"Latitude": lat, "Longitude": lon})
    assert data["CheckAnswer"] == "Y"  # no country: Belgium is tried first
    status, data = check(call, "9ZZZ999", CountryCodeVehicle="NL", AreaManagerId=GENT,
                         AreaId="4402_ROOD", at=next_monday(10))
    assert status == 200 and data == {"CheckAnswer": "N", "AreaManagerId": GENT}


def test_a_check_over_an_area_manager_table(npr_as):
    _, data = check(npr_as("enforcement"), "2DEF456", CountryCodeVehicle="B",
                         AreaManagerTable={"AreaManagerData": [{
                             "AreaManagerId": GENT,
                             "AreaIdTable": {"AreaIdData": [{"AreaId": "4402_ZUID"},
                                                            {"AreaId": "4402_ROOD"}]}}]})
    assert data["CheckAnswer"] == "Y"
    assert data["PSRightCheckPSRightList"]["PSRightCheckPSRightData"][0]["AreaId"] == "4402_ZUID"


def test_enrol_then_check_then_stop(npr_as, store):
    provider, enforcement = npr_as("provider"), npr_as("enforcement")
    start = next_monday(9)  # 10:00 local
    status, data = provider("EnrollPSRight", {
        "VehicleId": "1-npr-001", "CountryCodeVehicle": "B", "AreaManagerId": GENT,
        "AreaId": "4402_ROOD", "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(start + timedelta(hours=2)), "ReferencePSRight": "npr-test-1"})
    assert status == 200, data
    ps_id = data["PSRightId"]
    assert data["AreaManagerId"] == GENT and data["AreaId"] == "4402_ROOD"
    assert data["StartTimePSRightAdjusted"] == z(start)
    assert data["AmountPSRightCalculated"] == 6.0  # 4 x 0.50 + 4 x 1.00
    assert data["SpecifCalcAmountList"]["SpecifCalcAmountData"] == [{
        "RegulationId": "4402_RBET", "StartTimeApplied": z(start),
        "EndTimeApplied": z(start + timedelta(hours=2)), "AmountFraction": 6.0}]
    # the same reference again: the same right, nothing new stored
    status, again = provider("EnrollPSRight", {
        "VehicleId": "1NPR001", "CountryCodeVehicle": "B", "AreaManagerId": GENT,
        "AreaId": "4402_ROOD", "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(start + timedelta(hours=2)), "ReferencePSRight": "npr-test-1"})
    assert again["PSRightId"] == ps_id
    status, error = provider("EnrollPSRight", {
        "VehicleId": "1NPR999", "CountryCodeVehicle": "B", "AreaManagerId": GENT,
        "AreaId": "4402_ROOD", "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "ReferencePSRight": "npr-test-1"})
    assert (status, error["ErrorCode"], error["ErrorVariable"]) == (409, 400, "ReferencePSRight")
    status, data = check(enforcement, "1NPR001", CountryCodeVehicle="B", AreaManagerId=GENT,
                         AreaId="4402_ROOD", at=start + timedelta(minutes=30))
    assert data["CheckAnswer"] == "Y"
    assert [r["PSRightId"] for r in data["PSRightCheckPSRightList"]["PSRightCheckPSRightData"]] \
        == [ps_id]
    status, data = provider("RevokePSRight", {"PSRightId": ps_id,
                                              "EndTimePSRight": z(start + timedelta(hours=1))})
    assert status == 200, data
    assert data["EndTimePSRightAdjusted"] == z(start + timedelta(hours=1))
    assert data["AmountPSRightCalculated"] == 2.0
    with store.reading() as connection:
        row = connection.execute(sa.select(tables.rights.c.status, tables.rights.c.amount_minor)
                                 .where(tables.rights.c.client_reference == "npr-test-1")).one()
    assert row.status == "ended" and row.amount_minor == 2 * tables.AMOUNT_SCALE
    status, data = check(enforcement, "1NPR001", CountryCodeVehicle="B", AreaManagerId=GENT,
                         AreaId="4402_ROOD", at=start + timedelta(minutes=90))
    assert data["CheckAnswer"] == "N"
    status, data = provider("RevokePSRight", {"PSRightId": ps_id,
                                              "EndTimePSRight": z(start + timedelta(minutes=50))})
    assert status == 409 and data["ErrorCode"] == 400


def test_a_right_at_a_point_or_a_selling_point_lands_in_the_zone_there(npr_as):
    provider = npr_as("provider")
    start = next_monday(9)
    status, data = provider("EnrollPSRight", {
        "VehicleId": "1NPR002", "LocationPSRight": {"Latitude": 51.0455, "Longitude": 3.73},
        "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(start + timedelta(hours=1))})
    assert status == 200, data
    assert data["AreaId"] == "4402_ZUID" and data["AmountPSRightCalculated"] == 1.0
    status, data = provider("EnrollPSRight", {
        "VehicleId": "1NPR003", "SellingPointId": 44020001, "UsageId": "BETAALDP",
        "StartTimePSright": z(start), "AmountPSright": 0.75, "VATPSright": 0.13})
    assert status == 200, data
    assert data["AreaId"] == "4402_ZUID" and data["SellingPointId"] == 44020001
    assert "EndTimePSRightAdjusted" not in data  # an open right


def test_a_right_is_not_registered_back_in_time(npr_as):
    start = NOW() - timedelta(hours=1)
    status, data = npr_as("provider")("EnrollPSRight", {
        "VehicleId": "1NPR004", "AreaManagerId": GENT, "AreaId": "4402_ROOD",
        "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(NOW() + timedelta(hours=1))})
    assert status == 200, data
    assert data["StartTimePSRightAdjusted"] >= z(NOW() - timedelta(minutes=1))


def test_calculate_price_for_a_period_and_for_a_budget(npr_as):
    call = npr_as("provider")
    status, data = call("CalculatePrice", {
        "AreaManagerId": GENT, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "StartTimePSright": "2026-03-02T09:00:00Z", "EndTimePSright": "2026-03-02T11:00:00Z"})
    assert status == 200 and data["AmountPSRightCalculated"] == 6.0
    status, data = call("CalculatePrice", {
        "AreaManagerId": GENT, "AreaId": "4402_ZUID", "UsageId": "BETAALDP",
        "StartTimePSright": "2026-03-02T09:00:00Z", "AmountPSright": 1.0})
    assert data["EndTimePSRightAdjusted"] == "2026-03-02T10:00:00Z"
    assert data["AmountPSRightCalculated"] == 1.0


def test_refusals_are_the_operations_response_error(npr_as, client_as, store):
    with store.reading() as connection:
        before = connection.execute(sa.select(sa.func.count()).select_from(tables.rights)
                                    ).scalar()
    provider = npr_as("provider")
    status, error = provider("EnrollPSRight", {
        "VehicleId": "1NPR005", "AreaManagerId": 44021, "AreaId": "4402_ROOD",
        "UsageId": "BETAALDP", "StartTimePSright": "2026-03-02T09:00:00Z"})
    assert status == 400 and error["ErrorCode"] == 100
    assert error["ErrorVariable"] == "AreaManagerId"
    status, error = provider("EnrollPSRight", {
        "VehicleId": "1NPR005", "AreaManagerId": GENT, "AreaId": "4402_NONE",
        "UsageId": "BETAALDP", "StartTimePSright": z(next_monday(9))})
    assert (status, error["ErrorCode"], error["ErrorVariable"]) == (404, 200, "AreaId")
    status, error = provider("EnrollPSRight", {
        "VehicleId": "1NPR005", "AreaManagerId": GENT, "AreaId": "4402_ROOD",
        "UsageId": "GARAGEP", "StartTimePSright": z(next_monday(9))})
    assert (status, error["ErrorCode"], error["ErrorVariable"]) == (404, 200, "UsageId")
    status, error = npr_as("enforcement")("EnrollPSRight", {
        "VehicleId": "1NPR005", "AreaManagerId": GENT, "AreaId": "4402_ROOD",
        "UsageId": "BETAALDP", "StartTimePSright": z(next_monday(9))})
    assert (status, error["ErrorCode"]) == (403, 310)
    status, error = check(npr_as("provider-limited"), "1ABC123", AreaManagerId=GENT,
                          AreaId="4402_ROOD")
    assert (status, error["ErrorCode"]) == (403, 310)
    status, error = check(npr_as("anonymous"), "1ABC123", AreaManagerId=GENT,
                          AreaId="4402_ROOD")
    assert (status, error["ErrorCode"]) == (401, 300)
    client = client_as("provider")
    response = client.post("/npr/CheckPSRight", content=b"{not json")
    assert response.status_code == 400
    assert response.json()["PSRightCheckResponse"]["PSRightCheckResponseError"]["ErrorCode"] == 101
    response = client.post("/npr/CheckPSRight", json={"PSRightCheckRequestData": {
        "VehicleId": "1ABC123", "Unexpected": 1}})
    assert response.status_code == 400
    assert response.json()["PSRightCheckResponse"]["PSRightCheckResponseError"]["ErrorCode"] == 100
    response = client.post("/npr/EnrollLink", json={"EnrollLinkRequestData": {}})
    assert response.status_code == 404
    assert response.json()["EnrollLinkResponse"]["EnrollLinkResponseError"]["ErrorCode"] == 900
    assert client.post("/npr/NoSuchThing", json={}).status_code == 404
    with store.reading() as connection:
        after = connection.execute(sa.select(sa.func.count()).select_from(tables.rights)).scalar()
    assert after == before


def test_a_status_request_answers(npr_as):
    status, data = npr_as("enforcement")("StatusRequest", {"StatusTime": "2026-03-02T09:00:00Z",
                                                            "StatusReference": "ping"})
    assert status == 200 and data["StatusRPV"] == "OK" and data["StatusReference"] == "ping"


EARLY_EXITS = [
    ("unreadable body (101)", "/npr/CheckPSRight", b"{not json"),
    ("JSON that is no XML of the message (100)", "/npr/CheckPSRight",
     b'{"PSRightCheckRequestData": {"AreaId": ["a", "b"]}}'),
    ("no such operation (900)", "/npr/FlyToTheMoon", b"{}"),
]


@pytest.mark.parametrize(("what", "path", "body"), EARLY_EXITS, ids=[e[0] for e in EARLY_EXITS])
def test_answers_before_the_operation_runs_are_validated_too(client_as, monkeypatch, what, path,
                                                             body):
    """A refusal given before the request reaches its operation goes through the same check of
    the answer against registration.xsd as every other (conftest turns the check on): an
    ErrorDesc longer than the XSD's 80 characters, made on purpose here, is caught."""
    from vptr.npr import errors, schema

    client = client_as("provider")
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 404), response.text
    element = errors.error_element
    monkeypatch.setattr(errors, "error_element",
                        lambda error: {**element(error), "ErrorDesc": "x" * 81})
    with pytest.raises(schema.SchemaViolation, match="ErrorDesc"):
        client.post(path, content=body, headers={"Content-Type": "application/json"})


def test_an_enrolment_beyond_the_maximum_duration_ends_at_the_maximum(npr_as, client_as):
    """Gent's red zone allows 240 minutes (MaxDurationRight): a right asked for six hours is
    registered for four and priced for four, as EndTimePSRightAdjusted and
    AmountPSRightCalculated say and RetrieveRightInfo confirms. The day maximum (12.00) is
    lifted first, so that the amount shows which period was priced: the first hour at 0.50 per
    15 minutes, then 1.00 per 15 minutes: 14.00 for four hours, 22.00 for six."""
    start = next_monday(9)
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-rood-betalend").json()
    change.pop("version")
    del change["tariff"]["dayMaximum"]
    change["validityPeriod"] = {"startTime": z(start - timedelta(hours=1))}
    response = manager.put("/regimes/gent-rood-betalend", json=change)
    assert response.status_code == 200, response.text
    assert response.json()["maximumDuration"] == 240

    call = npr_as("provider")
    status, data = call("EnrollPSRight", {
        "VehicleId": "1MAX240", "AreaManagerId": GENT, "AreaId": "4402_ROOD",
        "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(start + timedelta(hours=6))})
    assert status == 200, data
    assert data["StartTimePSRightAdjusted"] == z(start)
    assert data["EndTimePSRightAdjusted"] == z(start + timedelta(minutes=240))
    assert data["AmountPSRightCalculated"] == 14.0
    _, info = call("RetrieveRightInfo", {"PSRightId": data["PSRightId"]})
    (right,) = info["PSRightInfoList"]["PSRightInfoData"]
    assert right["EndTimePSRight"] == z(start + timedelta(minutes=240))
    assert right["AmountPSRight"] == 14.0
