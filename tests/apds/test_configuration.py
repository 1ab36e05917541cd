"""GET /apds/places, /apds/rights/specs and /apds/rates: the demo's zones, regime versions and
tariffs in APDS, each body valid against apds4.yaml, visible exactly as on the native API."""

from __future__ import annotations

import time

import pytest

from tests.apds.conftest import PLACES, conforms, status

ROLES = ["area-manager", "provider", "provider-limited", "enforcement"]


@pytest.mark.parametrize("role", ROLES)
def test_every_demo_role_reads_the_places_right_specifications_and_rates(client_as, role):
    client = client_as(role)

    places = conforms("HierarchyElementList", client.get("/apds/places").json())
    specs = conforms("RightSpecificationList", client.get("/apds/rights/specs").json())
    rates = conforms("RateTableList", client.get("/apds/rates").json())

    assert {p["id"] for p in places["data"]} == PLACES
    assert places["meta"]["total"] == 4
    assert {s["id"] for s in specs["data"]} == {
        "gent-rood-betalend", "gent-zuid-betalend", "gent-bewoners-kouter",
        "gent-autoluwe-kern-toegang"}
    assert {r["id"] for r in rates["data"]} == {"gent-rood-betalend", "gent-zuid-betalend"}


def test_a_place_is_a_zone_with_its_geometry_time_zone_hierarchy_and_restrictions(client_as):
    client = client_as("enforcement")

    kouter = conforms("HierarchyElement",
                      client.get("/apds/places/gent-bewonerszone-kouter").json())
    rood = conforms("HierarchyElement", client.get("/apds/places/gent-rood").json())

    assert kouter["type"] == "subplaceElement" and kouter["layer"] == 1
    assert kouter["parentId"] == {"id": "gent-rood", "version": rood["version"]}
    assert kouter["operatingRestrictions"] == [{"operatingRestriction": "residentialPermitOnly"}]
    assert rood["childIds"] == [{"id": "gent-bewonerszone-kouter", "version": kouter["version"]}]
    assert rood["timeZone"] == "Europe/Brussels" and rood["layer"] == 0
    assert rood["placeBoundedZone"][0]["type"] == "MultiPolygon"
    assert rood["characteristics"] == {"spacesTotal": 1450}
    assert rood["rightSpecifications"] == [{"id": "gent-rood-betalend", "version": 2}]
    assert rood["responsibilityRoleAssignments"][0]["contactPoints"][0]["id"] == "stad-gent"


def test_a_right_specification_is_a_regime_version_with_validity_places_and_eligibility(
        client_as):
    client = client_as("provider")

    now = conforms("RightSpecification",
                   client.get("/apds/rights/specs/gent-rood-betalend").json())
    first = conforms("RightSpecification",
                     client.get("/apds/rights/specs/gent-rood-betalend?version=1").json())

    assert (now["version"], first["version"]) == (2, 1)
    assert now["type"] == "oneTimeUseParking"
    assert now["hierarchyElements"][0]["id"] == "gent-rood"
    overall = now["validity"]["validityTimeSpecification"]
    assert overall["overallStartTime"] == "2025-12-31T23:00:00Z"
    assert overall["validPeriods"] == [{
        "recurringDayWeekMonthPeriod": [{"applicableDay": [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]}],
        "recurringTimePeriodOfDay": [{"startTimeOfPeriod": "09:00", "endTimeOfPeriod": "18:00"}]}]
    assert first["validity"]["validityTimeSpecification"]["overallEndTime"] == \
        "2025-12-31T23:00:00Z"
    assert now["rateEligibility"][0]["rateTable"] == {"id": "gent-rood-betalend", "version": 2}
    free = now["rateEligibility"][0]["eligibility"]["qualifications"]
    assert {q["userQualifications"][0]["userGroup"]["entryDefinedValue"] for q in free} == {
        "disabilityCard", "emergencyServices"}
    access = client.get("/apds/rights/specs/gent-autoluwe-kern-toegang").json()
    assert access["type"] == "accessPermission"


def test_a_rate_table_is_a_tariff_with_its_rate_lines(client_as):
    rate = conforms("RateTable", client_as("enforcement").get("/apds/rates/gent-rood-betalend")
                    .json())

    collection = rate["rateLineCollections"][0]
    assert (collection["applicableCurrency"], collection["taxIncluded"]) == ("EUR", True)
    assert collection["maxValueCollection"] == {"currencyType": "EUR", "currencyValue": 12.0}
    assert collection["maxTime"] == "PT4H"
    assert [(line["durationStart"], line.get("durationEnd"), line["incrementPeriod"],
             line["value"]) for line in collection["rateLines"]] == [
        ("00:00", "01:00", "PT15M", 0.5), ("01:00", None, "PT15M", 1.0)]
    assert rate["rateSupersedeLink"] == {"id": "gent-rood-betalend", "version": 1}


def test_filters_by_place_issuer_layer_and_circle(client_as):
    client = client_as("enforcement")

    by_place = client.get("/apds/rights/specs?place=gent-zuid").json()
    top = client.get("/apds/places?layer=0").json()
    near = client.get("/apds/places?latitude=51.0455&longitude=3.731&radius=50").json()
    none = client.get("/apds/rates?issuer=stad-antwerpen").json()

    assert [s["id"] for s in by_place["data"]] == ["gent-zuid-betalend"]
    assert "gent-bewonerszone-kouter" not in {p["id"] for p in top["data"]}
    assert [p["id"] for p in near["data"]] == ["gent-zuid"]
    assert none["data"] == [] and none["meta"]["total"] == 0


def test_paging_and_modified_since(client_as):
    client = client_as("enforcement")

    first = conforms("HierarchyElementList", client.get("/apds/places?page=1").json())
    later = conforms("HierarchyElementList",
                     client.get("/apds/places?modified_since=4102444800").json())

    assert first["meta"]["offset"] == 0 and first["meta"]["total"] == 4
    assert later["data"] == [] and later["deletedReferences"] == []


@pytest.mark.parametrize("query, field", [
    ("/apds/places?latitude=51.05", "longitude"),
    ("/apds/places?type=parkingLot", "type"),
    ("/apds/places?page=0", "page"),
    ("/apds/places?modified_since=soon", "modified_since"),
    ("/apds/rights/specs?latitude=91&longitude=3&radius=5", "latitude"),
])
def test_a_bad_parameter_is_a_400_response_status_naming_it(client_as, query, field):
    body = status(client_as("enforcement").get(query), 400)

    assert body["status"] == "error" and field in body["message"]


def test_unknown_ids_and_versions_are_404(client_as):
    client = client_as("provider")

    assert "no place" in status(client.get("/apds/places/nowhere"), 404)["message"]
    status(client.get("/apds/rights/specs/gent-rood-betalend?version=9"), 404)
    status(client.get("/apds/rates/gent-bewoners-kouter"), 404)


def test_credentials_are_required(client_as):
    assert status(client_as("anonymous").get("/apds/places"), 401)["code"] == 401


def test_another_tenant_sees_nothing_of_gent(antwerpen):
    places = conforms("HierarchyElementList", antwerpen.client.get("/apds/places").json())

    assert [p["id"] for p in places["data"]] == ["antwerpen-centrum"]
    assert antwerpen.client.get("/apds/rights/specs").json()["data"] == []
    status(antwerpen.client.get("/apds/places/gent-rood"), 404)


def test_on_a_fresh_demo_every_apds_collection_is_non_empty_for_every_demo_key(tmp_path):
    """What ``vptr serve --demo`` serves: the demo seeded by the composition root, its keys."""
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.services.demo import credential
    from vptr.settings import Settings
    from vptr.store.db import sqlite_url

    app = create_app(Settings(database_url=sqlite_url(tmp_path / "demo.sqlite"), demo=True))
    with TestClient(app) as client:
        for role in ("area-manager", "provider", "enforcement"):
            headers = {"Authorization": f"Bearer {credential(role).key}"}
            for path, schema in (("/apds/places", "HierarchyElementList"),
                                 ("/apds/rights/specs", "RightSpecificationList"),
                                 ("/apds/rates", "RateTableList"),
                                 ("/apds/rights/assigned", "AssignedRightList"),
                                 ("/apds/sessions", "SessionList")):
                body = conforms(schema, client.get(path, headers=headers).json())
                assert body["data"], (role, path)


def _place(place_id: str = "gent-nieuw", version: int = 1, **extra):
    ring = [[3.73, 51.06], [3.735, 51.06], [3.735, 51.063], [3.73, 51.063], [3.73, 51.06]]
    body = {"id": place_id, "version": version, "type": "place", "layer": 0,
            "name": [{"language": "nl", "string": "Nieuwe zone"}],
            "timeZone": "Europe/Brussels",
            "placeBoundedZone": [{"type": "MultiPolygon", "coordinates": [[ring]]}],
            "operatingRestrictions": [{"operatingRestriction": "parkingTimeLimit"}]}
    body.update(extra)
    return body


def test_the_area_manager_creates_updates_and_deletes_a_place_with_versions(client_as):
    gent = client_as("area-manager")

    status(gent.post("/apds/places", json=_place()), 201)
    created = conforms("HierarchyElement", gent.get("/apds/places/gent-nieuw").json())
    status(gent.post("/apds/places", json=_place()), 409)
    renamed = _place(version=2, name=[{"language": "nl", "string": "Blauwe zone"}])
    status(gent.put("/apds/places/gent-nieuw", json=renamed), 200)
    status(gent.put("/apds/places/gent-nieuw", json=renamed), 409)
    updated = conforms("HierarchyElement", gent.get("/apds/places/gent-nieuw").json())
    native = gent.get("/zones/gent-nieuw").json()

    assert created["version"] == 1 and updated["version"] == 2
    assert updated["name"] == [{"language": "nl", "string": "Blauwe zone"}]
    assert updated["operatingRestrictions"] == [{"operatingRestriction": "parkingTimeLimit"}]
    assert native["zoneKind"] == "blueZone" and native["name"] == "Blauwe zone"

    time.sleep(1.05)  # validity is kept to the second: the zone ends after the one it began in
    status(gent.delete("/apds/places/gent-nieuw"), 200)
    status(gent.get("/apds/places/gent-nieuw"), 404)
    status(gent.delete("/apds/places/gent-nieuw"), 409)
    listed = conforms("HierarchyElementList", gent.get("/apds/places?modified_since=0").json())
    assert [d["id"] for d in listed["deletedReferences"]] == ["gent-nieuw"]
    assert "gent-nieuw" not in {p["id"] for p in listed["data"]}


@pytest.mark.parametrize("change, field", [
    (lambda p: p.pop("placeBoundedZone"), "placeBoundedZone"),
    (lambda p: p.pop("name"), "name"),
    (lambda p: p.update(type="space"), "type"),
    (lambda p: p.update(id="a/b"), "id"),
    (lambda p: p.update(responsibilityRoleAssignments=[
        {"type": "operator", "contactPoints": [{"id": "stad-antwerpen", "version": 1,
                                                "type": "operator"}]}]),
     "responsibilityRoleAssignments"),
])
def test_a_bad_place_is_refused_naming_the_field_and_nothing_is_stored(client_as, change,
                                                                        field):
    place = _place()
    change(place)

    body = status(client_as("area-manager").post("/apds/places", json=place), 400)

    assert field in body["message"], body
    status(client_as("area-manager").get("/apds/places/gent-nieuw"), 404)


def test_only_an_area_manager_writes_places(client_as, antwerpen):
    status(client_as("provider").post("/apds/places", json=_place()), 403)
    status(client_as("enforcement").delete("/apds/places/gent-rood"), 403)
    status(antwerpen.client.delete("/apds/places/gent-rood"), 404)
    assert client_as("area-manager").get("/apds/places/gent-rood").status_code == 200
