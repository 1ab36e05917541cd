"""Who is asking: the same credentials on every channel (API keys and OAuth2 client-credentials
JWTs), so a provider integrating through APDS or NPR messages uses the key it has for the native
API.

What an API key resolves to is remembered by each instance for at most ``auth_cache_seconds``
(vptr.auth.cache), so a change of roles or a revoked key takes effect on every instance within
that bound; JWTs are verified on every request.
"""

from __future__ import annotations

from vptr.auth.cache import credential_key
from vptr.auth.jwt import looks_like_jwt
from vptr.auth.principal import (
    Principal,
    principal_for_key,
    principal_for_organisation,
    principal_for_token,
)
from vptr.errors import Unauthorised
from vptr.services.runtime import Runtime


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
