"""The demo municipality: Gent, with what a newcomer needs to try every endpoint at once.

- zones with outlines: the paid red zone (Kouter - Veldstraat), a paid zone Zuid, the resident-card
  zone Kouter (inside the red zone) and the low-traffic core Korenmarkt - Graslei;
- regimes: paid parking Monday-Saturday 09:00-18:00 with tariff steps and a day maximum (in two
  versions, so history can be queried), paid parking in Zuid, resident parking, low-traffic access;
- permits (a resident card with a credit, a visitor card), a whitelist of emergency vehicles and the
  city fleet for the low-traffic core;
- two providers (a parking app for every zone, a meter vendor for Zuid only) and an enforcement
  service, each with an authorisation, and two rights running now.

Every organisation has a fixed, documented API key (README, ``vptr demo credentials``). The
documents go through the same code, and the same validation, as the API's writes: the demo is
valid data. Loading is idempotent: a store that already has the demo is left alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from vptr.auth.api_keys import issue_key
from vptr.auth.principal import Principal
from vptr.iris import Iris
from vptr.repositories import (
    change_stream,
    npr,
    organisations,
    permits,
    regimes,
    whitelists,
    zones,
)
from vptr.services import rights
from vptr.store import tables
from vptr.times import format_instant, now

ID = "https://data.parkeerregister.vlaanderen.be/id/"
GENT = ID + "organisation/stad-gent"
PARKPLUS = ID + "organisation/parkplus"
METERS = ID + "organisation/parkeerautomaten-vlaanderen"
SCANMOBIEL = ID + "organisation/scanmobiel"

ZONE_ROOD = ID + "zone/gent-rood"
ZONE_ZUID = ID + "zone/gent-zuid"
ZONE_KOUTER = ID + "zone/gent-bewonerszone-kouter"
ZONE_KERN = ID + "zone/gent-autoluwe-kern"

#: A point inside the red zone and the resident-card zone Kouter (lon, lat), for trying checks.
POINT_KOUTER = (3.7255, 51.0510)
#: Plates the demo knows: one with an app right in the red zone, one with a meter ticket in Zuid,
#: one with a resident card for Kouter, one on the emergency whitelist of the low-traffic core.
PLATE_APP_RIGHT = ("BE", "1ABC123")
PLATE_METER_RIGHT = ("BE", "2DEF456")
PLATE_RESIDENT = ("BE", "1DEF567")
PLATE_WHITELISTED = ("BE", "1AMB112")


@dataclass(frozen=True)
class DemoCredential:
    role: str
    organisation: str
    name: str
    key: str
    can: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


CREDENTIALS = (
    DemoCredential("area-manager", GENT, "Stad Gent", "vptr_demogent_StadGentDemoSleutel2026",
                   "manage zones, regimes, permits, whitelists, providers and authorisations; "
                   "search, report on and export Gent's rights"),
    DemoCredential("provider", PARKPLUS, "ParkPlus NV",
                   "vptr_demoparkplus_ParkPlusDemoSleutel2026",
                   "register, end, revoke and adjust rights in every Gent zone; read and search "
                   "them"),
    DemoCredential("provider-limited", METERS, "Parkeerautomaten Vlaanderen BV",
                   "vptr_demometers_AutomatenDemoSleutel2026",
                   "register rights in zone Zuid only (403 elsewhere); no reading"),
    DemoCredential("enforcement", SCANMOBIEL, "ScanMobiel Handhaving BV",
                   "vptr_demoscan_ScanMobielDemoSleutel2026",
                   "check plates and read rights in every Gent zone"),
)


def credential(role: str) -> DemoCredential:
    for item in CREDENTIALS:
        if item.role == role:
            return item
    raise KeyError(f"no demo role {role!r}; roles: {', '.join(c.role for c in CREDENTIALS)}")


def _polygon(*points: tuple[float, float]) -> dict[str, str]:
    ring = ", ".join(f"{lon} {lat}" for lon, lat in (*points, points[0]))
    return {"asWKT": f"POLYGON (({ring}))"}


def _gis(notation: str) -> list[dict[str, str]]:
    return [{"notation": notation, "identifierScheme": "gisId",
             "schemaAgency": "Stad Gent, dienst Geodata"}]


def organisation_documents() -> list[dict[str, Any]]:
    return [
        {"id": PARKPLUS, "name": "ParkPlus NV", "roles": ["provider"],
         "homepage": "https://www.parkplus.example",
         "identifiers": [{"notation": "0876.543.270", "identifierScheme": "enterpriseNumber",
                          "schemaAgency": "FOD Economie (KBO)"}]},
        {"id": METERS, "name": "Parkeerautomaten Vlaanderen BV", "roles": ["provider"],
         "identifiers": [{"notation": "0654.321.022", "identifierScheme": "enterpriseNumber",
                          "schemaAgency": "FOD Economie (KBO)"}]},
        {"id": SCANMOBIEL, "name": "ScanMobiel Handhaving BV", "roles": ["enforcement"],
         "identifiers": [{"notation": "0412.345.614", "identifierScheme": "enterpriseNumber",
                          "schemaAgency": "FOD Economie (KBO)"}]},
    ]


def zone_documents() -> list[dict[str, Any]]:
    since = {"startTime": "2025-01-01T00:00:00+01:00"}
    return [
        {"id": ZONE_ROOD, "name": "Parkeerzone rood (Kouter - Veldstraat)",
         "zoneKind": "paidParking",
         "description": "Betalend parkeren in de rode zone van de binnenstad.",
         "geometry": _polygon((3.719, 51.05), (3.7215, 51.0555), (3.727, 51.056), (3.73, 51.052),
                              (3.7275, 51.0485), (3.7215, 51.048)),
         "validityPeriod": since, "identifiers": _gis("PZ-ROOD-01"), "capacity": 1450},
        {"id": ZONE_ZUID, "name": "Parkeerzone Zuid", "zoneKind": "paidParking",
         "description": "Betalend parkeren rond het Woodrow Wilsonplein.",
         "geometry": _polygon((3.726, 51.0435), (3.7265, 51.0475), (3.7345, 51.0478),
                              (3.7355, 51.0438)),
         "validityPeriod": since, "identifiers": _gis("PZ-ZUID-01"), "capacity": 600},
        {"id": ZONE_KOUTER, "name": "Bewonerszone Kouter", "zoneKind": "permitParking",
         "description": "Houders van een bewonerskaart Kouter parkeren hier zonder te betalen.",
         "geometry": _polygon((3.7235, 51.05), (3.724, 51.0525), (3.727, 51.0525),
                              (3.728, 51.0505), (3.726, 51.0492)),
         "validityPeriod": since, "parentZones": [ZONE_ROOD], "identifiers": _gis("BZ-KOUTER"),
         "capacity": 220},
        {"id": ZONE_KERN, "name": "Autoluwe kern Korenmarkt - Graslei",
         "zoneKind": "lowTrafficZone",
         "description": "Enkel toegelaten voertuigen rijden de autoluwe kern binnen.",
         "geometry": _polygon((3.7185, 51.0535), (3.719, 51.0565), (3.7235, 51.057),
                              (3.7245, 51.0545), (3.7215, 51.053)),
         "validityPeriod": since, "identifiers": _gis("AK-KERN")},
    ]


_MONDAY_TO_SATURDAY = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def _paid_rood(first_step: str, next_step: str, day_maximum: str, start: str) -> dict[str, Any]:
    return {
        "id": ID + "regime/gent-rood-betalend", "name": "Betalend parkeren rode zone",
        "description": "Betalend parkeren van maandag tot zaterdag van 9 tot 18 uur, "
                       "maximaal 4 uur.",
        "rightKind": "parking", "usage": "paidParking", "regulationType": "base",
        "zones": [ZONE_ROOD], "validityPeriod": {"startTime": start},
        "timeSlots": [{"daysOfWeek": _MONDAY_TO_SATURDAY, "opens": "09:00:00",
                       "closes": "18:00:00"}],
        "exemptDays": [{"calendarDate": "2026-07-20", "name": "Gentse Feesten: lokale feestdag"},
                       {"recurringDay": "publicHoliday"}],
        "maximumDuration": 240, "gracePeriod": 10,
        "gracePeriodBefore": 5,
        "tariff": {"name": "Tarief rode zone", "currency": "EUR", "dayMaximum": day_maximum,
                   "tariffSteps": [
                       {"startDuration": 0, "endDuration": 60, "amount": first_step,
                        "stepSize": 15},
                       {"startDuration": 60, "amount": next_step, "stepSize": 15}]},
        "exemptPermitTypes": ["disabilityCard"],
        "exemptUserClasses": ["emergencyServices"],
    }


def regime_documents() -> list[dict[str, Any]]:
    """The regimes, the red zone's in two versions (the second a price rise in 2026)."""
    return [
        _paid_rood("0.40", "0.80", "10.00", "2025-01-01T00:00:00+01:00"),
        {
            "id": ID + "regime/gent-zuid-betalend", "name": "Betalend parkeren Zuid",
            "rightKind": "parking", "usage": "paidParking", "zones": [ZONE_ZUID],
            "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
            "timeSlots": [{"daysOfWeek": _MONDAY_TO_SATURDAY, "opens": "09:00:00",
                           "closes": "19:00:00"}],
            "exemptDays": [{"recurringDay": "publicHoliday"}], "gracePeriod": 10,
            "tariff": {"name": "Tarief Zuid", "currency": "EUR", "dayMaximum": "8.00",
                       "tariffSteps": [{"startDuration": 0, "amount": "0.25", "stepSize": 15}]},
        },
        {
            "id": ID + "regime/gent-bewoners-kouter", "name": "Bewonersparkeren Kouter",
            "rightKind": "parking", "usage": "permitParking", "regulationType": "additional",
            "zones": [ZONE_KOUTER], "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
            "allowedPermitTypes": ["resident", "visitor", "careGiver"],
        },
        {
            "id": ID + "regime/gent-autoluwe-kern-toegang",
            "name": "Toegang autoluwe kern Korenmarkt - Graslei",
            "rightKind": "access", "usage": "lowTrafficZoneAccess", "zones": [ZONE_KERN],
            "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
            "allowedPermitTypes": ["resident", "business", "publicSpaceOccupation"],
            "allowedUserClasses": ["residents", "deliveries", "taxis"],
            "exemptUserClasses": ["emergencyServices", "publicTransport"],
        },
    ]


def regime_rood_2026() -> dict[str, Any]:
    return _paid_rood("0.50", "1.00", "12.00", "2026-01-01T00:00:00+01:00")


def authorisation_documents() -> list[dict[str, Any]]:
    period = {"startTime": "2025-01-01T00:00:00+01:00", "endTime": "2028-01-01T00:00:00+01:00"}
    return [
        {"id": ID + "authorisation/gent-parkplus", "grantee": PARKPLUS,
         "scopes": ["writeRights", "readRights"], "validityPeriod": period},
        {"id": ID + "authorisation/gent-parkeerautomaten-zuid", "grantee": METERS,
         "scopes": ["writeRights"], "zones": [ZONE_ZUID], "validityPeriod": period},
        {"id": ID + "authorisation/gent-scanmobiel", "grantee": SCANMOBIEL,
         "scopes": ["readRights"], "validityPeriod": period},
    ]


def permit_documents() -> list[dict[str, Any]]:
    year = {"startTime": "2026-01-01T00:00:00+01:00", "endTime": "2027-01-01T00:00:00+01:00"}
    return [
        {"id": ID + "permit/gent-bew-2026-004711", "permitType": "resident",
         "holderReference": "gent-bewoner-7f3a9c21e4",
         "vehicles": [{"licencePlate": {"plateNumber": PLATE_RESIDENT[1],
                                        "country": PLATE_RESIDENT[0]},
                       "fuelType": "petrol", "emissionStandard": "euro6"}],
         "zones": [ZONE_KOUTER], "validityPeriod": year, "permitStatus": "active",
         "credit": {"minutesAvailable": 720, "minutesUsed": 95, "validityPeriod": year}},
        {"id": ID + "permit/gent-bez-2026-000318", "permitType": "visitor",
         "holderReference": "gent-bewoner-2b81d0e7aa",
         "vehicles": [{"licencePlate": {"plateNumber": "1GHI890", "country": "BE"}},
                      {"licencePlate": {"plateNumber": "XY12ZZ", "country": "NL"}}],
         "zones": [ZONE_KOUTER], "validityPeriod": year, "permitStatus": "active"},
    ]


def whitelist_document() -> dict[str, Any]:
    return {
        "id": ID + "whitelist/gent-hulpdiensten",
        "name": "Hulpdiensten en stadsvloot autoluwe kern",
        "zones": [ZONE_KERN], "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
        "whitelistReason": "emergencyServices",
        "entries": [
            {"id": ID + "whitelist-entry/gent-hulpdiensten-ambulance-1",
             "vehicle": {"licencePlate": {"plateNumber": PLATE_WHITELISTED[1],
                                          "country": PLATE_WHITELISTED[0]}},
             "description": "Ziekenwagen AZ Sint-Lucas"},
            {"id": ID + "whitelist-entry/gent-hulpdiensten-brandweer-1",
             "vehicle": {"licencePlate": {"plateNumber": "1BRW100", "country": "BE"}},
             "description": "Brandweerzone Centrum"},
            {"id": ID + "whitelist-entry/gent-stadsvloot-42",
             "vehicle": {"licencePlate": {"plateNumber": "1GNT042", "country": "BE"}},
             "whitelistReason": "municipalFleet", "description": "Dienst Wegen"},
        ],
    }


def right_documents(moment: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Two rights running now: (registering provider, document)."""
    minute = moment.replace(second=0, microsecond=0)
    return [
        (PARKPLUS, {
            "rightKind": "parking", "zone": ZONE_ROOD, "channel": "app",
            "vehicle": {"licencePlate": {"plateNumber": PLATE_APP_RIGHT[1],
                                         "country": PLATE_APP_RIGHT[0]}},
            "validityPeriod": {"startTime": format_instant(minute - timedelta(minutes=30)),
                               "endTime": format_instant(minute + timedelta(minutes=90))},
            "amountPaid": {"value": "4.50", "currency": "EUR"},
            "clientReference": "demo-parkplus-0001",
        }),
        (METERS, {
            "rightKind": "parking", "zone": ZONE_ZUID, "channel": "meter",
            "vehicle": {"licencePlate": {"plateNumber": PLATE_METER_RIGHT[1],
                                         "country": PLATE_METER_RIGHT[0]}},
            "validityPeriod": {"startTime": format_instant(minute - timedelta(minutes=10)),
                               "endTime": format_instant(minute + timedelta(minutes=50))},
            "amountPaid": {"value": "1.00", "currency": "EUR"},
            "clientReference": "demo-meter-0001",
        }),
    ]


#: Gent's codes in the NPR message set (vptr.npr): its AreaManagerId, an AreaId per zone, a
#: RegulationId (and FareCalculationCode) per regime, a meter in Zuid, and its own UsageId for the
#: low-traffic core (paid and permit parking use the national BETAALDP and VERGUNP).
NPR_AREA_MANAGER_ID = "4402"
NPR_AREAS = {ZONE_ROOD: "4402_ROOD", ZONE_ZUID: "4402_ZUID", ZONE_KOUTER: "4402_KOUT",
             ZONE_KERN: "4402_KERN"}
NPR_REGULATIONS = {ID + "regime/gent-rood-betalend": "4402_RBET",
                   ID + "regime/gent-zuid-betalend": "4402_ZBET",
                   ID + "regime/gent-bewoners-kouter": "4402_BEWK",
                   ID + "regime/gent-autoluwe-kern-toegang": "4402_AKT"}
NPR_FARES = {ID + "regime/gent-rood-betalend": "4402_TROOD",
             ID + "regime/gent-zuid-betalend": "4402_TZUID"}
NPR_SELLING_POINTS = {"44020001": ZONE_ZUID}
NPR_USAGES = {"AUTOLUW": ("lowTrafficZoneAccess", "Toegang autoluwe kern")}


def load_npr_codes(connection: Connection) -> None:
    npr.set_code(connection, "areaManager", npr.GLOBAL, NPR_AREA_MANAGER_ID, GENT)
    for kind, table in (("area", NPR_AREAS), ("regulation", NPR_REGULATIONS),
                        ("fare", NPR_FARES)):
        for target, code in table.items():
            npr.set_code(connection, kind, GENT, code, target)
    for code, zone in NPR_SELLING_POINTS.items():
        npr.set_code(connection, "sellingPoint", GENT, code, zone)
    for code, (usage, description) in NPR_USAGES.items():
        npr.set_code(connection, "usage", GENT, code, usage, description)


def is_loaded(connection: Connection) -> bool:
    o = tables.organisations.c
    return connection.execute(select(o.id).where(o.id == GENT)).first() is not None


def load_demo(store: Any, moment: datetime | None = None) -> bool:
    """Loads the demo into the store unless it is there; True when it loaded it."""
    moment = moment or now()
    iris: Iris = store.iris
    with store.transaction() as connection:
        if is_loaded(connection):
            return False
        organisations.create_tenant(connection, iris, {
            "id": GENT, "name": "Stad Gent", "roles": ["areaManager", "provider"],
            "homepage": "https://stad.gent",
            "identifiers": [{"notation": "44021", "identifierScheme": "nisCode",
                             "schemaAgency": "Statbel"}]})
        for document in organisation_documents():
            organisations.create(connection, iris, GENT, document)
        for document in zone_documents():
            zones.create(connection, iris, GENT, document)
        for document in regime_documents():
            regimes.create(connection, iris, GENT, document)
        regimes.new_version(connection, iris, GENT, ID + "regime/gent-rood-betalend",
                            regime_rood_2026())
        for document in authorisation_documents():
            organisations.create_authorisation(connection, iris, GENT, document)
        for document in permit_documents():
            permits.create(connection, iris, GENT, document)
        whitelists.create(connection, iris, GENT, whitelist_document())
        load_npr_codes(connection)
        for item in CREDENTIALS:
            issue_key(connection, item.organisation, f"demo {item.role}", key=item.key)
        principals = {PARKPLUS: Principal(PARKPLUS, "ParkPlus NV", frozenset({"provider"})),
                      METERS: Principal(METERS, "Parkeerautomaten Vlaanderen BV",
                                        frozenset({"provider"}))}
        for provider, document in right_documents(moment):
            rights.register_within(connection, iris, principals[provider], document)
        change_stream.record_everything(connection)  # loaded below the services
    return True



def seed(store: Any) -> None:
    """The demo as a store's seed (``vptr.store.database.Store(settings, seed=...)``): loaded once;
    when instances start together, one loads it and the others find it complete."""
    try:
        load_demo(store)
    except IntegrityError:
        # Another instance loaded it at the same moment; fine if it is complete now.
        with store.reading() as connection:
            if not is_loaded(connection):
                raise
