"""A municipality's configuration as the RDW's open-data tables (OPEN-DATA.md): exported from a
tenant's zones and regimes, imported into a tenant, so NPR-shaped data migrates both ways.

The tables (:data:`TABLES`, with the published column names) are GEBIEDSBEHEERDER, GEBIED,
GEBIED REGELING, GEBRUIKSDOEL, REGELING, TIJDVAK, TARIEFBEREKENING, TARIEFDEEL, SPECIALE DAG and
GEOMETRIE GEBIED; values are text as in the CSV files (dates ``YYYYMMDD``, ``29991231`` for
open-ended; times of day ``hhmm``; amounts in euros). Where each column lands in the model:
docs/mapping-apds-npr.md, "RDW open-data tables".

How rows become the model:
- a GEBIED row (with its GEOMETRIE GEBIED outline) is a zone, named by its AreaId;
- each REGELING row is one version of the regime named by its RegulationId: its areas (GEBIED
  REGELING), time frames (TIJDVAK, one time slot per row), fare (TARIEFBEREKENING and its
  TARIEFDEEL parts) are the rows of that regulation *with the same dates*: rows whose dates match
  no version of their regulation are refused (one version per period);
- SPECIALE DAG rows are exempt days of every regime imported;
- GEBRUIKSDOEL gives the area manager's UsageIds (through the national code or SuperiorUsageId;
  a usage without a national code, such as access to a low-traffic zone, has the register's Usage
  value as its SuperiorUsageId: ``lowTrafficZoneAccess``);
- columns the model has no home for are kept as imported (``npr_kept``) and exported again.

An import is all or nothing: every refused value is reported with its table, row (1 is the first
row after the header) and column, and nothing is stored. Only new codes are imported: an AreaId
or RegulationId the tenant already has is refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from vptr.auth.access import managed_tenant
from vptr.errors import FieldError, Invalid, RegisterError
from vptr.repositories import npr as codes_repository
from vptr.repositories import regimes as regime_repository
from vptr.repositories import zones as zone_repository
from vptr.repositories.npr import GLOBAL
from vptr.services.npr import NATIONAL_USAGES, USAGE_NAMES
from vptr.services.runtime import Caller, Runtime
from vptr.times import in_zone

TABLES: dict[str, tuple[str, ...]] = {
    "GEBIEDSBEHEERDER": ("AreaManagerId", "AreaManagerDesc", "StartDateAreaManagerId",
                         "EndDateAreaManagerId", "URL"),
    "GEBIED": ("AreaManagerId", "AreaId", "AreaDesc", "StartDateArea", "EndDateArea"),
    "GEBIED REGELING": ("AreaManagerId", "AreaId", "RegulationId", "UsageId",
                        "StartDateAreaRegulation", "EndDateAreaRegulation"),
    "GEBRUIKSDOEL": ("AreaManagerId", "UsageId", "UsageIdDesc", "StartDateUsageId",
                     "EndDateUsageId", "SpecificationIndicator", "SuperiorUsageId",
                     "SuperiorAreaManagerId"),
    "REGELING": ("AreaManagerId", "RegulationId", "RegulationDesc", "RegulationType",
                 "StartDateRegulation", "EndDateRegulation", "MaximumDayCharge"),
    "TIJDVAK": ("AreaManagerId", "RegulationId", "DayTimeFrame", "StartTimeTimeFrame",
                "EndTimeTimeFrame", "StartDateTimeFrame", "EndDateTimeFrame",
                "ClaimRightPossible", "FareCalculationCode", "MaxDurationRight",
                "MinParkingInterruption"),
    "TARIEFBEREKENING": ("AreaManagerId", "FareCalculationCode", "FareCalculationDesc",
                         "PeriodNameTariff", "StartDateFare", "EndDateFare", "VATPercentage"),
    "TARIEFDEEL": ("AreaManagerId", "FareCalculationCode", "StartDateFarePart",
                   "EndDateFarePart", "StartDurationFarePart", "EndDurationFarePart",
                   "AmountFarePart", "StepSizeFarePart", "AmountCumulative"),
    "SPECIALE DAG": ("AreaManagerId", "NameSpecialDay", "DateSpecialDay"),
    "GEOMETRIE GEBIED": ("AreaManagerId", "AreaId", "GeoDataAsText"),
}
#: Columns kept as imported (no home in the model), per table, and the columns naming the row.
KEPT = {"GEBIEDSBEHEERDER": (("AreaManagerId",), ("AreaManagerDesc", "StartDateAreaManagerId",
                                                 "EndDateAreaManagerId", "URL")),
        "GEBRUIKSDOEL": (("UsageId",), ("StartDateUsageId", "EndDateUsageId",
                                        "SpecificationIndicator", "SuperiorUsageId",
                                        "SuperiorAreaManagerId")),
        "TARIEFBEREKENING": (("FareCalculationCode", "StartDateFare"), ("PeriodNameTariff",)),
        "TARIEFDEEL": (("FareCalculationCode", "StartDateFarePart", "StartDurationFarePart"),
                       ("AmountCumulative",))}
OPEN_END = "29991231"
OPEN_DURATION = 999999
LOCAL = ZoneInfo("Europe/Brussels")
DAYS = {"MAANDAG": "monday", "DINSDAG": "tuesday", "WOENSDAG": "wednesday",
        "DONDERDAG": "thursday", "VRIJDAG": "friday", "ZATERDAG": "saturday", "ZONDAG": "sunday"}
DAY_NAMES = {v: k for k, v in DAYS.items()}
ZONE_KINDS = {"permitParking": "permitParking", "blueZoneParking": "blueZone",
              "loading": "loadingZone", "kissAndRide": "loadingZone",
              "lowTrafficZoneAccess": "lowTrafficZone", "pedestrianZoneAccess": "pedestrianZone",
              "lowEmissionZoneAccess": "lowEmissionZone"}

Tables = dict[str, list[dict[str, str]]]


@dataclass(frozen=True, slots=True)
class Imported:
    zones: int
    regimes: int
    versions: int


# --- values ------------------------------------------------------------------------------------

def _date(text: str) -> date | None:
    text = text.strip()
    if not text or text == OPEN_END:
        return None
    if not re.fullmatch(r"\d{8}(\d{6})?", text):
        raise ValueError("a date YYYYMMDD (29991231: open-ended)")
    return datetime.strptime(text[:8], "%Y%m%d").date()


def _start(text: str) -> str | None:
    day = _date(text)
    return None if day is None else datetime.combine(day, time(), LOCAL).isoformat()


def _end(text: str) -> str | None:
    """The end date is the last day in force: the period ends at the next day's start."""
    day = _date(text)
    return None if day is None else datetime.combine(day + timedelta(days=1), time(),
                                                     LOCAL).isoformat()


def _as_date(moment: Any, *, end: bool = False) -> str:
    if moment is None:
        return OPEN_END if end else ""
    value = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    local = in_zone(value, LOCAL)
    if end and local.time() == time():
        local -= timedelta(days=1)
    return local.strftime("%Y%m%d")


def _hhmm(text: str) -> str:
    value = int(text)
    hours, minutes = divmod(value, 100)
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or value > 2400:
        raise ValueError("a time of day hhmm from 0 to 2400")
    return "00:00:00" if value == 2400 else f"{hours:02d}:{minutes:02d}:00"


def _from_time(value: Any, *, closes: bool = False) -> str:
    text = str(value)
    number = int(text[0:2]) * 100 + int(text[3:5])
    return "2400" if closes and number == 0 else str(number)


def _decimal(text: str) -> str:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError("a decimal number (2.50)") from None
    if not value.is_finite():
        raise ValueError("a decimal number (2.50)")
    return str(value)


def _integer(text: str) -> int:
    if not re.fullmatch(r"\d+", text.strip()):
        raise ValueError("a whole number")
    return int(text)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._~-]", "-", text)


def _money(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def _number(value: Any) -> str:
    number = Decimal(str(value))
    return str(number.normalize()) if number != number.to_integral_value() else str(int(number))


# --- export ------------------------------------------------------------------------------------

def export_tables(runtime: Runtime, caller: Caller) -> Tables:
    """The caller's configuration as the RDW open-data tables (the area manager only)."""
    tenant = managed_tenant(caller.principal)
    caller.serve(tenant)
    with runtime.store.reading() as connection:
        return _export(connection, tenant)


def _export(connection: Connection, tenant: str) -> Tables:
    codes = codes_repository.tenant_codes(connection, tenant)
    kept = codes_repository.kept(connection, tenant)
    out: Tables = {name: [] for name in TABLES}
    am = codes.area_manager_id
    if am is None:
        raise Invalid.field("AreaManagerId", "the tenant has no AreaManagerId: import a "
                                             "GEBIEDSBEHEERDER table first")
    organisation = codes_repository.organisation(connection, tenant)
    manager = {"AreaManagerId": am, "AreaManagerDesc": organisation.name,
               "StartDateAreaManagerId": "", "EndDateAreaManagerId": OPEN_END,
               "URL": (organisation.document or {}).get("homepage", "")}
    manager.update(kept.get(("GEBIEDSBEHEERDER", am), {}))
    out["GEBIEDSBEHEERDER"].append(manager)
    areas = codes.of["area"]
    for zone in codes_repository.tenant_zones(connection, tenant):
        if zone.id not in areas:
            continue
        out["GEBIED"].append({"AreaManagerId": am, "AreaId": areas[zone.id],
                              "AreaDesc": zone.name, "StartDateArea": _as_date(zone.valid_from),
                              "EndDateArea": _as_date(zone.valid_to, end=True)})
        out["GEOMETRIE GEBIED"].append({"AreaManagerId": am, "AreaId": areas[zone.id],
                                        "GeoDataAsText": zone.wkt})
    usages_used: set[str] = set()
    special: dict[tuple[str, str], dict[str, str]] = {}
    fares: dict[tuple[str, str], dict[str, str]] = {}
    parts: dict[tuple[str, str, str], dict[str, str]] = {}
    for version in codes_repository.tenant_regime_versions(connection, tenant):
        regulation = codes.of["regulation"].get(version.regime_id)
        if regulation is None:
            continue
        document = version.document
        start, end = _as_date(version.valid_from), _as_date(version.valid_to, end=True)
        usage = document["usage"]
        usage_id = codes.of["usage"].get(usage) or next(
            (c for c, u in NATIONAL_USAGES.items() if u == usage), usage[:10].upper())
        usages_used.add(usage_id)
        tariff = document.get("tariff")
        fare = next((i["notation"] for i in (tariff or {}).get("identifiers", [])
                     if i.get("identifierScheme") == "nprFareCalculationCode"), None) \
            or codes.of["fare"].get(version.regime_id) or regulation
        out["REGELING"].append({
            "AreaManagerId": am, "RegulationId": regulation,
            "RegulationDesc": document.get("name", ""),
            "RegulationType": "A" if document.get("regulationType") == "additional" else "B",
            "StartDateRegulation": start, "EndDateRegulation": end,
            "MaximumDayCharge": _money(tariff["dayMaximum"])
            if tariff and tariff.get("dayMaximum") is not None else ""})
        for zone in document.get("zones", []):
            if zone in areas:
                out["GEBIED REGELING"].append({
                    "AreaManagerId": am, "AreaId": areas[zone], "RegulationId": regulation,
                    "UsageId": usage_id, "StartDateAreaRegulation": start,
                    "EndDateAreaRegulation": end})
        for slot in document.get("timeSlots") or [{}]:
            for day in slot.get("daysOfWeek") or list(DAY_NAMES):
                if day not in DAY_NAMES:
                    continue
                out["TIJDVAK"].append({
                    "AreaManagerId": am, "RegulationId": regulation,
                    "DayTimeFrame": DAY_NAMES[day],
                    "StartTimeTimeFrame": _from_time(slot.get("opens", "00:00:00")),
                    "EndTimeTimeFrame": _from_time(slot.get("closes", "00:00:00"), closes=True),
                    "StartDateTimeFrame": start, "EndDateTimeFrame": end,
                    "ClaimRightPossible": "N" if slot.get("rightClaimable") is False else "J",
                    "FareCalculationCode": fare if tariff else "",
                    "MaxDurationRight": str(slot.get("maximumDuration")
                                            or document.get("maximumDuration") or ""),
                    "MinParkingInterruption": str(slot.get("minimumInterruption")
                                                  or document.get("minimumInterruption") or "")})
        if tariff:
            row = {"AreaManagerId": am, "FareCalculationCode": fare,
                   "FareCalculationDesc": tariff.get("name", ""), "PeriodNameTariff": "",
                   "StartDateFare": start, "EndDateFare": end,
                   "VATPercentage": _number(tariff["vatPercentage"])
                   if tariff.get("vatPercentage") is not None else ""}
            row.update(kept.get(("TARIEFBEREKENING", f"{fare}|{start}"), {}))
            fares[(fare, start)] = row
            total = Decimal(0)
            for step in tariff.get("tariffSteps", []):
                amount = Decimal(str(step["amount"]))
                begin, stop = step.get("startDuration", 0), step.get("endDuration")
                size = step.get("stepSize") or 1
                if stop is not None:
                    total += -(-(stop - begin) // size) * amount
                part = {"AreaManagerId": am, "FareCalculationCode": fare,
                        "StartDateFarePart": start, "EndDateFarePart": end,
                        "StartDurationFarePart": str(begin),
                        "EndDurationFarePart": str(stop if stop is not None else OPEN_DURATION),
                        "AmountFarePart": _number(amount), "StepSizeFarePart": str(size),
                        "AmountCumulative": _number(total)}
                part.update(kept.get(("TARIEFDEEL", f"{fare}|{start}|{begin}"), {}))
                parts[(fare, start, str(begin))] = part
        for day in document.get("exemptDays", []):
            key = (day.get("name", ""), day["calendarDate"].replace("-", ""))
            special[key] = {"AreaManagerId": am, "NameSpecialDay": key[0],
                            "DateSpecialDay": key[1]}
    out["TARIEFBEREKENING"] = list(fares.values())
    out["TARIEFDEEL"] = list(parts.values())
    out["SPECIALE DAG"] = [special[k] for k in sorted(special, key=lambda k: (k[1], k[0]))]
    for code in sorted(usages_used | set(codes.codes["usage"])):
        usage = codes.codes["usage"].get(code) or NATIONAL_USAGES.get(code, "")
        row = {"AreaManagerId": am, "UsageId": code,
               "UsageIdDesc": codes.descriptions.get(("usage", code))
               or USAGE_NAMES.get(usage, code),
               "StartDateUsageId": "", "EndDateUsageId": OPEN_END, "SpecificationIndicator": "",
               # a usage without a national code is named by the register's own value
               "SuperiorUsageId": "" if code in NATIONAL_USAGES
               or usage in NATIONAL_USAGES.values() else usage,
               "SuperiorAreaManagerId": ""}
        row.update(kept.get(("GEBRUIKSDOEL", code), {}))
        out["GEBRUIKSDOEL"].append(row)
    return out


# --- import ------------------------------------------------------------------------------------

class _Errors:
    def __init__(self) -> None:
        self.found: list[FieldError] = []

    def add(self, table: str, row: int, column: str | None, reason: str) -> None:
        where = f"{table} row {row}" + (f" column {column}" if column else "")
        self.found.append(FieldError(where, reason))


def import_tables(runtime: Runtime, caller: Caller, given: Tables) -> Imported:
    """Imports RDW open-data tables into the caller's tenant, all or nothing; refusals name the
    table, row and column of every bad value (:class:`vptr.errors.Invalid`)."""
    tenant = managed_tenant(caller.principal)
    caller.serve(tenant)
    errors = _Errors()
    for name, rows in given.items():
        if name not in TABLES:
            errors.add(name, 0, None, f"not a table of the RDW open data ({', '.join(TABLES)})")
            continue
        for number, row in enumerate(rows, start=1):
            missing = [c for c in TABLES[name] if c not in row]
            unknown = [c for c in row if c not in TABLES[name]]
            for column in missing:
                errors.add(name, number, column, "missing column")
            for column in unknown:
                errors.add(name, number, column, "not a column of this table")
            if missing or unknown:
                break
    if "GEBIEDSBEHEERDER" not in given or len(given["GEBIEDSBEHEERDER"]) != 1:
        errors.add("GEBIEDSBEHEERDER", 0, None, "exactly one row: the area manager imported")
    if errors.found:
        raise Invalid("the tables cannot be imported", errors.found)
    tables = {name: given.get(name, []) for name in TABLES}
    with runtime.store.transaction() as connection:
        imported = _import(connection, runtime, tenant, tables, errors)
        if errors.found:
            raise Invalid(f"{len(errors.found)} value(s) refused; nothing was imported",
                          errors.found)
    runtime.npr_codes.clear()
    return imported


def _import(connection: Connection, runtime: Runtime, tenant: str, tables: Tables,
            errors: _Errors) -> Imported:
    iris = runtime.store.iris
    (manager,) = tables["GEBIEDSBEHEERDER"]
    am = manager["AreaManagerId"].strip()
    if not re.fullmatch(r"\d{1,4}", am):
        errors.add("GEBIEDSBEHEERDER", 1, "AreaManagerId", "a number of at most 4 digits")
        return Imported(0, 0, 0)
    am = str(int(am))
    owner = codes_repository.code_owner(connection, "areaManager", GLOBAL, am)
    codes = codes_repository.tenant_codes(connection, tenant)
    if owner not in (None, tenant) or codes.area_manager_id not in (None, am):
        errors.add("GEBIEDSBEHEERDER", 1, "AreaManagerId",
                   f"{am} belongs to another area manager" if owner not in (None, tenant)
                   else f"this tenant is area manager {codes.area_manager_id}")
        return Imported(0, 0, 0)
    for name, rows in tables.items():
        for number, row in enumerate(rows, start=1):
            given = row["AreaManagerId"].strip()
            if not given.isdigit() or str(int(given)) != am:
                errors.add(name, number, "AreaManagerId", f"must be {am}, the area manager "
                                                          "imported")
    codes_repository.set_code(connection, "areaManager", GLOBAL, am, tenant)
    _keep(connection, tenant, "GEBIEDSBEHEERDER", manager)

    usages = _usages(connection, tenant, codes, tables["GEBRUIKSDOEL"], errors)
    outlines = {row["AreaId"]: (n, row["GeoDataAsText"])
                for n, row in enumerate(tables["GEOMETRIE GEBIED"], start=1)}
    versions = _versions(tables, errors)
    area_usage: dict[str, str] = {}
    for number, row in enumerate(tables["GEBIED REGELING"], start=1):
        usage = usages.get(row["UsageId"])
        if usage is None:
            errors.add("GEBIED REGELING", number, "UsageId", f"unknown UsageId {row['UsageId']}")
            continue
        area_usage.setdefault(row["AreaId"], usage)
    zones: dict[str, str] = {}
    for number, row in enumerate(tables["GEBIED"], start=1):
        area = row["AreaId"]
        if not 0 < len(area) <= 10:
            errors.add("GEBIED", number, "AreaId", "1 to 10 characters")
            continue
        if area in codes.codes["area"]:
            errors.add("GEBIED", number, "AreaId", f"{area} is already imported")
            continue
        if area not in outlines:
            errors.add("GEBIED", number, "AreaId", "no GEOMETRIE GEBIED row for this area")
            continue
        try:
            period = {k: v for k, v in (("startTime", _start(row["StartDateArea"])),
                                        ("endTime", _end(row["EndDateArea"]))) if v}
        except ValueError as error:
            errors.add("GEBIED", number, "StartDateArea", str(error))
            continue
        iri = iris.of("zone", f"npr-{am}-{_slug(area)}")
        document = {"id": iri, "name": row["AreaDesc"] or area,
                    "zoneKind": ZONE_KINDS.get(area_usage.get(area, ""), "paidParking"),
                    "geometry": {"asWKT": outlines[area][1]},
                    "identifiers": [{"notation": area, "identifierScheme": "nprAreaId"}]}
        if period:
            document["validityPeriod"] = period
        try:
            zone_repository.create(connection, iris, tenant, document)
        except RegisterError as error:
            column = "GeoDataAsText" if "geometry" in error.detail else "AreaDesc"
            table = "GEOMETRIE GEBIED" if column == "GeoDataAsText" else "GEBIED"
            errors.add(table, outlines[area][0] if column == "GeoDataAsText" else number,
                       column, error.detail)
            continue
        codes_repository.set_code(connection, "area", tenant, area, iri)
        zones[area] = iri
    special = []
    for number, row in enumerate(tables["SPECIALE DAG"], start=1):
        try:
            day = _date(row["DateSpecialDay"])
        except ValueError as error:
            errors.add("SPECIALE DAG", number, "DateSpecialDay", str(error))
            continue
        if day is not None:
            special.append({"calendarDate": day.isoformat(),
                            "name": row["NameSpecialDay"]})
    regimes = count = 0
    for regulation, items in versions.items():
        if regulation in codes.codes["regulation"]:
            errors.add("REGELING", items[0][0], "RegulationId", f"{regulation} is already "
                                                                "imported")
            continue
        series = iris.of("regime", f"npr-{am}-{_slug(regulation)}")
        for index, (number, version) in enumerate(items):
            document = _regime(version, series, zones, usages, special, errors, number)
            if document is None:
                continue
            try:
                if index == 0:
                    regime_repository.create(connection, iris, tenant, document)
                else:
                    regime_repository.new_version(connection, iris, tenant, series, document)
            except RegisterError as error:
                column = next((e.field for e in error.errors if e.field), None)
                errors.add("REGELING", number, column, error.detail)
                continue
            count += 1
        regimes += 1
        codes_repository.set_code(connection, "regulation", tenant, regulation, series)
        fare = next((v["fare"] for _, v in items if v["fare"]), None)
        if fare:
            codes_repository.set_code(connection, "fare", tenant, fare, series)
    for name in ("TARIEFBEREKENING", "TARIEFDEEL", "GEBRUIKSDOEL"):
        for row in tables[name]:
            _keep(connection, tenant, name, row)
    return Imported(len(zones), regimes, count)


def _keep(connection: Connection, tenant: str, table: str, row: dict[str, str]) -> None:
    keys, columns = KEPT[table]
    key = "|".join(row[k].strip() for k in keys)
    if table == "TARIEFDEEL" or table == "TARIEFBEREKENING":
        key = "|".join([row[keys[0]].strip(), _normal_date(row[keys[1]]),
                        *(row[k].strip() for k in keys[2:])])
    codes_repository.keep(connection, tenant, table, key, {c: row[c] for c in columns})


def _normal_date(text: str) -> str:
    try:
        day = _date(text)
    except ValueError:
        return text
    return day.strftime("%Y%m%d") if day else ""


def _usages(connection: Connection, tenant: str, codes: Any, rows: list[dict[str, str]],
            errors: _Errors) -> dict[str, str]:
    usages = {code: usage for code, usage in NATIONAL_USAGES.items()}
    usages.update(codes.codes["usage"])
    for number, row in enumerate(rows, start=1):
        code = row["UsageId"].strip()
        superior = row["SuperiorUsageId"].strip()
        usage = (NATIONAL_USAGES.get(code) or NATIONAL_USAGES.get(superior)
                 or (superior if superior in USAGE_NAMES else None)
                 or codes.codes["usage"].get(code))
        if usage is None:
            others = ", ".join(u for u in USAGE_NAMES if u not in NATIONAL_USAGES.values())
            errors.add("GEBRUIKSDOEL", number, "SuperiorUsageId",
                       f"{code} needs a SuperiorUsageId: a national code "
                       f"({', '.join(NATIONAL_USAGES)}) or a usage of the register ({others})")
            continue
        usages[code] = usage
        if not 0 < len(code) <= 10:
            errors.add("GEBRUIKSDOEL", number, "UsageId", "1 to 10 characters")
            continue
        codes_repository.set_code(connection, "usage", tenant, code, usage,
                                  row["UsageIdDesc"][:80] or None)
    return usages


def _versions(tables: Tables, errors: _Errors) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """REGELING rows per RegulationId, in order of start, each with the rows of its period."""
    by_regulation: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for number, row in enumerate(tables["REGELING"], start=1):
        dates = (_normal_date(row["StartDateRegulation"]),
                 _normal_date(row["EndDateRegulation"]))
        by_regulation[row["RegulationId"]].append((number, {
            "row": row, "dates": dates, "areas": [], "frames": [], "fare": None}))
    index = {(reg, v["dates"]): v for reg, items in by_regulation.items() for _, v in items}

    def attach(table: str, key_column: str, start: str, end: str, what: str) -> None:
        for number, row in enumerate(tables[table], start=1):
            dates = (_normal_date(row[start]), _normal_date(row[end]))
            version = index.get((row[key_column], dates))
            if version is None:
                errors.add(table, number, start, f"no REGELING row of {row[key_column]} with "
                                                 "these dates (one version per period)")
                continue
            version[what].append((number, row))

    attach("GEBIED REGELING", "RegulationId", "StartDateAreaRegulation",
           "EndDateAreaRegulation", "areas")
    attach("TIJDVAK", "RegulationId", "StartDateTimeFrame", "EndDateTimeFrame", "frames")
    fares = {(row["FareCalculationCode"], (_normal_date(row["StartDateFare"]),
                                           _normal_date(row["EndDateFare"]))): (n, row)
             for n, row in enumerate(tables["TARIEFBEREKENING"], start=1)}
    parts: dict[tuple[str, tuple[str, str]], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, row in enumerate(tables["TARIEFDEEL"], start=1):
        key = (row["FareCalculationCode"], (_normal_date(row["StartDateFarePart"]),
                                            _normal_date(row["EndDateFarePart"])))
        if key not in fares:
            errors.add("TARIEFDEEL", number, "FareCalculationCode",
                       "no TARIEFBEREKENING row of this code with these dates")
            continue
        parts[key].append((number, row))
    for items in by_regulation.values():
        for _, version in items:
            codes = {row["FareCalculationCode"] for _, row in version["frames"]
                     if row["FareCalculationCode"]}
            if len(codes) > 1:
                number = version["frames"][0][0]
                errors.add("TIJDVAK", number, "FareCalculationCode",
                           "one fare per regulation version (a known gap: fares per time frame)")
                continue
            if codes:
                code = codes.pop()
                key = (code, version["dates"])
                if key not in fares:
                    errors.add("TIJDVAK", version["frames"][0][0], "FareCalculationCode",
                               f"no TARIEFBEREKENING row {code} with the regulation's dates")
                    continue
                version["fare"] = code
                version["fare_row"] = fares[key]
                version["parts"] = parts.get(key, [])
    for items in by_regulation.values():
        items.sort(key=lambda item: item[1]["dates"][0])
    return by_regulation


def _regime(version: dict[str, Any], series: str, zones: dict[str, str],
            usages: dict[str, str], special: list[dict[str, str]], errors: _Errors,
            number: int) -> dict[str, Any] | None:
    row = version["row"]
    ok = True
    try:
        period = {k: v for k, v in (("startTime", _start(row["StartDateRegulation"])),
                                    ("endTime", _end(row["EndDateRegulation"]))) if v}
    except ValueError as error:
        errors.add("REGELING", number, "StartDateRegulation", str(error))
        return None
    if "startTime" not in period:
        errors.add("REGELING", number, "StartDateRegulation", "is required")
        return None
    area_rows = version["areas"]
    used = {usages.get(r["UsageId"]) for _, r in area_rows} - {None}
    if len(used) != 1:
        errors.add("REGELING", number, "RegulationId",
                   "needs GEBIED REGELING rows with one UsageId for this period")
        return None
    usage = used.pop()
    zone_iris = []
    for area_number, area_row in area_rows:
        if area_row["AreaId"] not in zones:
            errors.add("GEBIED REGELING", area_number, "AreaId",
                       f"no imported GEBIED row {area_row['AreaId']}")
            ok = False
        else:
            zone_iris.append(zones[area_row["AreaId"]])
    slots = []
    for frame_number, frame in version["frames"]:
        day = DAYS.get(frame["DayTimeFrame"].strip().upper())
        if day is None:
            errors.add("TIJDVAK", frame_number, "DayTimeFrame",
                       "MAANDAG to ZONDAG (special days with their own hours are a known gap)")
            ok = False
            continue
        try:
            slot: dict[str, Any] = {"daysOfWeek": [day],
                                    "opens": _hhmm(frame["StartTimeTimeFrame"]),
                                    "closes": _hhmm(frame["EndTimeTimeFrame"])}
            claim = frame["ClaimRightPossible"].strip().upper()
            if claim not in ("J", "N", "Y"):
                raise ValueError("J or N")
            slot["rightClaimable"] = claim != "N"
            if frame["MaxDurationRight"].strip():
                slot["maximumDuration"] = _integer(frame["MaxDurationRight"])
            if frame["MinParkingInterruption"].strip():
                slot["minimumInterruption"] = _integer(frame["MinParkingInterruption"])
        except ValueError as error:
            errors.add("TIJDVAK", frame_number, None, str(error))
            ok = False
            continue
        slots.append(slot)
    document: dict[str, Any] = {
        "isVersionOf": series, "name": row["RegulationDesc"] or row["RegulationId"],
        "rightKind": "access" if usage.endswith("Access") else "parking", "usage": usage,
        "regulationType": "additional" if row["RegulationType"].strip() == "A" else "base",
        "zones": zone_iris, "validityPeriod": period}
    if slots:
        document["timeSlots"] = slots
    if special:
        document["exemptDays"] = special
    if version["fare"]:
        fare_number, fare = version["fare_row"]
        tariff: dict[str, Any] = {"name": fare["FareCalculationDesc"] or version["fare"],
                                  "currency": "EUR", "tariffSteps": [], "identifiers": [
                                      {"notation": version["fare"],
                                       "identifierScheme": "nprFareCalculationCode"}]}
        try:
            if fare["VATPercentage"].strip():
                tariff["vatPercentage"] = _decimal(fare["VATPercentage"])
            if row["MaximumDayCharge"].strip():
                tariff["dayMaximum"] = _decimal(row["MaximumDayCharge"])
        except ValueError as error:
            errors.add("TARIEFBEREKENING", fare_number, "VATPercentage", str(error))
            return None
        for part_number, part in sorted(version["parts"],
                                        key=lambda p: int(p[1]["StartDurationFarePart"] or 0)):
            try:
                step: dict[str, Any] = {"startDuration": _integer(part["StartDurationFarePart"]),
                                        "amount": _decimal(part["AmountFarePart"]),
                                        "stepSize": _integer(part["StepSizeFarePart"])}
                end = _integer(part["EndDurationFarePart"])
                if end != OPEN_DURATION:
                    step["endDuration"] = end
            except ValueError as error:
                errors.add("TARIEFDEEL", part_number, None, str(error))
                ok = False
                continue
            tariff["tariffSteps"].append(step)
        document["tariff"] = tariff
    elif row["MaximumDayCharge"].strip():
        errors.add("REGELING", number, "MaximumDayCharge", "a day maximum needs a fare")
        ok = False
    return document if ok else None
