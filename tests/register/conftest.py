"""Fixtures of the register's specifications: a second tenant, and small request builders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from vptr.register import organisations, zones
from vptr.register.demo import ID, PARKPLUS, ZONE_ROOD
from vptr.register.store import Store
from vptr.security.api_keys import issue_key

ANTWERPEN = ID + "organisation/stad-antwerpen"
ZONE_ANTWERPEN = ID + "zone/antwerpen-centrum"


@dataclass
class Tenant:
    organisation: str
    zone: str
    client: TestClient


@pytest.fixture
def antwerpen(store: Store, app: FastAPI) -> Tenant:
    """A second tenant (Antwerpen) with one zone and its own API key; it authorises nobody."""
    with store.transaction() as connection:
        organisations.create_tenant(connection, store.iris, {
            "id": ANTWERPEN, "name": "Stad Antwerpen", "roles": ["areaManager"]})
        zones.create(connection, store.iris, ANTWERPEN, {
            "id": ZONE_ANTWERPEN, "name": "Centrum", "zoneKind": "paidParking",
            "geometry": {"asWKT": "POLYGON ((4.39 51.21, 4.41 51.21, 4.41 51.225, 4.39 51.225, "
                                  "4.39 51.21))"}})
        key = issue_key(connection, ANTWERPEN, "test").key
    return Tenant(ANTWERPEN, ZONE_ANTWERPEN,
                  TestClient(app, headers={"Authorization": f"Bearer {key}"}))


def instant(minutes_from_now: int) -> str:
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes_from_now)
    return moment.isoformat().replace("+00:00", "Z")


def right_body(plate: str = "1XYZ987", zone: str = ZONE_ROOD, reference: str | None = None,
               start: int = -5, end: int = 55, **extra: Any) -> dict[str, Any]:
    """A Right as a parking app sends it: the register fills in id, status and provider."""
    body: dict[str, Any] = {
        "type": "Right", "rightKind": "parking", "zone": zone, "channel": "app",
        "vehicle": {"licencePlate": {"plateNumber": plate, "country": "BE"}},
        "validityPeriod": {"startTime": instant(start), "endTime": instant(end)},
        "amountPaid": {"value": "2.50", "currency": "EUR"},
    }
    if reference is not None:
        body["clientReference"] = reference
    body.update(extra)
    return body


@pytest.fixture
def count_rows(store: Store) -> Callable[[str], int]:
    """How many rows a table holds (to show that a refused request stored nothing)."""
    import sqlalchemy as sa

    def count(table: str) -> int:
        with store.reading() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    return count


__all__ = ["ANTWERPEN", "PARKPLUS", "ZONE_ANTWERPEN", "Tenant", "instant", "right_body"]
