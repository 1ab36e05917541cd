"""The NPR operations the gateway offers: each reads its request data (the JSON form of the XSD's
``*RequestData``, already validated against the XSD), calls a use case of
:mod:`vptr.services.npr` and writes the ``*ResponseData``.

The operations, their request and response elements and their SOAPActions are read from the WSDL
(``spec/registration.wsdl``); :data:`HANDLERS` says which the gateway offers. The others answer a
SOAP Fault (or ``ErrorCode`` 900 on the JSON channel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree

from vptr.errors import Invalid
from vptr.mapping import TranslationError, translator
from vptr.npr.schema import WSDL_PATH, decimal, format_instant, parse_datetime, schema
from vptr.services import npr
from vptr.services.runtime import Caller, Runtime
from vptr.times import in_zone

WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP_BINDING = "http://schemas.xmlsoap.org/wsdl/soap/"
LOCAL = ZoneInfo("Europe/Brussels")
DEFAULT_COUNTRY = "BE"

Handler = Callable[[Runtime, Caller, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the WSDL: its name, request and response elements and SOAPAction."""

    name: str
    request: str
    response: str
    action: str
    handler: Handler | None = None
    writes: bool = False

    @property
    def offered(self) -> bool:
        return self.handler is not None

    @property
    def request_data(self) -> str:
        return schema().types[schema().elements[self.request]].children[0].name

    @property
    def response_data(self) -> str:
        return schema().types[schema().elements[self.response]].children[0].name

    @property
    def response_error(self) -> str:
        return schema().types[schema().elements[self.response]].children[1].name


# --- values ------------------------------------------------------------------------------------

def _instant(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    return None if value is None else parse_datetime(value)


def _location(data: dict[str, Any], point: str) -> npr.Location:
    where = data.get(point) or {}
    area_manager = data.get("AreaManagerId")
    if isinstance(area_manager, str):  # RetrieveAreasByLocation types it as text
        if not area_manager.strip().isdigit():
            raise Invalid.field("AreaManagerId", "a number of at most 4 digits")
        area_manager = int(area_manager)
    return npr.Location(area_manager, data.get("AreaId") or None,
                        _coordinate(where, "Latitude", 90), _coordinate(where, "Longitude", 180),
                        data.get("SellingPointId"))


def _coordinate(where: dict[str, Any], name: str, bound: int) -> float | None:
    """A coordinate of the message: the XSD's CoordinatesType allows -180..180 for both, so a
    latitude beyond 90 passes the schema and is refused here, named as the message names it
    (not as the register's check calls it)."""
    value = where.get(name)
    if value is None:
        return None
    number = float(value)
    if not -bound <= number <= bound:
        raise Invalid.field(name, f"must be between -{bound} and {bound} (WGS84 degrees)")
    return number


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


@cache
def _countries() -> Any:
    rule = next(r for r in translator("npr", "PSRightEnrollRequestData").rules
                if r.message_path == "CountryCodeVehicle")
    assert rule.conversion is not None
    return rule.conversion


def country_to_iso(code: str | None) -> str | None:
    """A UNECE distinguishing sign as the model's ISO code (the mapping file's table)."""
    if code is None:
        return None
    try:
        return _countries().to_native(code.upper())
    except TranslationError:
        raise Invalid.field("CountryCodeVehicle", f"no country known for {code!r}") from None


def npr_date(moment: datetime | None, *, end: bool = False) -> int | None:
    """An instant as the NPR's YYYYMMDD (local date); an end is the last day in force."""
    if moment is None:
        return None
    local = in_zone(moment, LOCAL)
    if end and local.time() == datetime.min.time():
        local -= timedelta(days=1)
    return int(local.strftime("%Y%m%d"))


def _cut(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    return text if len(text) <= limit else text[:limit]


def _parts(parts: tuple[npr.PricePart, ...]) -> dict[str, Any] | None:
    if not parts:
        return None
    return {"SpecifCalcAmountData": [
        _clean({"RegulationId": p.regulation_id, "StartTimeApplied": format_instant(p.start),
                "EndTimeApplied": format_instant(p.end), "AmountFraction": _money(p.amount),
                "VATAmountFraction": _money(p.vat)}) for p in parts]}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Absent optional elements are left out rather than sent as nil."""
    return {k: v for k, v in data.items() if v is not None}


# --- the handlers ------------------------------------------------------------------------------

def check_ps_right(runtime: Runtime, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("CheckAddress") is not None and data.get("CheckLocation") is None \
            and data.get("AreaId") is None:
        raise Invalid.field("CheckAddress", "address lookups are not offered: send "
                                            "CheckLocation or AreaManagerId and AreaId")
    areas = []
    for item in (data.get("AreaManagerTable") or {}).get("AreaManagerData") or []:
        if item is None or item.get("AreaManagerId") is None:
            continue
        ids = tuple(a["AreaId"] for a in (item.get("AreaIdTable") or {}).get("AreaIdData") or []
                    if a)
        areas.append((item["AreaManagerId"], ids))
    question = npr.CheckQuestion(
        data["VehicleId"], country_to_iso(data.get("CountryCodeVehicle")), data["UsageId"],
        parse_datetime(data["CheckTime"]), _location(data, "CheckLocation"), tuple(areas))
    outcome = npr.check(runtime, caller, question)
    listed = [_clean({
        "PSRightId": r.ps_right_id, "AreaId": r.area_id, "AreaDesc": _cut(r.area_name, 80),
        "StartTimePSRight": format_instant(r.start),
        "EndTimePSRight": format_instant(r.end) if r.end else None,
        "EndTimePSRightAdjusted": format_instant(r.end) if r.end else None,
        "ReferencePSRight": r.reference, "UsageId": r.usage_id,
        "UsageDesc": _cut(r.usage_name, 80),
        "GracePeriodBefore": outcome.grace_before, "GracePeriodAfter": outcome.grace_after,
    }) for r in outcome.rights]
    return _clean({
        "CheckAnswer": "Y" if outcome.allowed else "N",
        "AreaManagerId": int(outcome.area_manager_id) if outcome.area_manager_id else None,
        "PSRightCheckPSRightList": {"PSRightCheckPSRightData": listed} if listed else None,
    })


def enroll_ps_right(runtime: Runtime, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("UsageId") is None:
        raise Invalid.field("UsageId", "is required")
    if (data.get("PSRightWindowList") or {}).get("PSRightWindowData"):
        raise Invalid.field("PSRightWindowList", "rights in weekly windows are not offered: "
                                                 "enrol one right per period")
    try:
        right = translator("npr", "PSRightEnrollRequestData").to_native(data)
    except TranslationError as error:
        raise Invalid.field(_element_of(error), str(error)) from None
    plate = right.setdefault("vehicle", {}).setdefault("licencePlate", {})
    plate.setdefault("country", DEFAULT_COUNTRY)
    parent = data.get("PSRightParentData") or {}
    if parent.get("ExternalReferenceParentRight") and parent.get("ParentRightId") is None:
        raise Invalid.field("ExternalReferenceParentRight", "name the parent by ParentRightId")
    enrolment = npr.Enrolment(right, _location(data, "LocationPSRight"), data["UsageId"],
                              parse_datetime(data["StartTimePSright"]),
                              _instant(data, "EndTimePSright"), parent.get("ParentRightId"))
    enrolled = npr.enroll(runtime, caller, enrolment)
    priced, place = enrolled.priced, enrolled.priced.place
    return _clean({
        "PSRightId": enrolled.ps_right_id,
        "AreaManagerId": int(place.codes.area_manager_id) if place.codes.area_manager_id
        else None,
        "AreaId": place.area_id,
        "SellingPointId": int(place.selling_point_id) if place.selling_point_id else None,
        "StartTimePSRightAdjusted": format_instant(priced.start),
        "EndTimePSRightAdjusted": format_instant(priced.end) if priced.end else None,
        "AmountPSRightCalculated": _money(priced.amount),
        "VATPSRightCalculated": _money(priced.vat),
        "SpecifCalcAmountList": _parts(priced.parts),
        "PSRightParentData": {"ParentRightId": enrolled.parent_ps_right_id}
        if enrolled.parent_ps_right_id else None,
    })


def _element_of(error: TranslationError) -> str | None:
    text = str(error)
    if "(" in text and ")" in text:
        return text.split("(", 1)[1].split(")", 1)[0]
    return None


def revoke_ps_right(runtime: Runtime, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    stopped = npr.stop(runtime, caller, data["PSRightId"], parse_datetime(data["EndTimePSRight"]),
                       decimal(data.get("AmountPSright")), decimal(data.get("VATPSright")))
    return _clean({
        "EndTimePSRightAdjusted": format_instant(stopped.end),
        "AmountPSRightCalculated": _money(stopped.amount),
        "VATPSRightCalculated": _money(stopped.vat),
        "SpecifCalcAmountList": _parts(stopped.parts),
    })


def calculate_price(runtime: Runtime, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    if (data.get("PSRightWindowList") or {}).get("PSRightWindowData"):
        raise Invalid.field("PSRightWindowList", "rights in weekly windows are not offered")
    question = npr.PriceQuestion(_location(data, "LocationPSRight"), data["UsageId"],
                                 parse_datetime(data["StartTimePSright"]),
                                 _instant(data, "EndTimePSright"),
                                 decimal(data.get("AmountPSright")))
    priced = npr.calculate(runtime, caller, question)
    place = priced.place
    return _clean({
        "AreaManagerId": int(place.codes.area_manager_id) if place.codes.area_manager_id
        else None,
        "AreaId": place.area_id,
        "SellingPointId": int(place.selling_point_id) if place.selling_point_id else None,
        "EndTimePSRightAdjusted": format_instant(priced.end) if priced.end else None,
        "AmountPSRightCalculated": _money(priced.amount) or 0.0,
        "VATPSRightCalculated": _money(priced.vat),
        "SpecifCalcAmountList": _parts(priced.parts),
    })


def retrieve_area_managers(runtime: Runtime, caller: Caller, data: dict[str, Any]
                           ) -> dict[str, Any]:
    mapping = translator("npr", "AreaManagerInfoData")
    listed = []
    for document in npr.area_managers(runtime, caller):
        info = mapping.to_message(document)
        for name, limit in (("AreaManagerDesc", 80), ("AreaManagerUrl", 200)):
            if name in info:
                info[name] = _cut(info[name], limit)
        listed.append(info)
    return {"AreaManagerList": {"AreaManagerInfoData": listed}}


def _area_data(area: npr.AreaInfo) -> dict[str, Any]:
    """AreaData: the zone's part through its mapping (mappings/npr/area-data.yaml), then what
    the regimes in force say."""
    zone: dict[str, Any] = {"identifiers": [{"notation": area.area_id,
                                             "identifierScheme": "nprAreaId"}]}
    if area.name:
        zone["name"] = area.name
    period = {k: v.isoformat() for k, v in (("startTime", area.start), ("endTime", area.end))
              if v is not None}
    if period:
        zone["validityPeriod"] = period
    if area.wkt:
        zone["geometry"] = {"asWKT": area.wkt}
    data = translator("npr", "AreaData").to_message(zone)
    if "AreaDesc" in data:
        data["AreaDesc"] = _cut(data["AreaDesc"], 80)
    regulations = [_clean({
        "RegulationIdArea": r.regulation_id,
        "StartDateAreaRegulation": format_instant(r.start) if r.start else None,
        "EndDateAreaRegulation": format_instant(r.end) if r.end else None}) for r in
        area.regulations]
    data.update(_clean({
        "UsageId": area.usage_id, "UsageDesc": _cut(area.usage_name, 80),
        "GracePeriodBefore": area.grace_before, "GracePeriodAfter": area.grace_after,
        "PriceOneHourParking": _money(area.price_one_hour),
        "AreaRegulationTable": {"AreaRegulationData": regulations} if regulations else None,
    }))
    return data


def retrieve_areas_by_location(runtime: Runtime, caller: Caller, data: dict[str, Any]
                               ) -> dict[str, Any]:
    if data.get("RequestAddress") is not None and data.get("AreaLocation") is None:
        raise Invalid.field("RequestAddress", "address lookups are not offered: send "
                                              "AreaLocation")
    found = npr.areas(runtime, caller, npr.AreaQuestion(
        _location(data, "AreaLocation"), data.get("UsageId"), _instant(data, "ReferenceTime")))
    return _clean({
        "AreaManagerId": int(found.area_manager_id) if found.area_manager_id else None,
        "AreaTable": {"AreaData": [_area_data(a) for a in found.areas]},
    })


DAYS = {"monday": "MAANDAG", "tuesday": "DINSDAG", "wednesday": "WOENSDAG",
        "thursday": "DONDERDAG", "friday": "VRIJDAG", "saturday": "ZATERDAG", "sunday": "ZONDAG"}
#: An open last fare part ends at this duration (RDW open data's convention).
OPEN_DURATION = 999999


def _hhmm(value: Any, *, closes: bool = False) -> int:
    text = str(value)
    hours, minutes = int(text[0:2]), int(text[3:5])
    if closes and hours == 0 and minutes == 0:
        return 2400
    return hours * 100 + minutes


def _period(regime: Any) -> tuple[datetime | None, datetime | None]:
    period = regime.validityPeriod
    if period is None:
        return None, None
    return (_aware(period.startTime), _aware(period.endTime))


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _enum(value: Any) -> str:
    return getattr(value, "value", None) or getattr(value, "text", None) or str(value)


def _fare_code(tariff: Any, default: str) -> str:
    """A tariff's FareCalculationCode: its ``nprFareCalculationCode`` identifier, else
    ``default``."""
    return next((i.notation for i in (tariff.identifiers or [])
                 if _enum(i.identifierScheme) == "nprFareCalculationCode"), None) or default


def _tariffs(regime: Any, regime_code: str) -> tuple[list[tuple[str, Any]], list[str | None]]:
    """The regime's tariffs with their FareCalculationCodes (the regime's own, then each time
    slot's own), and the FareTimeFrame of each time slot: the slot's own tariff first, else the
    regime's (as the pricing applies them: vptr.domain.regime_time). A slot's tariff without a
    code of its own is named after the regime's code and the slot's position."""
    tariffs = [(regime_code, regime.tariff)] if regime.tariff is not None else []
    per_slot: list[str | None] = []
    for number, slot in enumerate(regime.timeSlots or [], start=1):
        if slot.tariff is None:
            per_slot.append(regime_code if regime.tariff is not None else None)
            continue
        code = _fare_code(slot.tariff, f"{regime_code[:7]}_T{number}")
        if code not in {c for c, _ in tariffs}:
            tariffs.append((code, slot.tariff))
        per_slot.append(code)
    return tariffs, per_slot


def _time_frames(regime: Any, regime_code: str | None, per_slot: list[str | None]
                 ) -> list[dict[str, Any]]:
    start, end = _period(regime)
    slots = regime.timeSlots or []
    frames = []
    for index, slot in enumerate(slots or [None]):
        fare_code = per_slot[index] if slot is not None else (
            regime_code if regime.tariff is not None else None)
        days = (list(DAYS) if slot is None or not slot.daysOfWeek
                else [_enum(d) for d in slot.daysOfWeek])
        for day in days:
            if day not in DAYS:
                continue  # publicHoliday: the special days say which dates
            frames.append(_clean({
                "DayTimeFrame": DAYS[day],
                "StartDateTimeFrame": format_instant(start) if start else None,
                "StartTimeTimeFrame": _hhmm(slot.opens) if slot is not None and slot.opens
                else 0,
                "EndDateTimeFrame": format_instant(end) if end else None,
                "EndTimeTimeFrame": _hhmm(slot.closes, closes=True)
                if slot is not None and slot.closes else 2400,
                "ClaimRightPossible": "N" if slot is not None and slot.rightClaimable is False
                else "Y",
                "MaxDurationRight": (slot.maximumDuration if slot is not None and
                                     slot.maximumDuration else regime.maximumDuration),
                "MinParkingInterruption": (slot.minimumInterruption if slot is not None and
                                           slot.minimumInterruption
                                           else regime.minimumInterruption),
                "FareTimeFrame": fare_code,
            }))
    return frames


def _fare_parts(tariff: Any, start: datetime | None, end: datetime | None
                ) -> list[dict[str, Any]]:
    parts = []
    total = Decimal(0)
    for step in tariff.tariffSteps or []:
        amount = Decimal(str(step.amount))
        size = step.stepSize or 1
        begin = step.startDuration or 0
        if step.endDuration is not None:
            total += -(-(step.endDuration - begin) // size) * amount
        parts.append(_clean({
            "StartDateFarePart": npr_date(start) or 19000101,
            "EndDateFarePart": npr_date(end, end=True),
            "StartDurationFarePart": begin,
            "EndDurationFarePart": step.endDuration if step.endDuration is not None
            else OPEN_DURATION,
            "TotalAmountParts": float(total if step.endDuration is not None else total + amount),
            "AmountFarePart": float(amount), "StepSizeFarePart": size}))
    return parts


def retrieve_area_regulation_fare_info(runtime: Runtime, caller: Caller, data: dict[str, Any]
                                       ) -> dict[str, Any]:
    found = npr.regulations(runtime, caller, data["AreaManagerId"], data.get("AreaId") or None,
                            _instant(data, "CheckTime"))
    codes = found.codes
    regulations, fares, special = [], [], {}
    for regime in found.regimes:
        series = regime.isVersionOf or regime.id
        regulation_id = codes.of["regulation"].get(series) or series.rsplit("/", 1)[-1][:10]
        fare_code = codes.of["fare"].get(series) or regulation_id
        if regime.tariff is not None:
            fare_code = _fare_code(regime.tariff, fare_code)
        tariffs, per_slot = _tariffs(regime, fare_code)
        start, end = _period(regime)
        regulations.append(_clean({
            "RegulationId": regulation_id, "RegulationDesc": _cut(regime.name, 80),
            "RegulationType": "A" if _enum(regime.regulationType) == "additional" else "B",
            "StartDateRegulation": npr_date(start), "EndDateRegulation": npr_date(end, end=True),
            "TimeFrameTable": {"TimeFrameData": _time_frames(regime, fare_code, per_slot)},
        }))
        for code, tariff in tariffs:
            vat = tariff.vatPercentage
            fares.append(_clean({
                "FareCalculationCode": code,
                "FareCalculationDesc": _cut(tariff.name, 80),
                "StartDateFare": npr_date(start), "EndDateFare": npr_date(end, end=True),
                "VATPercentage": float(Decimal(str(vat)).quantize(Decimal("0.1")))
                if vat is not None else None,
                "FarePartTable": {"FarePartData": _fare_parts(tariff, start, end)},
            }))
        for day in regime.exemptDays or []:
            when = day.calendarDate
            if when is None:
                # The recurring public holiday: the NPR's special days are dated, and the register
                # never sent the holidays as dates (neither did the flag this entry replaced);
                # docs/mapping-apds-npr.md, the NPR's gaps.
                continue
            key = int(str(when).replace("-", ""))
            special[(key, day.name)] = {"SpecialDayName": _cut(day.name or "Feestdag", 20),
                                        "SpecialDayDate": key}
    return _clean({
        "AreaTable": {"AreaData": [_area_data(a) for a in found.areas.areas]},
        "RegulationTable": {"RegulationData": regulations},
        "FareTable": {"FareData": fares},
        "SpecialDaysTable": {"SpecialDay": [special[k] for k in sorted(special)]}
        if special else None,
    })


def retrieve_right_info(runtime: Runtime, caller: Caller, data: dict[str, Any]
                        ) -> dict[str, Any]:
    found = npr.right_info(runtime, caller, plate=data.get("VehicleId"),
                           ps_right_id=data.get("PSRightId"), at=_instant(data, "IndicatorTime"),
                           usage_id=data.get("UsageId"))
    mapping = translator("npr", "PSRightInfoData")
    listed = []
    for info in found:
        document = dict(info.document)
        document["identifiers"] = [{"notation": str(info.ps_right_id),
                                    "identifierScheme": "nprRightId"}]
        item = mapping.to_message(document)
        item.update(_clean({
            "StartTimePSRight": item.get("StartTimePSRightAdjusted"),
            "EndTimePSRight": item.get("EndTimePSRightAdjusted"),
            "PSRightAcquirerCode": info.provider_code,
            "PSRightAcquirerDesc": _cut(info.provider_name, 80),
            "AreaManagerId": int(info.area_manager_id),
            "AreaManagerDesc": _cut(info.area_manager_name, 80),
            "AreaId": info.area_id, "AreaDesc": _cut(info.area_name, 80),
            "UsageId": info.usage_id, "UsageDesc": _cut(info.usage_name, 80),
            "AmountPSRightCalculated": item.get("AmountPSRight"),
            "VATPSRightCalculated": item.get("VATPSRight"),
        }))
        listed.append(item)
    return _clean({"VehicleId": data.get("VehicleId"), "IndicatorTime": data.get("IndicatorTime"),
                   "PSRightInfoList": {"PSRightInfoData": listed}})


def status_request(runtime: Runtime, caller: Caller, data: dict[str, Any]) -> dict[str, Any]:
    state = npr.status(runtime, caller)
    return _clean({"StatusTime": format_instant(datetime.now(UTC)), "StatusRPV": state,
                   "StatusReference": data.get("StatusReference")})


#: The operations offered: WSDL operation name -> (handler, whether it changes data).
HANDLERS: dict[str, tuple[Handler, bool]] = {
    "CheckPSRight": (check_ps_right, False),
    "EnrollPSRight": (enroll_ps_right, True),
    "RevokePSRight": (revoke_ps_right, True),
    "CalculatePrice": (calculate_price, False),
    "RetrieveAreaManagers": (retrieve_area_managers, False),
    "RetrieveAreasByLocation": (retrieve_areas_by_location, False),
    "StatusRequest": (status_request, False),
    "RetrieveAreaRegulationFareInfo": (retrieve_area_regulation_fare_info, False),
    "RetrieveRightInfo": (retrieve_right_info, False),
}


@cache
def operations() -> dict[str, Operation]:
    """Every operation of the WSDL's portType, by name, with its handler where offered."""
    root = etree.parse(str(WSDL_PATH)).getroot()
    ns = {"wsdl": WSDL, "soap": SOAP_BINDING}
    messages = {m.get("name"): m.find("wsdl:part", ns).get("element").split(":")[-1]
                for m in root.findall("wsdl:message", ns)}
    actions = {}
    for binding in root.findall("wsdl:binding", ns):
        for operation in binding.findall("wsdl:operation", ns):
            soap_operation = operation.find("soap:operation", ns)
            if soap_operation is not None:
                actions[operation.get("name")] = soap_operation.get("soapAction")
    found = {}
    for operation in root.find("wsdl:portType", ns).findall("wsdl:operation", ns):
        name = operation.get("name")
        request = messages[operation.find("wsdl:input", ns).get("message").split(":")[-1]]
        response = messages[operation.find("wsdl:output", ns).get("message").split(":")[-1]]
        handler, writes = HANDLERS.get(name, (None, False))
        found[name] = Operation(name, request, response, actions[name], handler, writes)
    return found


def by_request_element(element: str) -> Operation | None:
    for operation in operations().values():
        if operation.request == element:
            return operation
    return None
