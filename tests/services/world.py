"""Who asks in the specifications of the use cases: the principals the demo credentials resolve
to, a caller built as a channel builds it, and what to look for in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vptr.auth.principal import Principal
from vptr.services import demo
from vptr.services.runtime import Caller
from vptr.store.database import Store
from vptr.store.plate_keys import hash_for

GENT = Principal(demo.GENT, "Stad Gent", frozenset({"areaManager", "provider"}))
PARKPLUS = Principal(demo.PARKPLUS, "ParkPlus NV", frozenset({"provider"}))
METERS = Principal(demo.METERS, "Parkeerautomaten Vlaanderen BV", frozenset({"provider"}))
SCANMOBIEL = Principal(demo.SCANMOBIEL, "ScanMobiel Handhaving BV", frozenset({"enforcement"}))

#: A zone of Antwerpen that lies over the demo's point Kouter (a municipal border, for the check).
OVER_KOUTER = "POLYGON ((3.70 51.04, 3.75 51.04, 3.75 51.06, 3.70 51.06, 3.70 51.04))"


def caller(principal: Principal, served: Callable[[str], None] | None = None,
           operation: str = "test") -> Caller:
    return Caller(principal, operation=operation, client_address="192.0.2.7", served=served)


def pseudonym(store: Store, tenant: str, plate: str, country: str = "BE") -> str:
    with store.reading() as connection:
        return hash_for(connection, tenant, country, plate)


def assert_no_clear_plate(entries: list[Any], plate: str) -> None:
    for entry in entries:
        assert plate not in " ".join(str(v) for v in entry._mapping.values()), entry


@dataclass(frozen=True)
class OtherTenant:
    principal: Principal
    zone: str
