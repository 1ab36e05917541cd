"""Regimes change by versions: history is kept and any past moment can be asked about."""

from __future__ import annotations

from vptr.services.demo import ID, ZONE_ZUID

ROOD = ID + "regime/gent-rood-betalend"


def test_the_newest_version_answers_by_default_and_the_one_in_force_at_a_moment(client_as):
    manager = client_as("area-manager")

    newest = manager.get("/regimes/gent-rood-betalend").json()
    in_2025 = manager.get("/regimes/gent-rood-betalend", params={"at": "2025-06-02T10:00:00+02:00"}
                          ).json()

    assert (newest["version"], newest["id"]) == (2, ROOD + "/2")
    assert newest["tariff"]["dayMaximum"] == "12.00"
    assert (in_2025["version"], in_2025["isVersionOf"]) == (1, ROOD)
    assert in_2025["tariff"]["dayMaximum"] == "10.00"


def test_the_history_lists_every_version_each_closed_where_the_next_starts(client_as):
    versions = client_as("area-manager").get("/regimes/gent-rood-betalend/versions").json()

    first, second = versions["@graph"]
    assert [first["version"], second["version"]] == [1, 2]
    assert first["validityPeriod"]["endTime"] == "2025-12-31T23:00:00Z"
    assert second["validityPeriod"]["startTime"] == "2026-01-01T00:00:00+01:00"
    assert "endTime" not in second["validityPeriod"]


def test_a_change_makes_the_next_version_and_closes_the_current_one(client_as):
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change["tariff"]["dayMaximum"] = "9.00"
    change["validityPeriod"] = {"startTime": "2027-01-01T00:00:00+01:00"}
    change.pop("version")

    response = manager.put("/regimes/gent-zuid-betalend", json=change)

    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.headers["content-location"] == "/regimes/gent-zuid-betalend/versions/2"
    old = manager.get("/regimes/gent-zuid-betalend/versions/1").json()
    assert old["validityPeriod"]["endTime"] == "2026-12-31T23:00:00Z"
    assert old["tariff"]["dayMaximum"] == "8.00"
    now = manager.get("/regimes/gent-zuid-betalend", params={"at": "2026-06-01T12:00:00Z"})
    assert now.json()["version"] == 1


def test_a_change_naming_a_stale_version_is_a_conflict(client_as):
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change["validityPeriod"] = {"startTime": "2027-01-01T00:00:00+01:00"}
    change["version"] = 1  # the client edited version 1 and believes it makes version 1 again

    response = manager.put("/regimes/gent-zuid-betalend", json=change)

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "version"


def test_a_new_version_cannot_start_before_the_current_one(client_as):
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change.pop("version")
    change["validityPeriod"] = {"startTime": "2024-01-01T00:00:00+01:00"}

    response = manager.put("/regimes/gent-zuid-betalend", json=change)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "validityPeriod.startTime"


def test_a_regime_is_created_as_version_1(client_as):
    body = {"name": "Blauwe zone Zuid", "rightKind": "parking", "usage": "blueZoneParking",
            "zones": [ZONE_ZUID], "maximumDuration": 120,
            "validityPeriod": {"startTime": "2026-03-01T00:00:00+01:00"}}

    created = client_as("area-manager").post("/regimes", json=body)

    assert created.status_code == 201, created.text
    regime = created.json()
    assert regime["version"] == 1
    assert regime["id"] == regime["isVersionOf"] + "/1"
    assert created.headers["location"] == "/regimes/" + regime["isVersionOf"].rsplit("/", 1)[1]


def test_a_regime_for_another_tenants_zone_is_refused(client_as, antwerpen):
    body = {"name": "Gekaapt", "rightKind": "parking", "usage": "paidParking",
            "zones": [ZONE_ZUID], "validityPeriod": {"startTime": "2026-03-01T00:00:00+01:00"}}

    response = antwerpen.client.post("/regimes", json=body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "zones"


def test_history_is_kept_so_regimes_are_never_deleted(client_as):
    response = client_as("area-manager").delete("/regimes/gent-rood-betalend")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


def test_regimes_are_listed_per_zone_and_moment(client_as):
    manager = client_as("area-manager")
    in_zuid = manager.get("/regimes", params={"zone": "gent-zuid"}).json()
    all_2025 = manager.get("/regimes", params={"at": "2025-03-01T12:00:00Z"}).json()

    assert [r["isVersionOf"] for r in in_zuid["@graph"]] == [ID + "regime/gent-zuid-betalend"]
    rood_2025 = [r for r in all_2025["@graph"] if r["isVersionOf"] == ROOD]
    assert [r["version"] for r in rood_2025] == [1]
    assert all_2025["total"] == 4


def test_providers_read_the_configuration_of_the_tenants_that_authorised_them(client_as,
                                                                               antwerpen):
    assert client_as("provider-limited").get("/regimes").json()["total"] == 4
    assert antwerpen.client.get("/regimes").json()["total"] == 0
    assert antwerpen.client.get("/regimes/gent-rood-betalend").status_code == 404
