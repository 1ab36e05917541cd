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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
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
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Imported:
    zones: int
    regimes: int
    versions: int


# --- values ------------------------------------------------------------------------------------

def _date(text: str) -> date | None:
    """A date cell; the reason of a refusal shows the value and the form expected (it becomes
    the message of the table, row and column reported)."""
    text = text.strip()
    if not text or text == OPEN_END:
        return None
    if not re.fullmatch(r"\d{8}(\d{6})?", text):
        raise ValueError(f"{_shown(text)} is not a date YYYYMMDD (29991231: open-ended)")
    try:
        return datetime.strptime(text[:8], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a day of the calendar (YYYYMMDD)") from None


def _shown(text: str) -> str:
    """A refused value as a reason quotes it: short, in quotes."""
    text = text.strip()
    return repr(text if len(text) <= 20 else text[:19] + "…")


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
    if not re.fullmatch(r"\d{1,4}", text.strip()):
        raise ValueError(f"{_shown(text)} is not a time of day hhmm from 0 to 2400")
    value = int(text)
    hours, minutes = divmod(value, 100)
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or value > 2400:
        raise ValueError(f"{_shown(text)} is not a time of day hhmm from 0 to 2400")
    return "00:00:00" if value == 2400 else f"{hours:02d}:{minutes:02d}:00"


def _from_time(value: Any, *, closes: bool = False) -> str:
    text = str(value)
    number = int(text[0:2]) * 100 + int(text[3:5])
    return "2400" if closes and number == 0 else str(number)


def _decimal(text: str) -> str:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{_shown(text)} is not a decimal number (2.50)") from None
    if not value.is_finite() or value.adjusted() > 9:
        raise ValueError(f"{_shown(text)} is not a decimal number (2.50)")
    return str(value)


def _integer(text: str) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise ValueError(f"{_shown(text)} is not a whole number (at most 9 digits)")
    return int(text)


def _claim(text: str) -> bool:
    claim = text.strip().upper()
    if claim not in ("J", "N", "Y"):
        raise ValueError(f"{_shown(text)} is not J or N")
    return claim != "N"


def _day(text: str) -> str:
    day = DAYS.get(text.strip().upper())
    if day is None:
        raise ValueError(f"{_shown(text)} is not MAANDAG to ZONDAG (special days with their own "
                         "hours are a known gap)")
    return day


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
        fare = _notation(tariff) or codes.of["fare"].get(version.regime_id) or regulation
        tariffs, slot_fares = _tariffs(document, fare)
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
        for index, slot in enumerate(document.get("timeSlots") or [{}]):
            slot_fare = slot_fares[index] if slot_fares else (fare if tariff else "")
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
                    "FareCalculationCode": slot_fare,
                    "MaxDurationRight": str(slot.get("maximumDuration")
                                            or document.get("maximumDuration") or ""),
                    "MinParkingInterruption": str(slot.get("minimumInterruption")
                                                  or document.get("minimumInterruption") or "")})
        for fare, tariff in tariffs:  # each fare of the version in turn (the regime's first)
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
            if "calendarDate" not in day:
                continue  # the recurring public holiday: SPECIALE DAG only has dated days
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


def _notation(tariff: dict[str, Any] | None) -> str | None:
    """A tariff's own FareCalculationCode (its ``nprFareCalculationCode`` identifier)."""
    return next((i["notation"] for i in (tariff or {}).get("identifiers", [])
                 if i.get("identifierScheme") == "nprFareCalculationCode"), None)


def _tariffs(document: dict[str, Any], fare: str
             ) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The version's tariffs with their FareCalculationCodes (the regime's, then each time
    slot's own) and each time slot's FareCalculationCode: its own tariff first, else the
    regime's, as the register prices (vptr.domain.regime_time) and as
    vptr.npr.operations answers FareTimeFrame. A slot's tariff without a code of its own is
    named after the regime's code and the slot's position."""
    tariff = document.get("tariff")
    tariffs = [(fare, tariff)] if tariff else []
    per_slot = []
    for number, slot in enumerate(document.get("timeSlots") or [], start=1):
        own = slot.get("tariff")
        if not own:
            per_slot.append(fare if tariff else "")
            continue
        code = _notation(own) or f"{fare[:7]}_T{number}"
        if code not in {c for c, _ in tariffs}:
            tariffs.append((code, own))
        per_slot.append(code)
    return tariffs, per_slot


# --- import ------------------------------------------------------------------------------------

class _Refused(Exception):  # noqa: N818 - a refusal already reported, not a bug
    """A cell that did not parse: reported already (table, row, column), the row is skipped."""


class _Errors:
    """The refusals of one import, each naming table, row (1: the first after the header) and
    column."""

    def __init__(self) -> None:
        self.found: list[FieldError] = []

    def add(self, table: str, row: int, column: str | None, reason: str) -> None:
        where = f"{table} row {row}" + (f" column {column}" if column else "")
        self.found.append(FieldError(where, reason))

    def cell(self, table: str, number: int, row: dict[str, str], column: str,
             parse: Callable[[str], _T]) -> _T:
        """One cell read with ``parse``: a value it refuses (ValueError, whose text says why in
        the tables' terms) is reported under its own column and raises :class:`_Refused`."""
        try:
            return parse(row[column])
        except ValueError as error:
            self.add(table, number, column, str(error))
            raise _Refused from None

    def cells(self, table: str, number: int, row: dict[str, str],
              parsers: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
        """Every cell of ``parsers`` read, all reported (not only the first bad one); raises
        :class:`_Refused` if any was refused."""
        values, refused = {}, False
        for column, parse in parsers.items():
            try:
                values[column] = self.cell(table, number, row, column, parse)
            except _Refused:
                refused = True
        if refused:
            raise _Refused
        return values


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
            dates = errors.cells("GEBIED", number, row, {"StartDateArea": _start,
                                                         "EndDateArea": _end})
        except _Refused:
            continue
        period = {k: v for k, v in (("startTime", dates["StartDateArea"]),
                                    ("endTime", dates["EndDateArea"])) if v}
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
                       column, _in_table_terms(error.detail, {iri: f"AreaId {area}"}))
            continue
        codes_repository.set_code(connection, "area", tenant, area, iri)
        zones[area] = iri
    special = []
    for number, row in enumerate(tables["SPECIALE DAG"], start=1):
        try:
            day = errors.cell("SPECIALE DAG", number, row, "DateSpecialDay", _date)
        except _Refused:
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
        names = {series: f"RegulationId {regulation}",
                 **{iri: f"AreaId {area}" for area, iri in zones.items()}}
        created = False
        for index, (number, version) in enumerate(items):
            document = _regime(version, series, zones, usages, special, errors, number)
            if index > 0 and not created:  # a later version cannot follow a refused first one
                errors.add("REGELING", number, "RegulationId",
                           f"{regulation}: not imported, as its first version (REGELING row "
                           f"{items[0][0]}) was refused")
                continue
            if document is None:
                continue
            try:
                if index == 0:
                    regime_repository.create(connection, iris, tenant, document)
                    created = True
                else:
                    regime_repository.new_version(connection, iris, tenant, series, document)
            except RegisterError as error:
                _report(errors, error, version, number, names)
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
            try:
                errors.cells(table, number, row, {start: _date, end: _date})
            except _Refused:
                continue
            dates = (_normal_date(row[start]), _normal_date(row[end]))
            version = index.get((row[key_column], dates))
            if version is None:
                _unmatched(errors, table, number, row, key_column, (start, end), dates, "REGELING",
                           [v["dates"] for _, v in by_regulation.get(row[key_column], [])])
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
        columns = ("StartDateFarePart", "EndDateFarePart")
        try:
            errors.cells("TARIEFDEEL", number, row, dict.fromkeys(columns, _date))
        except _Refused:
            continue
        key = (row["FareCalculationCode"], (_normal_date(row["StartDateFarePart"]),
                                            _normal_date(row["EndDateFarePart"])))
        if key not in fares:
            _unmatched(errors, "TARIEFDEEL", number, row, "FareCalculationCode", columns, key[1],
                       "TARIEFBEREKENING",
                       [dates for code, dates in fares if code == row["FareCalculationCode"]])
            continue
        parts[key].append((number, row))
    for items in by_regulation.values():
        for _, version in items:
            used = [row["FareCalculationCode"] for _, row in version["frames"]
                    if row["FareCalculationCode"]]
            missing = False
            for number, row in version["frames"]:
                code = row["FareCalculationCode"]
                if code and (code, version["dates"]) not in fares:
                    errors.add("TIJDVAK", number, "FareCalculationCode",
                               f"no TARIEFBEREKENING row {code} with the regulation's dates")
                    missing = True
            if missing or not used:
                continue
            # the regime's tariff is the fare most time frames use (the first on a tie); a time
            # frame with another fare is a time slot with a tariff of its own
            main = max(dict.fromkeys(used), key=used.count)
            version["fare"] = main
            version["fares"] = {code: (fares[(code, version["dates"])],
                                       parts.get((code, version["dates"]), []))
                                for code in dict.fromkeys(used)}
            version["fare_row"] = fares[(main, version["dates"])]
    for items in by_regulation.values():
        items.sort(key=lambda item: item[1]["dates"][0])
    return by_regulation


def _unmatched(errors: _Errors, table: str, number: int, row: dict[str, str], key_column: str,
               columns: tuple[str, str], dates: tuple[str, str], parent: str,
               periods: list[tuple[str, str]]) -> None:
    """A row whose code and dates match no row of ``parent`` (one version per period), reported
    under the column that does not match: the code when ``parent`` has no row of it, else the
    start date, or the end date when a row of ``parent`` starts on the same day."""
    code = row[key_column]
    if not periods:
        errors.add(table, number, key_column, f"no {parent} row of {code}")
    elif any(start == dates[0] for start, _ in periods):
        errors.add(table, number, columns[1], f"no {parent} row of {code} from this start date "
                                              "to this end date (one version per period)")
    else:
        errors.add(table, number, columns[0], f"no {parent} row of {code} from this start date "
                                              "(one version per period)")


def _regime(version: dict[str, Any], series: str, zones: dict[str, str],
            usages: dict[str, str], special: list[dict[str, str]], errors: _Errors,
            number: int) -> dict[str, Any] | None:
    """One REGELING row with the rows of its period as a version of a Regime, or None when a
    cell was refused (each reported under its own table, row and column)."""
    row = version["row"]
    ok = True
    try:
        dates = errors.cells("REGELING", number, row, {"StartDateRegulation": _start,
                                                       "EndDateRegulation": _end})
    except _Refused:
        return None
    if dates["StartDateRegulation"] is None:
        errors.add("REGELING", number, "StartDateRegulation", "is required")
        return None
    period = {k: v for k, v in (("startTime", dates["StartDateRegulation"]),
                                ("endTime", dates["EndDateRegulation"])) if v}
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
    slots, version["slot_rows"] = [], []
    own_tariffs: dict[str, dict[str, Any] | None] = {}
    for frame_number, frame in version["frames"]:
        optional = {c: p for c, p in (("MaxDurationRight", _integer),
                                      ("MinParkingInterruption", _integer))
                    if frame[c].strip()}
        try:
            cells = errors.cells("TIJDVAK", frame_number, frame, {
                "DayTimeFrame": _day, "StartTimeTimeFrame": _hhmm, "EndTimeTimeFrame": _hhmm,
                "ClaimRightPossible": _claim, **optional})
        except _Refused:
            ok = False
            continue
        slot: dict[str, Any] = {"daysOfWeek": [cells["DayTimeFrame"]],
                                "opens": cells["StartTimeTimeFrame"],
                                "closes": cells["EndTimeTimeFrame"],
                                "rightClaimable": cells["ClaimRightPossible"]}
        if "MaxDurationRight" in cells:
            slot["maximumDuration"] = cells["MaxDurationRight"]
        if "MinParkingInterruption" in cells:
            slot["minimumInterruption"] = cells["MinParkingInterruption"]
        code = frame["FareCalculationCode"].strip()
        if version["fare"] and code and code != version["fare"]:
            if code not in own_tariffs:  # read once, however many time frames use it
                own_tariffs[code] = _tariff(code, *version["fares"][code], errors)[0]
            if own_tariffs[code] is None:
                ok = False
                continue
            slot["tariff"] = own_tariffs[code]
        slots.append(slot)
        version["slot_rows"].append(frame_number)
    document: dict[str, Any] = {
        "isVersionOf": series, "name": row["RegulationDesc"] or row["RegulationId"],
        "rightKind": "access" if usage.endswith("Access") else "parking", "usage": usage,
        "regulationType": "additional" if row["RegulationType"].strip() == "A" else "base",
        "zones": zone_iris, "validityPeriod": period}
    if slots:
        document["timeSlots"] = slots
    if special:
        document["exemptDays"] = special
    day_maximum = None
    if row["MaximumDayCharge"].strip():
        try:
            day_maximum = errors.cell("REGELING", number, row, "MaximumDayCharge", _decimal)
        except _Refused:
            ok = False
    if version["fare"]:
        tariff, version["step_rows"] = _tariff(version["fare"],
                                               *version["fares"][version["fare"]], errors)
        if tariff is None:
            return None
        if day_maximum is not None:
            tariff["dayMaximum"] = day_maximum
        document["tariff"] = tariff
    elif row["MaximumDayCharge"].strip():
        errors.add("REGELING", number, "MaximumDayCharge", "a day maximum needs a fare")
        ok = False
    return document if ok else None


def _tariff(code: str, fare_row: tuple[int, dict[str, str]],
            parts: list[tuple[int, dict[str, str]]], errors: _Errors
            ) -> tuple[dict[str, Any] | None, list[int]]:
    """A TARIEFBEREKENING row and its TARIEFDEEL rows as a Tariff (without the day maximum,
    which is REGELING's), or None when a cell was refused; with the TARIEFDEEL row of each
    tariff step, in the steps' order."""
    fare_number, fare = fare_row
    tariff: dict[str, Any] = {"name": fare["FareCalculationDesc"] or code,
                              "currency": "EUR", "tariffSteps": [], "identifiers": [
                                  {"notation": code,
                                   "identifierScheme": "nprFareCalculationCode"}]}
    ok = True
    if fare["VATPercentage"].strip():
        try:
            tariff["vatPercentage"] = errors.cell("TARIEFBEREKENING", fare_number, fare,
                                                  "VATPercentage", _decimal)
        except _Refused:
            ok = False
    steps = []
    for part_number, part in parts:
        try:
            cells = errors.cells("TARIEFDEEL", part_number, part, {
                "StartDurationFarePart": _integer, "EndDurationFarePart": _integer,
                "AmountFarePart": _decimal, "StepSizeFarePart": _integer})
        except _Refused:
            ok = False
            continue
        step: dict[str, Any] = {"startDuration": cells["StartDurationFarePart"],
                                "amount": cells["AmountFarePart"],
                                "stepSize": cells["StepSizeFarePart"]}
        if cells["EndDurationFarePart"] != OPEN_DURATION:
            step["endDuration"] = cells["EndDurationFarePart"]
        steps.append((step["startDuration"], part_number, step))
    steps.sort(key=lambda item: item[0])
    tariff["tariffSteps"] = [step for _, _, step in steps]
    return (tariff if ok else None), [part_number for _, part_number, _ in steps]


#: Where a property of a Regime comes from in the tables (for a refusal of the register's rules
#: of a version built from them): the table, the column, and which of the version's rows of that
#: table (``row``: the REGELING row; ``fare``: its TARIEFBEREKENING row; ``slot``/``step``: the
#: TIJDVAK/TARIEFDEEL row of the indexed time slot or tariff step; ``area``: its first GEBIED
#: REGELING row).
_SOURCES: dict[str, tuple[str, str, str]] = {
    "name": ("REGELING", "RegulationDesc", "row"),
    "validityPeriod.startTime": ("REGELING", "StartDateRegulation", "row"),
    "validityPeriod.endTime": ("REGELING", "EndDateRegulation", "row"),
    "validityPeriod": ("REGELING", "StartDateRegulation", "row"),
    "regulationType": ("REGELING", "RegulationType", "row"),
    "usage": ("GEBIED REGELING", "UsageId", "area"),
    "zones": ("GEBIED REGELING", "AreaId", "area"),
    "tariff.dayMaximum": ("REGELING", "MaximumDayCharge", "row"),
    "tariff.vatPercentage": ("TARIEFBEREKENING", "VATPercentage", "fare"),
    "tariff.name": ("TARIEFBEREKENING", "FareCalculationDesc", "fare"),
    "tariff": ("TARIEFBEREKENING", "FareCalculationCode", "fare"),
    "tariff.tariffSteps.startDuration": ("TARIEFDEEL", "StartDurationFarePart", "step"),
    "tariff.tariffSteps.endDuration": ("TARIEFDEEL", "EndDurationFarePart", "step"),
    "tariff.tariffSteps.amount": ("TARIEFDEEL", "AmountFarePart", "step"),
    "tariff.tariffSteps.stepSize": ("TARIEFDEEL", "StepSizeFarePart", "step"),
    "tariff.tariffSteps": ("TARIEFDEEL", "StartDurationFarePart", "step"),
    "timeSlots.daysOfWeek": ("TIJDVAK", "DayTimeFrame", "slot"),
    "timeSlots.opens": ("TIJDVAK", "StartTimeTimeFrame", "slot"),
    "timeSlots.closes": ("TIJDVAK", "EndTimeTimeFrame", "slot"),
    "timeSlots.rightClaimable": ("TIJDVAK", "ClaimRightPossible", "slot"),
    "timeSlots.maximumDuration": ("TIJDVAK", "MaxDurationRight", "slot"),
    "timeSlots.minimumInterruption": ("TIJDVAK", "MinParkingInterruption", "slot"),
    "timeSlots.tariff": ("TIJDVAK", "FareCalculationCode", "slot"),
    "timeSlots": ("TIJDVAK", "StartTimeTimeFrame", "slot"),
}
_IRI = re.compile(r"https?://\S+")


def _report(errors: _Errors, error: RegisterError, version: dict[str, Any], number: int,
            names: dict[str, str]) -> None:
    """A refusal of the register's rules of a version built from the tables, reported where
    its value came from (table, row, column) and in the tables' terms: the register's IRIs of
    the zones and the regime named by their AreaId and RegulationId."""
    fields = [e for e in error.errors if e.field] or [None]
    for found in fields:
        field = found.field if found is not None else None
        table, column, row = "REGELING", "RegulationId", number
        if field:
            index = next((int(i) for i in re.findall(r"\[(\d+)\]", field)), None)
            key = re.sub(r"\[\d+\]", "", field)
            while key and key not in _SOURCES:
                key = key.rpartition(".")[0]
            if key:
                table, column, which = _SOURCES[key]
                row = _source_row(version, which, index, number)
        reason = found.reason if found is not None else error.detail
        errors.add(table, row, column, _in_table_terms(reason, names))


def _in_table_terms(text: str, names: dict[str, str]) -> str:
    """``text`` with each IRI of the register as the tables name it (``RegulationId 9001_BET``,
    ``AreaId 9001_CENT``): an importer knows its codes, not the IRIs the import made."""
    def named(match: re.Match[str]) -> str:
        iri = match.group(0).rstrip(".,;:)'\"")
        return names.get(iri, "a resource of the register") + match.group(0)[len(iri):]

    return _IRI.sub(named, text)


def _source_row(version: dict[str, Any], which: str, index: int | None, number: int) -> int:
    """The row of ``which`` table (see :data:`_SOURCES`) a property of the version came from."""
    if which == "fare":
        return version.get("fare_row", (number,))[0]
    if which == "area" and version["areas"]:
        return version["areas"][0][0]
    rows = version.get({"slot": "slot_rows", "step": "step_rows"}.get(which, ""), [])
    if rows:
        return rows[index if index is not None and index < len(rows) else 0]
    return number
