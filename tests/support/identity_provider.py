"""A tiny stand-in for an OIDC identity provider: real keys, real signed tokens, a JWKS over HTTP.

The register must verify tokens exactly as it would against Keycloak, so nothing here is mocked:
tokens are signed with freshly generated RSA and EC keys and the public half is served as a JWKS
from a local HTTP server running in a thread.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.example.test/realms/vptr"
AUDIENCE = "vptr-register"


class SigningKey:
    """A private key with its key id and algorithm, and its public JWK."""

    def __init__(self, algorithm: str = "RS256", kid: str | None = None) -> None:
        self.algorithm = algorithm
        self.kid = kid or uuid.uuid4().hex[:12]
        if algorithm.startswith("RS"):
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            public = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())
            public = ECAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        self.jwk: dict[str, Any] = {**public, "kid": self.kid, "use": "sig", "alg": algorithm}


class IdentityProvider:
    """Signs client-credentials tokens and publishes the current key set at ``jwks_url``."""

    def __init__(self) -> None:
        self.keys: list[SigningKey] = [SigningKey("RS256"), SigningKey("ES256")]
        self.requests = 0
        self.jwks_url = ""
        self.available = True

    def key_set(self) -> dict[str, Any]:
        return {"keys": [key.jwk for key in self.keys]}

    def token(
        self,
        client_id: str = "parkeerapp-client",
        *,
        key: SigningKey | None = None,
        lifetime: int = 300,
        **overrides: Any,
    ) -> str:
        """A token as Keycloak issues for the client-credentials grant; ``overrides`` replace claims
        (``None`` removes one)."""
        key = key or self.keys[0]
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": f"service-account-{client_id}",
            "azp": client_id,
            "scope": "rights:write rights:read",
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key.private, algorithm=key.algorithm, headers={"kid": key.kid})


@contextmanager
def serve(provider: IdentityProvider) -> Iterator[IdentityProvider]:
    """Serve the provider's JWKS on 127.0.0.1 for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            provider.requests += 1
            if not provider.available:
                self.send_error(503)
                return
            body = json.dumps(provider.key_set()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.jwks_url = f"http://127.0.0.1:{server.server_address[1]}/realms/vptr/certs"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
