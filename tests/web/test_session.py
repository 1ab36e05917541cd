"""The web app's session: login as a demo user on a demo store only, a new session id at login,
HttpOnly/SameSite cookies scoped to /beheer, CSRF on every form, logout, Dutch first and English
switchable, and nothing of another tenant visible or reachable. Fast: no browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from vptr.app import create_app
from vptr.auth.principal import Principal
from vptr.paging import Page
from vptr.services import administration, permits, regimes, tenants, whitelists, zones
from vptr.services.demo import GENT
from vptr.services.runtime import Caller
from vptr.settings import Settings
from vptr.store.db import sqlite_url
from vptr.times import now

from .conftest import StaffClient


def test_every_page_asks_for_a_login_first(staff_client):
    client = staff_client(None)
    for path in ("/beheer/", "/beheer/zones", "/beheer/witte-lijsten", "/beheer/rapporten"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/beheer/login?next={path}"


def test_login_gives_a_new_http_only_same_site_session(staff_client):
    client = staff_client(None)
    page = client.get("/beheer/login")
    before = client.cookies.get("vptr_beheer")
    assert "an.beheerder" in page.text  # the demo users are documented on a demo store
    client.refresh_csrf(page.text)
    answer = client.post_form("/beheer/login", {"login": "an.beheerder",
                                                "password": "demo-beheer",
                                                "next": "/beheer/zones"},
                              follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/beheer/zones"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/beheer" in cookie
    assert client.cookies.get("vptr_beheer") != before  # no session fixation
    home = client.get("/beheer/")
    assert "An Beheerder" in home.text and "Stad Gent" in home.text
    assert "default-src 'self'" in home.headers["content-security-policy"]


def test_a_wrong_password_or_a_foreign_redirect_gets_nowhere(staff_client):
    client = staff_client(None)
    client.refresh_csrf(client.get("/beheer/login").text)
    answer = client.post_form("/beheer/login", {"login": "an.beheerder", "password": "nope"})
    assert "verkeerd wachtwoord" in answer.text and not answer.cookies.get("vptr_beheer")
    answer = client.post_form("/beheer/login", {"login": "an.beheerder",
                                                "password": "demo-beheer",
                                                "next": "https://evil.example/"},
                              follow_redirects=False)
    assert answer.headers["location"] == "/beheer/"


def test_a_form_without_the_sessions_csrf_token_changes_nothing(staff_client):
    client = staff_client()
    answer = client.post("/beheer/zones/nieuw", data={
        "csrf": "forged", "name": "Vervalst", "zoneKind": "paidParking",
        "outline": "POLYGON ((3.7 51.0, 3.71 51.0, 3.71 51.01, 3.7 51.0))"})
    assert answer.status_code == 403
    assert "Vervalst" not in client.get("/beheer/zones").text
    # A login form needs the token too.
    other = staff_client(None)
    other.get("/beheer/login")
    assert other.post("/beheer/login", data={"login": "an.beheerder",
                                             "password": "demo-beheer"}).status_code == 403


def test_logout_ends_the_session(staff_client):
    client = staff_client()
    old = client.cookies.get("vptr_beheer")
    answer = client.post_form("/beheer/logout", follow_redirects=False)
    assert answer.headers["location"] == "/beheer/login"
    again = StaffClient(client.app, cookies={"vptr_beheer": old})
    assert again.get("/beheer/", follow_redirects=False).status_code == 303


def test_dutch_first_english_switchable(staff_client):
    client = staff_client()
    assert "Witte lijsten" in client.get("/beheer/").text
    client.get("/beheer/taal/en?next=/beheer/")
    page = client.get("/beheer/")
    assert "Whitelists" in page.text and '<html lang="en">' in page.text


def test_a_store_that_is_no_demo_has_no_demo_users(tmp_path):
    settings = Settings(database_url=sqlite_url(tmp_path / "s.sqlite"))
    with TestClient(create_app(settings)) as client:
        page = client.get("/beheer/login")
        assert "an.beheerder" not in page.text and "identiteitsprovider" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is None  # no form to post to


def test_staff_of_an_organisation_that_manages_no_area_manage_nothing(staff_client):
    client = staff_client("sam.scanmobiel")
    assert "beheert geen gebied" in client.get("/beheer/").text
    assert client.get("/beheer/witte-lijsten").status_code == 403


@pytest.fixture(scope="module")
def antwerp(web_app):
    """Another tenant's zone, regime, whitelist (with an entry) and permit."""
    runtime = web_app.state.runtime
    tenant = tenants.create(runtime, "Stad Antwerpen (web)")
    caller = Caller(Principal(tenant.organisation, "Stad Antwerpen",
                              frozenset({"areaManager"})), "test")
    zone = zones.create(runtime, caller, {
        "name": "Antwerpen Centrum (geheim)", "zoneKind": "paidParking",
        "geometry": {"asWKT": "POLYGON ((4.40 51.21, 4.41 51.21, 4.41 51.22, 4.40 51.21))"}})
    regime = regimes.create(runtime, caller, {
        "name": "Antwerps regime", "rightKind": "parking", "usage": "paidParking",
        "zones": [zone["id"]]})
    whitelist = whitelists.create(runtime, caller, {
        "name": "Antwerpse lijst", "whitelistReason": "municipalFleet", "zones": [zone["id"]],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
        "entries": [{"vehicle": {"licencePlate": {"plateNumber": "1ANT001",
                                                  "country": "BE"}}}]})
    permit = permits.create(runtime, caller, {
        "permitType": "resident", "holderReference": "antwerpen-bewoner-1",
        "permitStatus": "active", "zones": [zone["id"]],
        "vehicles": [{"licencePlate": {"plateNumber": "1ANT002", "country": "BE"}}],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}})
    return {"zone": zone, "regime": regime, "whitelist": whitelist, "permit": permit}


@pytest.fixture
def antwerp_zone(antwerp):
    return antwerp["zone"]


def test_another_tenants_regime_whitelist_and_permit_are_not_found(staff_client, antwerp):
    client = staff_client()
    regime = antwerp["regime"].get("isVersionOf") or antwerp["regime"]["id"]
    for path in (f"/beheer/regimes/{ref(regime)}",
                 f"/beheer/regimes/{ref(regime)}/nieuwe-versie",
                 f"/beheer/witte-lijsten/{ref(antwerp['whitelist']['id'])}",
                 f"/beheer/witte-lijsten/{ref(antwerp['whitelist']['id'])}/export.csv",
                 f"/beheer/vergunningen/{ref(antwerp['permit']['id'])}"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "1ANT00" not in answer.text and "Antwerp" not in answer.text
    for path in ("/beheer/regimes", "/beheer/witte-lijsten", "/beheer/vergunningen"):
        assert "Antwerp" not in client.get(path).text
    found = client.post_form("/beheer/rechten", {"plate": "1ANT002", "country": "BE"})
    assert "1 gevonden" not in found.text
    assert client.post_form(
        f"/beheer/witte-lijsten/{ref(antwerp['whitelist']['id'])}/platen",
        {"plate": "1GNT999"}).status_code == 404
    assert client.post_form(
        f"/beheer/vergunningen/{ref(antwerp['permit']['id'])}/beeindigen").status_code == 404


def ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def test_nothing_another_tenant_owns_is_visible_or_reachable(staff_client, antwerp_zone):
    client = staff_client()
    ref = antwerp_zone["id"].rsplit("/", 1)[-1]
    assert "Antwerpen" not in client.get("/beheer/zones").text
    assert "Antwerpen" not in client.get("/beheer/zones/kaart.json").text
    assert client.get("/beheer/zones/op-punt.json?lon=4.405&lat=51.212").json() == []
    assert client.get(f"/beheer/zones/{ref}").status_code == 404
    answer = client.post_form(f"/beheer/zones/{ref}", {
        "name": "overgenomen", "zoneKind": "paidParking",
        "outline": "POLYGON ((4.40 51.21, 4.41 51.21, 4.41 51.22, 4.40 51.21))"})
    assert answer.status_code == 404
    assert client.post_form(f"/beheer/zones/{ref}/verwijderen").status_code == 404


def test_what_staff_change_is_audited_under_their_name(staff_client, web_app):
    client = staff_client()
    start = now()
    whitelist = client.post_form("/beheer/witte-lijsten/nieuw", {
        "name": "Audit test", "reason": "municipalFleet", "zones": "gent-autoluwe-kern",
        "validFrom": "2026-01-01"}, follow_redirects=False)
    assert whitelist.status_code == 303, whitelist.text
    client.post_form(whitelist.headers["location"].split("?")[0] + "/platen", {
        "plate": "1WEB001", "country": "BE", "description": "Stadswagen"})
    runtime = web_app.state.runtime
    gent = Caller(Principal(GENT, "Stad Gent", frozenset({"areaManager"})), "test")
    entries, _ = administration.audit_entries(runtime, gent, start, now() + timedelta(minutes=1),
                                              Page(1, 50))
    created = [e for e in entries if e.resource_kind == "whitelist-entry" and e.action == "create"]
    assert created and created[0].person == "An Beheerder (an.beheerder)"
    assert created[0].operation == "web:whitelists.addEntry"


def test_a_plate_search_is_audited_under_the_persons_name_by_pseudonym(staff_client, web_app):
    client = staff_client()
    start = now()
    answer = client.post_form("/beheer/rechten", {"plate": "1ABC123", "country": "BE"})
    assert answer.status_code == 200 and "1ABC123" not in str(answer.url)
    runtime = web_app.state.runtime
    gent = Caller(Principal(GENT, "Stad Gent", frozenset({"areaManager"})), "test")
    entries, _ = administration.audit_entries(runtime, gent, start, now() + timedelta(minutes=1),
                                              Page(1, 50), plate=("1ABC123", "BE"))
    searches = [e for e in entries if e.action == "search"]
    assert searches and searches[0].person == "An Beheerder (an.beheerder)"
    assert all("1ABC123" not in str(e.as_json()) for e in entries)


def test_errors_stand_next_to_their_field_in_the_persons_language(staff_client):
    client = staff_client()
    form = {"name": "", "zoneKind": "paidParking",
            "outline": "POLYGON ((3.7 51.0, 3.71 51.0, 3.71 51.01, 3.7 51.0))"}
    dutch = client.post_form("/beheer/zones/nieuw", form).text
    assert re.search(r'id="name-error">[^<]*verplicht, maar ontbreekt', dutch)
    assert 'aria-invalid="true"' in dutch
    client.get("/beheer/taal/en?next=/beheer/")
    english = client.post_form("/beheer/zones/nieuw", form).text
    assert re.search(r'id="name-error">[^<]*required, but missing', english)
    assert "The form has errors" in english
