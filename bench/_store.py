"""Builds a realistic embedded (SQLite) register for the benchmarks, and caches it.

The data: ``municipalities`` tenants, each with a grid of paid street zones and larger resident
zones stacked over them (zones overlap, as in a real city), three paid regimes per municipality in
two versions (a tariff change on 1 January 2026), one resident-permit regime, active rights spread
over the paid zones, resident permits, and a municipal-fleet whitelist. One provider and one
enforcement organisation are authorised everywhere.

Organisations and authorisations go through the register's repository functions (validated, as in
production); the bulk rows (zones, regimes, rights, permits, whitelist entries) are inserted into
the register's tables directly with ``executemany``, the way a migration would, because
registering 100,000 rights one by one through validation would take longer than the benchmark.
Every row is still what the repository would store: a document without the clear plate, the plate
in its column and its tenant-keyed hash beside it.

All data is laid out around a fixed reference moment (:data:`REFERENCE`), and checks ask about that
moment (``at=``), so a cached database file stays valid on any later day.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import string
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

#: Bump when the layout of the generated data changes, so cached stores are rebuilt.
DATA_VERSION = 3
#: The moment all rights are active at: a Monday in paid hours, before today.
REFERENCE = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
BASE = "https://data.parkeerregister.vlaanderen.be/id/"
PROVIDER = BASE + "organisation/bench-provider"
ENFORCEMENT = BASE + "organisation/bench-enforcement"
#: Fixed API keys of the benchmark's organisations (a throw-away store, never a real one).
PROVIDER_KEY = "vptr_benchprov_" + "p" * 32
ENFORCEMENT_KEY = "vptr_benchenf_" + "e" * 32
ZONE_SIZE = 0.002  # degrees: streets blocks of roughly 140 m by 220 m
PAID_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


@dataclass(frozen=True)
class Scale:
    municipalities: int = 10
    zones: int = 1000
    rights: int = 100_000
    permits: int = 10_000
    whitelist_entries: int = 500
    seed: int = 20260302

    def key(self) -> str:
        text = json.dumps({"v": DATA_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Fixture:
    """What the load generator needs to ask sensible questions of the built store."""

    path: Path
    scale: Scale
    paid_zones: list[str] = field(default_factory=list)
    permit_zones: list[str] = field(default_factory=list)
    #: (plate, zone) of rights active at REFERENCE.
    right_samples: list[tuple[str, str]] = field(default_factory=list)
    #: (plate, permit zone) of active resident permits.
    permit_samples: list[tuple[str, str]] = field(default_factory=list)
    #: (lon, lat) inside a paid zone and the resident zone stacked over it.
    points: list[tuple[float, float]] = field(default_factory=list)
    seconds_to_build: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "scale": asdict(self.scale),
                "paid_zones": self.paid_zones, "permit_zones": self.permit_zones,
                "right_samples": self.right_samples, "permit_samples": self.permit_samples,
                "points": self.points, "seconds_to_build": self.seconds_to_build}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fixture:
        return cls(Path(data["path"]), Scale(**data["scale"]), data["paid_zones"],
                   data["permit_zones"], [tuple(x) for x in data["right_samples"]],
                   [tuple(x) for x in data["permit_samples"]],
                   [tuple(x) for x in data["points"]], data["seconds_to_build"])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plate(rng: random.Random) -> str:
    """A Belgian-style plate (1-ABC-234 without separators)."""
    letters = "".join(rng.choices(string.ascii_uppercase, k=3))
    return f"{rng.randint(1, 2)}{letters}{rng.randint(0, 999):03d}"


def _square(lon: float, lat: float, width: float, height: float) -> str:
    return (f"POLYGON(({lon:.6f} {lat:.6f}, {lon + width:.6f} {lat:.6f}, "
            f"{lon + width:.6f} {lat + height:.6f}, {lon:.6f} {lat + height:.6f}, "
            f"{lon:.6f} {lat:.6f}))")


def _tariff(first: str, then: str) -> dict[str, Any]:
    return {"currency": "EUR", "vatPercentage": "21", "dayMaximum": "15.00", "tariffSteps": [
        {"startDuration": 0, "endDuration": 60, "amount": first, "stepSize": 15},
        {"startDuration": 60, "amount": then, "stepSize": 60}]}


def build(path: Path, scale: Scale, database_url: str | None = None) -> Fixture:
    """Build a fresh store at ``path`` (replacing any file there) and describe it; or, given
    ``database_url`` (an empty PostgreSQL schema), the same data there."""
    import time

    from vptr.auth.api_keys import issue_key
    from vptr.domain.plates import plate_hash
    from vptr.repositories import organisations
    from vptr.repositories.zones import insert as insert_zone
    from vptr.settings import Settings
    from vptr.store import tables
    from vptr.store.database import Store
    from vptr.store.plate_keys import tenant_key

    began = time.perf_counter()
    if database_url is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(Settings(database_url=database_url or f"sqlite:///{path}", demo=False))
    store.prepare()
    rng = random.Random(scale.seed)
    fixture = Fixture(path, scale)
    moment = datetime.now(UTC)
    per_town = max(1, scale.zones // scale.municipalities)
    # Of each town's zones, one in ten is a resident zone over a 3x3 block of paid zones.
    residents_per_town = max(1, per_town // 10)
    paid_per_town = per_town - residents_per_town
    side = max(1, int(paid_per_town ** 0.5 + 0.999))

    with store.transaction() as connection:
        tenants = [f"{BASE}organisation/bench-town-{t}" for t in range(scale.municipalities)]
        for t, tenant in enumerate(tenants):
            organisations.create_tenant(connection, store.iris, {
                "id": tenant, "name": f"Benchgem {t}", "roles": ["areaManager"]})
        # The register files a provider under the area manager that registered it: the first town.
        for iri, name, role, key in ((PROVIDER, "Bench Parking App", "provider", PROVIDER_KEY),
                                     (ENFORCEMENT, "Bench Scan Car", "enforcement",
                                      ENFORCEMENT_KEY)):
            organisations.create(connection, store.iris, tenants[0],
                                 {"id": iri, "name": name, "roles": [role]})
            issue_key(connection, iri, "benchmark", key=key)
        for tenant in tenants:
            for grantee, scopes in ((PROVIDER, ["readRights", "writeRights"]),
                                    (ENFORCEMENT, ["readRights"])):
                organisations.create_authorisation(connection, store.iris, tenant, {
                    "grantor": tenant, "grantee": grantee, "scopes": scopes})

        zone_rows: dict[str, str] = {}  # zone -> tenant
        town_paid: dict[str, list[str]] = {}
        town_resident: dict[str, list[str]] = {}
        for t, tenant in enumerate(tenants):
            origin_lon, origin_lat = 3.0 + 0.3 * (t % 10), 50.8 + 0.3 * (t // 10)
            paid, resident = [], []
            for i in range(paid_per_town):
                row, col = divmod(i, side)
                zone = f"{BASE}zone/bench-{t}-p{i}"
                lon, lat = origin_lon + col * ZONE_SIZE, origin_lat + row * ZONE_SIZE
                insert_zone(connection, tenant, {
                    "id": zone, "name": f"Straat {t}-{i}", "zoneKind": "paidParking",
                    "areaManager": tenant,
                    "geometry": {"asWKT": _square(lon, lat, ZONE_SIZE, ZONE_SIZE)}})
                paid.append(zone)
                zone_rows[zone] = tenant
            for j in range(residents_per_town):
                block_row, block_col = divmod(j, max(1, side // 3))
                lon = origin_lon + block_col * 3 * ZONE_SIZE
                lat = origin_lat + block_row * 3 * ZONE_SIZE
                zone = f"{BASE}zone/bench-{t}-r{j}"
                insert_zone(connection, tenant, {
                    "id": zone, "name": f"Bewonerszone {t}-{j}", "zoneKind": "permitParking",
                    "areaManager": tenant,
                    "geometry": {"asWKT": _square(lon, lat, 3 * ZONE_SIZE, 3 * ZONE_SIZE)}})
                resident.append(zone)
                zone_rows[zone] = tenant
                fixture.points.append((lon + 0.5 * ZONE_SIZE, lat + 0.5 * ZONE_SIZE))
            town_paid[tenant], town_resident[tenant] = paid, resident
            fixture.paid_zones.extend(paid)
            fixture.permit_zones.extend(resident)
            _regimes(connection, tables, tenant, t, paid, resident, moment)

        keys = {tenant: tenant_key(connection, tenant) for tenant in tenants}
        _rights(connection, tables, scale, rng, fixture, zone_rows, keys, plate_hash, moment)
        _permits(connection, tables, scale, rng, fixture, town_resident, keys, plate_hash, moment)
        _whitelists(connection, tables, scale, rng, tenants, town_paid, keys, plate_hash, moment)
    store.dispose()
    fixture.seconds_to_build = round(time.perf_counter() - began, 1)
    return fixture


def _regimes(connection: Connection, tables: Any, tenant: str, t: int, paid: list[str],
             resident: list[str], moment: datetime) -> None:
    change = datetime(2026, 1, 1, tzinfo=UTC) - timedelta(hours=1)  # midnight in Brussels
    versions = []
    thirds = [paid[k::3] for k in range(3)]
    for k, zones in enumerate(thirds):
        if not zones:
            continue
        series = f"{BASE}regime/bench-{t}-tariff{k}"
        for number, (start, end, first, then) in enumerate(
                ((datetime(2020, 1, 1, tzinfo=UTC), change, "0.50", "1.50"),
                 (change, None, "0.60", "1.80")), start=1):
            period = {"startTime": _iso(start), **({"endTime": _iso(end)} if end else {})}
            versions.append((series, number, zones, {
                "id": f"{series}/{number}", "isVersionOf": series, "version": number,
                "name": f"Tariefzone {k} van gemeente {t}", "rightKind": "parking",
                "usage": "paidParking", "zones": zones, "areaManager": tenant,
                "validityPeriod": period, "gracePeriod": 10, "maximumDuration": 240,
                "exemptDays": [{"recurringDay": "publicHoliday"}],
                "timeSlots": [{"daysOfWeek": PAID_DAYS, "opens": "09:00:00",
                               "closes": "18:00:00"}],
                "tariff": _tariff(first, then),
                "exemptPermitTypes": ["resident"]}))
    series = f"{BASE}regime/bench-{t}-residents"
    versions.append((series, 1, resident, {
        "id": f"{series}/1", "isVersionOf": series, "version": 1,
        "name": f"Bewonersparkeren gemeente {t}", "rightKind": "parking",
        "usage": "permitParking", "zones": resident, "areaManager": tenant,
        "validityPeriod": {"startTime": _iso(datetime(2020, 1, 1, tzinfo=UTC))},
        "allowedPermitTypes": ["resident"]}))
    for series, number, zones, document in versions:
        start = datetime.fromisoformat(document["validityPeriod"]["startTime"])
        end_text = document["validityPeriod"].get("endTime")
        connection.execute(tables.regime_versions.insert().values(
            id=document["id"], regime_id=series, tenant_id=tenant, version_number=number,
            name=document["name"], right_kind="parking", usage=document["usage"],
            valid_from=start, valid_to=datetime.fromisoformat(end_text) if end_text else None,
            document=document, created_at=moment))
        connection.execute(tables.regime_zones.insert(), [
            {"regime_version_id": document["id"], "zone_id": z} for z in zones])


def _rights(connection: Connection, tables: Any, scale: Scale, rng: random.Random,
            fixture: Fixture, zone_rows: dict[str, str], keys: dict[str, bytes],
            plate_hash: Any, moment: datetime) -> None:
    plates = [_plate(rng) for _ in range(max(1, int(scale.rights * 0.8)))]
    batch: list[dict[str, Any]] = []
    for n in range(scale.rights):
        zone = rng.choice(fixture.paid_zones)
        tenant = zone_rows[zone]
        plate = plates[n % len(plates)]
        start = REFERENCE - timedelta(minutes=rng.randint(1, 180))
        end = REFERENCE + timedelta(minutes=rng.randint(15, 480))
        iri = f"{BASE}right/bench-{n}"
        document = {
            "id": iri, "rightKind": "parking", "zone": zone,
            "vehicle": {"licencePlate": {"country": "BE"}},
            "validityPeriod": {"startTime": _iso(start), "endTime": _iso(end)},
            "provider": PROVIDER, "channel": "app", "rightStatus": "active",
            "created": _iso(start)}
        batch.append({
            "id": iri, "tenant_id": tenant, "zone_id": zone, "provider_id": PROVIDER,
            "authorisation_id": None, "regime_id": None,
            "plate_hash": plate_hash(keys[tenant], "BE", plate), "plate": plate, "country": "BE",
            "start_time": start, "end_time": end, "status": "active", "channel": "app",
            "client_reference": None, "request_hash": hashlib.sha256(iri.encode()).hexdigest(),
            "amount_minor": None, "currency": None, "document": document,
            "created_at": moment, "updated_at": moment, "version": 1})
        if n % max(1, scale.rights // 2000) == 0:
            fixture.right_samples.append((plate, zone))
        if len(batch) >= 5000:
            connection.execute(tables.rights.insert(), batch)
            batch = []
    if batch:
        connection.execute(tables.rights.insert(), batch)


def _permits(connection: Connection, tables: Any, scale: Scale, rng: random.Random,
             fixture: Fixture, town_resident: dict[str, list[str]], keys: dict[str, bytes],
             plate_hash: Any, moment: datetime) -> None:
    towns = [(tenant, zones) for tenant, zones in town_resident.items() if zones]
    permits, vehicles, permit_zones = [], [], []
    for n in range(scale.permits):
        tenant, zones = towns[n % len(towns)]
        zone = rng.choice(zones)
        iri = f"{BASE}permit/bench-{n}"
        plates = [_plate(rng) for _ in range(rng.choice((1, 1, 1, 2)))]
        document = {
            "id": iri, "permitType": "resident", "holderReference": f"holder-{n:08d}",
            "vehicles": [{"licencePlate": {"country": "BE"}} for _ in plates],
            "zones": [zone], "areaManager": tenant, "permitStatus": "active",
            "validityPeriod": {"startTime": "2026-01-01T00:00:00Z",
                               "endTime": "2027-01-01T00:00:00Z"}}
        permits.append({
            "id": iri, "tenant_id": tenant, "permit_type": "resident", "status": "active",
            "holder_reference": document["holderReference"],
            "valid_from": datetime(2026, 1, 1, tzinfo=UTC),
            "valid_to": datetime(2027, 1, 1, tzinfo=UTC), "document": document,
            "created_at": moment, "updated_at": moment, "version": 1})
        for position, plate in enumerate(plates):
            vehicles.append({"permit_id": iri, "position": position, "plate": plate,
                             "country": "BE", "plate_hash": plate_hash(keys[tenant], "BE", plate)})
        permit_zones.append({"permit_id": iri, "zone_id": zone})
        if n % max(1, scale.permits // 500) == 0:
            fixture.permit_samples.append((plates[0], zone))
    for table, rows in ((tables.permits, permits), (tables.permit_vehicles, vehicles),
                        (tables.permit_zones, permit_zones)):
        for i in range(0, len(rows), 5000):
            connection.execute(table.insert(), rows[i:i + 5000])


def _whitelists(connection: Connection, tables: Any, scale: Scale, rng: random.Random,
                tenants: list[str], town_paid: dict[str, list[str]], keys: dict[str, bytes],
                plate_hash: Any, moment: datetime) -> None:
    per_town = max(1, scale.whitelist_entries // max(1, len(tenants)))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for t, tenant in enumerate(tenants):
        iri = f"{BASE}whitelist/bench-{t}-fleet"
        zones = town_paid[tenant]
        document = {"id": iri, "name": f"Wagenpark gemeente {t}", "areaManager": tenant,
                    "zones": zones, "validityPeriod": {"startTime": _iso(start)},
                    "whitelistReason": "municipalFleet"}
        connection.execute(tables.whitelists.insert().values(
            id=iri, tenant_id=tenant, name=document["name"], reason="municipalFleet",
            valid_from=start, valid_to=None, document=document, created_at=moment,
            updated_at=moment, version=1))
        connection.execute(tables.whitelist_zones.insert(), [
            {"whitelist_id": iri, "zone_id": z} for z in zones])
        entries = []
        for n in range(per_town):
            plate = _plate(rng)
            entry = f"{BASE}whitelist-entry/bench-{t}-{n}"
            entries.append({
                "id": entry, "whitelist_id": iri, "tenant_id": tenant,
                "plate_hash": plate_hash(keys[tenant], "BE", plate), "plate": plate,
                "country": "BE", "valid_from": None, "valid_to": None,
                "document": {"id": entry, "vehicle": {"licencePlate": {"country": "BE"}}},
                "created_at": moment, "updated_at": moment, "version": 1})
        connection.execute(tables.whitelist_entries.insert(), entries)


def cached(cache_dir: Path, scale: Scale, rebuild: bool = False) -> Fixture:
    """The store for ``scale`` from the cache, built first if missing (or if ``rebuild``)."""
    key = scale.key()
    db = cache_dir / f"register-{key}.sqlite"
    meta = cache_dir / f"register-{key}.json"
    if not rebuild and db.exists() and meta.exists():
        return Fixture.from_json(json.loads(meta.read_text()))
    tmp = cache_dir / f"register-{key}.building.sqlite"
    fixture = build(tmp, scale)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    shutil.move(str(tmp), str(db))
    fixture.path = db
    meta.write_text(json.dumps(fixture.to_json()))
    return fixture


def postgres_schema(url: str, schema: str) -> str:
    """``url`` with every connection working in ``schema`` (created empty now, replacing one of
    that name): a throw-away database for one run on a shared server."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from vptr.store.db import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return normalise_url(make_url(url)).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def drop_postgres_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    from vptr.store.db import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()
