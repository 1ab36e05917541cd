"""A register with two tenants, for the isolation specifications: the demo municipality Gent
(zones, regimes, permits, a whitelist, rights, a provider for every zone, a meter vendor for zone
Zuid, an enforcement service) and Antwerpen with a zone, a regime, a permit, a whitelist entry, a
right, a provider it authorised and a provider nobody authorised.

Built once per session into a SQLite file (loading goes through validation, so it takes a while);
each example gets a copy of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from vptr.auth.api_keys import issue_key
from vptr.auth.principal import Principal
from vptr.repositories import organisations, permits, regimes, whitelists, zones
from vptr.services import demo, rights
from vptr.settings import Settings
from vptr.store.database import Store
from vptr.store.db import sqlite_url
from vptr.times import format_instant, now

ID = demo.ID
GENT, ANTWERPEN = demo.GENT, ID + "organisation/stad-antwerpen"
A_PARK, NERGENS = ID + "organisation/a-park", ID + "organisation/nergens-app"
ZONE_ANTWERPEN = ID + "zone/antwerpen-centrum"
SINCE = {"startTime": "2025-01-01T00:00:00+01:00"}


@dataclass(frozen=True)
class Actor:
    """Who calls, with what the model says it was granted: tenant -> zones (None: all)."""

    name: str
    organisation: str | None
    key: str | None
    tenant: str | None = None
    reads: dict[str, frozenset[str] | None] = field(default_factory=dict)
    writes: dict[str, frozenset[str] | None] = field(default_factory=dict)

    def covers(self, grants: dict[str, frozenset[str] | None], tenant: str, zone: str) -> bool:
        return tenant in grants and (grants[tenant] is None or zone in grants[tenant])


def polygon(lon: float, lat: float, size: float = 0.004) -> dict[str, str]:
    ring = [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]
    return {"asWKT": "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"}


def plate_body(plate: str) -> dict:
    return {"licencePlate": {"plateNumber": plate, "country": "BE"}}


def right_body(zone: str, plate: str) -> dict:
    start = now().replace(microsecond=0)
    return {"rightKind": "parking", "zone": zone, "channel": "app", "vehicle": plate_body(plate),
            "validityPeriod": {"startTime": format_instant(start - timedelta(minutes=5)),
                               "endTime": format_instant(start + timedelta(hours=1))}}


def permit_body(zone: str, plate: str, status: str = "active") -> dict:
    return {"permitType": "resident", "holderReference": "holder-ref-000001",
            "vehicles": [plate_body(plate)], "zones": [zone], "permitStatus": status,
            "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00",
                               "endTime": "2030-01-01T00:00:00+01:00"}}


def entry_body(plate: str) -> dict:
    return {"vehicle": plate_body(plate), "description": "stadsvloot"}


def zone_body(name: str, lon: float, lat: float) -> dict:
    return {"name": name, "zoneKind": "paidParking", "geometry": polygon(lon, lat),
            "validityPeriod": SINCE}


def build(path: Path) -> dict[str, Actor]:
    """Load both tenants into a new store at ``path``; returns the actors by name."""
    store = Store(Settings(database_url=sqlite_url(path)))
    store.prepare()
    demo.load_demo(store)
    iris = store.iris
    with store.transaction() as connection:
        organisations.create_tenant(connection, iris, {
            "id": ANTWERPEN, "name": "Stad Antwerpen", "roles": ["areaManager"]})
        for iri, name in ((A_PARK, "A-Park BV"), (NERGENS, "Nergens App")):
            organisations.create(connection, iris, ANTWERPEN,
                                 {"id": iri, "name": name, "roles": ["provider"]})
        zones.create(connection, iris, ANTWERPEN, {
            "id": ZONE_ANTWERPEN, **zone_body("Parkeerzone centrum", 4.40, 51.22)})
        regimes.create(connection, iris, ANTWERPEN, {
            "id": ID + "regime/antwerpen-centrum-betalend", "name": "Betalend parkeren centrum",
            "rightKind": "parking", "usage": "paidParking", "zones": [ZONE_ANTWERPEN],
            "validityPeriod": SINCE,
            "tariff": {"name": "Tarief centrum", "currency": "EUR",
                       "tariffSteps": [{"startDuration": 0, "amount": "0.60", "stepSize": 15}]}})
        organisations.create_authorisation(connection, iris, ANTWERPEN, {
            "id": ID + "authorisation/antwerpen-a-park", "grantee": A_PARK,
            "scopes": ["writeRights", "readRights"], "validityPeriod": SINCE})
        permits.create(connection, iris, ANTWERPEN, permit_body(ZONE_ANTWERPEN, "QN0001"))
        whitelists.create(connection, iris, ANTWERPEN, {
            "name": "Stadsvloot", "zones": [ZONE_ANTWERPEN], "validityPeriod": SINCE,
            "whitelistReason": "municipalFleet", "entries": [entry_body("QN0002")]})
        rights.register_within(connection, iris,
                               Principal(A_PARK, "A-Park BV", frozenset({"provider"})),
                               right_body(ZONE_ANTWERPEN, "QN0003"))
        keys = {org: issue_key(connection, org).key for org in (ANTWERPEN, A_PARK, NERGENS)}
    store.dispose()
    gent_all = {GENT: None}
    return {actor.name: actor for actor in (
        Actor("gent", GENT, demo.credential("area-manager").key, tenant=GENT),
        Actor("parkplus", demo.PARKPLUS, demo.credential("provider").key, reads=gent_all,
              writes=gent_all),
        Actor("meters", demo.METERS, demo.credential("provider-limited").key,
              writes={GENT: frozenset({demo.ZONE_ZUID})}),
        Actor("scan", demo.SCANMOBIEL, demo.credential("enforcement").key, reads=gent_all),
        Actor("antwerpen", ANTWERPEN, keys[ANTWERPEN], tenant=ANTWERPEN),
        Actor("a-park", A_PARK, keys[A_PARK], reads={ANTWERPEN: None},
              writes={ANTWERPEN: None}),
        Actor("nergens", NERGENS, keys[NERGENS]),
        Actor("anonymous", None, None),
    )}
