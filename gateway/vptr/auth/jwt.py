"""OAuth2 client-credentials tokens from an external identity provider (Keycloak, any OIDC server).

In production providers do not hold register API keys: they get a short-lived signed JWT from the
identity provider and send it as a Bearer token. The register trusts only what it can verify
itself: the signature against the provider's published JWKS, the issuer, the audience (this
register), the expiry and not-before times, and an algorithm from a short allow-list. Symmetric
(``HS*``) and unsigned (``none``) tokens are refused outright: with a shared secret anyone who can
verify could also mint tokens, and a JWKS only ever publishes public keys.

The JWKS is fetched over HTTP and cached: refetched when its time to live has passed, or early when
a token names a key id the cache does not know (the identity provider rotated its keys), but never
more often than ``min_refetch_seconds``, so a flood of tokens with made-up key ids cannot turn the
register into a denial-of-service amplifier against the identity provider.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from jwt.exceptions import InvalidTokenError, PyJWKError

#: Asymmetric signature algorithms only: verifying a token must never allow minting one.
SAFE_ALGORITHMS: frozenset[str] = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"})
DEFAULT_ALGORITHMS: tuple[str, ...] = ("RS256", "ES256")


class TokenError(Exception):
    """A bearer token that does not prove who sends it; the API answers 401 with ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JwksUnavailableError(TokenError):
    """The identity provider's key set cannot be fetched, so no token can be verified now."""


@dataclass(frozen=True)
class VerifiedToken:
    """What a verified token says about its sender; nothing here comes from an unverified token."""

    client_id: str
    issuer: str
    subject: str | None
    scopes: frozenset[str]
    expires_at: int
    claims: dict[str, Any] = field(repr=False, compare=False)


class JwksCache:
    """The identity provider's public keys by key id, fetched lazily and shared by all requests."""

    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: float = 300.0,
        min_refetch_seconds: float = 30.0,
        timeout_seconds: float = 5.0,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self._client = client or httpx.Client(timeout=timeout_seconds)
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        #: How often the key set was fetched (tests and operators watch this for refetch storms).
        self.fetch_count = 0

    def key(self, kid: str) -> jwt.PyJWK:
        """The public key with this id, refetching the set at most as often as the bounds allow."""
        with self._lock:
            now = self._clock()
            age = None if self._fetched_at is None else now - self._fetched_at
            stale = age is None or age >= self.ttl_seconds
            unknown = kid not in self._keys
            may_refetch = age is None or age >= self.min_refetch_seconds
            if stale or (unknown and may_refetch):
                self._refresh(now)
            try:
                return self._keys[kid]
            except KeyError:
                raise TokenError(f"the token is signed with an unknown key id {kid!r}") from None

    def _refresh(self, now: float) -> None:
        try:
            response = self._client.get(self.url, headers={"Accept": "application/json"})
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, json.JSONDecodeError) as exc:
            if self._keys:
                # Keep the keys we have: an identity provider hiccup must not log everyone out.
                self._fetched_at = now
                return
            reason = f"the identity provider's keys cannot be fetched: {exc}"
            raise JwksUnavailableError(reason) from exc
        self.fetch_count += 1
        self._keys = _parse_key_set(document)
        self._fetched_at = now


def _parse_key_set(document: Any) -> dict[str, jwt.PyJWK]:
    """Signing keys by id; keys without an id, for encryption, or of unusable types are left out."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksUnavailableError("the identity provider's JWKS has no 'keys' list")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or not entry.get("kid") or entry.get("use", "sig") != "sig":
            continue
        if entry.get("kty") == "oct":
            continue  # a symmetric key has no business in a public key set
        try:
            keys[str(entry["kid"])] = jwt.PyJWK(entry)
        except PyJWKError:
            continue
    return keys


class TokenVerifier:
    """Checks client-credentials JWTs for one issuer and one audience (this register)."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        algorithms: Iterable[str] = DEFAULT_ALGORITHMS,
        client_id_claims: Iterable[str] = ("azp", "client_id", "clientId"),
        scope_claim: str = "scope",
        leeway_seconds: float = 30.0,
    ) -> None:
        allowed = tuple(algorithms)
        unsafe = [alg for alg in allowed if alg not in SAFE_ALGORITHMS]
        if unsafe or not allowed:
            raise ValueError(
                f"only asymmetric signature algorithms may be allowed, not {unsafe or 'none'}"
            )
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.algorithms = allowed
        self.client_id_claims = tuple(client_id_claims)
        self.scope_claim = scope_claim
        self.leeway_seconds = leeway_seconds

    def verify(self, token: str) -> VerifiedToken:
        """The token's verified sender; raises :class:`TokenError` naming the first thing wrong."""
        try:
            header = jwt.get_unverified_header(token)
        except InvalidTokenError as exc:
            raise TokenError(f"the bearer token is not a JWT: {exc}") from exc
        alg = header.get("alg")
        if alg not in self.algorithms:
            accepted = ", ".join(self.algorithms)
            raise TokenError(f"the token's algorithm {alg!r} is not accepted ({accepted})")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenError("the token names no key id ('kid')")
        key = self.jwks.key(kid)
        if key.algorithm_name != alg:
            # PyJWT verifies with the key's own algorithm; a header naming another one is forged.
            raise TokenError(f"key {kid!r} signs with {key.algorithm_name}, not {alg}")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway_seconds,
                options={"require": ["exp", "iss", "aud"], "verify_signature": True},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("the token has expired") from exc
        except jwt.ImmatureSignatureError as exc:
            raise TokenError("the token is not valid yet (nbf or iat in the future)") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenError(f"the token is not meant for audience {self.audience!r}") from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenError(f"the token was not issued by {self.issuer!r}") from exc
        except jwt.InvalidSignatureError as exc:
            raise TokenError("the token's signature does not verify") from exc
        except InvalidTokenError as exc:
            raise TokenError(f"the token is not valid: {exc}") from exc
        client_id = next(
            (str(claims[name]) for name in self.client_id_claims if claims.get(name)), None
        )
        if client_id is None:
            raise TokenError(f"the token names no client ({' or '.join(self.client_id_claims)})")
        return VerifiedToken(
            client_id=client_id,
            issuer=str(claims["iss"]),
            subject=str(claims["sub"]) if claims.get("sub") else None,
            scopes=_scopes(claims.get(self.scope_claim)),
            expires_at=int(claims["exp"]),
            claims=claims,
        )


def _scopes(value: Any) -> frozenset[str]:
    """OAuth2 scopes, as the space-separated string of RFC 8693 or a JSON list (some providers)."""
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(str(item) for item in value)
    return frozenset()


def looks_like_jwt(credential: str) -> bool:
    """Whether a bearer credential is a JWS compact token rather than a register API key."""
    return credential.count(".") == 2 and credential.startswith("eyJ")
