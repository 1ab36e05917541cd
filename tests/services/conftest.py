"""The use cases called as every channel calls them: a :class:`Runtime` over the demo store
(``store``, on each backend) and a :class:`Caller` per demo organisation (``world``), no HTTP
in between.

- ``runtime``: the register as the use cases see it (its read-audit buffer written at the end).
- ``audit_log()``: the audit entries written since the test began (pending reads written first).
- ``antwerpen_tenant``: a second tenant, made by the operator's use case, with one zone; it
  authorises nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from vptr.auth.principal import Principal
from vptr.services import tenants, zones
from vptr.services.runtime import Runtime
from vptr.store import tables
from vptr.store.database import Store

from .world import OVER_KOUTER, OtherTenant, caller


@pytest.fixture
def runtime(store: Store) -> Iterator[Runtime]:
    runtime = Runtime(store)
    yield runtime
    runtime.close()


@pytest.fixture
def audit_log(store: Store, runtime: Runtime) -> Callable[[], list[Any]]:
    """``audit_log()``: the rows of ``audit_events`` written since the fixture was made."""
    a = tables.audit_events.c
    with store.reading() as connection:
        mark = connection.execute(sa.select(sa.func.coalesce(sa.func.max(a.id), 0))).scalar_one()

    def entries() -> list[Any]:
        runtime.flush_audit()
        with store.reading() as connection:
            return connection.execute(sa.select(tables.audit_events).where(a.id > mark)
                                      .order_by(a.id)).all()

    return entries


@pytest.fixture
def antwerpen_tenant(runtime: Runtime) -> OtherTenant:
    """Stad Antwerpen, a tenant the operator created, with one zone (over the point Kouter, as if
    the municipalities shared a border there); it authorised nobody."""
    made = tenants.create(runtime, "Stad Antwerpen", reference="stad-antwerpen")
    principal = Principal(made.organisation, "Stad Antwerpen", frozenset({"areaManager"}))
    zone = zones.create(runtime, caller(principal), {
        "name": "Grens", "zoneKind": "paidParking", "geometry": {"asWKT": OVER_KOUTER}})
    return OtherTenant(principal, zone["id"])
