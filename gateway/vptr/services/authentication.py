"""Who is asking: the same credentials on every channel (API keys and OAuth2 client-credentials
JWTs), so a provider integrating through APDS or NPR messages uses the key it has for the native
API.

What an API key resolves to is remembered by each instance for at most ``auth_cache_seconds``
(vptr.auth.cache), so a change of roles or a revoked key takes effect on every instance within
that bound; JWTs are verified on every request.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import httpx

from vptr.auth.cache import credential_key
from vptr.auth.jwt import JwksCache, JwksUnavailableError, TokenError, TokenVerifier, looks_like_jwt
from vptr.auth.principal import (
    Principal,
    principal_for_key,
    principal_for_organisation,
    principal_for_token,
)
from vptr.errors import Unauthorised, Unavailable
from vptr.services.runtime import Runtime
from vptr.settings import Settings


def remembered(runtime: Runtime, credential: str) -> Principal | None:
    """The principal behind an API key this instance resolved less than ``auth_cache_seconds``
    ago, without any I/O (None for a JWT, which is verified every time)."""
    if looks_like_jwt(credential):
        return None
    return runtime.principals.get(credential_key(credential))


def authenticate(runtime: Runtime, credential: str | None) -> Principal:
    """The principal behind a credential, or :class:`Unauthorised` saying what is wrong
    (blocking: reads the store unless the key is remembered)."""
    if credential is None:
        raise Unauthorised("send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'")
    known = remembered(runtime, credential)
    if known is not None:
        return known
    store = runtime.store
    store.ensure_ready()
    with store.engine.connect() as connection:
        if looks_like_jwt(credential):
            return principal_for_token(runtime.token_verifier, connection, credential)
        principal = principal_for_key(connection, credential)
    if principal is None:
        raise Unauthorised("the API key is unknown or revoked")
    runtime.principals.put(credential_key(credential), principal)
    return principal


def acting_for(runtime: Runtime, organisation: str) -> Principal:
    """The principal of an organisation a person logged in to a channel acts for (the web app's
    staff: their identity provider, or the demo, names the organisation), with the roles stored
    with it; :class:`Unauthorised` for an unknown organisation."""
    store = runtime.store
    store.ensure_ready()
    with store.engine.connect() as connection:
        principal = principal_for_organisation(connection, organisation)
    if principal is None:
        raise Unauthorised(f"no organisation {organisation}")
    return principal


# --- staff of an area manager, logged in through the identity provider (the web app) ---------

@dataclass(frozen=True)
class StaffMember:
    """A person logged in through the identity provider, and the organisation they act for."""

    principal: Principal
    person: str  # how the audit log names them: "Name (login)"


def staff_login_enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_jwks_url
                and settings.web_oidc_authorization_url and settings.web_oidc_token_url
                and settings.web_oidc_client_id)


_staff_verifiers: WeakKeyDictionary[Runtime, TokenVerifier] = WeakKeyDictionary()
_staff_lock = threading.Lock()


def _staff_verifier(runtime: Runtime) -> TokenVerifier:
    """The verifier of ID tokens issued to the web app's client (kept per runtime: it holds the
    identity provider's keys)."""
    settings = runtime.settings
    with _staff_lock:
        verifier = _staff_verifiers.get(runtime)
        if verifier is None:
            verifier = TokenVerifier(
                issuer=str(settings.oidc_issuer), audience=str(settings.web_oidc_client_id),
                jwks=JwksCache(str(settings.oidc_jwks_url),
                               ttl_seconds=settings.oidc_jwks_ttl_seconds),
                algorithms=settings.oidc_algorithms, client_id_claims=("azp", "sub"),
                leeway_seconds=settings.oidc_leeway_seconds)
            _staff_verifiers[runtime] = verifier
        return verifier


def staff_login(runtime: Runtime, code: str, redirect_uri: str, code_verifier: str,
                nonce: str) -> StaffMember:
    """Redeems an authorisation code at the identity provider's token endpoint (with the PKCE
    verifier), verifies the ID token (signature, issuer, audience: the web app's client, expiry,
    the nonce of this login) and answers the person and the organisation its claim names;
    :class:`Unauthorised` for anything wrong, :class:`Unavailable` when the provider does not
    answer."""
    settings = runtime.settings
    if not staff_login_enabled(settings):
        raise Unauthorised("logging in through an identity provider is not configured")
    secret = settings.web_oidc_client_secret
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "client_id": str(settings.web_oidc_client_id), "code_verifier": code_verifier}
    if secret is not None:
        form["client_secret"] = secret.get_secret_value()
    try:
        answer = httpx.post(str(settings.web_oidc_token_url), data=form, timeout=10.0)
    except httpx.HTTPError as exc:
        raise Unavailable(f"the identity provider does not answer: {exc}") from exc
    if answer.status_code != 200:
        raise Unauthorised(f"the identity provider refused the code ({answer.status_code})")
    try:
        id_token = answer.json()["id_token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise Unauthorised("the identity provider answered no ID token") from exc
    try:
        verified = _staff_verifier(runtime).verify(str(id_token))
    except JwksUnavailableError as exc:
        raise Unavailable(str(exc)) from exc
    except TokenError as exc:
        raise Unauthorised(f"the ID token is refused: {exc}") from exc
    claims = verified.claims
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Unauthorised("the ID token is not the answer to this login (nonce)")
    named = claims.get(settings.web_oidc_organisation_claim)
    if not isinstance(named, str) or not named:
        raise Unauthorised(f"the ID token names no organisation "
                           f"({settings.web_oidc_organisation_claim})")
    organisation = named if "/" in named else runtime.store.iris.of("organisation", named)
    login = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    name = str(claims.get("name") or login)
    return StaffMember(acting_for(runtime, organisation), f"{name} ({login})")
