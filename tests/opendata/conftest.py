"""Fixtures of the open data's specifications: ``public`` is a client without credentials over
the demo store (both backends, via the root ``app`` fixture); ``publish`` changes the register
as its area manager does (through the native API)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ZONE = "https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood"
ZONE_PATH = "/id/zone/gent-rood"
REGIME_V1 = "/id/regime/gent-rood-betalend/1"
GENT_PATH = "/id/organisation/stad-gent"


@pytest.fixture
def public(client_as: Callable[[str], TestClient]) -> TestClient:
    return client_as("anonymous")


@pytest.fixture
def manager(client_as: Callable[[str], TestClient]) -> TestClient:
    return client_as("area-manager")


def new_zone(reference: str, name: str = "Proefzone", **extra: Any) -> dict[str, Any]:
    return {"type": "Zone", "id": f"https://data.parkeerregister.vlaanderen.be/id/zone/{reference}",
            "name": name, "zoneKind": "paidParking",
            "geometry": {"asWKT": "POLYGON ((3.70 51.04, 3.71 51.04, 3.71 51.05, 3.70 51.04))"},
            **extra}
