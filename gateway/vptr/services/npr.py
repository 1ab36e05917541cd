"""The questions and changes of the NPR message set, as the register answers them.

NPR messages name things by codes (AreaManagerId, AreaId, UsageId, RegulationId, PSRightId;
``vptr.repositories.npr``); these use cases resolve them to the register's zones, regimes and
rights and then ask the register's own use cases (:mod:`vptr.services.checking`,
:mod:`vptr.services.rights`, the trial price of :mod:`vptr.domain.pricing`), so credentials,
tenancy, validation, audit and plate hashing are the same as on the native API. The NPR channel
(``vptr.npr``) parses messages into these arguments and renders the answers.

A location is an area manager and an area, a point (resolved to the zone that has a regime of the
asked usage: at most one may qualify) or a selling point (a meter, an alternative key of its
zone). UsageIds are the tenant's own where it has them, else the national ones
(:data:`NATIONAL_USAGES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlalchemy import Connection

from vptr.auth.access import managed_tenant, visible_tenants
from vptr.domain import plates
from vptr.domain.errors import DomainError
from vptr.domain.pricing import NoTariffError, TrialPrice, trial_price
from vptr.domain.regime_time import enum_value
from vptr.domain.sources import ZoneRecord
from vptr.errors import Conflict, FieldError, Invalid, NotFound
from vptr.paging import Page
from vptr.repositories import npr as codes_repository
from vptr.repositories import rights as rights_repository
from vptr.repositories.npr import GLOBAL, TenantCodes
from vptr.services import checking, rights
from vptr.services.runtime import Caller, Runtime
from vptr.standard.datamodel import Regime
from vptr.store.check_sources import StoreCheckSources
from vptr.times import format_instant, now

#: The NPR's national UsageIds and the model's Usage they stand for; a tenant's own UsageIds
#: (GEBRUIKSDOEL) come first.
NATIONAL_USAGES = {"BETAALDP": "paidParking", "VERGUNP": "permitParking",
                   "GARAGEP": "garageParking", "PARKRIDE": "parkAndRide"}
USAGE_NAMES = {"paidParking": "Betaald parkeren", "permitParking": "Vergunninghouders",
               "garageParking": "Garageparkeren", "parkAndRide": "P+R",
               "blueZoneParking": "Blauwe zone", "loading": "Laden en lossen",
               "kissAndRide": "Kiss and ride", "pedestrianZoneAccess": "Toegang voetgangerszone",
               "lowTrafficZoneAccess": "Toegang autoluwe zone",
               "lowEmissionZoneAccess": "Toegang lage-emissiezone"}
#: Countries tried, in order, when a check names none (Belgium first: the deployment's default).
COUNTRIES_TRIED = ("BE", "NL", "FR", "DE", "LU")
#: A right registered this long after its start begins when it is registered (no rights back in
#: time: enforcement may have checked already).
START_TOLERANCE = timedelta(minutes=5)
CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class Location:
    """Where: an area manager and area, a point (WGS84), or a selling point."""

    area_manager_id: int | None = None
    area_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    selling_point_id: int | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A location resolved: the zone, its tenant's codes and the regime of the usage in force."""

    zone: ZoneRecord
    codes: TenantCodes
    usage: str
    usage_id: str
    regime: Regime | None
    selling_point_id: str | None = None

    @property
    def area_id(self) -> str:
        return area_code(self.codes, self.zone.id)

    @property
    def regulation_id(self) -> str | None:
        if self.regime is None:
            return None
        return self.codes.of["regulation"].get(self.regime.isVersionOf or self.regime.id)


@dataclass(frozen=True, slots=True)
class PricePart:
    """One line of SpecifCalcAmountList: what one regulation charged for which period."""

    regulation_id: str
    start: datetime
    end: datetime
    amount: Decimal
    vat: Decimal | None


@dataclass(frozen=True, slots=True)
class Priced:
    place: Place
    start: datetime
    end: datetime | None
    amount: Decimal | None
    vat: Decimal | None
    parts: tuple[PricePart, ...] = ()


@dataclass(frozen=True, slots=True)
class Enrolled:
    ps_right_id: int
    priced: Priced
    right: dict[str, Any]
    parent_ps_right_id: int | None = None
    created: bool = True


def area_code(codes: TenantCodes, zone: str) -> str:
    """A zone's AreaId (zones without one answer with the end of their reference)."""
    return codes.of["area"].get(zone) or zone.rsplit("/", 1)[-1][:10]


def usage_codes(codes: TenantCodes) -> dict[str, str]:
    """The tenant's UsageIds and the national ones, code -> Usage."""
    table = {code: usage for code, usage in NATIONAL_USAGES.items()
             if usage not in codes.of["usage"]}
    table.update(codes.codes["usage"])
    return table


def usage_id_of(codes: TenantCodes, usage: str) -> str:
    own = codes.of["usage"].get(usage)
    if own is not None:
        return own
    for code, value in NATIONAL_USAGES.items():
        if value == usage:
            return code
    return usage[:10].upper()


def usage_name(codes: TenantCodes, usage_id: str, usage: str) -> str:
    return codes.descriptions.get(("usage", usage_id)) or USAGE_NAMES.get(usage, usage)


def _usage(codes: TenantCodes, usage_id: str, field: str = "UsageId") -> str:
    usage = usage_codes(codes).get(usage_id)
    if usage is None:
        known = ", ".join(sorted(usage_codes(codes)))
        raise Invalid.field(field, f"unknown UsageId {usage_id!r} for this area manager "
                                   f"(known: {known})")
    return usage


def _codes(runtime: Runtime, connection: Connection, tenant: str) -> TenantCodes:
    """A tenant's codes, remembered by this instance for ``auth_cache_seconds``."""
    known = runtime.npr_codes.get(tenant)
    if known is None:
        known = codes_repository.tenant_codes(connection, tenant)
        runtime.npr_codes.put(tenant, known)
    return known


def _tenant_cached(runtime: Runtime, connection: Connection, area_manager_id: int) -> str:
    key = ("areaManager", area_manager_id)
    known = runtime.npr_codes.get(key)
    if known is None:
        known = _tenant(connection, area_manager_id)
        runtime.npr_codes.put(key, known)
    return known


def _tenant(connection: Connection, area_manager_id: int) -> str:
    tenant = codes_repository.tenant_of_area_manager(connection, str(area_manager_id))
    if tenant is None:
        raise NotFound(f"no area manager {area_manager_id}",
                       [_field("AreaManagerId", "unknown AreaManagerId")])
    return tenant


def _field(name: str, reason: str) -> FieldError:
    return FieldError(name, reason)


def _regime(sources: StoreCheckSources, zone: str, usage: str, moment: datetime
            ) -> Regime | None:
    """The regime version of the usage in force in the zone (the base one first)."""
    found = [r for r in sources.regimes_in_force([zone], moment)
             if enum_value(r.usage) == usage and zone in r.zones]
    found.sort(key=lambda r: (enum_value(r.regulationType) != "base", r.id))
    return found[0] if found else None


def _place(runtime: Runtime, connection: Connection, location: Location, usage_id: str,
           moment: datetime, location_field: str) -> Place:
    sources = StoreCheckSources(connection)
    selling_point = None
    if location.area_manager_id is not None or location.area_id is not None:
        if location.area_manager_id is None or location.area_id is None:
            raise Invalid.field("AreaId" if location.area_id is None else "AreaManagerId",
                                "give AreaManagerId and AreaId together")
        tenant = _tenant(connection, location.area_manager_id)
        codes = codes_repository.tenant_codes(connection, tenant)
        zone_id = codes.codes["area"].get(location.area_id)
        if zone_id is None:
            raise NotFound(f"no area {location.area_id} of area manager "
                           f"{location.area_manager_id}", [_field("AreaId", "unknown AreaId")])
    elif location.selling_point_id is not None:
        found = codes_repository.selling_point(connection, str(location.selling_point_id))
        if found is None:
            raise NotFound(f"no selling point {location.selling_point_id}",
                           [_field("SellingPointId", "unknown SellingPointId")])
        tenant, zone_id = found
        codes = codes_repository.tenant_codes(connection, tenant)
        selling_point = str(location.selling_point_id)
    elif location.lat is not None and location.lon is not None:
        return _place_at_point(connection, sources, location, usage_id, moment, location_field)
    else:
        raise Invalid.field(location_field, "give AreaManagerId and AreaId, a location or a "
                                            "SellingPointId")
    usage = _usage(codes, usage_id)
    zone = sources.zones_by_ids([zone_id])
    if not zone:
        raise NotFound(f"no area {location.area_id}", [_field("AreaId", "unknown AreaId")])
    return Place(zone[0], codes, usage, usage_id, _regime(sources, zone_id, usage, moment),
                 selling_point)


def _place_at_point(connection: Connection, sources: StoreCheckSources, location: Location,
                    usage_id: str, moment: datetime, location_field: str) -> Place:
    assert location.lat is not None and location.lon is not None
    candidates: list[Place] = []
    known_usage = False
    for zone in sources.zones_at_point(location.lon, location.lat, moment):
        codes = codes_repository.tenant_codes(connection, zone.area_manager)
        usage = usage_codes(codes).get(usage_id)
        if usage is None or zone.id not in codes.of["area"]:
            continue
        known_usage = True
        regime = _regime(sources, zone.id, usage, moment)
        if regime is not None:
            candidates.append(Place(zone, codes, usage, usage_id, regime))
    if not candidates:
        reason = ("no area with a regulation of this usage at this location" if known_usage
                  else "no area at this location")
        raise NotFound(reason, [_field(location_field, reason)])
    if len(candidates) > 1:
        areas = ", ".join(p.area_id for p in candidates)
        raise Invalid.field(location_field, f"several areas of this usage here ({areas}): "
                                            "name AreaManagerId and AreaId")
    return candidates[0]


# --- prices ------------------------------------------------------------------------------------

def _trial(sources: StoreCheckSources, place: Place, start: datetime, end: datetime
           ) -> TrialPrice | None:
    if place.regime is None:
        return None
    series = place.regime.isVersionOf or place.regime.id
    try:
        return trial_price(sources.regime_history(place.zone.id), place.zone.id, start, end=end,
                           time_zone_name=place.zone.time_zone, regime_ref=series)
    except NoTariffError:
        return None
    except DomainError as exc:
        raise Invalid.field(_message_field(exc.field), str(exc)) from exc


def _message_field(field: str | None) -> str | None:
    return {"end": "EndTimePSright", "start": "StartTimePSright",
            "duration": "EndTimePSright"}.get(field or "", field)


def _priced(sources: StoreCheckSources, place: Place, start: datetime, end: datetime | None,
            ) -> Priced:
    """The price of [start, end): the end cut back to the regime's maximum duration."""
    if end is None or place.regime is None:
        return Priced(place, start, end, None, None)
    price = _trial(sources, place, start, end)
    if price is not None and price.exceeds_maximum_duration and price.maximum_duration:
        end = start + timedelta(minutes=price.maximum_duration)
        price = _trial(sources, place, start, end)
    if price is None:
        return Priced(place, start, end, None, None)
    regulation = place.regulation_id or area_code(place.codes, place.zone.id)
    part = PricePart(regulation, start, end, price.total, price.vat_amount)
    return Priced(place, start, end, price.total, price.vat_amount, (part,))


def _end_for_budget(sources: StoreCheckSources, place: Place, start: datetime, budget: Decimal
                    ) -> datetime:
    """The latest end (whole minutes, at most a day) whose price stays within the budget."""
    low, high = 0, 24 * 60
    while low < high:
        middle = (low + high + 1) // 2
        price = _trial(sources, place, start, start + timedelta(minutes=middle))
        if price is None or price.total <= budget:
            low = middle
        else:
            high = middle - 1
    if low == 0:
        raise Invalid.field("AmountPSright", "buys no parking time here")
    return start + timedelta(minutes=low)


@dataclass(frozen=True, slots=True)
class PriceQuestion:
    location: Location
    usage_id: str
    start: datetime
    end: datetime | None = None
    budget: Decimal | None = None


def calculate(runtime: Runtime, caller: Caller, question: PriceQuestion) -> Priced:
    """CalculatePrice: the amount for a period, or the end time a budget buys; nothing is
    booked. Tariffs are open data: any authenticated organisation may ask."""
    if question.end is None and question.budget is None:
        raise Invalid.field("EndTimePSright", "give EndTimePSright or AmountPSright")
    if question.end is not None and question.end <= question.start:
        raise Invalid.field("EndTimePSright", "must be after StartTimePSright")
    with runtime.store.reading() as connection:
        place = _place(runtime, connection, question.location, question.usage_id,
                       question.start, "LocationPSRight")
        sources = StoreCheckSources(connection)
        if place.regime is None:
            raise NotFound("no regulation of this usage in force in the area then",
                           [_field("UsageId", "no regulation of this usage in force")])
        end = question.end
        if end is None:
            assert question.budget is not None
            end = _end_for_budget(sources, place, question.start, question.budget)
        priced = _priced(sources, place, question.start, end)
    caller.serve(place.zone.area_manager)
    if priced.amount is None:
        return Priced(place, priced.start, priced.end, Decimal("0.00"), None, ())
    return priced


# --- rights ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Enrolment:
    """EnrollPSRight: ``right`` is the mapped part of the Right (vehicle, validityPeriod,
    amountPaid, clientReference; vptr.mapping), the rest says where and what."""

    right: dict[str, Any]
    location: Location
    usage_id: str
    start: datetime
    end: datetime | None = None
    parent_right_id: int | None = None
    parent_reference: str | None = None


def enroll(runtime: Runtime, caller: Caller, enrolment: Enrolment) -> Enrolled:
    """EnrollPSRight: registers the right through :func:`vptr.services.rights.register` (the
    same access rule, validation and audit as the native API), with the zone, regime, usage and
    channel the location says, the start no earlier than the registration (less
    :data:`START_TOLERANCE`), the end within the regime's maximum duration and the amount the
    register calculates when the provider sends none. ``ReferencePSRight`` makes it idempotent:
    the same reference again answers with the right it registered."""
    moment = now()
    start = enrolment.start
    if start < moment - START_TOLERANCE:
        start = moment.replace(microsecond=0)
    if enrolment.end is not None and enrolment.end <= start:
        raise Invalid.field("EndTimePSright", "must be after the (adjusted) start "
                                              f"{format_instant(start)}")
    reference = enrolment.right.get("clientReference")
    if isinstance(reference, str) and caller.principal.is_provider:
        first = _already_enrolled(runtime, caller, reference)
        if first is not None:
            _same_vehicle(first.right, enrolment.right, reference)
            return first
    with runtime.store.reading() as connection:
        place = _place(runtime, connection, enrolment.location, enrolment.usage_id, start,
                       "LocationPSRight")
        if place.regime is None:
            raise NotFound("no regulation of this usage in force in the area at the start",
                           [_field("UsageId", "no regulation of this usage in force")])
        priced = _priced(StoreCheckSources(connection), place, start, enrolment.end)
        parent = _parent(connection, enrolment)
    document = dict(enrolment.right)
    vehicle = document.get("vehicle") or {}
    licence = dict(vehicle.get("licencePlate") or {})
    if isinstance(licence.get("plateNumber"), str):
        licence["plateNumber"] = plates.normalise_plate(licence["plateNumber"])
    document["vehicle"] = {**vehicle, "licencePlate": licence}
    document.update({
        "rightKind": "access" if place.usage.endswith("Access") else "parking",
        "zone": place.zone.id, "regime": place.regime.id, "usage": place.usage,
        "channel": "meter" if place.selling_point_id else "app",
    })
    period = {"startTime": format_instant(start)}
    if priced.end is not None:
        period["endTime"] = format_instant(priced.end)
    document["validityPeriod"] = period
    if "amountPaid" not in document and priced.amount is not None:
        document["amountPaid"] = _money(priced.amount, priced.vat)
    if parent is not None:
        document["sourceRight"] = parent[1]
    registered = rights.register(runtime, caller, document)
    with runtime.store.reading() as connection:
        ps_id = codes_repository.ps_right_ids(connection, [registered.document["id"]])
    return Enrolled(ps_id[registered.document["id"]], priced, registered.document,
                    parent[0] if parent else None, registered.created)


def _money(amount: Decimal, vat: Decimal | None) -> dict[str, str]:
    money = {"value": str(amount), "currency": CURRENCY}
    if vat is not None:
        money["vatAmount"] = str(vat)
    return money


def _parent(connection: Connection, enrolment: Enrolment) -> tuple[int, str] | None:
    if enrolment.parent_right_id is not None:
        iri = codes_repository.right_of(connection, enrolment.parent_right_id)
        if iri is None:
            raise NotFound(f"no right {enrolment.parent_right_id}",
                           [_field("ParentRightId", "unknown PSRightId")])
        return enrolment.parent_right_id, iri
    return None


def _same_vehicle(first: dict[str, Any], again: dict[str, Any], reference: str) -> None:
    """A re-sent enrolment names the vehicle of the first; another vehicle is a conflict."""
    def plate(document: dict[str, Any]) -> tuple[str, str]:
        licence = (document.get("vehicle") or {}).get("licencePlate") or {}
        number = licence.get("plateNumber")
        return (plates.normalise_plate(number) if isinstance(number, str) else "",
                licence.get("country") or "")

    if plate(first) != plate(again):
        raise Conflict(f"ReferencePSRight {reference!r} was used for another vehicle",
                       [_field("ReferencePSRight", "used before for another right")])


def _already_enrolled(runtime: Runtime, caller: Caller, reference: str) -> Enrolled | None:
    with runtime.store.reading() as connection:
        row = rights_repository.by_client_reference(connection, caller.principal.organisation,
                                                    reference)
        if row is None:
            return None
        ps_id = codes_repository.ps_right_ids(connection, [row.id])[row.id]
        codes = codes_repository.tenant_codes(connection, row.tenant_id)
        zone = StoreCheckSources(connection).zones_by_ids([row.zone_id])[0]
    document = rights.get(runtime, caller, row.id)  # audited, as any read of a right
    usage = document.get("usage") or "paidParking"
    place = Place(zone, codes, usage, usage_id_of(codes, usage), None)
    amount = document.get("amountPaid") or {}
    value = Decimal(amount["value"]) if "value" in amount else None
    vat = Decimal(amount["vatAmount"]) if "vatAmount" in amount else None
    return Enrolled(ps_id, Priced(place, row.start_time, row.end_time, value, vat), document,
                    None, created=False)


@dataclass(frozen=True, slots=True)
class Stopped:
    ps_right_id: int
    end: datetime
    amount: Decimal | None
    vat: Decimal | None
    parts: tuple[PricePart, ...] = ()
    right: dict[str, Any] = field(default_factory=dict)


def stop(runtime: Runtime, caller: Caller, ps_right_id: int, end: datetime,
         amount: Decimal | None = None, vat: Decimal | None = None) -> Stopped:
    """RevokePSRight (despite its name, a stop): ends the right at ``end`` (an end at or before
    its start withdraws it) and sets the amount paid: the provider's, else the register's
    calculation for the time it ran."""
    with runtime.store.reading() as connection:
        iri = codes_repository.right_of(connection, ps_right_id)
        row = rights_repository.by_id(connection, iri) if iri is not None else None
        if row is None:
            raise NotFound(f"no right {ps_right_id}", [_field("PSRightId", "unknown PSRightId")])
        sources = StoreCheckSources(connection)
        codes = codes_repository.tenant_codes(connection, row.tenant_id)
        zone = sources.zones_by_ids([row.zone_id])[0]
        regime = None
        if row.regime_id:
            regime = next((r for r in sources.regime_history(row.zone_id)
                           if r.id == row.regime_id), None)
        usage = row.document.get("usage") or (enum_value(regime.usage) if regime else "")
        place = Place(zone, codes, usage, usage_id_of(codes, usage), regime)
        priced = None
        if end > row.start_time:
            priced = _priced(sources, place, row.start_time, end)
    if priced is None:
        document = rights.revoke(runtime, caller, iri)
        return Stopped(ps_right_id, row.start_time, Decimal("0.00"), None, (), document)
    if priced.end is not None and priced.end < end:
        end = priced.end
    if amount is None and priced.amount is not None:
        amount, vat = priced.amount, priced.vat
    if row.end_time is not None and end > row.end_time:
        raise Invalid.field("EndTimePSRight", f"after the right's end "
                                              f"({format_instant(row.end_time)})")
    money = _money(amount, vat) if amount is not None else None
    document = rights.end(runtime, caller, iri, end, amount_paid=money)
    return Stopped(ps_right_id, end, amount, vat, priced.parts, document)


# --- the check ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CheckQuestion:
    plate: str
    country: str | None
    usage_id: str
    at: datetime
    location: Location = Location()
    #: AreaManagerTable: (AreaManagerId, AreaIds) pairs, instead of one location.
    areas: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class CheckedRight:
    ps_right_id: int
    area_id: str
    area_name: str | None
    start: datetime
    end: datetime | None
    reference: str | None
    usage_id: str
    usage_name: str


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    allowed: bool
    area_manager_id: str | None
    rights: tuple[CheckedRight, ...]
    grace_before: int
    grace_after: int
    country: str


def check(runtime: Runtime, caller: Caller, question: CheckQuestion) -> CheckOutcome:
    """CheckPSRight: the register's check (:func:`vptr.services.checking.ask`: who may check
    where, the audit) in the areas named, or at the point; Y when it allows the plate, with the
    rights that match. Without a country, :data:`COUNTRIES_TRIED` are tried in turn.

    Its reads around the check (the codes, mostly remembered; the PSRightIds of the rights found)
    take the check's own connection (``hot_reading``), not a pool checkout each: the two
    checkouts were about a tenth of a CheckPSRight's server samples in py-spy (bench/README.md,
    bench.npr)."""
    location = question.location
    with runtime.store.hot_reading() as connection:
        zone_ids: list[str] = []
        usage = None
        codes_of: dict[str, TenantCodes] = {}
        pairs = list(question.areas)
        if location.area_manager_id is not None or location.area_id is not None:
            if location.area_manager_id is None or location.area_id is None:
                raise Invalid.field("AreaId", "give AreaManagerId and AreaId together")
            pairs.append((location.area_manager_id, (location.area_id,)))
        for area_manager_id, area_ids in pairs:
            tenant = _tenant_cached(runtime, connection, area_manager_id)
            codes = codes_of.get(tenant) or _codes(runtime, connection, tenant)
            codes_of[tenant] = codes
            usage = _usage(codes, question.usage_id)
            if not area_ids:
                zone_ids.extend(codes.codes["area"].values())
            for area_id in area_ids:
                zone = codes.codes["area"].get(area_id)
                if zone is None:
                    raise NotFound(f"no area {area_id} of area manager {area_manager_id}",
                                   [_field("AreaId", "unknown AreaId")])
                zone_ids.append(zone)
    if not zone_ids and (location.lat is None or location.lon is None):
        raise Invalid.field("CheckLocation", "give AreaManagerId and AreaId, AreaManagerTable "
                                             "or CheckLocation")
    if usage is None:
        usage = NATIONAL_USAGES.get(question.usage_id)
    right_kind = None if usage is None else "access" if usage.endswith("Access") else "parking"
    countries = (question.country,) if question.country else COUNTRIES_TRIED
    answer = None
    for country in countries:
        ask = checking.Question(question.plate, country, tuple(zone_ids),
                                None if zone_ids else location.lon,
                                None if zone_ids else location.lat, question.at, right_kind)
        answer = checking.ask(runtime, caller, ask)
        if answer.result.allowed:
            break
    assert answer is not None
    result = answer.result
    right_ids = [g.id for g in result.grants if g.kind == "right" and g.id]
    with runtime.store.hot_reading() as connection:
        for zone in result.zones:
            if zone.area_manager not in codes_of:
                codes_of[zone.area_manager] = _codes(runtime, connection, zone.area_manager)
        rows = codes_repository.rights_with_ids(connection, right_ids)
    names = {z.id: z.name for z in result.zones}
    tenant_of = {z.id: z.area_manager for z in result.zones}
    checked = []
    for row in sorted(rows, key=lambda r: r.start_time):
        codes = codes_of.get(tenant_of.get(row.zone_id, row.tenant_id)) or TenantCodes(
            row.tenant_id)
        right_usage = usage or "paidParking"  # the usage asked about
        usage_id = usage_id_of(codes, right_usage)
        checked.append(CheckedRight(int(row.ps_right_id), area_code(codes, row.zone_id),
                                    names.get(row.zone_id), row.start_time, row.end_time,
                                    row.client_reference, usage_id,
                                    usage_name(codes, usage_id, right_usage)))
    tenants = {z.area_manager for z in result.zones}
    area_manager_id = None
    if len(tenants) == 1:
        area_manager_id = codes_of[next(iter(tenants))].area_manager_id
    return CheckOutcome(result.allowed, area_manager_id, tuple(checked),
                        min(result.grace_period_before, 99), min(result.grace_period, 99),
                        country)


# --- configuration -------------------------------------------------------------------------------

def area_managers(runtime: Runtime, caller: Caller) -> list[dict[str, Any]]:
    """RetrieveAreaManagers: every area manager with an AreaManagerId (public, like the RDW's
    GEBIEDSBEHEERDER table), as Organisation documents carrying the code among their
    identifiers."""
    with runtime.store.reading() as connection:
        found = codes_repository.area_managers(connection)
    documents = []
    for code, _tenant_iri, document in found:
        document = dict(document)
        document["identifiers"] = [i for i in document.get("identifiers", [])
                                   if i.get("identifierScheme") != "nprAreaManagerId"]
        document["identifiers"].insert(0, {"notation": code,
                                           "identifierScheme": "nprAreaManagerId"})
        documents.append(document)
    return documents


@dataclass(frozen=True, slots=True)
class AreaQuestion:
    location: Location
    usage_id: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AreaRegulation:
    regulation_id: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class AreaInfo:
    """An area and one usage of it (AreaData)."""

    area_id: str
    name: str | None
    start: datetime | None
    end: datetime | None
    usage_id: str | None = None
    usage_name: str | None = None
    grace_before: int | None = None
    grace_after: int | None = None
    price_one_hour: Decimal | None = None
    regulations: tuple[AreaRegulation, ...] = ()
    wkt: str | None = None


@dataclass(frozen=True, slots=True)
class Areas:
    area_manager_id: str | None
    areas: tuple[AreaInfo, ...]


def areas(runtime: Runtime, caller: Caller, question: AreaQuestion,
          with_geometry: bool = False) -> Areas:
    """RetrieveAreasByLocation: the areas at a point (or of an area manager, or of a selling
    point) that the caller may see, one AreaData per usage of the regimes in force there."""
    moment = question.at or now()
    location = question.location
    with runtime.store.reading() as connection:
        sources = StoreCheckSources(connection)
        visible = visible_tenants(connection, caller.principal, now())
        if location.lat is not None and location.lon is not None:
            zones = sources.zones_at_point(location.lon, location.lat, moment)
        elif location.selling_point_id is not None:
            found = codes_repository.selling_point(connection, str(location.selling_point_id))
            zones = sources.zones_by_ids([found[1]]) if found else []
        elif location.area_manager_id is not None:
            tenant = _tenant(connection, location.area_manager_id)
            codes = codes_repository.tenant_codes(connection, tenant)
            if location.area_id:
                wanted = [codes.codes["area"].get(location.area_id, "")]
            else:
                wanted = list(codes.codes["area"].values())
            zones = sources.zones_by_ids([w for w in wanted if w])
        else:
            raise Invalid.field("AreaLocation", "give AreaLocation, SellingPointId or "
                                                "AreaManagerId")
        zones = [z for z in zones if z.area_manager in visible]
        rows = codes_repository.zones(connection, [z.id for z in zones])
        found_areas: list[AreaInfo] = []
        tenants: set[str] = set()
        for zone in sorted(zones, key=lambda z: z.id):
            codes = codes_repository.tenant_codes(connection, zone.area_manager)
            if zone.id not in codes.of["area"]:
                continue
            wanted_usage = _usage(codes, question.usage_id) if question.usage_id else None
            tenants.add(zone.area_manager)
            found_areas.extend(_area_infos(sources, codes, zone, rows.get(zone.id), moment,
                                           wanted_usage, with_geometry))
    area_manager_id = None
    if len(tenants) == 1:
        tenant = next(iter(tenants))
        caller.serve(tenant)
        with runtime.store.reading() as connection:
            area_manager_id = codes_repository.tenant_codes(connection, tenant).area_manager_id
    return Areas(area_manager_id, tuple(found_areas))


def _area_infos(sources: StoreCheckSources, codes: TenantCodes, zone: ZoneRecord, row: Any,
                moment: datetime, wanted_usage: str | None, with_geometry: bool
                ) -> list[AreaInfo]:
    regimes = [r for r in sources.regimes_in_force([zone.id], moment) if zone.id in r.zones]
    by_usage: dict[str, list[Regime]] = {}
    for regime in regimes:
        by_usage.setdefault(enum_value(regime.usage), []).append(regime)
    start = row.valid_from if row is not None else None
    end = row.valid_to if row is not None else None
    wkt = row.wkt if row is not None and with_geometry else None
    if not by_usage:
        if wanted_usage is not None:
            return []
        return [AreaInfo(area_code(codes, zone.id), zone.name, start, end, wkt=wkt)]
    out = []
    for usage, found in sorted(by_usage.items()):
        if wanted_usage is not None and usage != wanted_usage:
            continue
        usage_id = usage_id_of(codes, usage)
        regulations = tuple(
            AreaRegulation(codes.of["regulation"].get(r.isVersionOf or r.id, ""),
                           _instant(r.validityPeriod.startTime if r.validityPeriod else None),
                           _instant(r.validityPeriod.endTime if r.validityPeriod else None))
            for r in found if codes.of["regulation"].get(r.isVersionOf or r.id))
        out.append(AreaInfo(
            area_code(codes, zone.id), zone.name, start, end, usage_id,
            usage_name(codes, usage_id, usage),
            min(max(r.gracePeriodBefore or 0 for r in found), 99),
            min(max(r.gracePeriod or 0 for r in found), 99),
            _price_one_hour(found), regulations, wkt))
    return out


def _instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _price_one_hour(regimes: list[Regime]) -> Decimal | None:
    """The price of the first hour of paid time under the tariff (its steps, its day maximum)."""
    for regime in regimes:
        tariff = regime.tariff
        if tariff is None or not tariff.tariffSteps:
            continue
        total = Decimal(0)
        for step in tariff.tariffSteps:
            begin = step.startDuration or 0
            stop_at = min(step.endDuration if step.endDuration is not None else 60, 60)
            if stop_at <= begin:
                continue
            size = step.stepSize or (stop_at - begin)
            steps = (Decimal(stop_at - begin) / Decimal(size)).to_integral_value(ROUND_CEILING)
            total += steps * Decimal(str(step.amount))
        if tariff.dayMaximum is not None:
            total = min(total, Decimal(str(tariff.dayMaximum)))
        return total.quantize(Decimal("0.01"))
    return None


@dataclass(frozen=True, slots=True)
class Regulations:
    """RetrieveAreaRegulationFareInfo: the areas (with their outlines) and the regime versions in
    force in them at the moment asked, with the tenant's codes."""

    areas: Areas
    regimes: tuple[Regime, ...]
    codes: TenantCodes


def regulations(runtime: Runtime, caller: Caller, area_manager_id: int, area_id: str | None,
                at: datetime | None) -> Regulations:
    """RetrieveAreaRegulationFareInfo: an area manager's areas (or one), and the regulations,
    time frames, fares and special days in force at ``at`` (now when absent: any past moment may
    be asked, NF6.9)."""
    moment = at or now()
    found = areas(runtime, caller, AreaQuestion(Location(area_manager_id, area_id), None, moment),
                  with_geometry=True)
    with runtime.store.reading() as connection:
        tenant = _tenant(connection, area_manager_id)
        codes = codes_repository.tenant_codes(connection, tenant)
        zone_ids = [codes.codes["area"][a.area_id] for a in found.areas
                    if a.area_id in codes.codes["area"]]
        if area_id and not zone_ids:
            raise NotFound(f"no area {area_id} of area manager {area_manager_id}",
                           [_field("AreaId", "unknown AreaId")])
        regimes = {r.id: r for r in StoreCheckSources(connection).regimes_in_force(
            list(dict.fromkeys(zone_ids)), moment)} if zone_ids else {}
    caller.serve(tenant)
    return Regulations(found, tuple(sorted(regimes.values(), key=lambda r: r.id)), codes)


@dataclass(frozen=True, slots=True)
class RightInfo:
    """A right as RetrieveRightInfo describes it: the register's document and the codes."""

    document: dict[str, Any]
    ps_right_id: int
    area_manager_id: str
    area_manager_name: str | None
    area_id: str
    area_name: str | None
    usage_id: str
    usage_name: str
    provider_code: str
    provider_name: str | None


def right_info(runtime: Runtime, caller: Caller, *, plate: str | None = None,
               ps_right_id: int | None = None, at: datetime | None = None,
               usage_id: str | None = None) -> list[RightInfo]:
    """RetrieveRightInfo: one right by its PSRightId, or the rights of a plate valid at ``at``
    (now when absent), that the caller may read (vptr.services.rights: the provider its own, the
    area manager its tenant's, authorised readers theirs); every read is audited."""
    if plate is None and ps_right_id is None:
        raise Invalid.field("VehicleId", "give VehicleId or PSRightId")
    documents: list[dict[str, Any]] = []
    if ps_right_id is not None:
        with runtime.store.reading() as connection:
            iri = codes_repository.right_of(connection, ps_right_id)
        if iri is None:
            raise NotFound(f"no right {ps_right_id}", [_field("PSRightId", "unknown PSRightId")])
        documents.append(rights.get(runtime, caller, iri))
    else:
        assert plate is not None
        moment = at or now()
        for country in COUNTRIES_TRIED:
            try:
                found, _ = rights.search(runtime, caller, rights.Search(
                    plate=plate, country=country, start=moment,
                    end=moment + timedelta(seconds=1)), Page(1, 100))
            except Invalid as exc:  # a VehicleId that is no plate, the one field given here
                raise Invalid.field("VehicleId", exc.errors[0].reason) from None
            documents.extend(found)
            if found:
                break
    out = []
    with runtime.store.reading() as connection:
        ids = codes_repository.ps_right_ids(connection, [d["id"] for d in documents])
        zones = codes_repository.zones(connection, [d["zone"] for d in documents])
        names = codes_repository.organisation_names(
            connection, {d.get("provider", "") for d in documents}
            | {z.tenant_id for z in zones.values()})
        for document in documents:
            zone = zones.get(document["zone"])
            if zone is None:
                continue
            codes = codes_repository.tenant_codes(connection, zone.tenant_id)
            if codes.area_manager_id is None:
                continue
            usage = document.get("usage") or "paidParking"
            code = usage_id_of(codes, usage)
            if usage_id is not None and code != usage_id:
                continue
            provider = document.get("provider", "")
            provider_code, provider_name = names.get(provider, (None, None))
            out.append(RightInfo(document, ids[document["id"]], codes.area_manager_id,
                                 names.get(zone.tenant_id, (None, None))[1],
                                 area_code(codes, zone.id), zone.name, code,
                                 usage_name(codes, code, usage),
                                 provider_code or provider.rsplit("/", 1)[-1][:10],
                                 provider_name))
    return out


def status(runtime: Runtime, caller: Caller) -> str:
    """StatusRequest: whether the register answers (its store is reachable)."""
    with runtime.store.reading() as connection:
        codes_repository.tenant_of_area_manager(connection, "0")
    return "OK"




# --- the codes an area manager gives its things ------------------------------------------------

_CODE_FORMS = {"areaManager": (r"[0-9]{1,4}", "a number of at most 4 digits"),
               "area": (r"\S{1,10}", "1 to 10 characters, no spaces"),
               "regulation": (r"\S{1,10}", "1 to 10 characters, no spaces"),
               "fare": (r"\S{1,10}", "1 to 10 characters, no spaces"),
               "sellingPoint": (r"[0-9]{1,10}", "a number of at most 10 digits"),
               "usage": (r"\S{1,10}", "1 to 10 characters, no spaces")}


def assign_code(runtime: Runtime, caller: Caller, kind: str, code: str,
                target: str | None = None, description: str | None = None) -> dict[str, str]:
    """Gives one of the area manager's things its NPR code: its AreaManagerId (``areaManager``,
    unique in the register), a zone's AreaId or SellingPointId, a regime's RegulationId or
    FareCalculationCode, or a UsageId for a Usage. A zone, regime or usage has one code of a kind
    (the new one replaces the old); a zone may have several selling points."""
    tenant = access_tenant(caller)
    form = _CODE_FORMS.get(kind)
    if form is None:
        raise Invalid.field("kind", f"one of {', '.join(_CODE_FORMS)}")
    if not re.fullmatch(form[0], code):
        raise Invalid.field("code", form[1])
    if kind == "areaManager":
        code = str(int(code))
        target = tenant
    if not target:
        raise Invalid.field("target", "the zone, regime or usage the code names")
    with runtime.store.transaction() as connection:
        scope = GLOBAL if kind == "areaManager" else tenant
        owner = codes_repository.code_owner(connection, kind, scope, code)
        if kind == "areaManager" and owner not in (None, tenant):
            raise Conflict(f"AreaManagerId {code} belongs to another area manager",
                           [_field("code", "already in use")])
        if kind in ("area", "sellingPoint") and not codes_repository.owns(
                connection, tenant, "zone", target):
            raise NotFound(f"no zone {target} of this area manager",
                           [_field("target", "not one of your zones")])
        if kind in ("regulation", "fare") and not codes_repository.owns(
                connection, tenant, "regime", target):
            raise NotFound(f"no regime {target} of this area manager (name the regime, "
                           "not a version)", [_field("target", "not one of your regimes")])
        if kind == "usage" and target not in USAGE_NAMES:
            raise Invalid.field("target", f"one of {', '.join(USAGE_NAMES)}")
        if kind != "sellingPoint":
            codes_repository.forget_target(connection, kind, scope, target)
        codes_repository.set_code(connection, kind, scope, code, target,
                                  (description or "")[:80] or None)
    runtime.npr_codes.clear()
    caller.serve(tenant)
    return {"kind": kind, "code": code, "target": target}


def codes(runtime: Runtime, caller: Caller) -> list[dict[str, str]]:
    """The area manager's NPR codes."""
    tenant = access_tenant(caller)
    with runtime.store.reading() as connection:
        found = codes_repository.tenant_codes(connection, tenant)
    caller.serve(tenant)
    return [{"kind": kind, "code": code, "target": target}
            for kind in sorted(found.codes) for code, target in sorted(found.codes[kind].items())]


def access_tenant(caller: Caller) -> str:
    return managed_tenant(caller.principal)


__all__ = ["GLOBAL", "NATIONAL_USAGES", "AreaQuestion", "Areas", "CheckOutcome", "CheckQuestion",
           "Enrolled", "Enrolment", "Location", "PriceQuestion", "Priced", "Stopped",
           "area_managers", "areas", "assign_code", "calculate", "check", "codes", "enroll",
           "status", "stop"]
