"""Fixtures and builders of the register's specifications (the shared ones, such as the second
tenant ``antwerpen``, are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from vptr.services.demo import ZONE_ROOD
from vptr.store.database import Store


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

