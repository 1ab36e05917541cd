"""NPR clients authenticate with the register's own credentials instead of the RDW's client
certificate: an API key (``Authorization: Bearer`` or ``X-API-Key``) or an OAuth2 token of the
identity provider whose client is linked to the organisation. Whichever it is, the caller acts
as that organisation; a credential the register does not know is ErrorCode 300."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from support.identity_provider import AUDIENCE, ISSUER

from vptr.app import create_app
from vptr.auth.oidc import link_client
from vptr.npr.operations import operations
from vptr.services.demo import PARKPLUS, credential

from .conftest import next_monday, z
from .test_soap import envelope, post

CLIENT_ID = "parkplus-npr-client"


@pytest.fixture
def oauth_app(store, identity_provider, monkeypatch) -> Iterator[object]:
    """The register with the identity provider configured (for this test: the runtime reads the
    store's settings), and a client of it linked to the demo provider ParkPlus."""
    with store.transaction() as connection:
        link_client(connection, ISSUER, CLIENT_ID, PARKPLUS)
    settings = store.settings.model_copy(update={
        "oidc_issuer": ISSUER, "oidc_audience": AUDIENCE,
        "oidc_jwks_url": identity_provider.jwks_url})
    monkeypatch.setattr(store, "settings", settings)
    app = create_app(settings, store)
    yield app
    app.state.runtime.close()


def _enrol(client: TestClient, plate: str) -> dict:
    op = operations()["EnrollPSRight"]
    start = next_monday(9)
    response = client.post("/npr/EnrollPSRight", json={op.request_data: {
        "VehicleId": plate, "AreaManagerId": 4402, "AreaId": "4402_ZUID", "UsageId": "BETAALDP",
        "StartTimePSright": z(start), "EndTimePSright": z(start)[:11] + "10:00:00Z"}})
    assert response.status_code == 200, response.text
    return response.json()[op.response][op.response_data]


def test_an_oauth2_token_acts_for_its_linked_provider(oauth_app, identity_provider):
    token = identity_provider.token(CLIENT_ID)
    with TestClient(oauth_app, headers={"Authorization": f"Bearer {token}"}) as client:
        enrolled = _enrol(client, "1OAUTH1")
        op = operations()["RetrieveRightInfo"]
        response = client.post("/npr/RetrieveRightInfo", json={
            op.request_data: {"PSRightId": enrolled["PSRightId"]}})
        (info,) = response.json()[op.response][op.response_data]["PSRightInfoList"][
            "PSRightInfoData"]
        assert info["PSRightAcquirerDesc"] == "ParkPlus NV"  # the linked organisation
        status, reply = post(client, envelope(
            f"<n:StatusRequestRequest><n:StatusRequestRequestData><n:StatusTime>"
            f"{z(next_monday(9))}</n:StatusTime></n:StatusRequestRequestData>"
            "</n:StatusRequestRequest>"))
        assert status == 200 and reply.findtext(".//{http://rdw.nl/rpv/1.0}StatusRPV") == "OK"


def test_a_token_of_an_unknown_client_is_error_300(oauth_app, identity_provider):
    token = identity_provider.token("stranger-client")
    with TestClient(oauth_app, headers={"Authorization": f"Bearer {token}"}) as client:
        op = operations()["RetrieveAreaManagers"]
        response = client.post("/npr/RetrieveAreaManagers", json={op.request_data: {}})
    assert response.status_code == 401
    assert response.json()[op.response][op.response_error]["ErrorCode"] == 300


def test_the_api_key_in_the_x_api_key_header(app):
    with TestClient(app, headers={"X-API-Key": credential("provider").key}) as client:
        enrolled = _enrol(client, "1XKEY01")
        assert enrolled["AreaId"] == "4402_ZUID"
    with TestClient(app, headers={"X-API-Key": "vptr_demogent_wrongwrongwrongwrong"}) as client:
        op = operations()["RetrieveAreaManagers"]
        response = client.post("/npr/RetrieveAreaManagers", json={op.request_data: {}})
    assert response.status_code == 401
    assert response.json()[op.response][op.response_error]["ErrorCode"] == 300
