"""/apds/rights/specs and /apds/rates written by the area manager (scope po): a right
specification is a regime version, a rate table the tariff of the regime version of the same id;
both go through the regime repository the native API uses (validated against the profile as a
whole, versions conditional), and a refusal is a 400 naming the APDS field, with nothing stored."""

from __future__ import annotations

import copy
import time

import pytest

from tests.apds.conftest import conforms, status

ID = "https://data.parkeerregister.vlaanderen.be/id/"


def spec_body(spec_id: str = "gent-zuid-avond", version: int = 1,
              start: str = "2027-03-01T00:00:00Z", **extra) -> dict:
    body = {
        "id": spec_id, "version": version, "type": "oneTimeUseParking",
        "description": [{"language": "nl", "string": "Avondparkeren Zuid"}],
        "transferable": False, "hierarchyElements": [{"id": "gent-zuid", "version": 1}],
        "validity": {"validityStatus": "definedByValidityTimeSpec",
                     "validityTimeSpecification": {
                         "overallStartTime": start,
                         "validPeriods": [{
                             "recurringDayWeekMonthPeriod": [{"applicableDay": [
                                 "monday", "tuesday", "wednesday", "thursday", "friday"]}],
                             "recurringTimePeriodOfDay": [{"startTimeOfPeriod": "18:00",
                                                           "endTimeOfPeriod": "22:00"}]}],
                         "exceptionPeriods": [{"recurringSpecialDay": [{
                             "specialDayType": "publicHoliday",
                             "intersectWithApplicableDays": False}]}]}},
        "rateEligibility": [{"id": "1", "version": 1, "priority": 1, "combinable": False,
                             "eligibility": {"id": "1", "version": 1, "qualifications": [{
                                 "freeToPark": True, "userQualifications": [{"userGroup": {
                                     "entryDefinedValue": "disabledPersons",
                                     "codeListId": {"id": "Gebruikersklasse",
                                                    "version": 1}}}]}]}}]}
    body.update(extra)
    return body


def rate_body(rate_id: str = "gent-zuid-avond", version: int = 2, value: float = 1.2,
              start: str = "2027-04-01T00:00:00Z") -> dict:
    return {
        "id": rate_id, "version": version, "availability": "public",
        "rateTableName": [{"language": "nl", "string": "Avondtarief"}],
        "validity": {"validityStatus": "definedByValidityTimeSpec",
                     "validityTimeSpecification": {"overallStartTime": start}},
        "rateLineCollections": [{
            "id": "1", "version": 1, "collectionSequence": 1, "applicableCurrency": "EUR",
            "resetTime": "00:00", "validStart": start, "relativeTimes": False,
            "taxIncluded": True, "maxTime": "PT3H",
            "rateLines": [
                {"id": "1", "version": 1, "sequence": 1, "rateLineType": "flatRateTier",
                 "durationStart": "00:00", "durationEnd": "01:00", "incrementPeriod": "PT1H",
                 "value": value},
                {"id": "2", "version": 1, "sequence": 2, "rateLineType": "incrementingRate",
                 "durationStart": "01:00", "incrementPeriod": "PT30M", "value": 1.0}]}]}


def _native(client, ref: str) -> dict:
    """The regime's newest version on the native API."""
    response = client.get(f"/regimes/{ref}", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def test_an_area_manager_creates_a_right_specification_then_prices_it(client_as):
    manager = client_as("area-manager")

    status(manager.post("/apds/rights/specs", json=spec_body()), 201)

    regime = _native(manager, "gent-zuid-avond")
    assert (regime["version"], regime["usage"], regime["rightKind"]) == (1, "paidParking",
                                                                         "parking")
    assert regime["zones"] == [ID + "zone/gent-zuid"]
    assert regime["exemptDays"] == [{"recurringDay": "publicHoliday"}]  # every public holiday
    assert regime["timeSlots"] == [{"daysOfWeek": ["monday", "tuesday", "wednesday",
                                                   "thursday", "friday"],
                                    "opens": "18:00:00", "closes": "22:00:00"}]
    assert regime["exemptUserClasses"] == ["disabledPersons"] and "tariff" not in regime
    read = conforms("RightSpecification", manager.get("/apds/rights/specs/gent-zuid-avond")
                    .json())
    assert read["validity"]["validityTimeSpecification"]["validPeriods"] == spec_body()[
        "validity"]["validityTimeSpecification"]["validPeriods"]

    assert status(manager.post("/apds/rates", json=rate_body()), 200)

    regime = _native(manager, "gent-zuid-avond")
    assert regime["version"] == 2 and regime["maximumDuration"] == 180
    assert regime["tariff"]["tariffSteps"][0]["amount"] == "1.20"
    assert regime["exemptUserClasses"] == ["disabledPersons"]  # the rest of the regime stays
    rate = conforms("RateTable", manager.get("/apds/rates/gent-zuid-avond").json())
    assert rate["version"] == 2 and rate["rateLineCollections"][0]["maxTime"] == "PT3H"
    assert [line["value"] for line in rate["rateLineCollections"][0]["rateLines"]] == [1.2, 1.0]
    spec = conforms("RightSpecification", client_as("provider").get(
        "/apds/rights/specs/gent-zuid-avond").json())
    assert spec["rateEligibility"][0]["rateTable"] == {"id": "gent-zuid-avond", "version": 2}


def test_a_right_specification_read_and_sent_back_makes_the_same_regime_from_now(client_as):
    manager = client_as("area-manager")
    before = _native(manager, "gent-zuid-betalend")
    spec = manager.get("/apds/rights/specs/gent-zuid-betalend").json()
    spec["version"] += 1
    spec.pop("issuer")

    status(manager.put("/apds/rights/specs/gent-zuid-betalend", json=spec), 200)

    after = _native(manager, "gent-zuid-betalend")
    assert after["version"] == before["version"] + 1
    ignored = {"id", "version", "validityPeriod"}
    assert {k: v for k, v in after.items() if k not in ignored} == \
        {k: v for k, v in before.items() if k not in ignored}
    assert after["validityPeriod"]["startTime"] > before["validityPeriod"]["startTime"]


def test_a_rate_table_read_and_sent_back_as_the_next_version_keeps_the_tariff(client_as):
    manager = client_as("area-manager")
    before = _native(manager, "gent-zuid-betalend")
    rate = manager.get("/apds/rates/gent-zuid-betalend").json()
    rate["version"] += 1
    rate.pop("rateResponsibleParty")

    status(manager.put("/apds/rates/gent-zuid-betalend", json=rate), 200)

    after = _native(manager, "gent-zuid-betalend")
    assert after["tariff"] == before["tariff"]
    assert after.get("maximumDuration") == before.get("maximumDuration")


def test_deleting_a_rate_table_makes_parking_free_from_now_and_the_spec_ends_logically(
        client_as):
    manager = client_as("area-manager")
    status(manager.post("/apds/rights/specs", json=spec_body(start="2025-06-01T00:00:00Z")),
           201)
    status(manager.post("/apds/rates", json=rate_body(start="2025-07-01T00:00:00Z")), 200)

    status(manager.delete("/apds/rates/gent-zuid-avond"), 200)

    assert "tariff" not in _native(manager, "gent-zuid-avond")
    status(manager.get("/apds/rates/gent-zuid-avond"), 404)
    listed = conforms("RateTableList", manager.get("/apds/rates?modified_since=0").json())
    assert {"gent-zuid-avond"} <= {d["id"] for d in listed["deletedReferences"]}

    status(manager.delete("/apds/rights/specs/gent-zuid-avond"), 200)
    time.sleep(1.1)  # the version began this second: a period ends after it starts

    status(manager.get("/apds/rights/specs/gent-zuid-avond"), 404)
    listed = conforms("RightSpecificationList", manager.get(
        "/apds/rights/specs?modified_since=0").json())
    assert "gent-zuid-avond" not in {s["id"] for s in listed["data"]}
    assert [d["className"] for d in listed["deletedReferences"]
            if d["id"] == "gent-zuid-avond"] == ["RightSpecification"]
    status(manager.delete("/apds/rights/specs/gent-zuid-avond"), 409)
    assert len(manager.get("/regimes/gent-zuid-avond/versions",
                           headers={"Accept": "application/json"}).json()["@graph"]) == 3


@pytest.mark.parametrize("path, body, code, field", [
    ("/apds/rights/specs", spec_body(version=2), 409, "version"),
    ("/apds/rates", rate_body(rate_id="onbekend"), 400, "id"),
    ("/apds/rates", rate_body(version=5), 409, "version"),
])
def test_versions_and_ids_are_checked(client_as, path, body, code, field):
    manager = client_as("area-manager")
    status(manager.post("/apds/rights/specs", json=spec_body()), 201)
    if path == "/apds/rights/specs":
        status(manager.post(path, json=spec_body()), 409)  # a duplicate id
    assert field in status(manager.post(path, json=body), code)["message"]


def _deep(change):
    body = spec_body()
    change(body)
    return body


@pytest.mark.parametrize("path, body, field", [
    ("/apds/rights/specs", _deep(lambda b: b["hierarchyElements"][0].update(id="nergens")),
     "hierarchyElements"),
    ("/apds/rights/specs", _deep(lambda b: b.pop("type")), "type"),
    ("/apds/rights/specs", _deep(lambda b: b["validity"]["validityTimeSpecification"][
        "validPeriods"][0]["recurringDayWeekMonthPeriod"][0].update(applicableDay=["someday"])),
     "validity.validityTimeSpecification.validPeriods[0].recurringDayWeekMonthPeriod"),
    ("/apds/rights/specs", _deep(lambda b: b["rateEligibility"][0]["eligibility"][
        "qualifications"][0]["userQualifications"][0]["userGroup"]["codeListId"].update(
        id="Kleur")),
     "rateEligibility[0].eligibility.qualifications[0].userQualifications[0].userGroup"),
    ("/apds/rights/specs", _deep(lambda b: b["rateEligibility"][0].update(
        rateTable={"id": "gent-bewoners-kouter", "version": 1})), "rateEligibility"),
    ("/apds/rights/specs", _deep(lambda b: b["validity"]["validityTimeSpecification"].update(
        overallEndTime="2020-01-01T00:00:00Z")), "validity.validityTimeSpecification"),
])
def test_a_bad_right_specification_is_a_400_naming_the_field_and_nothing_is_stored(
        client_as, count_rows, path, body, field):
    before = count_rows("regime_versions")

    message = status(client_as("area-manager").post(path, json=body), 400)["message"]

    assert field in message, message
    assert count_rows("regime_versions") == before


def _rate(change):
    body = rate_body(rate_id="gent-zuid-betalend", version=2)
    change(body)
    return body


@pytest.mark.parametrize("body, field", [
    (_rate(lambda b: b["rateLineCollections"][0]["rateLines"][0].update(value=-1)),
     "rateLineCollections[0].rateLines.value"),
    (_rate(lambda b: b["rateLineCollections"][0]["rateLines"][1].update(
        rateLineType="freeParking")), "rateLineCollections[0].rateLines[1].rateLineType"),
    (_rate(lambda b: b["rateLineCollections"][0].update(maxTime="three hours")),
     "rateLineCollections[0].maxTime"),
    (_rate(lambda b: b["rateLineCollections"][0].update(applicableCurrency="EURO")),
     "rateLineCollections[0].applicableCurrency"),
])
def test_a_bad_rate_table_is_a_400_naming_the_field_and_nothing_is_stored(
        client_as, count_rows, body, field):
    before = count_rows("regime_versions")

    message = status(client_as("area-manager").put("/apds/rates/gent-zuid-betalend",
                                                   json=body), 400)["message"]

    assert field in message, message
    assert count_rows("regime_versions") == before


def test_only_the_area_manager_writes_its_own_right_specifications(client_as, antwerpen):
    status(client_as("provider").post("/apds/rights/specs", json=spec_body()), 403)
    spec = copy.deepcopy(spec_body(spec_id="gent-zuid-betalend", version=9))
    assert status(antwerpen.client.put("/apds/rights/specs/gent-zuid-betalend", json=spec),
                  404)
    status(antwerpen.client.delete("/apds/rates/gent-zuid-betalend"), 404)
