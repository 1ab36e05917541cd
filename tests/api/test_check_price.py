"""``/check`` and ``/price`` over HTTP, on the demo municipality (Gent), on every store backend.

Moments are given explicitly (``at=``, ``start=``) so the answers do not depend on when the suite
runs; rights for those moments are registered through the API like a parking app would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vptr.api.access_log import PlateRedactingFilter, redact_plate
from vptr.services.demo import (
    PLATE_RESIDENT,
    PLATE_WHITELISTED,
    POINT_KOUTER,
    ZONE_KERN,
    ZONE_KOUTER,
    ZONE_ROOD,
    ZONE_ZUID,
)

ID = "https://data.parkeerregister.vlaanderen.be/id/"
MONDAY_10 = "2026-03-02T10:00:00+01:00"  # paid hours, regime version 2 (prices of 2026)
PLATE = "1TST001"

Clients = Callable[[str], TestClient]


def register(client_as: Clients, plate: str = PLATE, zone: str = ZONE_ROOD,
             start: str = MONDAY_10, end: str = "2026-03-02T11:00:00+01:00") -> str:
    response = client_as("provider").post("/rights", json={
        "rightKind": "parking", "zone": zone, "channel": "app",
        "vehicle": {"licencePlate": {"plateNumber": plate, "country": "BE"}},
        "validityPeriod": {"startTime": start, "endTime": end}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def check(client: TestClient, **params: Any) -> Any:
    params.setdefault("country", "BE")
    return client.get("/check", params=params)


def problem_fields(response: Any) -> list[str | None]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


# --- the check -------------------------------------------------------------------------------


def test_enforcement_finds_a_registered_right_and_its_end(client_as: Clients) -> None:
    right = register(client_as)
    response = check(client_as("enforcement"), plate=PLATE, zone=ZONE_ROOD,
                     at="2026-03-02T10:30:00+01:00")
    assert response.status_code == 200
    body = response.json()
    assert body["allowed"] is True
    assert [(g["kind"], g["id"], g["endTime"]) for g in body["grants"]] == [
        ("right", right, "2026-03-02T11:00:00+01:00")]
    assert body["checkedAt"] == "2026-03-02T10:30:00+01:00"
    assert [(r["version"], r["appliesNow"]) for r in body["regimeVersions"]] == [(2, True)]
    assert PLATE not in response.text  # the plate is not echoed


def test_grace_period_of_the_regime_then_revocation(client_as: Clients) -> None:
    right = register(client_as)
    enforcement = client_as("enforcement")
    in_grace = check(enforcement, plate=PLATE, zone=ZONE_ROOD, at="2026-03-02T11:09:00+01:00")
    assert in_grace.json()["allowed"] and in_grace.json()["grants"][0]["withinGrace"]
    assert in_grace.json()["gracePeriod"] == 10
    after = check(enforcement, plate=PLATE, zone=ZONE_ROOD, at="2026-03-02T11:10:00+01:00")
    assert after.json()["allowed"] is False
    revoked = client_as("provider").post(f"/rights/{right.rsplit('/', 1)[-1]}/revoke")
    assert revoked.status_code == 200
    during = check(enforcement, plate=PLATE, zone=ZONE_ROOD, at="2026-03-02T10:30:00+01:00")
    assert during.json()["allowed"] is False


def test_no_payment_needed_outside_paid_hours_and_on_exempt_days(client_as: Clients) -> None:
    enforcement = client_as("enforcement")
    sunday = check(enforcement, plate="9NOBODY", zone=ZONE_ROOD, at="2026-03-01T12:00:00+01:00")
    assert [(g["kind"], g["reason"]) for g in sunday.json()["grants"]] == [
        ("regimeExempt", "outsideHours")]
    feesten = check(enforcement, plate="9NOBODY", zone=ZONE_ROOD, at="2026-07-20T12:00:00+02:00")
    assert [(g["kind"], g["reason"], g["name"]) for g in feesten.json()["grants"]] == [
        ("regimeExempt", "exemptDay", "Gentse Feesten: lokale feestdag")]
    paid = check(enforcement, plate="9NOBODY", zone=ZONE_ROOD, at=MONDAY_10)
    assert paid.json()["allowed"] is False and paid.json()["grants"] == []


def test_a_historical_check_uses_the_regime_version_then_in_force(client_as: Clients) -> None:
    enforcement = client_as("enforcement")
    in_2025 = check(enforcement, plate="9NOBODY", zone=ZONE_ROOD, at="2025-06-02T10:00:00+02:00")
    in_2026 = check(enforcement, plate="9NOBODY", zone=ZONE_ROOD, at=MONDAY_10)
    assert [r["version"] for r in in_2025.json()["regimeVersions"]] == [1]
    assert [r["version"] for r in in_2026.json()["regimeVersions"]] == [2]


def test_a_point_pricks_through_the_stacked_zones(client_as: Clients) -> None:
    lon, lat = POINT_KOUTER
    response = check(client_as("enforcement"), plate=PLATE_RESIDENT[1], lon=lon, lat=lat,
                     at=MONDAY_10)
    body = response.json()
    assert sorted(z["id"] for z in body["zones"]) == sorted([ZONE_KOUTER, ZONE_ROOD])
    assert [(g["kind"], g["zone"], g["reason"]) for g in body["grants"]] == [
        ("permit", ZONE_KOUTER, "resident")]


def test_a_whitelisted_vehicle_may_enter_the_low_traffic_core(client_as: Clients) -> None:
    response = check(client_as("enforcement"), plate=PLATE_WHITELISTED[1], zone=ZONE_KERN,
                     at=MONDAY_10, rightKind="access")
    grants = response.json()["grants"]
    assert [(g["kind"], g["whitelist"]) for g in grants] == [
        ("whitelistEntry", ID + "whitelist/gent-hulpdiensten")]
    stranger = check(client_as("enforcement"), plate="9NOBODY", zone=ZONE_KERN, at=MONDAY_10,
                     rightKind="access")
    assert stranger.json()["allowed"] is False


def test_post_answers_the_same_question_with_the_plate_in_the_body(client_as: Clients) -> None:
    right = register(client_as)
    response = client_as("enforcement").post("/check", json={
        "plate": "1-tst-001", "country": "be", "zone": ZONE_ROOD,
        "at": "2026-03-02T10:30:00+01:00"})
    assert response.status_code == 200
    assert [g["id"] for g in response.json()["grants"]] == [right]


def test_the_area_manager_checks_its_own_zones(client_as: Clients) -> None:
    register(client_as)
    response = check(client_as("area-manager"), plate=PLATE, zone=ZONE_ROOD,
                     at="2026-03-02T10:30:00+01:00")
    assert response.status_code == 200 and response.json()["allowed"]


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("provider-limited", 403)])
def test_only_organisations_with_read_rights_may_check(client_as: Clients, role: str,
                                                       status: int) -> None:
    response = check(client_as(role), plate=PLATE, zone=ZONE_ZUID, at=MONDAY_10)
    assert response.status_code == status
    assert PLATE not in response.text


def test_another_tenant_may_not_check_in_gent(antwerpen: Any) -> None:
    """Not found, as a zone that does not exist (tests/api/test_cross_tenant.py)."""
    response = check(antwerpen.client, plate=PLATE, zone=ZONE_ROOD, at=MONDAY_10)
    assert response.status_code == 404
    assert ZONE_ROOD in response.json()["detail"]


def test_a_point_in_another_tenants_zone_answers_as_a_point_in_no_zone(antwerpen: Any,
                                                                       client_as: Clients
                                                                       ) -> None:
    """No oracle at a point either: Antwerpen authorised nobody, so its zone is as absent for
    Gent's scan car as open country is (it was 403 against 200)."""
    enforcement = client_as("enforcement")
    in_antwerpen = check(enforcement, plate=PLATE, lon=4.40, lat=51.215, at=MONDAY_10)
    at_sea = check(enforcement, plate=PLATE, lon=2.0, lat=52.0, at=MONDAY_10)
    assert in_antwerpen.status_code == at_sea.status_code == 200, in_antwerpen.text[:300]
    assert in_antwerpen.json() == at_sea.json()
    assert in_antwerpen.json()["zonesLeftOut"] == []


def test_at_a_point_a_zone_of_a_tenant_the_caller_sees_but_may_not_check_in(
        client_as: Clients) -> None:
    """The meter vendor writes rights in Zuid for Gent, so it sees Gent's configuration: where it
    may read in no zone at the point it is refused; where it may read in one, the other is left
    out and named."""
    limited = client_as("provider-limited")
    lon, lat = POINT_KOUTER
    assert check(limited, plate=PLATE, lon=lon, lat=lat, at=MONDAY_10).status_code == 403
    granted = client_as("area-manager").post("/authorisations", json={
        "grantee": ID + "organisation/parkeerautomaten-vlaanderen", "scopes": ["readRights"],
        "zones": [ZONE_ROOD], "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"}})
    assert granted.status_code == 201, granted.text[:300]
    response = check(limited, plate=PLATE, lon=lon, lat=lat, at=MONDAY_10)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["zonesLeftOut"] == [ZONE_KOUTER]
    assert [z["id"] for z in response.json()["zones"]] == [ZONE_ROOD]


@pytest.mark.parametrize(("params", "status", "field"), [
    ({"zone": ZONE_ROOD}, 422, "plate"),
    ({"plate": "1 ABC 123 !", "zone": ZONE_ROOD}, 422, "plate"),
    ({"plate": PLATE, "country": "Belgium", "zone": ZONE_ROOD}, 422, "country"),
    ({"plate": PLATE}, 422, "zone"),
    ({"plate": PLATE, "lon": 3.72}, 422, "lat"),
    ({"plate": PLATE, "zone": ZONE_ROOD, "lon": 3.72, "lat": 51.05}, 422, "zone"),
    ({"plate": PLATE, "lon": 3.72, "lat": 95.0}, 422, "lat"),
    ({"plate": PLATE, "zone": ZONE_ROOD, "at": "2026-03-02T10:00:00"}, 422, "at"),
    ({"plate": PLATE, "zone": ZONE_ROOD, "at": "yesterday"}, 422, "at"),
    ({"plate": PLATE, "zone": ZONE_ROOD, "rightKind": "flying"}, 422, "rightKind"),
    ({"plate": PLATE, "lon": "oost", "lat": 51.05}, 422, "lon"),
])
def test_bad_questions_get_a_problem_naming_the_field(client_as: Clients, params: dict,
                                                      status: int, field: str) -> None:
    params.setdefault("country", "BE")
    response = client_as("enforcement").get("/check", params=params)
    assert response.status_code == status
    assert field in problem_fields(response)
    assert "1ABC123" not in response.text and PLATE not in response.text


def test_the_get_documents_and_accepts_the_fields_of_the_post(client_as: Clients, app) -> None:
    documented = {p["name"]: p for p in app.openapi()["paths"]["/check"]["get"]["parameters"]}
    post = app.openapi()["paths"]["/check"]["post"]["requestBody"]["content"]
    body = post["application/json"]["schema"]["properties"]
    assert set(documented) == set(body)
    assert documented["plate"]["required"] and not documented["at"]["required"]
    assert documented["zone"]["schema"] == {"type": "array", "items": {"type": "string"}}

    two_zones = client_as("enforcement").get("/check", params={
        "plate": PLATE, "country": "BE", "zone": [ZONE_ROOD, ZONE_KOUTER], "at": MONDAY_10,
        "utm_source": "ignored, like any parameter the question does not name"})
    assert two_zones.status_code == 200, two_zones.text
    assert [z["id"] for z in two_zones.json()["zones"]] == [ZONE_ROOD, ZONE_KOUTER]


def test_an_unknown_zone_is_not_found(client_as: Clients) -> None:
    response = check(client_as("enforcement"), plate=PLATE, zone=ID + "zone/nergens")
    assert response.status_code == 404


def test_plates_are_masked_in_access_log_lines() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5000", "GET",
                               "/check?plate=1ABC123&country=BE&zone=x", "1.1", 200), None)
    PlateRedactingFilter().filter(record)
    assert "1ABC123" not in record.getMessage()
    assert "plate=***&country=BE" in record.getMessage()
    assert redact_plate("/check?zone=z&PLATE=1AB") == "/check?zone=z&PLATE=***"


@pytest.mark.parametrize("name", ["pl%61te", "%70%6C%61%74%65", "PL%41TE", "plate", "Plate",
                                  "pl%61te%20", "credential_id", "cred%65ntial_id",
                                  "CREDENTIAL%5FID", "credential%5fid", "Credential_Id"])
@pytest.mark.parametrize("path", ["/rights", "/check", "/zones", "/anything",
                                  "/apds/rights/assigned", "/apds/sessions"])
def test_the_mask_reads_the_query_as_the_server_does(name: str, path: str) -> None:
    """Percent-encoding the name does not bypass the mask (issue 18, item 3), on any route, for
    the native API's ``plate`` and APDS's ``credential_id`` alike: one mask reads both."""
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5000", "GET",
                               f"{path}?country=BE&{name}=1ABC123", "1.1", 200), None)
    PlateRedactingFilter().filter(record)
    assert "1ABC123" not in record.getMessage()
    assert "country=BE" in record.getMessage()


def test_the_access_logger_masks_apds_credentials_with_the_apps_own_filter(app) -> None:
    """The app installs the one mask on uvicorn's access logger; no channel brings its own."""
    logger = logging.getLogger("uvicorn.access")
    masks = [f for f in logger.filters if isinstance(f, PlateRedactingFilter)]
    assert len(masks) == 1 and len(logger.filters) == 1
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5000", "GET",
                               "/apds/rights/assigned?cred%65ntial_id=1ABC123", "1.1", 200),
                               None)
    assert all(f.filter(record) for f in logger.filters)
    assert "1ABC123" not in record.getMessage()


# --- the trial price -------------------------------------------------------------------------


def price(client: TestClient, **params: Any) -> Any:
    params.setdefault("zone", ZONE_ROOD)
    return client.get("/price", params=params)


def test_price_with_breakdown_per_day_and_step(client_as: Clients) -> None:
    response = price(client_as("provider"), start="2026-03-02T17:00:00+01:00", duration="PT17H")
    assert response.status_code == 200
    body = response.json()
    # 2026 tariff: 0.50 per 15 min in the first paid hour, then 1.00 per 15 min. Monday 17-18 is
    # the first paid hour (2.00); the night is free; Tuesday 09-10 is the second paid hour (4.00).
    assert body["price"] == {"value": "6.00", "currency": "EUR", "vatAmount": None}
    assert [(d["date"], d["amount"]) for d in body["days"]] == [
        ("2026-03-02", "2.00"), ("2026-03-03", "4.00")]
    assert [(s["step"], s["steps"], s["amount"]) for s in body["days"][1]["steps"]] == [
        (1, 4, "4.00")]
    assert body["freePeriods"] == [{"startTime": "2026-03-02T18:00:00+01:00",
                                    "endTime": "2026-03-03T09:00:00+01:00",
                                    "reason": "outsideHours"}]
    assert (body["regimeVersion"], body["paidMinutes"], body["durationMinutes"]) == (2, 120, 1020)


def test_price_day_maximum_and_maximum_duration(client_as: Clients) -> None:
    body = price(client_as("enforcement"), start="2026-03-02T09:00:00+01:00",
                 end="2026-03-02T18:00:00+01:00").json()
    (day,) = body["days"]
    assert (day["capped"], day["dayMaximum"], day["amount"]) == (True, "12.00", "12.00")
    assert body["exceedsMaximumDuration"] is True and body["maximumDuration"] == 240


def test_price_uses_the_version_in_force_at_the_start(client_as: Clients) -> None:
    in_2025 = price(client_as("provider"), start="2025-06-02T10:00:00+02:00", duration="60")
    assert (in_2025.json()["regimeVersion"], in_2025.json()["price"]["value"]) == (1, "1.60")
    across = price(client_as("provider"), start="2025-12-31T17:00:00+01:00", duration="PT24H")
    assert across.json()["regimeVersion"] == 1
    assert across.json()["laterVersions"] == [ID + "regime/gent-rood-betalend/2"]


def test_prices_are_open_to_any_authenticated_organisation_only(client_as: Clients) -> None:
    assert price(client_as("provider-limited"), start=MONDAY_10, duration="30").status_code == 200
    assert price(client_as("anonymous"), start=MONDAY_10, duration="30").status_code == 401


@pytest.mark.parametrize(("params", "status", "field"), [
    ({"start": MONDAY_10}, 422, "duration"),
    ({"start": MONDAY_10, "duration": "30", "end": "2026-03-02T11:00:00+01:00"}, 422,
     "duration"),
    ({"start": MONDAY_10, "duration": "two hours"}, 422, "duration"),
    ({"start": MONDAY_10, "duration": "P1M"}, 422, "duration"),
    ({"start": MONDAY_10, "duration": "0"}, 422, "duration"),
    ({"start": MONDAY_10, "end": "2026-03-02T09:00:00+01:00"}, 422, "end"),
    ({"start": "2026-03-02 10:00", "duration": "30"}, 422, "start"),
    ({"start": "2024-03-02T10:00:00+01:00", "duration": "30"}, 404, "start"),
    ({"zone": ZONE_KOUTER, "start": MONDAY_10, "duration": "30"}, 404, "start"),
])
def test_bad_price_questions_name_the_field(client_as: Clients, params: dict, status: int,
                                            field: str) -> None:
    response = price(client_as("provider"), **params)
    assert response.status_code == status, response.text
    assert field in problem_fields(response)


def test_price_of_an_unknown_zone_is_not_found(client_as: Clients) -> None:
    response = price(client_as("provider"), zone=ID + "zone/nergens", start=MONDAY_10,
                     duration="30")
    assert response.status_code == 404
