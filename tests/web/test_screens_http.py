"""Each screen's forms over HTTP (no browser): what they store goes through the use cases, a
refusal shows next to its field, nothing of a plate appears in a URL the app makes, and what the
register refuses stays refused."""

from __future__ import annotations

import re
import uuid

from vptr.services.demo import PLATE_APP_RIGHT


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6]}"


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'class="field-error" id="([^"]+)-error">([^<]*)<', html))


REGIME = {"usage": "paidParking", "rightKind": "parking", "zones": ["gent-zuid"],
          "slot0_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
          "slot0_opens": "09:00", "slot0_closes": "18:00",
          "step0_from": "0", "step0_to": "60", "step0_amount": "1.00", "step0_size": "60",
          "step1_from": "60", "step1_amount": "2.00", "step1_size": "60",
          "dayMaximum": "9.00", "maximumDuration": "240",
          "exemptDays": "2026-09-12 Braderie", "holidaysFree": "on"}


def test_a_regime_is_created_versioned_and_priced(staff_client):
    client = staff_client()
    name = unique("Betalend Zuid")
    # Christmas is a public holiday, already free with the box ticked: the date would say nothing.
    redundant = client.post_form("/beheer/regimes/nieuw", {
        **REGIME, "name": name, "exemptDays": "2026-07-20 Gentse Feesten\n2026-12-25 Kerstmis"})
    assert "Christmas Day is a Belgian public holiday" in field_errors(redundant.text)["exemptDays"]
    refused = client.post_form("/beheer/regimes/nieuw", {**REGIME, "name": name,
                                                         "step0_amount": "veel"})
    # Nested deep in the regime (timeSlots[0].tariff.tariffSteps[0].amount), refused by the
    # application profile, and said in Dutch in the Dutch screen.
    assert "moet een bedrag met hoogstens twee decimalen (2.50) zijn" in \
        field_errors(refused.text)["tariffSteps"]
    made = client.post_form("/beheer/regimes/nieuw", {**REGIME, "name": name,
                                                      "validFrom": "2026-01-01T00:00",
                                                      "grants": ["gent-bewoners-kouter"],
                                                      "excludes": ["gent-zuid-betalend"]},
                            follow_redirects=False)
    assert made.status_code == 303, field_errors(made.text)
    regime = made.headers["location"].split("?")[0]
    page = client.get(regime).text
    assert name in page and "Braderie" in page
    assert "/beheer/regimes/gent-bewoners-kouter" in page  # linked: also grants
    assert "/beheer/regimes/gent-zuid-betalend" in page  # linked: excludes
    # A trial price: Monday 2 March 2026, 10:00, for 150 minutes: 1.00 + 2 x 2.00.
    priced = client.get(f"{regime}?zone=gent-zuid&start=2026-03-02T10:00&minutes=150").text
    assert "EUR 5.00" in priced
    # A new version from 1 July 2026, dearer; the history shows both.
    version = client.post_form(f"{regime}/nieuwe-versie", {
        **REGIME, "name": name, "step0_amount": "1.50", "validFrom": "2026-07-01T00:00"},
        follow_redirects=False)
    assert version.status_code == 303, field_errors(version.text)
    history = client.get(regime).text
    versions = re.findall(r'<tr><td class="num">(\d+)</td>', history.split('id="versions"')[1])
    assert versions == ["2", "1"]
    assert "EUR 5.50" in client.get(
        f"{regime}?zone=gent-zuid&start=2026-07-06T10:00&minutes=150").text
    assert "EUR 5.00" in client.get(
        f"{regime}?zone=gent-zuid&start=2026-03-02T10:00&minutes=150").text


def test_rights_are_searched_by_plate_in_a_post_and_ended_or_revoked(staff_client):
    client = staff_client()
    country, plate = PLATE_APP_RIGHT
    found = client.post_form("/beheer/rechten", {"plate": plate.lower(), "country": country})
    links = re.findall(r'href="(/beheer/rechten/[^"]+)"', found.text)
    assert links and all(plate not in link for link in links)
    detail = client.get(links[0]).text
    assert plate in detail and "actief" in detail
    ended = client.post_form(links[0] + "/beeindigen")
    assert "Het recht is beëindigd." in ended.text
    assert "web:rights.end" in ended.text and "An Beheerder" in ended.text  # the history
    assert "ParkPlus NV" in detail
    by_zone = client.post_form("/beheer/rechten", {"zone": "gent-zuid",
                                                   "from": "2020-01-01T00:00"})
    assert "gevonden" in by_zone.text
    nothing = client.post_form("/beheer/rechten", {})
    assert "nummerplaat" in field_errors(nothing.text)["plate"]


def test_a_plate_is_searched_as_typed_and_a_country_outside_iso_3166_is_refused(staff_client):
    client = staff_client()
    country, plate = PLATE_APP_RIGHT
    typed = ".".join([plate[0], plate[1:4], plate[4:]]).lower()  # 1.abc.123
    found = client.post_form("/beheer/rechten", {"plate": typed, "country": country.lower()})
    assert re.findall(r'href="(/beheer/rechten/[^"]+)"', found.text), found.text
    refused = client.post_form("/beheer/rechten", {"plate": typed, "country": "ZZ"})
    assert "ISO 3166-1" in field_errors(refused.text)["country"]
    assert not re.findall(r'href="(/beheer/rechten/[^"]+)"', refused.text)


def test_a_permit_is_created_changed_and_ended(staff_client):
    client = staff_client()
    holder = f"bewoner-{uuid.uuid4().hex[:10]}"
    made = client.post_form("/beheer/vergunningen/nieuw", {
        "permitType": "visitor", "permitStatus": "active", "holderReference": holder,
        "plates": "BE 1VIS001\n2VIS002", "zones": ["gent-bewonerszone-kouter"],
        "validFrom": "2026-01-01T00:00"}, follow_redirects=False)
    assert made.status_code == 303, field_errors(made.text)
    permit = made.headers["location"].split("?")[0]
    page = client.get(permit).text
    assert "1VIS001" in page and "2VIS002" in page
    ended = client.post_form(permit + "/beeindigen", follow_redirects=False)
    assert ended.status_code == 303
    assert 'name="validTo"' in client.get(permit).text
    refused = client.post_form("/beheer/vergunningen/nieuw", {
        "permitType": "visitor", "permitStatus": "active", "holderReference": "kort",
        "zones": ["gent-bewonerszone-kouter"], "validFrom": "2026-01-01T00:00"})
    assert "holderReference" in field_errors(refused.text)


def test_authorisations_and_a_providers_key_shown_once(staff_client):
    client = staff_client()
    given = client.post_form("/beheer/aanbieders/machtigingen", {
        "grantee": "scanmobiel", "scopes": ["readRights"], "authZones": ["gent-zuid"],
        "validFrom": "2026-01-01"}, follow_redirects=False)
    assert given.status_code == 303
    page = client.get("/beheer/aanbieders").text
    assert page.count("ScanMobiel Handhaving BV") >= 2
    name = unique("Nieuwe app")
    client.post_form("/beheer/aanbieders/nieuw", {"orgName": name, "orgRoles": ["provider"]})
    ref = re.search(rf'{re.escape(name)}.*?/beheer/aanbieders/([^/"]+)/sleutel',
                    client.get("/beheer/aanbieders").text, re.S).group(1)
    rotated = client.post_form(f"/beheer/aanbieders/{ref}/sleutel", {"graceHours": "0"})
    key = re.search(r'class="secret">([^<]+)<', rotated.text).group(1)
    assert key.startswith("vptr_")
    assert key not in client.get("/beheer/aanbieders").text  # shown once
    # Stad Gent's own keys are the operator's: no button, and a forged form is refused.
    assert "/beheer/aanbieders/stad-gent/sleutel" not in page
    assert client.post_form("/beheer/aanbieders/stad-gent/sleutel").status_code == 403


def test_a_permit_portal_is_authorised_for_permits_from_the_providers_screen(staff_client):
    client = staff_client()
    page = client.get("/beheer/aanbieders").text
    assert 'value="managePermits"' in page and 'value="manageWhitelists"' in page
    given = client.post_form("/beheer/aanbieders/machtigingen", {
        "grantee": "parkeerautomaten-vlaanderen", "scopes": ["managePermits"],
        "authZones": ["gent-bewonerszone-kouter"], "validFrom": "2026-01-01"},
        follow_redirects=False)
    assert given.status_code == 303
    rows = re.findall(r"<tr><td>Parkeerautomaten Vlaanderen BV</td><td>([^<]*)</td>",
                      client.get("/beheer/aanbieders").text)
    assert any("vergunningen beheren" in scopes for scopes in rows), rows


def test_the_provider_report_as_csv(staff_client):
    client = staff_client()
    answer = client.get("/beheer/rapporten/aanbieders.csv?from=2020-01-01")
    assert answer.headers["content-type"].startswith("text/csv")
    assert "ParkPlus NV" in answer.content.decode("utf-8-sig")
    page = client.get("/beheer/rapporten?from=2020-01-01").text
    assert "ParkPlus NV" in page and "<svg" in page
    refused = client.get("/beheer/rapporten?from=gisteren").text
    assert "from" in field_errors(refused)


def test_the_tenants_own_data_as_a_download(staff_client):
    client = staff_client()
    answer = client.get("/beheer/rapporten/export.csv")
    assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"]
    assert "gent-rood" in answer.text
    assert client.get("/beheer/rapporten/export.xml").status_code == 400


def test_a_whitelist_entry_is_removed(staff_client):
    client = staff_client()
    made = client.post_form("/beheer/witte-lijsten/nieuw", {
        "name": unique("Tijdelijk"), "reason": "event", "zones": ["gent-autoluwe-kern"],
        "validFrom": "2026-01-01"}, follow_redirects=False)
    whitelist = made.headers["location"].split("?")[0]
    client.post_form(whitelist + "/platen", {"plate": "1TMP001"})
    page = client.get(whitelist).text
    remove = re.search(r'action="([^"]+/schrappen)"', page).group(1)
    assert "1TMP001" not in remove
    client.post_form(remove)
    assert "1TMP001" not in client.get(whitelist).text


def test_a_csv_preview_is_stored_once_and_an_empty_file_is_refused(staff_client):
    client = staff_client()
    whitelist = "/beheer/witte-lijsten/gent-hulpdiensten"
    empty = client.post_form(whitelist + "/csv", files={"file": ("leeg.csv", b"", "text/csv")})
    assert "minstens één rij" in empty.text
    preview = client.post_form(whitelist + "/csv", files={
        "file": ("lijst.csv", b"1CSV001,BE,Eenmalig\n", "text/csv")})
    assert "Alle 1 rijen zijn in orde" in preview.text
    store = re.search(r'action="(/beheer/witte-lijsten/[^"]+/csv/[^"]+)"', preview.text).group(1)
    assert "1 nummerplaat/-platen toegevoegd" in client.post_form(store).text
    assert "verlopen" in client.post_form(store).text  # a second confirmation stores nothing
    assert client.get(whitelist).text.count("<td>1CSV001</td>") == 1


def test_an_unreadable_geojson_upload_is_named_at_the_file_field(staff_client):
    """Deep nesting and duplicate keys are refused next to the file, never a server error."""
    client = staff_client()
    client.get("/beheer/zones/import")
    for raw in (b"[" * 5000 + b"]" * 5000,
                b'{"type": "FeatureCollection", "type": "Feature", "features": []}'):
        answer = client.post_form("/beheer/zones/import",
                                  files={"file": ("zones.geojson", raw, "application/geo+json")})
        assert answer.status_code == 200, answer.text[:300]  # the form, shown again
        assert "GeoJSON" in field_errors(answer.text)["file"]
