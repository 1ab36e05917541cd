"""APDS messages from the register's documents and back: the declarative mappings
(``mappings/apds/*.yaml``, run by :mod:`vptr.mapping`) for every field they map, and around them
the gateway logic the mapping files list as such (``not_mapped`` kind ``gateway logic`` or
``gateway storage``): ids and versions, one Period per time slot, the rate lines' types, the
operating restriction of a zone kind, the references' versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import mapping, shape

from vptr.domain import plates
from vptr.errors import Invalid
from vptr.mapping import TranslationError, translator
from vptr.mapping.converters import apds_country
from vptr.services.holdings import (
    PERMIT,
    WHITELIST_ENTRY,
    Assignment,
    Holding,
    SessionMessage,
)
from vptr.services.publication import Configuration, PublishedRegime, PublishedZone

ID = "https://data.parkeerregister.vlaanderen.be/id/"
ZONE, REGIME, ORGANISATION, RIGHT = ID + "zone/", ID + "regime/", ID + "organisation/", \
    ID + "right/"
TIME_ZONE = "Europe/Brussels"

#: zoneKind -> APDS operating restriction (docs/mapping-apds-npr.md, reversed where one exists).
RESTRICTIONS = {"permitParking": "residentialPermitOnly", "loadingZone": "loadingZone",
                "blueZone": "parkingTimeLimit"}


def local(iri: str) -> str:
    """The last segment of an IRI of the register (an APDS id)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def utc(moment: datetime | str | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def organisation_reference(iri: str) -> dict[str, Any]:
    return {"id": local(iri), "version": 1, "className": "ContactPoint"}


def apds_id(document: dict[str, Any]) -> str | None:
    for identifier in document.get("identifiers", []):
        if identifier.get("identifierScheme") == "apdsId":
            return identifier.get("notation")
    return None


# --- places -----------------------------------------------------------------------------------

def place(zone: PublishedZone, configuration: Configuration) -> dict[str, Any]:
    document = zone.document
    message = translator("apds", "Place").to_message(document)
    message["id"] = apds_id(document) or local(document["id"])
    message["version"] = zone.version
    message["layer"] = zone.layer
    message["type"] = "subplaceElement" if document.get("parentZones") else "place"
    message.setdefault("timeZone", TIME_ZONE)
    message.setdefault("name", [{"language": "nl", "string": document.get("name", "")}])
    message["hierarchyElementRecord"] = {"creationTime": utc(zone.created)}
    if "parentId" in message:
        message["parentId"]["version"] = configuration.zone_version(document["parentZones"][0])
    if zone.children:
        message["childIds"] = [{"id": local(c), "version": configuration.zone_version(c)}
                               for c in zone.children]
    if zone.regimes:
        message["rightSpecifications"] = [_version_reference(v) for v in zone.regimes]
    for assignment in message.get("responsibilityRoleAssignments", []):
        for contact in assignment.get("contactPoints", []):
            contact.update({"version": 1, "contactType": "contactPoint",
                            "type": assignment.get("type", "operator")})
    restriction = RESTRICTIONS.get(document.get("zoneKind", ""))
    if restriction:
        message["operatingRestrictions"] = [{"operatingRestriction": restriction}]
    geometry = (document.get("geometry") or {}).get("asGeoJSON")
    if geometry:
        point = shape(json.loads(geometry)).representative_point()
        message["indicativePlacePointLocation"] = [
            {"type": "Point", "coordinates": list(mapping(point)["coordinates"])}]
    return message


#: APDS operating restriction -> zoneKind (docs/mapping-apds-npr.md, HierarchyElement -> Zone).
ZONE_KINDS = {"residentialPermitOnly": "permitParking", "disabledPersonPermitOnly":
              "permitParking", "loadingZone": "loadingZone", "loadingZoneCommercial":
              "loadingZone", "parkingTimeLimit": "blueZone"}
WRITABLE_PLACES = ("place", "subplaceElement")


def zone(message: dict[str, Any], organisation: str) -> dict[str, Any]:
    """A HierarchyElement (Place) as sent, valid against apds4.yaml, as a Zone document: the
    mapped fields, the IRI from its id, the zoneKind from its operating restrictions."""
    if message.get("type") not in WRITABLE_PLACES:
        raise Invalid.field("type", f"the register keeps {' and '.join(WRITABLE_PLACES)} "
                                    "elements (its zones), not single spaces or campuses")
    if not _SLUG_ID(message["id"]):
        raise Invalid.field("id", "letters, digits, - . _ ~ only (it becomes the zone's IRI)")
    document = _to_native("Place", message)
    if "areaManager" in document and document["areaManager"] != organisation:
        raise Invalid.field("responsibilityRoleAssignments",
                            f"the operator must be {local(organisation)}, the caller")
    if "geometry" not in document:
        raise Invalid.field("placeBoundedZone", "is required: the register's zones have an "
                                                "outline (a GeoJSON MultiPolygon)")
    restrictions = [r["operatingRestriction"] for r in message.get("operatingRestrictions", [])]
    document["zoneKind"] = next((ZONE_KINDS[r] for r in restrictions if r in ZONE_KINDS),
                                "paidParking")
    document["id"] = ZONE + message["id"]
    document["type"] = "Zone"
    return document


def _SLUG_ID(value: str) -> bool:  # noqa: N802 - reads as a predicate on the id
    return bool(value) and len(value) <= 120 and all(
        c.isalnum() or c in "-._~" for c in value)


def _version_reference(version_iri: str) -> dict[str, Any]:
    regime, _, number = version_iri.rpartition("/")
    return {"id": local(regime), "version": int(number)}


# --- right specifications ---------------------------------------------------------------------

def right_specification(regime: PublishedRegime, configuration: Configuration
                        ) -> dict[str, Any]:
    document = regime.document
    message = translator("apds", "RightSpecification").to_message(document)
    message["hierarchyElements"] = [{"id": local(z), "version": configuration.zone_version(z)}
                                    for z in document.get("zones", [])]
    if "issuer" in message:
        message["issuer"]["className"] = "ContactPoint"
    overall = message["validity"]["validityTimeSpecification"]
    if "overallEndTime" in overall:
        message["expiry"] = overall["overallEndTime"]
    periods = [_period(slot) for slot in document.get("timeSlots", [])]
    if periods:
        overall["validPeriods"] = periods
    exceptions: list[dict[str, Any]] = []
    for day in document.get("exemptDays", []):
        # One exception period per exempt day, in the list's order: the recurring public holiday
        # as APDS's recurringSpecialDay, a dated day as a period from local midnight to midnight.
        period: dict[str, Any] = {}
        if day.get("name") or "calendarDate" in day:
            period["periodName"] = [{"language": "nl", "string": day.get("name", "")}]
        if day.get("recurringDay") == "publicHoliday":
            period["recurringSpecialDay"] = [_public_holiday()]
        else:
            period["startOfPeriod"] = _local_midnight(day["calendarDate"])
            period["endOfPeriod"] = _local_midnight(day["calendarDate"], 1)
        exceptions.append(period)
    if exceptions:
        overall["exceptionPeriods"] = exceptions
    eligibility = _eligibility(document)
    if document.get("tariff") or eligibility:
        rate_eligibility: dict[str, Any] = {"id": "1", "version": 1, "priority": 1,
                                            "combinable": False}
        if document.get("tariff"):
            rate_eligibility["rateTable"] = {"id": local(regime.regime),
                                             "version": regime.version}
        if eligibility:
            rate_eligibility["eligibility"] = eligibility
        message["rateEligibility"] = [rate_eligibility]
    return message


def _period(slot: dict[str, Any]) -> dict[str, Any]:
    period: dict[str, Any] = {}
    days = [d for d in slot.get("daysOfWeek", []) if d != "publicHoliday"]
    if days:
        period["recurringDayWeekMonthPeriod"] = [{"applicableDay": days}]
    if "publicHoliday" in slot.get("daysOfWeek", []):
        period["recurringSpecialDay"] = [_public_holiday()]
    opens, closes = slot.get("opens", "00:00:00")[:5], slot.get("closes", "00:00:00")[:5]
    if (opens, closes) != ("00:00", "00:00"):
        period["recurringTimePeriodOfDay"] = [{"startTimeOfPeriod": opens,
                                               "endTimeOfPeriod": closes}]
    return period


def _public_holiday() -> dict[str, Any]:
    return {"specialDayType": "publicHoliday", "intersectWithApplicableDays": False,
            "publicHolidayName": [{"language": "nl", "string": "wettelijke feestdag"}]}


def _local_midnight(day: str, plus_days: int = 0) -> str:
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo
    moment = datetime.combine(date.fromisoformat(day) + timedelta(days=plus_days),
                              datetime.min.time(), ZoneInfo(TIME_ZONE))
    return utc(moment) or ""


def _eligibility(document: dict[str, Any]) -> dict[str, Any] | None:
    """The admission rules as APDS user groups: allowed ones with the tariff, exempt ones free."""
    qualifications = []
    for field, scheme, free in (("allowedPermitTypes", "Vergunningstype", False),
                                ("allowedUserClasses", "Gebruikersklasse", False),
                                ("exemptPermitTypes", "Vergunningstype", True),
                                ("exemptUserClasses", "Gebruikersklasse", True)):
        values = document.get(field, [])
        if values:
            qualifications.append({"freeToPark": free, "userQualifications": [
                {"userGroup": {"entryDefinedValue": value,
                               "codeListId": {"id": scheme, "version": 1}}}
                for value in values]})
    if not qualifications:
        return None
    return {"id": "1", "version": 1, "qualifications": qualifications}


# --- rate tables ------------------------------------------------------------------------------

def rate_table(regime: PublishedRegime) -> dict[str, Any]:
    document = regime.document
    tariff = document["tariff"]
    message = translator("apds", "RateTable").to_message(tariff)
    message["id"], message["version"] = local(regime.regime), regime.version
    message.setdefault("rateTableName", [{"language": "nl", "string": document["name"]}])
    message["rateResponsibleParty"] = organisation_reference(document["areaManager"])
    validity: dict[str, Any] = {"overallStartTime": utc(regime.valid_from)}
    if regime.valid_to is not None:
        validity["overallEndTime"] = utc(regime.valid_to)
    message["validity"] = {"validityStatus": "definedByValidityTimeSpec",
                           "validityTimeSpecification": validity}
    if regime.version > 1:
        message["rateSupersedeLink"] = {"id": local(regime.regime),
                                        "version": regime.version - 1}
    collection = message["rateLineCollections"][0]
    if "currencyValue" not in collection.get("maxValueCollection", {}):
        collection.pop("maxValueCollection", None)  # no day maximum: its currency alone is not one
    collection.update({"id": "1", "version": regime.version,
                       "validStart": utc(regime.valid_from)})
    if regime.valid_to is not None:
        collection["validEnd"] = utc(regime.valid_to)
    maximum = document.get("maximumDuration")
    if maximum:
        collection["maxTime"] = translator_duration(maximum)
    for sequence, (line, step) in enumerate(
            zip(collection.get("rateLines", []), tariff.get("tariffSteps", []), strict=False),
            start=1):
        line.update({"id": str(sequence), "version": 1, "sequence": sequence})
        length = step.get("endDuration", -1) - step.get("startDuration", 0)
        line["rateLineType"] = "flatRateTier" if length == step.get("stepSize") \
            else "incrementingRate"
    return message


def translator_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


# --- assigned rights and sessions --------------------------------------------------------------

#: When a plate credential names no scheme the gateway knows, the deployment's country.
DEFAULT_COUNTRY = "BE"


def _right_shaped(holding: Holding) -> dict[str, Any]:
    """The holding's target as a Right-shaped document (a permit's first vehicle, a whitelist
    entry's vehicle) for the AssignedRight and Session mappings."""
    document = holding.document
    if holding.kind == PERMIT:
        shaped = {"vehicle": (document.get("vehicles") or [{}])[0],
                  "validityPeriod": document.get("validityPeriod"), "channel": "permit",
                  "provider": holding.owner}
    elif holding.kind == WHITELIST_ENTRY:
        shaped = {"vehicle": document.get("vehicle"), "channel": "whitelist",
                  "provider": holding.owner}
        if document.get("validityPeriod"):
            shaped["validityPeriod"] = document["validityPeriod"]
    else:
        shaped = dict(document)
    if holding.regime and not shaped.get("regime"):
        shaped["regime"] = holding.regime
    return {k: v for k, v in shaped.items() if v is not None and k != "identifiers"}


def assigned_right(holding: Holding) -> dict[str, Any]:
    message = translator("apds", "AssignedRight").to_message(_right_shaped(holding))
    message["id"], message["version"] = holding.id, holding.version
    for credential in message.get("rightHolder", {}).get("credentials", []):
        credential.setdefault("credentialAssignedType", "vehicle")
    if holding.kind == PERMIT:
        holder = holding.document.get("holderReference")
        if holder:
            message.setdefault("rightHolder", {}).setdefault("credentials", []).append(
                {"type": "permit", "credentialAssignedType": "customer",
                 "identifier": {"id": holder, "className": "HolderReference"}})
        credit = holding.document.get("credit")
        if credit:
            used = credit.get("minutesUsed", 0)
            message.update({"totalMinutes": credit["minutesAvailable"], "minutesUsed": used,
                            "minutesAvailable": credit["minutesAvailable"] - used})
    if "monetaryValue" in message and holding.document.get("provider"):
        message["monetaryValue"]["serviceProvider"] = organisation_reference(
            holding.document["provider"])
    if "assignedRightIssuer" in message:
        message["assignedRightIssuer"]["className"] = "ContactPoint"
    if holding.extra.get("cancelTime") and message.get("plannedUses"):
        message["plannedUses"][0]["cancelTime"] = holding.extra["cancelTime"]
    if holding.extra.get("payments"):
        issuer = organisation_reference(holding.owner)
        message["payments"] = [{**payment, "serviceProvider": issuer}
                               for payment in holding.extra["payments"]]
    return message


def session(holding: Holding) -> dict[str, Any]:
    message = translator("apds", "Session").to_message(_right_shaped(holding))
    message["id"], message["version"] = holding.id, holding.version
    if holding.extra.get("followed"):
        # The first right ended where the next segment began: the session's end is its own.
        message.pop("actualEnd", None)
    if holding.extra.get("actualEnd"):
        message["actualEnd"] = utc(holding.extra["actualEnd"])
    if "initiator" in message:
        message["initiator"]["className"] = "ContactPoint"
    segments = holding.extra.get("segments")
    if not segments:
        assigned = holding.assigned or (holding.id, 1)
        segment = {"id": "1", "version": 1, "actualStart": message.get("actualStart"),
                   "assignedRight": {"id": assigned[0], "version": assigned[1]},
                   "validationType": ["licensePlate"]}
        if message.get("actualEnd"):
            segment["actualEnd"] = message["actualEnd"]
        segments = [segment]
    message["segments"] = segments
    return message


def deleted_reference(holding: Holding) -> dict[str, Any]:
    return {"id": holding.id, "className": holding.class_name,
            "deleteTimestamp": utc(holding.deleted or holding.modified)}


def _issuer_is_caller(message: dict[str, Any], name: str, organisation: str) -> None:
    """A readOnly reference a request may leave out, but not set to someone else."""
    reference = message.get(name)
    if isinstance(reference, dict) and reference.get("id") not in (None, local(organisation)):
        raise Invalid.field(f"{name}.id", f"must be {local(organisation)}, the authenticated "
                                          "caller (it is set by the register)")


def _normalised_plate(document: dict[str, Any], field: str) -> None:
    licence = (document.get("vehicle") or {}).get("licencePlate")
    if licence is None:
        return
    try:
        licence["plateNumber"], licence["country"] = plates.checked(
            licence.get("plateNumber", ""), licence.get("country") or DEFAULT_COUNTRY)
    except plates.PlateError as exc:
        raise Invalid.field(f"{field}.identifier." + ("id" if exc.field == "plate"
                                                      else "className"), str(exc)) from None


def _to_native(name: str, message: dict[str, Any]) -> dict[str, Any]:
    try:
        return translator("apds", name).to_native(message)
    except TranslationError as exc:
        raise Invalid.field(None, f"{name}: {exc}") from None


def assignment(message: dict[str, Any], organisation: str) -> Assignment:
    """An AssignedRight as sent (already valid against apds4.yaml) as the register's terms."""
    _issuer_is_caller(message, "assignedRightIssuer", organisation)
    monetary = message.get("monetaryValue")
    if monetary is not None:
        if monetary.get("taxIncluded") is False:
            raise Invalid.field("monetaryValue.taxIncluded", "the register keeps amounts VAT "
                                                             "included: send true")
        provider = (monetary.get("serviceProvider") or {}).get("id")
        if provider not in (None, local(organisation)):
            raise Invalid.field("monetaryValue.serviceProvider.id", "must be the caller")
    credentials = (message.get("rightHolder") or {}).get("credentials") or []
    plate_credentials = [c for c in credentials if c.get("type") in ("licensePlate",
                                                                      "vehicleplate")]
    if not plate_credentials:
        raise Invalid.field("rightHolder.credentials", "a licensePlate credential is required "
                                                       "(the register knows vehicles by plate)")
    for credential in plate_credentials:
        credential["type"] = "licensePlate"
    holder = next((c["identifier"]["id"] for c in credentials
                   if c.get("credentialAssignedType") == "customer"), None)
    document = _to_native("AssignedRight", message)
    _normalised_plate(document, "rightHolder.credentials[0]")
    use = (message.get("plannedUses") or [{}])[0]
    _expiry(use, document)
    payments = _payments(message, document, organisation)
    quote = None
    if "quoteResponseId" in message or "optionId" in message:
        # Booking a general APDS Quote (NOTES.md): the two ids beside the AssignedRight.
        quote_id, option_id = message.get("quoteResponseId"), message.get("optionId")
        for name, value in (("quoteResponseId", quote_id), ("optionId", option_id)):
            if not isinstance(value, str) or not value:
                raise Invalid.field(name, "a quote is booked with quoteResponseId and optionId")
        quote = (quote_id, option_id)
    return Assignment(message["id"], message["version"], document, holder, quote,
                      cancel=use.get("cancelTime"), payments=payments)


def _expiry(use: dict[str, Any], document: dict[str, Any]) -> None:
    """PlannedUse.expiryTime: when the use is no longer available, so the right's end when no
    endTime says otherwise, or when it comes earlier (docs/mapping-apds-npr.md)."""
    expiry = use.get("expiryTime")
    if expiry is None:
        return
    period = document.setdefault("validityPeriod", {})
    end = period.get("endTime")
    if end is None or datetime.fromisoformat(expiry) < datetime.fromisoformat(end):
        period["endTime"] = expiry


def _payments(message: dict[str, Any], document: dict[str, Any], organisation: str
              ) -> list[dict[str, Any]] | None:
    """AssignedRight.payments: their lines add up to the amount paid (``validation`` lines are
    discounts); each payment's period covered lies within the right's. The register keeps the
    lines and the periods, never transaction ids or account codes (docs/mapping-apds-npr.md)."""
    from decimal import Decimal
    sent = message.get("payments")
    if not sent:
        return None
    total, currency, kept = Decimal(0), None, []
    period = document.get("validityPeriod") or {}
    start, end = period.get("startTime"), period.get("endTime")
    for i, payment in enumerate(sent):
        provider = (payment.get("serviceProvider") or {}).get("id")
        if provider not in (None, local(organisation)):
            raise Invalid.field(f"payments[{i}].serviceProvider.id", "must be the caller")
        lines = []
        for j, line in enumerate(payment["paymentLines"]):
            value = line["value"]
            if currency not in (None, value["currencyType"]):
                raise Invalid.field(f"payments[{i}].paymentLines[{j}].value.currencyType",
                                    f"every payment of a right is in one currency ({currency})")
            currency = value["currencyType"]
            amount = Decimal(str(value["currencyValue"]))
            total += -amount if line["paymentType"] == "validation" else amount
            lines.append({"id": line["id"], "version": line["version"],
                          "paymentType": line["paymentType"], "value": value})
        entry: dict[str, Any] = {"id": payment["id"], "version": payment["version"],
                                 "paymentLines": lines}
        covered = [payment.get("startPeriodCovered"), payment.get("endPeriodCovered")]
        for name, moment in zip(("startPeriodCovered", "endPeriodCovered"), covered,
                                strict=True):
            if moment is None:
                continue
            when = datetime.fromisoformat(moment)
            if (start and when < datetime.fromisoformat(start)) or \
                    (end and when > datetime.fromisoformat(end)):
                raise Invalid.field(f"payments[{i}].{name}", "outside the planned use the "
                                                             "payment is for")
            entry[name] = utc(moment)
        if all(covered) and datetime.fromisoformat(covered[1]) <= \
                datetime.fromisoformat(covered[0]):
            raise Invalid.field(f"payments[{i}].endPeriodCovered", "not after "
                                                                  "startPeriodCovered")
        kept.append(entry)
    if total < 0:
        raise Invalid.field("payments", "the lines add up to less than nothing")
    paid = {"value": f"{total.quantize(Decimal('0.01'))}", "currency": currency}
    if "amountPaid" in document:
        if Decimal(document["amountPaid"]["value"]) != total or \
                document["amountPaid"].get("currency") != currency:
            raise Invalid.field("payments", f"the lines add up to {paid['value']} {currency}, "
                                            "not the monetaryValue sent")
    else:
        document["amountPaid"] = paid
    return kept


def session_message(message: dict[str, Any], organisation: str) -> SessionMessage:
    _issuer_is_caller(message, "initiator", organisation)
    credentials = [c for c in message.get("identifiedCredentials", [])
                   if c.get("type") in ("licensePlate", "vehicleplate")]
    if not credentials:
        raise Invalid.field("identifiedCredentials", "a licensePlate credential is required")
    for credential in credentials:
        credential["type"] = "licensePlate"
    document = _to_native("Session", message)
    _normalised_plate(document, "identifiedCredentials[0]")
    vehicle = message.get("identifiedVehicle")
    plate_country = document["vehicle"]["licencePlate"]["country"]
    if vehicle and apds_country(vehicle["country"]) != plate_country:
        raise Invalid.field("identifiedVehicle.country", "not the country of the plate "
                                                         "credential's scheme")
    segments = [{k: v for k, v in segment.items() if k != "credentialId"}
                for segment in message["segments"]]
    first = segments[0]["assignedRight"]
    return SessionMessage(message["id"], message["version"], document, segments,
                          (first["id"], first["version"]))


# --- right specifications and rate tables written (scope po) ----------------------------------

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: (code list id, freeToPark) of an APDS user group -> the regime's admission list.
ADMISSIONS = {("Vergunningstype", False): "allowedPermitTypes",
              ("Gebruikersklasse", False): "allowedUserClasses",
              ("Vergunningstype", True): "exemptPermitTypes",
              ("Gebruikersklasse", True): "exemptUserClasses"}


@dataclass(frozen=True)
class RegimeMessage:
    """A RightSpecification as the register's terms: the Regime document of its next version,
    and the rate table (regime version) whose tariff it names, if any."""

    id: str
    version: int
    document: dict[str, Any]
    rate_table: tuple[str, int] | None


def regime(message: dict[str, Any], organisation: str) -> RegimeMessage:
    """A RightSpecification as sent (valid against apds4.yaml) as a Regime document: the mapped
    fields, and around them the time slots, exempt days and admission rules (the inverse of
    :func:`right_specification`)."""
    _issuer_is_caller(message, "issuer", organisation)
    if not _SLUG_ID(message["id"]):
        raise Invalid.field("id", "letters, digits, - . _ ~ only (it becomes the regime's IRI)")
    document = _to_native("RightSpecification", message)
    usage = document.get("usage")
    if usage is None:
        raise Invalid.field("type", "is required: a regime of the register has a usage")
    document.update({"rightKind": "access" if usage.endswith("Access") else "parking",
                     "areaManager": organisation})
    document.setdefault("name", message["id"])
    overall = message["validity"].get("validityTimeSpecification") or {}
    slots = [slot for i, period in enumerate(overall.get("validPeriods", []))
             for slot in _slots(period, f"validity.validityTimeSpecification.validPeriods[{i}]")]
    if slots:
        document["timeSlots"] = slots
    days: list[dict[str, Any]] = []
    for period in overall.get("exceptionPeriods", []):
        day: dict[str, Any]
        if any(d.get("specialDayType") == "publicHoliday"
               for d in period.get("recurringSpecialDay", [])):
            day = {"recurringDay": "publicHoliday"}
            if day in days:
                continue  # said twice: one entry
        elif period.get("startOfPeriod"):
            day = {"calendarDate": _local_date(period["startOfPeriod"])}
        else:
            continue
        name = next((n.get("string") for n in period.get("periodName", [])
                     if n.get("string")), None)
        if name:
            day["name"] = name
        days.append(day)
    if days:
        document["exemptDays"] = days
    rate_table = None
    for i, rate in enumerate(message.get("rateEligibility", [])):
        table = rate.get("rateTable")
        if table is not None:
            if rate_table is not None and rate_table != (table["id"], table["version"]):
                raise Invalid.field(f"rateEligibility[{i}].rateTable", "the register prices a "
                                    "regime version by one rate table")
            rate_table = (table["id"], table["version"])
        _admissions(rate.get("eligibility") or {}, document, f"rateEligibility[{i}]")
    return RegimeMessage(message["id"], message["version"], document, rate_table)


def _slots(period: dict[str, Any], where: str) -> list[dict[str, Any]]:
    days = [d for r in period.get("recurringDayWeekMonthPeriod", [])
            for d in r.get("applicableDay", [])]
    if any(d.get("specialDayType") == "publicHoliday"
           for d in period.get("recurringSpecialDay", [])):
        days.append("publicHoliday")
    for day in days:
        if day not in (*WEEK, "publicHoliday"):
            raise Invalid.field(f"{where}.recurringDayWeekMonthPeriod", f"{day!r} is not a day "
                                "of the week")
    times = period.get("recurringTimePeriodOfDay") or [{}]
    return [{"daysOfWeek": list(dict.fromkeys(days)) or list(WEEK),
             "opens": _clock(t.get("startTimeOfPeriod", "00:00")),
             "closes": _clock(t.get("endTimeOfPeriod", "00:00"))} for t in times]


def _clock(value: str) -> str:
    return value if len(value) == 8 else value[:5] + ":00"


def _local_date(instant: str) -> str:
    from zoneinfo import ZoneInfo
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(TIME_ZONE)).date().isoformat()


def _admissions(eligibility: dict[str, Any], document: dict[str, Any], where: str) -> None:
    for j, qualification in enumerate(eligibility.get("qualifications", [])):
        free = bool(qualification.get("freeToPark", False))
        for k, user in enumerate(qualification.get("userQualifications", [])):
            group = user.get("userGroup") or {}
            scheme = (group.get("codeListId") or {}).get("id")
            field = ADMISSIONS.get((scheme, free))
            if field is None or not group.get("entryDefinedValue"):
                raise Invalid.field(
                    f"{where}.eligibility.qualifications[{j}].userQualifications[{k}].userGroup",
                    "a user group of code list Vergunningstype (permit types) or "
                    "Gebruikersklasse (user classes), with entryDefinedValue")
            values = document.setdefault(field, [])
            if group["entryDefinedValue"] not in values:
                values.append(group["entryDefinedValue"])


@dataclass(frozen=True)
class RateMessage:
    """A RateTable as the register's terms: the tariff of the next version of the regime of the
    same id, its maximum duration (the collection's maxTime) and the version's start."""

    id: str
    version: int
    tariff: dict[str, Any]
    maximum_duration: int | None
    start: str | None


def rate(message: dict[str, Any], organisation: str) -> RateMessage:
    _issuer_is_caller(message, "rateResponsibleParty", organisation)
    collections = message["rateLineCollections"]
    if len(collections) != 1:
        raise Invalid.field("rateLineCollections", "the register prices a regime version by "
                                                   "one rate line collection")
    collection = collections[0]
    if collection.get("taxIncluded") is False:
        raise Invalid.field("rateLineCollections[0].taxIncluded", "the register keeps amounts "
                                                                  "VAT included: send true")
    tariff = _to_native("RateTable", message)
    lines = collection.get("rateLines", [])
    for i, (line, step) in enumerate(zip(lines, tariff.get("tariffSteps", []), strict=False)):
        if "stepSize" not in step:
            if "endDuration" not in step:
                raise Invalid.field(f"rateLineCollections[0].rateLines[{i}].incrementPeriod",
                                    "is required on an open last line")
            step["stepSize"] = step["endDuration"] - step.get("startDuration", 0)
        if line.get("rateLineType") not in ("incrementingRate", "flatRateTier"):
            raise Invalid.field(f"rateLineCollections[0].rateLines[{i}].rateLineType",
                                "the register keeps incrementingRate and flatRateTier lines")
    maximum = collection.get("maxTime")
    start = ((message.get("validity") or {}).get("validityTimeSpecification") or {}).get(
        "overallStartTime")
    return RateMessage(message["id"], message["version"], tariff,
                       _minutes(maximum, "rateLineCollections[0].maxTime") if maximum else None,
                       start)


def _minutes(duration: str, field: str) -> int:
    import re as _re
    found = _re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", duration)
    if not found or not any(found.groups()):
        raise Invalid.field(field, "hours and minutes (PT2H30M)")
    return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)


#: Native field names of a regime -> the APDS fields they come from, for refusals.
NATIVE_FIELDS = (
    ("validityPeriod.startTime", "validity.validityTimeSpecification.overallStartTime"),
    ("validityPeriod.endTime", "validity.validityTimeSpecification.overallEndTime"),
    ("validityPeriod", "validity"), ("zones", "hierarchyElements"), ("name", "description"),
    ("usage", "type"), ("timeSlots", "validity.validityTimeSpecification.validPeriods"),
    ("exemptDays", "validity.validityTimeSpecification.exceptionPeriods"),
    ("tariff.tariffSteps", "rateLineCollections[0].rateLines"),
    ("tariff.currency", "rateLineCollections[0].applicableCurrency"),
    ("tariff.vatPercentage", "rateLineCollections[0].taxRate"),
    ("tariff.dayMaximum", "rateLineCollections[0].maxValueCollection"),
    ("maximumDuration", "rateLineCollections[0].maxTime"),
    ("isVersionOf", "id"), ("areaManager", "issuer"))
STEP_FIELDS = {"amount": "value", "startDuration": "durationStart",
               "endDuration": "durationEnd", "stepSize": "incrementPeriod"}


def apds_field(native: str | None) -> str | None:
    """The APDS field a refusal's native field name stands for (unchanged if none)."""
    if not native:
        return native
    for prefix, field in NATIVE_FIELDS:
        if native == prefix or native.startswith(prefix + ".") or \
                native.startswith(prefix + "["):
            rest = native[len(prefix):]
            if prefix == "tariff.tariffSteps" and rest:
                # ``[2].amount`` (the register's own checks) or ``.amount`` (the profile's,
                # which names no step)
                head, dot, slot = rest.rpartition(".")
                rest = f"{head}{dot}{STEP_FIELDS.get(slot, slot)}"
            return field + rest
    return native


def in_apds_terms(exc: Any) -> Any:
    """A refusal of a regime write with its native field names as the APDS fields they came
    from (``validityPeriod.startTime`` -> ``validity.validityTimeSpecification.
    overallStartTime``), so the ResponseStatus names what the client sent."""
    from vptr.errors import FieldError
    errors = getattr(exc, "errors", None)
    if not errors:
        return exc
    first = errors[0].field
    exc.errors = [FieldError(apds_field(e.field), e.reason) for e in errors]
    if first and exc.detail.startswith(first):
        exc.detail = (apds_field(first) or "") + exc.detail[len(first):]
    return exc
