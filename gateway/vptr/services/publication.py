"""The configuration as a publishing channel reads it: every zone and every regime version the
caller may see, with what the native documents do not carry (each row's version counter and
last change, a zone's children and depth, the regime versions in force per zone). The APDS read
paths (places, right specifications, rate tables) are built on these two questions; who may see
what is the same rule as the native API's (vptr.auth.access.visible_tenants).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from vptr.auth.access import visible_tenants
from vptr.repositories import apds as repository
from vptr.services.runtime import Caller, Runtime
from vptr.times import now


@dataclass
class PublishedZone:
    document: dict[str, Any]
    tenant: str
    version: int
    modified: datetime
    created: datetime
    layer: int = 0
    #: When its validity ended, if it has (a channel that deletes logically shows it deleted).
    ended: datetime | None = None
    children: list[str] = field(default_factory=list)
    #: The regime versions (IRIs) in force now whose zones contain this zone.
    regimes: list[str] = field(default_factory=list)


@dataclass
class PublishedRegime:
    document: dict[str, Any]  # one regime version
    tenant: str
    regime: str  # the regime across versions (isVersionOf)
    version: int
    valid_from: datetime
    valid_to: datetime | None
    created: datetime
    newest: bool
    #: When its validity ended, if it has (a channel that deletes logically shows it deleted).
    ended: datetime | None = None


@dataclass
class Configuration:
    zones: dict[str, PublishedZone]
    regimes: list[PublishedRegime]  # every version, oldest first per regime

    def zone_version(self, iri: str) -> int:
        zone = self.zones.get(iri)
        return zone.version if zone else 1


def configuration(runtime: Runtime, caller: Caller) -> Configuration:
    """Every zone and regime version of the tenants the caller may see."""
    moment = now()
    with runtime.store.reading() as connection:
        tenants = visible_tenants(connection, caller.principal, moment)
        zone_rows = repository.zone_rows(connection, tenants)
        regime_rows = repository.regime_rows(connection, tenants)
    zones = {row.id: PublishedZone(row.document, row.tenant_id, row.version, row.updated_at,
                                   row.created_at, ended=row.valid_to if row.valid_to
                                   is not None and row.valid_to <= moment else None)
             for row in zone_rows}
    for zone in zones.values():
        for parent in zone.document.get("parentZones", []):
            if parent in zones:
                zones[parent].children.append(zone.document["id"])
    for iri, zone in zones.items():
        zone.layer = _depth(zones, iri)
    newest: dict[str, int] = {}
    for row in regime_rows:
        newest[row.regime_id] = max(newest.get(row.regime_id, 0), row.version_number)
    regimes = []
    for row in regime_rows:
        regimes.append(PublishedRegime(row.document, row.tenant_id, row.regime_id,
                                       row.version_number, row.valid_from, row.valid_to,
                                       row.created_at, row.version_number == newest[row.regime_id],
                                       ended=row.valid_to if row.valid_to is not None
                                       and row.valid_to <= moment else None))
        if row.valid_from <= moment and (row.valid_to is None or row.valid_to > moment):
            for zone_iri in row.document.get("zones", []):
                if zone_iri in zones:
                    zones[zone_iri].regimes.append(row.id)
    return Configuration(zones, regimes)


def _depth(zones: dict[str, PublishedZone], iri: str) -> int:
    depth, seen = 0, {iri}
    current = zones[iri]
    while current.document.get("parentZones"):
        parent = current.document["parentZones"][0]
        if parent not in zones or parent in seen:
            break
        seen.add(parent)
        depth += 1
        current = zones[parent]
    return depth
