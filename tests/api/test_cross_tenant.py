"""Another tenant's data is indistinguishable from absent (issue 18, item 6; docs/security.md,
"What another tenant sees"): the same status and the same shape of answer as for a resource that
does not exist, on every question that names one. The trial price follows the zone: whoever may
read a zone (``GET /zones/{ref}``) may price it, others get the answer of a missing zone.
"""

from __future__ import annotations

from typing import Any

import pytest

from vptr.services.demo import ID, ZONE_ROOD

MISSING_ZONE = ID + "zone/nergens-te-vinden"
MONDAY = "2026-03-02T10:00:00+01:00"


def shape(response: Any, *, replace: str, by: str) -> tuple[int, str, list[Any], str]:
    """What a caller can tell from a refusal: status, type, fields, and the detail with the IRI it
    sent itself replaced."""
    body = response.json()
    return (response.status_code, body["type"],
            [e["field"] for e in body.get("errors", [])],
            body["detail"].replace(replace, by))


@pytest.mark.parametrize("question", [
    lambda c, z: c.get("/check", params={"plate": "1ABC123", "country": "BE", "zone": z,
                                         "at": MONDAY}),
    lambda c, z: c.post("/check", json={"plate": "1ABC123", "country": "BE", "zone": z,
                                        "at": MONDAY}),
    lambda c, z: c.get("/price", params={"zone": z, "start": MONDAY, "duration": "60"}),
    lambda c, z: c.get(f"/zones/{z.rsplit('/', 1)[1]}"),
], ids=["check", "checkByBody", "price", "zone"])
def test_another_tenants_zone_answers_as_a_missing_one(antwerpen: Any, question) -> None:
    foreign = question(antwerpen.client, ZONE_ROOD)
    missing = question(antwerpen.client, MISSING_ZONE)
    assert foreign.status_code == 404
    assert shape(foreign, replace=ZONE_ROOD, by="Z") == shape(missing, replace=MISSING_ZONE,
                                                              by="Z")


def test_a_zone_the_caller_may_read_but_not_check_in_stays_forbidden(client_as) -> None:
    """The limited provider reads Gent's zones (it is authorised to write in one), so a refusal to
    check there tells it nothing it could not read: 403, as before."""
    response = client_as("provider-limited").get("/check", params={
        "plate": "1ABC123", "country": "BE", "zone": ZONE_ROOD, "at": MONDAY})
    assert response.status_code == 403


def test_a_provider_authorised_by_the_zones_tenant_prices_it(client_as) -> None:
    response = client_as("provider-limited").get("/price", params={
        "zone": ZONE_ROOD, "start": MONDAY, "duration": "60"})
    assert response.status_code == 200


@pytest.mark.parametrize(("path", "body"), [
    ("/zones", {"name": "Kopie", "zoneKind": "blueZone", "geometry": {
        "asWKT": "POLYGON ((3.7 51.0, 3.8 51.0, 3.8 51.1, 3.7 51.1, 3.7 51.0))"}}),
])
def test_a_taken_id_answers_the_same_whoever_holds_it(antwerpen: Any, client_as, path: str,
                                                      body: dict[str, Any]) -> None:
    """IRIs are one namespace, so a client-chosen id that is taken cannot be stored; the refusal
    is the same for another tenant's resource as for one's own and says nothing more."""
    own = antwerpen.client.post(path, json={**body, "id": antwerpen.zone})
    foreign = antwerpen.client.post(path, json={**body, "id": ZONE_ROOD})
    assert own.status_code == foreign.status_code == 409
    assert shape(own, replace=antwerpen.zone, by="Z") == shape(foreign, replace=ZONE_ROOD, by="Z")


def _right_in(zone: str) -> dict[str, Any]:
    return {"rightKind": "parking", "zone": zone, "channel": "app",
            "vehicle": {"licencePlate": {"plateNumber": "1CRT001", "country": "BE"}},
            "validityPeriod": {"startTime": "2026-11-23T10:00:00+01:00"}}


@pytest.mark.parametrize("ask", [
    lambda c, z: c.post("/rights", json=_right_in(z)),
    lambda c, z: c.get("/rights", params={"zone": z}),
    lambda c, z: c.get("/regimes", params={"zone": z}),
    lambda c, z: c.post("/regimes", json={"name": "R", "rightKind": "parking",
                                          "usage": "paidParking", "zones": [z]}),
    lambda c, z: c.post("/authorisations", json={
        "grantee": ID + "organisation/parkplus", "scopes": ["readRights"], "zones": [z],
        "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}}),
    lambda c, z: c.get("/permits", params={"zone": z}),
    lambda c, z: c.get("/whitelists", params={"zone": z}),
], ids=["registerRight", "searchRights", "listRegimes", "createRegime", "createAuthorisation",
        "listPermits", "listWhitelists"])
def test_naming_another_tenants_zone_answers_as_naming_a_missing_one(antwerpen: Any,
                                                                     ask) -> None:
    foreign = ask(antwerpen.client, ZONE_ROOD)
    missing = ask(antwerpen.client, MISSING_ZONE)
    assert foreign.status_code == missing.status_code
    if foreign.status_code >= 400:
        assert shape(foreign, replace=ZONE_ROOD, by="Z") == shape(missing, replace=MISSING_ZONE,
                                                                  by="Z")
    else:
        assert foreign.json().get("total") == missing.json().get("total")


def test_a_provider_never_authorised_by_a_tenant_cannot_tell_its_zones_exist(
        antwerpen: Any, client_as) -> None:
    provider = client_as("provider")  # authorised by Gent only
    foreign = provider.post("/rights", json=_right_in(antwerpen.zone))
    missing = provider.post("/rights", json=_right_in(MISSING_ZONE))
    assert foreign.status_code == missing.status_code == 422
    assert shape(foreign, replace=antwerpen.zone, by="Z") == shape(
        missing, replace=MISSING_ZONE, by="Z")
    for path in ("/check", "/price"):
        params = {"plate": "1CRT001", "country": "BE", "zone": antwerpen.zone, "at": MONDAY,
                  "start": MONDAY, "duration": "60"}
        assert provider.get(path, params=params).status_code == 404


@pytest.mark.parametrize(("method", "kind", "body"), [
    ("PUT", "zones", {"name": "X", "zoneKind": "blueZone", "geometry": {
        "asWKT": "POLYGON ((3.7 51.0, 3.8 51.0, 3.8 51.1, 3.7 51.1, 3.7 51.0))"}}),
    ("DELETE", "zones", None),
    ("GET", "regimes", None),
    ("DELETE", "permits", None),
    ("GET", "whitelists", None),
    ("GET", "authorisations", None),
    ("DELETE", "authorisations", None),
    ("PATCH", "rights", {"amountPaid": None}),
    ("POST", "rights/end", None),
    ("POST", "rights/revoke", None),
    ("GET", "rights", None),
])
def test_changing_or_reading_another_tenants_resource_answers_as_a_missing_one(
        antwerpen: Any, client_as, method: str, kind: str, body: Any) -> None:
    refs = {"zones": "gent-rood", "regimes": "gent-zuid-betalend",
            "permits": "gent-bew-2026-004711", "whitelists": "gent-hulpdiensten",
            "authorisations": "gent-parkplus"}
    if kind.startswith("rights"):
        made = client_as("provider").post("/rights", json=_right_in(ZONE_ROOD))
        assert made.status_code == 201, made.text
        ref = made.json()["id"].rsplit("/", 1)[1]
    else:
        ref = refs[kind]
    base, _, action = kind.partition("/")
    suffix = f"/{action}" if action else ""
    kwargs = {} if body is None else {"json": body}
    foreign = antwerpen.client.request(method, f"/{base}/{ref}{suffix}", **kwargs)
    missing = antwerpen.client.request(method, f"/{base}/nergens-{ref}{suffix}", **kwargs)
    assert foreign.status_code == missing.status_code == 404, foreign.text
    assert shape(foreign, replace=ref, by="R") == shape(missing, replace=f"nergens-{ref}",
                                                        by="R")
