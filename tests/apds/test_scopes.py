"""The APDS OAuth2 scopes are the register's roles: a client-credentials token carrying ``sp``
acts as the provider only, ``po`` as the area manager, ``ep`` as enforcement; a route refuses a
caller holding none of its operation's scopes (apds4.yaml ``security``)."""

from __future__ import annotations

import pytest

from tests.apds.conftest import session_body, status
from vptr.auth.jwt import VerifiedToken
from vptr.auth.oidc import narrowed_roles

GENT_ROLES = frozenset({"areaManager", "provider"})


def token(*scopes: str) -> VerifiedToken:
    return VerifiedToken("client", "https://idp.example", None, frozenset(scopes), 0, {})


@pytest.mark.parametrize("scopes, roles", [
    (("sp",), {"provider"}),
    (("po",), {"areaManager"}),
    (("po", "sp"), {"areaManager", "provider"}),
    (("ep",), set()),  # Gent is no enforcement organisation
    ((), {"areaManager", "provider"}),  # no role scope: the organisation's roles
    (("vptr:provider", "po"), {"areaManager", "provider"}),
])
def test_apds_scopes_narrow_the_organisations_roles(scopes, roles):
    assert narrowed_roles(GENT_ROLES, token(*scopes)) == roles


def test_an_operation_refuses_a_caller_without_its_scope(client_as):
    # POST /sessions needs sp; ScanMobiel is enforcement only (ep).
    body = status(client_as("enforcement").post("/apds/sessions", json=session_body()), 403)

    assert "sp" in body["message"]
    # POST /places needs po.
    status(client_as("provider").post("/apds/places", json={}), 403)
