"""A new tenant (vptr.services.tenants.create) is the operator's act: it gets its own plate key and
a first API key that acts as its area manager, and sees nothing of the other tenants."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from vptr.errors import Conflict
from vptr.paging import Page
from vptr.services import demo, tenants, zones
from vptr.services.authentication import authenticate
from vptr.store import tables

from .world import caller, pseudonym


def test_a_new_tenant_gets_a_working_key_and_a_plate_key_of_its_own(store, runtime, count_rows):
    before = count_rows("tenant_keys")

    made = tenants.create(runtime, "Stad Brugge", reference="stad-brugge", nis_code="31005")

    principal = authenticate(runtime, made.api_key)
    assert made.organisation == demo.ID + "organisation/stad-brugge"
    assert (principal.organisation, principal.tenant) == (made.organisation, made.organisation)
    assert principal.is_area_manager
    assert count_rows("tenant_keys") == before + 1
    assert pseudonym(store, made.organisation, "1ABC123") != pseudonym(store, demo.GENT,
                                                                      "1ABC123")
    with store.reading() as connection:
        document = connection.execute(sa.select(tables.organisations.c.document).where(
            tables.organisations.c.id == made.organisation)).scalar_one()
    assert document["identifiers"][0]["notation"] == "31005"
    assert zones.listing(runtime, caller(principal), zones.Filter(), Page(1, 10)) == ([], 0)


def test_a_tenant_is_created_once(runtime, count_rows):
    tenants.create(runtime, "Stad Brugge", reference="stad-brugge")
    before = count_rows("organisations"), count_rows("api_keys")
    with pytest.raises(Conflict):
        tenants.create(runtime, "Stad Brugge", reference="stad-brugge")
    assert (count_rows("organisations"), count_rows("api_keys")) == before
