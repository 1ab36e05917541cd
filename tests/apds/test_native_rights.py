"""A right registered on the native API shows on /apds as an assigned right and a session of its
own, always with the right specification it falls under: the regime version in force in its
zone at its start, of its usage (a permit zone's or an access zone's regime too, not only a
single-use one). Where no regime is in force at all, the right has no right specification, which
an AssignedRight requires: it stays the native API's."""

from __future__ import annotations

from tests.apds.conftest import conforms, status
from tests.support.builders import right_body
from vptr.services.demo import ZONE_KERN, ZONE_KOUTER

ID = "https://data.parkeerregister.vlaanderen.be/id/"


def _register(client, body) -> str:
    response = client.post("/rights", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"].rsplit("/", 1)[-1]


def test_a_native_right_in_a_zone_with_only_a_permit_regime_renders_schema_valid(client_as):
    reference = _register(client_as("provider"), right_body(plate="1KOU001", zone=ZONE_KOUTER))

    for path, schema in ((f"/apds/rights/assigned/{reference}", "AssignedRight"),
                         (f"/apds/sessions/{reference}", "Session")):
        message = conforms(schema, client_as("enforcement").get(path).json())
        if schema == "AssignedRight":
            assert message["rightSpecification"] == {"id": "gent-bewoners-kouter",
                                                     "version": 1}
    listed = conforms("AssignedRightList", client_as("enforcement").get(
        "/apds/rights/assigned?place=gent-bewonerszone-kouter&credential_id=1KOU001").json())
    assert [a["id"] for a in listed["data"]] == [reference]


def test_a_native_access_right_falls_under_the_access_regime_of_its_zone(client_as):
    body = right_body(plate="1KER001", zone=ZONE_KERN, rightKind="access",
                      usage="lowTrafficZoneAccess")
    body.pop("amountPaid")
    reference = _register(client_as("area-manager"), body)

    message = conforms("AssignedRight", client_as("enforcement").get(
        f"/apds/rights/assigned/{reference}").json())

    assert message["rightSpecification"]["id"] == "gent-autoluwe-kern-toegang"


def test_a_right_in_a_zone_without_any_regime_stays_on_the_native_api(client_as):
    manager = client_as("area-manager")
    zone = manager.post("/zones", json={
        "name": "Zonder regime", "zoneKind": "paidParking",
        "geometry": {"asWKT": "POLYGON ((3.70 51.00, 3.71 51.00, 3.71 51.01, 3.70 51.01, "
                              "3.70 51.00))"}})
    assert zone.status_code == 201, zone.text
    reference = _register(manager, right_body(plate="1NUL001", zone=zone.json()["id"]))

    status(client_as("enforcement").get(f"/apds/rights/assigned/{reference}"), 404)
    listed = conforms("AssignedRightList", client_as("enforcement").get(
        "/apds/rights/assigned?credential_id=1NUL001").json())
    assert listed["data"] == []
    native = client_as("enforcement").get("/rights", params={"plate": "1NUL001",
                                                             "country": "BE"}).json()
    assert len(native["@graph"]) == 1
