"""The native API with the authorisation scopes for permits and whitelists (issue 13, item 4):
Gent registers a permit portal, gives it ``managePermits`` and a key; over HTTP the portal issues
a permit (201) but is refused whitelists and rights (403), and nothing is stored for them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from support.builders import right_body

from vptr.services import demo


def test_a_permit_portal_issues_permits_over_the_api_but_no_whitelists_or_rights(app,
                                                                              client_as):
    gent = client_as("area-manager")
    portal = gent.post("/organisations", json={"name": "Portaal API NV",
                                               "roles": ["provider"]}).json()
    assert gent.post("/authorisations", json={"grantee": portal["id"],
                                              "scopes": ["managePermits"]}).status_code == 201
    issued = gent.post(f"/organisations/{portal['id'].rsplit('/', 1)[1]}/api-keys", json={})
    assert issued.status_code == 201, issued.text
    key = issued.json()["key"]

    with TestClient(app, headers={"Authorization": f"Bearer {key}"}) as client:
        permit = client.post("/permits", json={
            "permitType": "resident", "holderReference": "portaal-api-0001",
            "vehicles": [{"licencePlate": {"plateNumber": "1API001", "country": "BE"}}],
            "zones": [demo.ZONE_KOUTER], "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"}})
        assert permit.status_code == 201, permit.text
        assert permit.json()["statusSince"]
        assert client.get("/whitelists").status_code == 403
        assert client.post("/rights", json=right_body(plate="1API002")).status_code == 403
        # Its own rights only (it registered none); no readRights: nobody else's.
        searched = client.get("/rights", params={"plate": "1ABC123", "country": "BE"})
        assert searched.status_code == 200 and searched.json()["total"] == 0
