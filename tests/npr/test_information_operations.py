"""RetrieveAreaRegulationFareInfo and RetrieveRightInfo: what an area manager publishes at any
moment (NF6.9), and what a provider or enforcement may read of a right."""

from __future__ import annotations

from datetime import timedelta

from .conftest import next_monday, z


def test_the_regulations_fares_and_special_days_of_an_area_at_a_moment(npr_as):
    call = npr_as("provider")
    status, data = call("RetrieveAreaRegulationFareInfo",
                        {"AreaManagerId": 4402, "AreaId": "4402_ROOD",
                         "CheckTime": "2026-03-02T09:00:00Z"})
    assert status == 200, data
    (area,) = data["AreaTable"]["AreaData"]
    assert area["AreaId"] == "4402_ROOD" and area["Geometry"].startswith("POLYGON")
    (regulation,) = data["RegulationTable"]["RegulationData"]
    assert regulation["RegulationId"] == "4402_RBET" and regulation["RegulationType"] == "B"
    assert regulation["StartDateRegulation"] == 20260101
    frames = regulation["TimeFrameTable"]["TimeFrameData"]
    assert [f["DayTimeFrame"] for f in frames] == [
        "MAANDAG", "DINSDAG", "WOENSDAG", "DONDERDAG", "VRIJDAG", "ZATERDAG"]
    assert {(f["StartTimeTimeFrame"], f["EndTimeTimeFrame"], f["MaxDurationRight"],
             f["FareTimeFrame"]) for f in frames} == {(900, 1800, 240, "4402_TROOD")}
    (fare,) = data["FareTable"]["FareData"]
    assert fare["FareCalculationCode"] == "4402_TROOD"
    assert [(p["StartDurationFarePart"], p["EndDurationFarePart"], p["AmountFarePart"],
             p["StepSizeFarePart"], p["TotalAmountParts"])
            for p in fare["FarePartTable"]["FarePartData"]] == [
        (0, 60, 0.5, 15, 2.0), (60, 999999, 1.0, 15, 3.0)]
    # The dated exempt day only: the regime's recurring exempt day (every public holiday) has no
    # date, and NPR special days are dated (docs/mapping-apds-npr.md, the gaps).
    assert data["SpecialDaysTable"]["SpecialDay"] == [
        {"SpecialDayName": "Gentse Feesten: loka", "SpecialDayDate": 20260720}]
    # the same area before the 2026 price rise
    status, data = call("RetrieveAreaRegulationFareInfo",
                        {"AreaManagerId": 4402, "AreaId": "4402_ROOD",
                         "CheckTime": "2025-06-02T09:00:00Z"})
    assert data["AreaTable"]["AreaData"][0]["PriceOneHourParking"] == 1.6
    assert data["RegulationTable"]["RegulationData"][0]["EndDateRegulation"] == 20251231
    status, data = call("RetrieveAreaRegulationFareInfo", {"AreaManagerId": 4402})
    assert {r["RegulationId"] for r in data["RegulationTable"]["RegulationData"]} == {
        "4402_RBET", "4402_ZBET", "4402_BEWK", "4402_AKT"}
    status, error = call("RetrieveAreaRegulationFareInfo", {"AreaManagerId": 9999})
    assert (status, error["ErrorCode"], error["ErrorVariable"]) == (404, 200, "AreaManagerId")


def test_right_info_by_id_and_by_plate_for_those_who_may_read_it(npr_as):
    provider = npr_as("provider")
    start = next_monday(9)
    status, enrolled = provider("EnrollPSRight", {
        "VehicleId": "XY34ZZ", "CountryCodeVehicle": "NL", "AreaManagerId": 4402,
        "AreaId": "4402_ZUID", "UsageId": "BETAALDP", "StartTimePSright": z(start),
        "EndTimePSright": z(start + timedelta(hours=1)), "ReferencePSRight": "info-1"})
    assert status == 200, enrolled
    status, data = provider("RetrieveRightInfo", {"PSRightId": enrolled["PSRightId"]})
    assert status == 200, data
    (info,) = data["PSRightInfoList"]["PSRightInfoData"]
    assert info["PSRightId"] == enrolled["PSRightId"] and info["CountryCodeVehicle"] == "NL"
    assert info["AreaManagerId"] == 4402 and info["AreaId"] == "4402_ZUID"
    assert info["StartTimePSRight"] == z(start) and info["AmountPSRight"] == 1.0
    assert info["PSRightAcquirerDesc"] == "ParkPlus NV" and info["UsageId"] == "BETAALDP"
    status, data = npr_as("enforcement")("RetrieveRightInfo", {
        "VehicleId": "XY34ZZ", "IndicatorTime": z(start + timedelta(minutes=5))})
    assert [i["PSRightId"] for i in data["PSRightInfoList"]["PSRightInfoData"]] == [
        enrolled["PSRightId"]]
    status, error = npr_as("provider-limited")("RetrieveRightInfo",
                                               {"PSRightId": enrolled["PSRightId"]})
    assert status == 404 and error["ErrorCode"] == 200
    status, error = provider("RetrieveRightInfo", {})
    assert status == 400 and error["ErrorVariable"] == "VehicleId"
    # A VehicleId that is no plate is refused as such, not searched for and not repeated.
    status, error = provider("RetrieveRightInfo", {"VehicleId": "XY34ZZ%SECRET"})
    assert status == 400 and error["ErrorVariable"] == "VehicleId"
    assert "SECRET" not in str(error)


def test_a_time_slot_with_its_own_tariff_publishes_that_fare(npr_as, client_as):
    """FareTimeFrame is the time slot's own tariff first, else the regime's (as the register
    prices: docs/mapping-apds-npr.md); the slot's tariff is among the fares, and the price a
    client calculates on that day is that tariff's."""
    start = next_monday(9)
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-rood-betalend").json()
    change.pop("version")
    weekdays = {**change["timeSlots"][0],
                "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"]}
    saturday = {**change["timeSlots"][0], "daysOfWeek": ["saturday"],
                "tariff": {"name": "Zaterdagtarief", "currency": "EUR", "tariffSteps": [
                    {"startDuration": 0, "amount": "0.10", "stepSize": 15}]}}
    change["timeSlots"] = [weekdays, saturday]
    change["validityPeriod"] = {"startTime": z(start - timedelta(hours=1))}
    response = manager.put("/regimes/gent-rood-betalend", json=change)
    assert response.status_code == 200, response.text

    call = npr_as("provider")
    status, data = call("RetrieveAreaRegulationFareInfo", {
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "CheckTime": z(start)})
    assert status == 200, data
    (regulation,) = data["RegulationTable"]["RegulationData"]
    frames = {f["DayTimeFrame"]: f["FareTimeFrame"]
              for f in regulation["TimeFrameTable"]["TimeFrameData"]}
    assert frames["MAANDAG"] == "4402_TROOD" and frames["ZATERDAG"] == "4402_TR_T2"
    fares = {f["FareCalculationCode"]: f for f in data["FareTable"]["FareData"]}
    assert set(fares) == {"4402_TROOD", "4402_TR_T2"}
    assert [(p["AmountFarePart"], p["StepSizeFarePart"])
            for p in fares["4402_TR_T2"]["FarePartTable"]["FarePartData"]] == [(0.1, 15)]
    saturday_morning = start + timedelta(days=5)
    _, price = call("CalculatePrice", {
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
        "StartTimePSright": z(saturday_morning),
        "EndTimePSright": z(saturday_morning + timedelta(hours=1))})
    assert price["AmountPSRightCalculated"] == 0.4  # four steps of 0.10
