"""From a verified OAuth2 token to a register organisation and the roles it acts with.

The identity provider knows clients, the register knows organisations: ``oidc_clients`` links one
to the other, per issuer (``vptr oidc link``). The roles are the organisation's roles in the
register, read from the store like for API keys, so the identity provider cannot grant more than
the register does. A token may narrow them: if its scopes name any ``vptr:<role>``, the client acts
with only those of the organisation's roles (a municipality's scan-car client gets
``vptr:enforcement`` and cannot change zones). A token with no ``vptr:`` scope acts with all.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from vptr.auth.jwt import JwksCache, JwksUnavailableError, TokenError, TokenVerifier, VerifiedToken
from vptr.errors import Unauthorised, Unavailable
from vptr.settings import Settings
from vptr.store import tables
from vptr.store.tables import oidc_clients
from vptr.times import now

ROLE_SCOPE_PREFIX = "vptr:"



class IdentityProviderUnavailableError(Unavailable):
    """The identity provider's keys cannot be fetched, so no token can be checked: retry later."""


def verifier_from_settings(settings: Settings) -> TokenVerifier | None:
    """The verifier the settings describe, or None when OIDC is not configured."""
    if not (settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url):
        return None
    cache = JwksCache(settings.oidc_jwks_url, ttl_seconds=settings.oidc_jwks_ttl_seconds)
    return TokenVerifier(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        jwks=cache,
        algorithms=settings.oidc_algorithms,
        client_id_claims=settings.oidc_client_id_claims,
        scope_claim=settings.oidc_scope_claim,
        leeway_seconds=settings.oidc_leeway_seconds,
    )


def link_client(connection: Connection, issuer: str, client_id: str, organisation: str) -> None:
    """Let ``client_id`` of ``issuer`` act for ``organisation`` (replacing an earlier link)."""
    org = tables.organisations.c
    if connection.execute(select(org.id).where(org.id == organisation)).first() is None:
        raise LookupError(f"no organisation {organisation}")
    clients = oidc_clients
    connection.execute(
        clients.delete().where(clients.c.issuer == issuer, clients.c.client_id == client_id)
    )
    connection.execute(clients.insert().values(
        issuer=issuer, client_id=client_id, organisation_id=organisation, created_at=now(),
    ))


def organisation_for_client(connection: Connection, issuer: str, client_id: str) -> str | None:
    clients = oidc_clients.c
    return connection.execute(
        select(clients.organisation_id)
        .where(clients.issuer == issuer, clients.client_id == client_id)
    ).scalar_one_or_none()


#: The APDS v4 OAuth2 scopes (apds4.yaml securitySchemes) and the register's roles they name.
APDS_SCOPES = {"po": "areaManager", "sp": "provider", "ep": "enforcement"}


def narrowed_roles(roles: frozenset[str], token: VerifiedToken) -> frozenset[str]:
    """The organisation's roles, limited to those the token's ``vptr:`` scopes (or the APDS
    scopes ``po``, ``sp``, ``ep``) name, if any."""
    asked = {s[len(ROLE_SCOPE_PREFIX):] for s in token.scopes if s.startswith(ROLE_SCOPE_PREFIX)}
    asked |= {APDS_SCOPES[s] for s in token.scopes if s in APDS_SCOPES}
    return roles & asked if asked else roles


def organisation_for_token(verifier: TokenVerifier | None, connection: Connection, token: str
                           ) -> tuple[str, VerifiedToken]:
    """The organisation a bearer JWT acts for, with the verified token; 401 naming what is wrong
    with the token, 503 when the identity provider's keys cannot be had."""
    if verifier is None:
        raise Unauthorised("this register accepts API keys only: OIDC tokens are not configured")
    try:
        token_info = verifier.verify(token)
    except JwksUnavailableError as exc:
        raise IdentityProviderUnavailableError(exc.reason) from exc
    except TokenError as exc:
        raise Unauthorised(exc.reason) from exc
    organisation = organisation_for_client(connection, token_info.issuer, token_info.client_id)
    if organisation is None:
        raise Unauthorised(f"client {token_info.client_id!r} is not linked to an organisation "
                           "of the register (vptr oidc link)")
    return organisation, token_info
