"""Staff log in through their administration's identity provider: the OIDC authorisation code
flow with PKCE, the ID token verified (signature, issuer, audience, nonce) and the organisation
taken from a claim. A local identity provider signs real tokens and redeems codes over HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from fastapi.testclient import TestClient
from support.identity_provider import ISSUER, SigningKey

from vptr.app import create_app
from vptr.services import tenants
from vptr.settings import Settings
from vptr.store.db import sqlite_url

CLIENT_ID = "vptr-beheer"
AUTHORIZE = "https://idp.example.test/realms/vptr/protocol/openid-connect/auth"


class LocalIdentityProvider:
    """Redeems the codes it handed out (checking the PKCE verifier) for signed ID tokens."""

    def __init__(self) -> None:
        self.key = SigningKey("RS256")
        self.codes: dict[str, dict[str, Any]] = {}
        self.url = ""

    def authorise(self, authorize_url: str, **claims: Any) -> tuple[str, str]:
        """What the identity provider does after the person logged in: a code for the login's
        parameters, and the state to send back."""
        params = {k: v[0] for k, v in parse_qs(urlsplit(authorize_url).query).items()}
        assert params["response_type"] == "code" and params["client_id"] == CLIENT_ID
        assert params["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        now = int(time.time())
        self.codes[code] = {"challenge": params["code_challenge"],
                            "redirect_uri": params["redirect_uri"],
                            "claims": {"iss": ISSUER, "aud": CLIENT_ID, "azp": CLIENT_ID,
                                       "sub": "f:1234", "iat": now, "exp": now + 300,
                                       "nonce": params["nonce"], **claims}}
        return code, params["state"]

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        claims = {k: v for k, v in grant["claims"].items() if v is not None}
        token = jwt.encode(claims, self.key.private, algorithm="RS256",
                           headers={"kid": self.key.kid})
        return 200, {"id_token": token, "access_token": "unused", "token_type": "Bearer"}


@pytest.fixture(scope="module")
def idp() -> Iterator[LocalIdentityProvider]:
    provider = LocalIdentityProvider()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer(200, {"keys": [provider.key.jwk]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self._answer(*provider.token(form))

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield provider
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def oidc_app(idp, tmp_path_factory):
    settings = Settings(
        database_url=sqlite_url(tmp_path_factory.mktemp("oidc") / "s.sqlite"),
        oidc_issuer=ISSUER, oidc_jwks_url=idp.url + "/certs",
        web_oidc_authorization_url=AUTHORIZE, web_oidc_token_url=idp.url + "/token",
        web_oidc_client_id=CLIENT_ID)
    app = create_app(settings)
    with TestClient(app):
        tenants.create(app.state.runtime, "Stad Brugge", reference="stad-brugge")
    yield app
    app.state.runtime.close()


def start_login(client: TestClient) -> str:
    page = client.get("/beheer/login")
    assert "identiteitsprovider" in page.text and 'name="password"' not in page.text
    answer = client.get("/beheer/login/oidc?next=/beheer/zones", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith(AUTHORIZE)
    assert "SameSite=lax" in answer.headers["set-cookie"]
    return answer.headers["location"]


def test_a_person_logs_in_through_the_identity_provider(oidc_app, idp):
    with TestClient(oidc_app) as client:
        code, state = idp.authorise(start_login(client), vptr_organisation="stad-brugge",
                                    name="Bo Brugge", preferred_username="bo.brugge")
        answer = client.get(f"/beheer/login/oidc/terug?code={code}&state={state}")
        assert answer.status_code == 200
        assert re.search(r'http-equiv="refresh" content="0;url=/beheer/zones"', answer.text)
        cookie = next(c for c in answer.headers.get_list("set-cookie")
                      if c.startswith("vptr_beheer="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        home = client.get("/beheer/")
        assert "Bo Brugge (bo.brugge)" in home.text and "Stad Brugge" in home.text


@pytest.mark.parametrize("tamper", ["state", "nonce", "audience", "organisation"])
def test_a_login_that_is_not_this_ones_answer_is_refused(oidc_app, idp, tamper):
    with TestClient(oidc_app) as client:
        claims: dict[str, Any] = {"vptr_organisation": "stad-brugge", "name": "Eve"}
        if tamper == "nonce":
            claims["nonce"] = "another login's"
        if tamper == "audience":
            claims["aud"] = "another-client"
        if tamper == "organisation":
            claims["vptr_organisation"] = "stad-nergens"
        code, state = idp.authorise(start_login(client), **claims)
        if tamper == "state":
            state = "forged"
        answer = client.get(f"/beheer/login/oidc/terug?code={code}&state={state}")
        assert "mislukt" in answer.text
        assert client.get("/beheer/", follow_redirects=False).status_code == 303


def test_an_answer_is_used_once_and_only_by_the_browser_that_asked(oidc_app, idp):
    with TestClient(oidc_app) as asker, TestClient(oidc_app) as other:
        code, state = idp.authorise(start_login(asker), vptr_organisation="stad-brugge")
        start_login(other)  # a login of its own, with another state
        stolen = other.get(f"/beheer/login/oidc/terug?code={code}&state={state}")
        assert "mislukt" in stolen.text
        assert other.get("/beheer/", follow_redirects=False).status_code == 303
        # The stolen attempt spent nothing of the asker's login, whose answer still works once.
        assert "refresh" in asker.get(f"/beheer/login/oidc/terug?code={code}&state={state}").text
        again = TestClient(oidc_app)
        again.cookies.update({"vptr_beheer_oidc": "x"})
        assert "mislukt" in again.get(
            f"/beheer/login/oidc/terug?code={code}&state={state}").text
