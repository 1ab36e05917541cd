"""The NPR gateway's tests: every answer the gateway produces while they run is validated against
registration.xsd before it leaves (``vptr.npr.schema.CHECK_RESPONSES``), so an answer that does
not conform fails the test that caused it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from vptr.npr import schema


@pytest.fixture(autouse=True)
def validated_responses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(schema, "CHECK_RESPONSES", True)
    yield


def next_monday(hour_utc: int) -> datetime:
    """A Monday at least a day ahead, at ``hour_utc`` (paid hours in Gent are 09-18 local)."""
    day = datetime.now(UTC).date() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


def z(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


Call = Callable[..., tuple[int, dict[str, Any]]]


@pytest.fixture
def npr_as(client_as: Callable[[str], TestClient]) -> Callable[[str], Call]:
    """``npr_as("provider")("CheckPSRight", {...request data...})``: (status, response data or
    error) through the JSON channel."""

    def for_role(role: str) -> Call:
        client = client_as(role)

        def call(operation: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            from vptr.npr.operations import operations
            op = operations()[operation]
            response = client.post(f"/npr/{operation}", json={op.request_data: data})
            body = response.json()[op.response]
            return response.status_code, body.get(op.response_data) or body[op.response_error]

        return call

    return for_role
