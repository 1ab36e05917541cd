"""Client-credentials JWTs are trusted only when signature, issuer, audience and times check out."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from support.identity_provider import AUDIENCE, ISSUER, IdentityProvider, SigningKey

from vptr.auth.jwt import (
    JwksCache,
    JwksUnavailableError,
    TokenError,
    TokenVerifier,
    looks_like_jwt,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def verifier_for(provider: IdentityProvider, clock: FakeClock | None = None) -> TokenVerifier:
    cache = JwksCache(
        provider.jwks_url, ttl_seconds=300, min_refetch_seconds=30, clock=clock or time.monotonic
    )
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=cache, leeway_seconds=0)


def test_a_token_signed_by_the_identity_provider_names_its_client_and_scopes(identity_provider):
    verified = verifier_for(identity_provider).verify(identity_provider.token("parkeerapp-client"))

    assert verified.client_id == "parkeerapp-client"
    assert verified.issuer == ISSUER
    assert verified.scopes == {"rights:write", "rights:read"}


def test_an_ec_signed_token_is_accepted_too(identity_provider):
    es_key = next(key for key in identity_provider.keys if key.algorithm == "ES256")

    verified = verifier_for(identity_provider).verify(identity_provider.token(key=es_key))

    assert verified.client_id == "parkeerapp-client"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": int(time.time()) - 60}, "expired"),
        ({"aud": "another-api"}, "audience"),
        ({"iss": "https://evil.example.test/realms/vptr"}, "issued"),
        ({"nbf": int(time.time()) + 30 * 86400}, "not valid yet"),  # far: computed at collection
        ({"exp": None}, "exp"),
        ({"azp": None}, "names no client"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "not-yet-valid", "no-expiry", "no-client"],
)
def test_a_token_with_a_bad_claim_is_refused_naming_the_claim(identity_provider, overrides, reason):
    token = identity_provider.token(**overrides)

    with pytest.raises(TokenError, match=reason):
        verifier_for(identity_provider).verify(token)


def test_a_token_signed_with_a_key_the_jwks_does_not_publish_is_refused(identity_provider):
    stranger = SigningKey("RS256", kid="not-published")

    with pytest.raises(TokenError, match="unknown key id"):
        verifier_for(identity_provider).verify(identity_provider.token(key=stranger))


def test_a_token_whose_claims_were_altered_after_signing_is_refused(identity_provider):
    header, payload, signature = identity_provider.token("small-provider").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["azp"] = "big-municipality-admin"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(TokenError, match="signature"):
        verifier_for(identity_provider).verify(f"{header}.{forged}.{signature}")


def test_a_token_signed_by_another_key_under_a_published_key_id_is_refused(identity_provider):
    published = identity_provider.keys[0]
    impostor = SigningKey("RS256", kid=published.kid)

    with pytest.raises(TokenError, match="signature"):
        verifier_for(identity_provider).verify(identity_provider.token(key=impostor))


def test_an_unsigned_token_is_refused(identity_provider):
    claims = jwt.decode(identity_provider.token(), options={"verify_signature": False})
    kid = identity_provider.keys[0].kid
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": kid})

    with pytest.raises(TokenError, match="'none' is not accepted"):
        verifier_for(identity_provider).verify(unsigned)


def test_an_hmac_token_made_with_the_public_key_as_secret_is_refused(identity_provider):
    """The classic algorithm confusion: HS256 keyed with the RSA public key everyone knows."""
    rsa_key = identity_provider.keys[0]
    public_pem = rsa_key.private.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    claims = jwt.decode(identity_provider.token(), options={"verify_signature": False})
    header = {"kid": rsa_key.kid, "alg": "HS256", "typ": "JWT"}
    signing_input = b".".join(_b64(json.dumps(part).encode()) for part in (header, claims))
    signature = _b64(hmac.new(public_pem, signing_input, hashlib.sha256).digest())
    confused = (signing_input + b"." + signature).decode()

    with pytest.raises(TokenError, match="'HS256' is not accepted"):
        verifier_for(identity_provider).verify(confused)


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def test_a_token_whose_header_names_another_algorithm_than_its_key_is_refused(identity_provider):
    rsa_key = identity_provider.keys[0]
    lying = SigningKey("ES256", kid=rsa_key.kid)

    with pytest.raises(TokenError, match="signs with RS256, not ES256"):
        verifier_for(identity_provider).verify(identity_provider.token(key=lying))


def test_garbage_is_refused_as_not_a_jwt(identity_provider):
    with pytest.raises(TokenError, match="not a JWT"):
        verifier_for(identity_provider).verify("eyJhbGciOi.not-base64!.x")


def test_a_verifier_cannot_be_configured_to_accept_symmetric_or_no_signatures(identity_provider):
    cache = JwksCache(identity_provider.jwks_url)
    for algorithms in (["HS256"], ["RS256", "none"], []):
        with pytest.raises(ValueError, match="asymmetric"):
            TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=cache, algorithms=algorithms)


def test_the_key_set_is_fetched_once_for_many_tokens(identity_provider):
    verifier = verifier_for(identity_provider)

    for client in ("a", "b", "c", "d", "e"):
        verifier.verify(identity_provider.token(client))

    assert identity_provider.requests == 1


def test_a_rotated_key_is_picked_up_without_waiting_for_the_cache_to_expire(identity_provider):
    clock = FakeClock()
    verifier = verifier_for(identity_provider, clock)
    verifier.verify(identity_provider.token())
    new_key = SigningKey("RS256")
    identity_provider.keys = [new_key]
    clock.now += 31  # past the refetch floor, far within the time to live

    verified = verifier.verify(identity_provider.token("after-rotation", key=new_key))

    assert verified.client_id == "after-rotation"
    assert identity_provider.requests == 2


def test_unknown_key_ids_cannot_force_a_refetch_on_every_request(identity_provider):
    clock = FakeClock()
    verifier = verifier_for(identity_provider, clock)
    verifier.verify(identity_provider.token())
    made_up = [SigningKey("RS256", kid=f"made-up-{i}") for i in range(3)]

    for key in made_up:
        with pytest.raises(TokenError, match="unknown key id"):
            verifier.verify(identity_provider.token(key=key))

    assert identity_provider.requests == 1


def test_the_key_set_is_refetched_after_its_time_to_live(identity_provider):
    clock = FakeClock()
    verifier = verifier_for(identity_provider, clock)
    verifier.verify(identity_provider.token())
    clock.now += 301

    verifier.verify(identity_provider.token())

    assert identity_provider.requests == 2


def test_known_keys_keep_working_while_the_identity_provider_is_down(identity_provider):
    clock = FakeClock()
    verifier = verifier_for(identity_provider, clock)
    verifier.verify(identity_provider.token())
    identity_provider.available = False
    clock.now += 301

    assert verifier.verify(identity_provider.token("still-in")).client_id == "still-in"


def test_without_any_keys_an_unreachable_identity_provider_is_reported_as_such(identity_provider):
    identity_provider.available = False

    with pytest.raises(JwksUnavailableError, match="cannot be fetched"):
        verifier_for(identity_provider).verify(identity_provider.token())


def test_api_keys_and_jwts_are_told_apart(identity_provider):
    assert looks_like_jwt(identity_provider.token())
    assert not looks_like_jwt("vptr_3kQ2mZ0x1c8Gm4i4q0Xw8sY1pN6dT5fR")
