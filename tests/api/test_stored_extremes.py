"""Nothing stored makes a read fail (issue 18, item 1: "the check and the price never raise on
anything stored").

The register now refuses a right ending after 2999 and a grace period over 99 minutes, but a store
may hold them from before: older data, an import, a hand-made fix. These specifications write such
rows straight into the store's tables, as older data would be, and then ask every channel that
reads them: the native check (GET and POST, by zone and at a point) and trial price, the right
itself and the rights list, APDS's assigned rights (the listing enforcement searches, and the one
right), NPR's CheckPSRight and area information (JSON), and the open data of the regime (its
resource, the dumps, the NPR open-data export). Each answers, on both stores.

What the reads give back is decided here too: an instant beyond what a local time can be written
in (the last microsecond of 9999 in Brussels is in the year 10000) is written in UTC; a grace
period beyond the model's bound is read at the bound (99 minutes, NPR's two digits).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from vptr.app import create_app
from vptr.services.demo import ID, PLATE_APP_RIGHT, POINT_KOUTER, ZONE_ROOD
from vptr.store import tables
from vptr.store.database import Store

Clients = Callable[[str], TestClient]

PLATE = PLATE_APP_RIGHT[1]  # the demo's app right in the red zone
REGIME = ID + "regime/gent-rood-betalend"
#: The last instant Python can hold: what a right "without end" was sometimes stored as.
END_OF_CALENDAR = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
HUGE_GRACE = 2**70
#: A moment inside the right (it runs from 30 minutes before the demo was loaded).
NOW = lambda: datetime.now(UTC).replace(microsecond=0)  # noqa: E731


def _stored_right_without_end(store: Store) -> str:
    """The demo's app right, made to end at the end of the calendar, in its row and document."""
    with store.transaction() as connection:
        row = connection.execute(
            sa.select(tables.rights.c.id, tables.rights.c.document)
            .where(tables.rights.c.zone_id == ZONE_ROOD)).one()
        document = dict(row.document)
        document["validityPeriod"] = {**document["validityPeriod"],
                                      "endTime": "9999-12-31T23:59:59.999999Z"}
        connection.execute(tables.rights.update().where(tables.rights.c.id == row.id)
                           .values(end_time=END_OF_CALENDAR, document=document))
    return row.id


def _stored_huge_grace(store: Store) -> None:
    """Every version of the red zone's regime with grace periods of 2^70 minutes."""
    with store.transaction() as connection:
        versions = connection.execute(
            sa.select(tables.regime_versions.c.id, tables.regime_versions.c.document)
            .where(tables.regime_versions.c.regime_id == REGIME)).all()
        assert versions
        for version in versions:
            document = {**version.document, "gracePeriod": HUGE_GRACE,
                        "gracePeriodBefore": HUGE_GRACE}
            connection.execute(tables.regime_versions.update()
                               .where(tables.regime_versions.c.id == version.id)
                               .values(document=document))


@pytest.fixture
def extremes(store: Store) -> str:
    """The demo with both: the right without end, the regime with huge grace periods."""
    _stored_huge_grace(store)
    return _stored_right_without_end(store)


def _ok(response) -> None:
    assert response.status_code == 200, response.text[:500]


# --- the check -------------------------------------------------------------------------------

@pytest.mark.parametrize("stored", ["right without end", "huge grace", "both"])
def test_the_check_answers_on_what_is_stored(store: Store, client_as: Clients,
                                             stored: str) -> None:
    if stored != "huge grace":
        _stored_right_without_end(store)
    if stored != "right without end":
        _stored_huge_grace(store)
    enforcement = client_as("enforcement")
    question = {"plate": PLATE, "country": "BE", "zone": "gent-rood"}
    for response in (enforcement.get("/check", params=question),
                     enforcement.post("/check", json=question)):
        _ok(response)
        answer = response.json()
        assert answer["allowed"] is True
        (grant,) = [g for g in answer["grants"] if g["kind"] == "right"]
        if stored != "huge grace":
            # the last microsecond of 9999 is in 10000 in Brussels: written in UTC instead
            assert grant["endTime"] == "9999-12-31T23:59:59+00:00"
        if stored != "right without end":
            assert answer["gracePeriod"] == 99 and answer["gracePeriodBefore"] == 99


def test_the_check_of_another_plate_and_at_a_point_answers(extremes: str,
                                                           client_as: Clients) -> None:
    enforcement = client_as("enforcement")
    _ok(enforcement.get("/check", params={"plate": "1ZZZ999", "country": "BE",
                                          "zone": "gent-rood"}))
    lon, lat = POINT_KOUTER
    at_point = enforcement.get("/check", params={"plate": PLATE, "country": "BE",
                                                 "lon": lon, "lat": lat})
    _ok(at_point)
    assert at_point.json()["allowed"] is True


def test_a_check_late_in_the_years_handled_still_finds_the_right(extremes: str,
                                                                 client_as: Clients) -> None:
    response = client_as("enforcement").get("/check", params={
        "plate": PLATE, "country": "BE", "zone": "gent-rood", "at": "2999-12-31T23:59:59-12:00"})
    _ok(response)
    assert "right" in [g["kind"] for g in response.json()["grants"]]


# --- the price and the right ------------------------------------------------------------------

def test_the_price_answers_with_the_grace_stored(extremes: str, client_as: Clients) -> None:
    provider = client_as("provider")
    for start in ("2026-12-08T10:00:00+01:00", "2999-12-31T23:00:00-12:00"):
        _ok(provider.get("/price", params={"zone": "gent-rood", "start": start,
                                           "duration": "60"}))


def test_the_right_and_the_rights_list_answer(extremes: str, client_as: Clients) -> None:
    provider = client_as("provider")
    right = provider.get(f"/rights/{extremes.rsplit('/', 1)[1]}")
    _ok(right)
    assert right.json()["validityPeriod"]["endTime"].startswith("9999-12-31T23:59:59")
    listed = provider.get("/rights", params={"plate": PLATE, "country": "BE"})
    _ok(listed)
    assert [r["id"] for r in listed.json()["@graph"]] == [extremes]


# --- APDS --------------------------------------------------------------------------------------

def test_the_apds_listing_and_the_assigned_right_answer(extremes: str,
                                                         client_as: Clients) -> None:
    enforcement, provider = client_as("enforcement"), client_as("provider")
    reference = extremes.rsplit("/", 1)[1]
    for client in (enforcement, provider):
        listing = client.get("/apds/rights/assigned")
        _ok(listing)
        assert reference in [r["id"] for r in listing.json()["data"]]
        found = client.get("/apds/rights/assigned", params={"credential_id": PLATE})
        _ok(found)
        assert [r["id"] for r in found.json()["data"]] == [reference]
    ending_late = enforcement.get("/apds/rights/assigned", params={
        "credential_id": PLATE, "end_after": "32503680000"})  # 3000-01-01
    _ok(ending_late)
    assert [r["id"] for r in ending_late.json()["data"]] == [reference]
    _ok(provider.get(f"/apds/rights/assigned/{reference}"))


# --- NPR ---------------------------------------------------------------------------------------

def test_npr_checks_and_describes_the_area(extremes: str, npr_json: Callable) -> None:
    status, data = npr_json("enforcement", "CheckPSRight", {
        "UsageId": "BETAALDP", "VehicleId": PLATE, "CountryCodeVehicle": "B",
        "AreaManagerId": 4402, "AreaId": "4402_ROOD", "ExtraInfoIndicator": "N",
        "CheckTime": NOW().isoformat().replace("+00:00", "Z")})
    assert status == 200 and data["CheckAnswer"] == "Y", data
    (right,) = data["PSRightCheckPSRightList"]["PSRightCheckPSRightData"]
    assert right["GracePeriodAfter"] == 99 and right["GracePeriodBefore"] == 99
    status, data = npr_json("provider", "RetrieveAreasByLocation", {"AreaManagerId": "4402"})
    assert status == 200, data
    (rood,) = [a for a in data["AreaTable"]["AreaData"] if a["AreaId"] == "4402_ROOD"]
    assert rood["GracePeriodAfter"] == 99


@pytest.fixture
def npr_json(client_as: Clients) -> Callable:
    from vptr.npr.operations import operations

    def call(role: str, operation: str, data: dict) -> tuple[int, dict]:
        op = operations()[operation]
        response = client_as(role).post(f"/npr/{operation}", json={op.request_data: data})
        assert response.status_code < 500, response.text[:500]
        body = response.json()[op.response]
        return response.status_code, body.get(op.response_data) or body[op.response_error]

    return call


# --- open data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", ["application/ld+json", "text/turtle",
                                    "application/n-triples", "text/html"])
def test_the_regimes_open_data_answers(extremes: str, client_as: Clients, accept: str) -> None:
    public = client_as("anonymous")
    for path in ("/id/regime/gent-rood-betalend/2", "/id/regime/gent-rood-betalend",
                 "/id/zone/gent-rood"):
        _ok(public.get(path, headers={"Accept": accept}))


def test_the_dumps_and_the_npr_export_answer(extremes: str, client_as: Clients) -> None:
    public = client_as("anonymous")
    for name in ("register.nt", "register.ttl", "register.jsonld", "stad-gent.geojson"):
        _ok(public.get(f"/dumps/{name}"))
    exported = client_as("area-manager").get("/npr/open-data")
    _ok(exported)
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert archive.namelist()


# --- the management screens --------------------------------------------------------------------

def test_the_rights_screen_shows_the_right(store: Store, extremes: str) -> None:
    """The web's right page writes its times in Brussels time: the end in UTC instead."""
    app = create_app(store.settings.model_copy(update={"demo": True}), store)
    try:
        with TestClient(app) as staff:
            login = staff.get("/beheer/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
            staff.post("/beheer/login", data={"csrf": csrf, "login": "an.beheerder",
                                              "password": "demo-beheer", "next": "/beheer/"})
            page = staff.get(f"/beheer/rechten/{extremes.rsplit('/', 1)[1]}")
            assert page.status_code == 200, page.text[:300]
            assert "9999-12-31 23:59" in page.text
    finally:
        app.state.runtime.close()
