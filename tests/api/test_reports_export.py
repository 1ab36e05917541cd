"""The area manager's own questions: a report per provider, and all of its data to download."""

from __future__ import annotations

import csv
import io
import json

from support.builders import instant, right_body

from vptr.services.demo import GENT, METERS, PARKPLUS, ZONE_ZUID


def test_the_report_counts_rights_and_amounts_per_provider(client_as):
    provider = client_as("provider")
    provider.post("/rights", json=right_body(plate="3RPT001"))
    revoked = provider.post("/rights", json=right_body(plate="3RPT002")).json()
    provider.post(f"/rights/{revoked['id'].rsplit('/', 1)[1]}/revoke")
    client_as("provider-limited").post("/rights", json=right_body(zone=ZONE_ZUID, plate="3RPT003"))

    report = client_as("area-manager").get("/reports/providers", params={
        "from": instant(-24 * 60), "to": instant(60)})

    assert report.status_code == 200, report.text
    by_provider = {p["provider"]: p for p in report.json()["providers"]}
    assert by_provider[PARKPLUS]["rightsRegistered"] == 3  # the demo's and two new ones
    assert by_provider[PARKPLUS]["rightsRevoked"] == 1
    assert by_provider[PARKPLUS]["amountCollected"] == [{"currency": "EUR", "value": "7.00"}]
    assert by_provider[METERS]["rightsRegistered"] == 2
    assert by_provider[METERS]["amountCollected"] == [{"currency": "EUR", "value": "3.50"}]


def test_the_report_is_for_area_managers_and_a_well_formed_period(client_as):
    assert client_as("provider").get("/reports/providers", params={
        "from": instant(-60), "to": instant(0)}).status_code == 403
    backwards = client_as("area-manager").get("/reports/providers", params={
        "from": instant(0), "to": instant(-60)})
    missing = client_as("area-manager").get("/reports/providers")
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"from", "to"}


def test_the_json_ld_export_holds_every_kind_of_the_tenants_own_data(client_as, antwerpen):
    response = client_as("area-manager").get("/export", params={"format": "jsonld"})

    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    graph = json.loads(response.text)["@graph"]
    kinds = [d["type"] for d in graph]
    # Four zones, each with its one version so far (a zone version is a Zone too).
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "Zone": 8, "Regime": 5, "Permit": 2, "Whitelist": 1, "WhitelistEntry": 3, "Right": 2}
    assert all(d.get("areaManager", GENT) == GENT for d in graph)
    assert antwerpen.zone not in {d["id"] for d in graph}


def test_the_csv_export_has_one_row_per_document_with_the_document_in_full(client_as):
    response = client_as("area-manager").get("/export", params={"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-type"].startswith("text/csv")
    assert len(rows) == 21
    assert sum(r["kind"] == "zone-version" for r in rows) == 4
    rights = [r for r in rows if r["kind"] == "right"]
    assert {r["plates"] for r in rights} == {"BE:1ABC123", "BE:2DEF456"}
    assert {r["amount"] for r in rights} == {"4.5", "1"}
    assert all(json.loads(r["document"])["id"] == r["id"] for r in rows)


def test_the_export_is_refused_to_others_and_for_unknown_formats(client_as):
    assert client_as("enforcement").get("/export").status_code == 403
    unknown = client_as("area-manager").get("/export", params={"format": "xlsx"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "format"
