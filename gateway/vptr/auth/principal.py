"""The caller of a request, whatever the channel: an organisation and the roles it plays.

API keys (``Authorization: Bearer <key>`` or ``X-API-Key``) and, when OIDC is configured,
client-credentials JWTs as Bearer tokens (vptr.auth.oidc). Roles come from the
Organisation's ``roles`` in the store. What an API key resolves to is remembered by each instance
for at most ``auth_cache_seconds`` (vptr.auth.cache), so a change of roles or a revoked
key takes effect on every instance within that bound; JWTs are verified on every request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, select

from vptr.auth.api_keys import organisation_for_key
from vptr.auth.jwt import TokenVerifier
from vptr.auth.oidc import narrowed_roles, organisation_for_token
from vptr.errors import Unauthorised
from vptr.store import tables

AREA_MANAGER = "areaManager"
PROVIDER = "provider"
ENFORCEMENT = "enforcement"


@dataclass(frozen=True)
class Principal:
    organisation: str
    name: str
    roles: frozenset[str]

    @property
    def is_area_manager(self) -> bool:
        return AREA_MANAGER in self.roles

    @property
    def is_provider(self) -> bool:
        return PROVIDER in self.roles

    @property
    def is_enforcement(self) -> bool:
        return ENFORCEMENT in self.roles

    @property
    def tenant(self) -> str | None:
        """The tenant an area manager administers: its own organisation."""
        return self.organisation if self.is_area_manager else None


def principal_for_key(connection, key: str) -> Principal | None:
    organisation = organisation_for_key(connection, key)
    if organisation is None:
        return None
    return principal_for_organisation(connection, organisation)


def principal_for_token(verifier: TokenVerifier | None, connection: Connection, token: str
                        ) -> Principal:
    """The caller behind an OAuth2 client-credentials JWT (vptr.auth.oidc), its roles
    narrowed by the token's ``vptr:`` scopes; 401 for a token that does not verify."""
    organisation, token_info = organisation_for_token(verifier, connection, token)
    principal = principal_for_organisation(connection, organisation)
    if principal is None:
        raise Unauthorised(f"client {token_info.client_id!r} is linked to an unknown organisation")
    return replace(principal, roles=narrowed_roles(principal.roles, token_info))


def principal_for_organisation(connection: Connection, organisation: str) -> Principal | None:
    org = tables.organisations
    row = connection.execute(
        select(org.c.name, org.c.is_area_manager, org.c.is_provider, org.c.is_enforcement)
        .where(org.c.id == organisation)
    ).first()
    if row is None:
        return None
    roles = {role for role, has in ((AREA_MANAGER, row.is_area_manager),
                                    (PROVIDER, row.is_provider),
                                    (ENFORCEMENT, row.is_enforcement)) if has}
    return Principal(organisation, row.name, frozenset(roles))
