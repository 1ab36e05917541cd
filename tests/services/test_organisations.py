"""Organisations and authorisations (vptr.services.organisations): one directory every caller
reads; an area manager registers providers and enforcement services and alone changes them,
removes them and issues their keys; a tenant is never made or removed here. An authorisation is
seen by its grantor and grantee only, and only the grantor changes or withdraws it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from vptr.errors import Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.services import demo, organisations
from vptr.services.authentication import authenticate
from vptr.store import tables
from vptr.times import now

from .world import GENT, METERS, PARKPLUS, SCANMOBIEL, caller

PAGE = Page(1, 50)
PARKPLUS_AUTHORISATION = demo.ID + "authorisation/gent-parkplus"


def provider_body(**extra):
    return {"name": "Parkeer Snel BV", "roles": ["provider"], **extra}


def test_an_area_manager_registers_a_provider_that_everyone_finds(runtime, count_rows):
    before = count_rows("organisations")

    created = organisations.create(runtime, caller(GENT), provider_body())

    assert count_rows("organisations") == before + 1
    assert organisations.get(runtime, caller(SCANMOBIEL), created["id"])["name"] == \
        "Parkeer Snel BV"
    listed, _ = organisations.listing(runtime, caller(METERS), PAGE, role="provider")
    assert created["id"] in {o["id"] for o in listed}


def test_nobody_registers_a_tenant_or_anything_without_being_an_area_manager(runtime,
                                                                            count_rows):
    before = count_rows("organisations")
    with pytest.raises(Forbidden):
        organisations.create(runtime, caller(PARKPLUS), provider_body())
    with pytest.raises(Forbidden):
        organisations.create(runtime, caller(GENT), provider_body(roles=["areaManager"]))
    with pytest.raises(Forbidden):
        organisations.delete(runtime, caller(GENT), demo.GENT)
    with pytest.raises(Invalid) as bad_role:
        organisations.listing(runtime, caller(GENT), PAGE, role="mayor")
    assert [e.field for e in bad_role.value.errors] == ["role"]
    assert count_rows("organisations") == before


def test_only_the_registrar_issues_keys_and_the_key_is_kept_only_as_a_hash(
        store, runtime, antwerpen_tenant, count_rows):
    before = count_rows("api_keys")
    with pytest.raises(Forbidden):
        organisations.issue_api_key(runtime, caller(antwerpen_tenant.principal), demo.PARKPLUS,
                                    "stolen")
    with pytest.raises(Forbidden):
        organisations.issue_api_key(runtime, caller(PARKPLUS), demo.PARKPLUS, "self-made")
    assert count_rows("api_keys") == before

    with pytest.raises(Invalid) as too_long:  # refused, not cut to the bound
        organisations.issue_api_key(runtime, caller(GENT), demo.PARKPLUS,
                                    "x" * (organisations.MAX_KEY_LABEL + 1))
    assert too_long.value.errors[0].field == "label"
    assert count_rows("api_keys") == before

    issued = organisations.issue_api_key(runtime, caller(GENT), demo.PARKPLUS,
                                         "x" * organisations.MAX_KEY_LABEL)

    assert authenticate(runtime, issued.key).organisation == demo.PARKPLUS
    with store.reading() as connection:
        rows = connection.execute(sa.select(tables.api_keys).where(
            tables.api_keys.c.prefix == issued.prefix)).all()
    assert len(rows) == 1 and len(rows[0].label) == organisations.MAX_KEY_LABEL
    secret = issued.key.split("_", 2)[2]
    assert all(secret not in str(v) for v in rows[0]._mapping.values())


def test_another_tenant_changes_no_organisation_it_did_not_register(runtime, antwerpen_tenant):
    antwerpen = caller(antwerpen_tenant.principal)
    with pytest.raises(Forbidden):
        organisations.replace(runtime, antwerpen, demo.PARKPLUS, provider_body())
    with pytest.raises(Forbidden):
        organisations.delete(runtime, antwerpen, demo.PARKPLUS)
    assert organisations.get(runtime, antwerpen, demo.PARKPLUS)["name"] == "ParkPlus NV"


def test_an_authorisation_is_seen_by_its_grantor_and_grantee_only(runtime, antwerpen_tenant):
    assert organisations.get_authorisation(runtime, caller(GENT), PARKPLUS_AUTHORISATION)
    assert organisations.get_authorisation(runtime, caller(PARKPLUS), PARKPLUS_AUTHORISATION)
    for outsider in (METERS, antwerpen_tenant.principal):
        with pytest.raises(NotFound):
            organisations.get_authorisation(runtime, caller(outsider), PARKPLUS_AUTHORISATION)
    received, total = organisations.list_authorisations(runtime, caller(PARKPLUS), PAGE)
    assert [a["id"] for a in received] == [PARKPLUS_AUTHORISATION] and total == 1
    assert organisations.list_authorisations(runtime, caller(antwerpen_tenant.principal),
                                             PAGE) == ([], 0)


def test_only_the_grantor_changes_or_withdraws_an_authorisation(runtime, count_rows):
    before = count_rows("authorisations")
    with pytest.raises(Forbidden):
        organisations.delete_authorisation(runtime, caller(PARKPLUS), PARKPLUS_AUTHORISATION)
    with pytest.raises(Forbidden):
        organisations.replace_authorisation(runtime, caller(PARKPLUS), PARKPLUS_AUTHORISATION,
                                            {"grantee": demo.PARKPLUS, "scopes": ["readRights"]})
    assert count_rows("authorisations") == before
    organisations.delete_authorisation(runtime, caller(GENT), PARKPLUS_AUTHORISATION)
    assert count_rows("authorisations") == before - 1


def test_an_authorisation_is_given_to_a_provider_or_enforcement_only(runtime, count_rows,
                                                                     antwerpen_tenant):
    before = count_rows("authorisations")
    with pytest.raises(Invalid) as refused:
        organisations.create_authorisation(runtime, caller(GENT), {
            "grantee": antwerpen_tenant.principal.organisation, "scopes": ["readRights"]})
    assert [e.field for e in refused.value.errors] == ["grantee"]
    assert count_rows("authorisations") == before


def test_the_registrar_rotates_a_providers_key_with_a_grace_window(runtime):
    old = demo.credential("provider").key
    issued = organisations.rotate_api_key(runtime, caller(GENT), demo.PARKPLUS,
                                          timedelta(hours=1))
    runtime.principals.clear()
    assert authenticate(runtime, issued.key).organisation == demo.PARKPLUS
    assert authenticate(runtime, old).organisation == demo.PARKPLUS  # grace
    states = [k.state(now()) for k in organisations.api_keys(runtime, caller(GENT),
                                                               demo.PARKPLUS)]
    assert sorted(states) == ["active", "expiring"]
    assert all(issued.key not in repr(k) for k in organisations.api_keys(
        runtime, caller(GENT), demo.PARKPLUS))


def test_nobody_but_the_registrar_rotates_keys_and_never_a_tenants(runtime, antwerpen_tenant):
    with pytest.raises(Forbidden):
        organisations.rotate_api_key(runtime, caller(PARKPLUS), demo.PARKPLUS)
    with pytest.raises(Forbidden):
        organisations.rotate_api_key(runtime, caller(antwerpen_tenant.principal), demo.PARKPLUS)
    with pytest.raises(Forbidden):
        organisations.rotate_api_key(runtime, caller(GENT), demo.GENT)
    with pytest.raises(Forbidden):
        organisations.api_keys(runtime, caller(antwerpen_tenant.principal), demo.PARKPLUS)
