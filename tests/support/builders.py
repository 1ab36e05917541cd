"""Request bodies as clients send them, for the specifications of the API and the services (the
fixtures, such as the second tenant ``antwerpen`` and ``count_rows``, are in tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from vptr.services.demo import ZONE_ROOD


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

