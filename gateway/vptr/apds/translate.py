"""APDS messages from the register's documents and back: the declarative mappings
(``mappings/apds/*.yaml``, run by :mod:`vptr.mapping`) for every field they map, and around them
the gateway logic the mapping files list as such (``not_mapped`` kind ``gateway logic`` or
``gateway storage``): ids and versions, one Period per time slot, the rate lines' types, the
operating restriction of a zone kind, the references' versions.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import mapping, shape

from vptr.mapping import TranslationError, translator
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
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


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
    exceptions = []
    if document.get("exemptPublicHolidays"):
        exceptions.append({"recurringSpecialDay": [_public_holiday()]})
    for day in document.get("exemptDays", []):
        exceptions.append({"periodName": [{"language": "nl", "string": day.get("name", "")}],
                           "startOfPeriod": _local_midnight(day["calendarDate"]),
                           "endOfPeriod": _local_midnight(day["calendarDate"], 1)})
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


# --- errors -----------------------------------------------------------------------------------

def refuse_translation(field: str, exc: TranslationError) -> TranslationError:
    return TranslationError(f"{field}: {exc}")
