"""Permits, whitelists, organisations and authorisations; formats, paging and problem details."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from vptr.services.demo import (
    GENT,
    ID,
    METERS,
    PLATE_RESIDENT,
    PLATE_WHITELISTED,
    ZONE_KERN,
    ZONE_KOUTER,
    ZONE_ROOD,
)

VPTR = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"


def permit_body(plate="2PRM222", **extra):
    return {"permitType": "resident", "holderReference": "gent-bewoner-testcase01",
            "vehicles": [{"licencePlate": {"plateNumber": plate, "country": "BE"}}],
            "zones": [ZONE_KOUTER], "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}, **extra}


def test_permits_are_issued_found_by_plate_changed_and_withdrawn(client_as):
    manager = client_as("area-manager")
    created = manager.post("/permits", json=permit_body())
    location = created.headers["location"]

    found = manager.get("/permits", params={"plate": "2-prm-222", "country": "BE"}).json()
    suspended = manager.put(location, json=permit_body(permitStatus="suspended"))
    gone = manager.delete(location)

    assert created.status_code == 201, created.text
    assert [p["id"] for p in found["@graph"]] == [created.json()["id"]]
    assert found["@graph"][0]["vehicles"][0]["licencePlate"]["plateNumber"] == "2PRM222"
    assert suspended.json()["permitStatus"] == "suspended"
    assert gone.status_code == 204
    assert manager.get(location).status_code == 404


def test_a_permit_holder_reference_must_not_be_a_name(client_as, count_rows):
    before = count_rows("permits")
    response = client_as("area-manager").post("/permits", json=permit_body(
        holderReference="Jan Janssens"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "holderReference"
    assert count_rows("permits") == before


def test_permits_are_the_area_managers_alone(client_as, antwerpen):
    assert client_as("provider").get("/permits").status_code == 403
    assert antwerpen.client.get("/permits").json()["total"] == 0
    assert antwerpen.client.get("/permits/gent-bew-2026-004711").status_code == 404
    country, plate = PLATE_RESIDENT
    assert client_as("area-manager").get("/permits", params={"plate": plate, "country": country}
                                         ).json()["total"] == 1


def test_a_whitelist_keeps_its_entries_apart_and_they_are_edited_one_by_one(client_as):
    manager = client_as("area-manager")
    listed = manager.get("/whitelists/gent-hulpdiensten").json()
    entries = manager.get("/whitelists/gent-hulpdiensten/entries").json()

    added = manager.post("/whitelists/gent-hulpdiensten/entries", json={
        "vehicle": {"licencePlate": {"plateNumber": "1POL101", "country": "BE"}},
        "description": "Politie Gent"})
    country, plate = PLATE_WHITELISTED
    found = manager.get("/whitelists/gent-hulpdiensten/entries",
                        params={"plate": plate, "country": country}).json()
    removed = manager.delete(added.headers["location"])

    assert "entries" not in listed
    assert entries["total"] == 3
    assert added.status_code == 201, added.text
    assert found["total"] == 1
    assert removed.status_code == 204
    assert manager.get("/whitelists/gent-hulpdiensten/entries").json()["total"] == 3


def test_an_entry_must_stay_within_its_whitelist(client_as, count_rows):
    before = count_rows("whitelist_entries")
    response = client_as("area-manager").post("/whitelists/gent-hulpdiensten/entries", json=[
        {"vehicle": {"licencePlate": {"plateNumber": "1OK0001", "country": "BE"}}},
        {"vehicle": {"licencePlate": {"plateNumber": "1NO0002", "country": "BE"}},
         "zones": [ZONE_ROOD]},
    ])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "[1].zones[0]"
    assert count_rows("whitelist_entries") == before


def test_a_whitelist_is_created_with_its_entries(client_as):
    manager = client_as("area-manager")
    created = manager.post("/whitelists", json={
        "name": "Deelwagens", "zones": [ZONE_KERN], "whitelistReason": "carSharing",
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
        "entries": [{"vehicle": {"licencePlate": {"plateNumber": f"1CAR00{i}", "country": "BE"}}}
                    for i in range(3)]})

    assert created.status_code == 201, created.text
    entries = manager.get(created.headers["location"] + "/entries").json()
    assert entries["total"] == 3


def test_organisations_form_a_directory_and_area_managers_register_providers(client_as):
    manager = client_as("area-manager")
    created = manager.post("/organisations", json={"name": "4411 NV", "roles": ["provider"]})
    key = manager.post(created.headers["location"] + "/api-keys")

    assert created.status_code == 201, created.text
    assert key.status_code == 201
    assert key.json()["key"].startswith("vptr_")
    as_new = client_as("anonymous")
    as_new.headers["Authorization"] = "Bearer " + key.json()["key"]
    # Gent (which also sells tickets), ParkPlus, the meter vendor and the new one
    assert as_new.get("/organisations", params={"role": "provider"}).json()["total"] == 4
    assert client_as("provider").post("/organisations", json={
        "name": "X", "roles": ["provider"]}).status_code == 403
    assert manager.post("/organisations", json={"name": "Stad Brugge",
                                                "roles": ["areaManager"]}).status_code == 403


def test_authorisations_are_given_read_by_their_grantee_and_withdrawn(client_as):
    manager = client_as("area-manager")
    given = manager.post("/authorisations", json={
        "grantee": METERS, "scopes": ["readRights"], "zones": [ZONE_ROOD]})
    location = given.headers["location"]

    seen_by_grantee = client_as("provider-limited").get(location)
    rights_now_readable = client_as("provider-limited").get("/rights", params={
        "zone": ZONE_ROOD}).json()["total"]
    withdrawn = manager.delete(location)

    assert given.status_code == 201, given.text
    assert given.json()["grantor"] == GENT
    assert seen_by_grantee.status_code == 200
    assert rights_now_readable == 1
    assert withdrawn.status_code == 204
    assert client_as("provider-limited").get("/rights", params={"zone": ZONE_ROOD}
                                             ).json()["total"] == 0
    assert client_as("enforcement").get(location).status_code == 404


def test_an_authorisation_for_an_unknown_grantee_is_refused(client_as):
    response = client_as("area-manager").post("/authorisations", json={
        "grantee": ID + "organisation/nobody", "scopes": ["readRights"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grantee"


def test_turtle_and_n_triples_by_content_negotiation(client_as):
    manager = client_as("area-manager")
    turtle = manager.get("/zones/gent-rood", headers={"Accept": "text/turtle"})
    ntriples = manager.get("/zones", headers={"Accept": "application/n-triples"})
    refused = manager.get("/zones/gent-rood", headers={"Accept": "application/pdf"})

    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(ZONE_ROOD), RDF.type, URIRef("https://data.vlaanderen.be/ns/mobiliteit#Zone")
            ) in graph
    zones = Graph().parse(data=ntriples.text, format="nt")
    assert len(set(zones.subjects(RDF.type, URIRef("https://data.vlaanderen.be/ns/mobiliteit#Zone")
                                  ))) == 4
    assert refused.status_code == 406


def test_json_ld_is_the_default_with_the_standards_context(client_as):
    response = client_as("area-manager").get("/zones/gent-rood")
    assert response.headers["content-type"] == "application/ld+json"
    assert response.json()["@context"].endswith("/parkeren-en-toegang/context.jsonld")


def test_pages_are_capped_and_link_to_the_next(client_as):
    manager = client_as("area-manager")
    first = manager.get("/zones", params={"pageSize": 3}).json()
    second = manager.get(first["next"]).json()

    assert (first["total"], len(first["@graph"]), second["page"]) == (4, 3, 2)
    assert len(second["@graph"]) == 1 and second["next"] is None
    too_big = manager.get("/zones", params={"pageSize": 10_000})
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "pageSize"
    assert manager.get("/zones", params={"page": 0}).json()["errors"][0]["field"] == "page"


def test_every_error_is_a_problem_document(client_as):
    manager = client_as("area-manager")
    for response in (manager.get("/nowhere"), manager.get("/zones/unknown"),
                     manager.post("/zones", content=b"<xml/>",
                                  headers={"content-type": "application/xml"}),
                     client_as("anonymous").get("/zones")):
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert set(problem) >= {"type", "title", "status", "detail", "instance", "errors"}
        assert problem["status"] == response.status_code
    assert client_as("anonymous").get("/zones").headers["www-authenticate"].startswith("Bearer")


def test_credentials_are_checked(client_as, app):
    from fastapi.testclient import TestClient

    from vptr.services.demo import credential

    assert client_as("anonymous").get("/rights").status_code == 401
    bad = TestClient(app, headers={"Authorization": "Bearer vptr_demogent_wrongwrongwrongwrong"})
    assert bad.get("/rights").status_code == 401
    by_header = TestClient(app, headers={"X-API-Key": credential("enforcement").key})
    assert by_header.get("/rights").status_code == 200


def test_a_whitelist_sent_with_the_old_key_owner_is_stored_and_the_client_is_warned(client_as):
    """``owner`` is read as ``areaManager`` until version 2.0 (docs/reuse.md, "Old keys"); the
    answer says it is deprecated (Deprecation, Warning), and nothing stored says ``owner``."""
    manager = client_as("area-manager")
    body = {"name": "Marktkramers", "zones": [ZONE_KERN], "whitelistReason": "event",
            "owner": GENT, "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}}
    created = manager.post("/whitelists", json=body)
    replaced = manager.put(created.headers["location"], json=body)
    current = manager.put(created.headers["location"],
                          json={**{k: v for k, v in body.items() if k != "owner"},
                                "areaManager": GENT})

    assert created.status_code == 201, created.text
    assert created.json()["areaManager"] == GENT and "owner" not in created.json()
    assert created.headers["deprecation"].startswith("@")
    assert "Whitelist.owner is deprecated: send areaManager" in created.headers["warning"]
    assert "until version 2.0" in created.headers["warning"]
    assert replaced.status_code == 200 and "deprecation" in replaced.headers
    assert current.status_code == 200 and "deprecation" not in current.headers
    assert "owner" not in manager.get(created.headers["location"]).json()


def test_a_whitelist_with_owner_and_a_different_area_manager_is_refused_naming_owner(client_as):
    manager = client_as("area-manager")
    before = manager.get("/whitelists").json()["total"]
    refused = manager.post("/whitelists", json={
        "name": "Twee beheerders", "zones": [ZONE_KERN], "whitelistReason": "event",
        "owner": METERS, "areaManager": GENT,
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}})

    assert refused.status_code == 400, refused.text
    assert "owner" in refused.text and "send areaManager only" in refused.text
    assert manager.get("/whitelists").json()["total"] == before
