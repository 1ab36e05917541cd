"""Every public resource resolves at its IRI's path, for anyone, in the format asked for, with
what caches and other web pages need (validators, freshness, CORS); what is not public is absent.
"""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef

from .conftest import GENT_PATH, REGIME_V1, ZONE, ZONE_PATH


@pytest.mark.parametrize(("accept", "media", "parse"), [
    (None, "application/ld+json", "json-ld"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_a_zone_resolves_without_credentials_in_each_rdf_format(public, accept, media, parse):
    answer = public.get(ZONE_PATH, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    if parse == "json-ld":
        body = answer.json()
        assert body["@context"] == ("https://data.vlaanderen.be/doc/applicatieprofiel/"
                                    "parkeren-en-toegang/context.jsonld")
        assert body["id"] == ZONE
    else:
        graph = Graph().parse(data=answer.text, format=parse)
        assert (URIRef(ZONE), None, None) in graph
        assert len(graph) > 10


def test_a_browser_gets_a_page_with_the_zone_on_a_map(public):
    answer = public.get(ZONE_PATH, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "Parkeerzone rood" in answer.text
    assert 'id="map"' in answer.text and "/static/vendor/leaflet/leaflet.js" in answer.text
    assert public.get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_a_link_chooses_the_format_with_a_parameter(public):
    assert public.get(ZONE_PATH + "?format=ttl").headers["content-type"].startswith("text/turtle")
    refused = public.get(ZONE_PATH + "?format=xml")
    assert refused.status_code == 406
    assert "format" in refused.json()["detail"]


def test_an_unacceptable_type_is_406_naming_what_is_offered(public):
    answer = public.get(ZONE_PATH, headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert "text/turtle" in answer.json()["detail"]


def test_revalidation_answers_304_by_etag_and_by_date(public):
    first = public.get(ZONE_PATH)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert public.get(ZONE_PATH, headers={"If-None-Match": etag}).status_code == 304
    assert public.get(ZONE_PATH, headers={"If-Modified-Since": modified}).status_code == 304
    assert public.get(ZONE_PATH, headers={"If-None-Match": '"other"'}).status_code == 200
    # Another format is another representation: its own ETag.
    turtle = public.get(ZONE_PATH, headers={"Accept": "text/turtle"})
    assert turtle.headers["etag"] != etag


def test_a_change_changes_the_etag(public, manager):
    before = public.get(ZONE_PATH).headers["etag"]
    zone = manager.get("/zones/gent-rood").json()
    zone["description"] = "Nieuwe omschrijving"
    assert manager.put("/zones/gent-rood", json=zone).status_code == 200
    after = public.get(ZONE_PATH, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.json()["description"] == "Nieuwe omschrijving"


def test_other_sites_may_use_it_cors(public):
    answer = public.get(ZONE_PATH, headers={"Origin": "https://kaart.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "ETag" in answer.headers["access-control-expose-headers"]
    preflight = public.options(ZONE_PATH, headers={
        "Origin": "https://kaart.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight.headers["access-control-allow-headers"]


def test_a_regime_version_its_tariff_and_exempt_days_are_public(public):
    answer = public.get(REGIME_V1)
    assert answer.status_code == 200
    body = answer.json()
    assert body["tariff"]["tariffSteps"]
    assert body["exemptDays"][0]["calendarDate"] == "2026-07-20"
    # A decimal is published as its lexical form: every JSON-LD processor reads the same value.
    assert body["tariff"]["tariffSteps"][0]["amount"] == "0.40"


def test_a_regime_redirects_to_its_newest_version(public):
    answer = public.get("/id/regime/gent-rood-betalend", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/id/regime/gent-rood-betalend/2"


def test_area_managers_and_providers_are_public_organisations(public):
    gent = public.get(GENT_PATH)
    assert gent.status_code == 200
    assert gent.json()["name"] == "Stad Gent"
    assert public.get("/id/organisation/parkplus").json()["name"] == "ParkPlus NV"


@pytest.mark.parametrize("path", [
    "/id/right/anything", "/id/permit/bewonerskaart-kouter-1", "/id/whitelist/anything",
    "/id/whitelist-entry/anything", "/id/authorisation/anything", "/id/zone/nope",
    "/id/regime/nope/1", "/id/zone/..%2F..%2Fetc",
])
def test_what_is_not_public_is_absent(public, path):
    assert public.get(path).status_code == 404


def test_an_enforcement_organisation_is_not_published(public):
    assert public.get("/id/organisation/scanmobiel").status_code == 404


def test_the_native_api_still_asks_for_a_key(public):
    assert public.get("/zones").status_code == 401


def test_anonymous_reads_have_their_own_limit_per_address(store, store_url):
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.settings import Settings

    settings = Settings(database_url=store_url, open_data_rate_limit_per_second=0.01,
                        open_data_rate_limit_burst=3)
    app = create_app(settings, store)
    with TestClient(app) as client:
        codes = [client.get(ZONE_PATH).status_code for _ in range(5)]
        refused = client.get(ZONE_PATH)
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        assert int(refused.headers["retry-after"]) > 0
        # The API's own routes do not draw from the open data's bucket.
        assert client.get("/health").status_code == 200


def test_json_ld_answer_is_one_document(public):
    body = json.loads(public.get(GENT_PATH).content)
    assert isinstance(body, dict) and body["type"] == "Organisation"
