"""Who is asking (vptr.services.authentication): the same API keys on every channel; an unknown,
malformed or missing credential is unauthorised; a resolved key is remembered by the instance,
a JWT never is."""

from __future__ import annotations

import pytest

from vptr.errors import Unauthorised
from vptr.services import demo
from vptr.services.authentication import authenticate, remembered
from vptr.services.demo import CREDENTIALS, credential


@pytest.mark.parametrize("item", CREDENTIALS, ids=[c.role for c in CREDENTIALS])
def test_each_demo_key_is_its_organisation_with_its_roles(runtime, item):
    expected = {"area-manager": {"areaManager", "provider"}, "provider": {"provider"},
                "provider-limited": {"provider"}, "enforcement": {"enforcement"}}[item.role]
    principal = authenticate(runtime, item.key)
    assert (principal.organisation, set(principal.roles)) == (item.organisation, expected)
    assert principal.tenant == (demo.GENT if item.role == "area-manager" else None)


@pytest.mark.parametrize("credential_", [
    None, "", "vptr_demoparkplus_NotTheRightSecretAtAll", "not-a-key",
    "vptr_unknownprefix_SomeSecretLongEnough123"],
    ids=["missing", "empty", "wrong-secret", "malformed", "unknown-prefix"])
def test_anything_but_a_known_key_is_unauthorised(runtime, credential_):
    with pytest.raises(Unauthorised):
        authenticate(runtime, credential_)
    if credential_:
        assert remembered(runtime, credential_) is None


def test_a_resolved_key_is_remembered_and_a_jwt_never(runtime):
    key = credential("enforcement").key
    assert remembered(runtime, key) is None
    principal = authenticate(runtime, key)
    assert remembered(runtime, key) == principal
    assert remembered(runtime, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln") is None
