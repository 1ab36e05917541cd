"""In production providers authenticate with client-credentials JWTs from the identity provider;
the register maps the verified client to one of its organisations and refuses anything else."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from support import rows
from support.identity_provider import AUDIENCE, ISSUER, SigningKey
from support.small_app import small_app
from typer.testing import CliRunner

from vptr.auth.api_keys import issue_key
from vptr.auth.oidc import link_client, organisation_for_client
from vptr.cli import app as cli
from vptr.settings import Settings

GENT = rows.BASE + "organisation/gent"
APP = rows.BASE + "organisation/parkeerapp"


@pytest.fixture
def client(sqlite_engine, identity_provider):
    with sqlite_engine.begin() as connection:
        rows.organisation(connection, "gent", area_manager=True, enforcement=True)
        rows.organisation(connection, "parkeerapp", provider=True, tenant=GENT)
        link_client(connection, ISSUER, "parkeerapp-client", APP)
        link_client(connection, ISSUER, "gent-client", GENT)
        api_key = issue_key(connection, APP).key
    settings = Settings(database_url=str(sqlite_engine.url), oidc_issuer=ISSUER,
                        oidc_audience=AUDIENCE, oidc_jwks_url=identity_provider.jwks_url)
    client = TestClient(small_app(settings))
    client.api_key = api_key
    return client


def whoami(client, token: str):
    return client.get("/whoami", headers={"Authorization": f"Bearer {token}"})


def test_a_valid_token_acts_for_the_linked_organisation_with_its_roles(client, identity_provider):
    response = whoami(client, identity_provider.token("parkeerapp-client"))

    assert response.status_code == 200
    assert response.json() == {"organisation": APP, "roles": ["provider"]}


def test_api_keys_keep_working_beside_tokens(client):
    assert whoami(client, client.api_key).json()["organisation"] == APP


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"aud": "some-other-api"}, "audience"),
        ({"iss": "https://idp.example.test/realms/other"}, "not issued by"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer"],
)
def test_a_token_with_a_wrong_claim_gets_401(client, identity_provider, claims, reason):
    response = whoami(client, identity_provider.token("parkeerapp-client", **claims))

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert reason in response.json()["detail"]
    assert client.app.state.route_calls == 0


def test_a_token_signed_with_an_unknown_key_gets_401(client, identity_provider):
    token = identity_provider.token("parkeerapp-client", key=SigningKey("RS256", kid="rogue"))

    response = whoami(client, token)

    assert response.status_code == 401
    assert "unknown key id" in response.json()["detail"]


def test_a_tampered_token_gets_401(client, identity_provider):
    token = identity_provider.token("parkeerapp-client")
    header, payload, signature = token.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    tampered = f"{header}.{payload}.{flipped}"

    response = whoami(client, tampered)

    assert response.status_code == 401
    assert "signature" in response.json()["detail"]


def test_a_client_the_register_does_not_know_gets_401(client, identity_provider):
    response = whoami(client, identity_provider.token("stranger-client"))

    assert response.status_code == 401
    assert "not linked" in response.json()["detail"]


def test_vptr_scopes_narrow_the_roles_a_client_acts_with(client, identity_provider):
    scan_car = identity_provider.token("gent-client", scope="vptr:enforcement profile")
    full = identity_provider.token("gent-client", scope="profile email")

    assert whoami(client, scan_car).json()["roles"] == ["enforcement"]
    assert whoami(client, full).json()["roles"] == ["areaManager", "enforcement"]


def test_scopes_cannot_add_a_role_the_organisation_does_not_have(client, identity_provider):
    token = identity_provider.token("parkeerapp-client", scope="vptr:areaManager vptr:provider")

    assert whoami(client, token).json()["roles"] == ["provider"]


def test_without_oidc_settings_tokens_are_refused(sqlite_engine, identity_provider):
    with sqlite_engine.begin() as connection:
        rows.organisation(connection, "gent", area_manager=True)
    client = TestClient(small_app(Settings(database_url=str(sqlite_engine.url))))

    response = whoami(client, identity_provider.token("gent-client"))

    assert response.status_code == 401
    assert "API keys only" in response.json()["detail"]


def test_an_unreachable_identity_provider_gives_503_not_401(client, identity_provider):
    identity_provider.available = False

    response = whoami(client, identity_provider.token("parkeerapp-client"))

    assert response.status_code == 503


def test_the_link_command_links_a_client_and_names_an_unknown_organisation(sqlite_engine):
    with sqlite_engine.begin() as connection:
        rows.organisation(connection, "gent", area_manager=True)
    url = str(sqlite_engine.url)
    runner = CliRunner()

    linked = runner.invoke(cli, ["oidc", "link", "--client-id", "gent-scan", "--organisation",
                                 GENT, "--issuer", ISSUER, "--database-url", url])
    unknown = runner.invoke(cli, ["oidc", "link", "--client-id", "x", "--organisation",
                                  rows.BASE + "organisation/nobody", "--issuer", ISSUER,
                                  "--database-url", url])

    assert linked.exit_code == 0, linked.output
    with sqlite_engine.connect() as connection:
        assert organisation_for_client(connection, ISSUER, "gent-scan") == GENT
    assert unknown.exit_code == 1
    assert "no organisation" in unknown.stderr
