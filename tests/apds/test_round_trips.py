"""Round trips through the gateway's whole translation (the mapping files and the gateway logic
around them), over generated data: native -> APDS -> native keeps every mapped field of a right,
APDS -> native -> APDS keeps every mapped field of an assigned right and a session. The mapping
files alone are covered for every registered mapping by tests/mapping/test_round_trips.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vptr.apds import schemas, translate
from vptr.domain.plates import COUNTRIES
from vptr.services.holdings import ASSIGNED_RIGHT, RIGHT, SESSION, Holding
from vptr.times import parse_instant

ID = "https://data.parkeerregister.vlaanderen.be/id/"
PROVIDER = ID + "organisation/parkplus"

plates = st.from_regex(r"[0-9A-Z]{1,12}", fullmatch=True)
countries = st.sampled_from(sorted(COUNTRIES))  # the model's code list: ISO 3166-1 alpha-2
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                       timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
amounts = st.decimals(min_value=0, max_value=10_000, places=2).map(str)


@st.composite
def rights(draw: Any) -> dict[str, Any]:
    start = draw(moments)
    document: dict[str, Any] = {
        "id": ID + "right/" + draw(ids), "rightKind": "parking", "rightStatus": "active",
        "zone": ID + "zone/" + draw(ids), "provider": PROVIDER,
        "regime": f"{ID}regime/{draw(ids)}/{draw(st.integers(1, 50))}",
        "channel": draw(st.sampled_from(["app", "meter", "permit"])),
        "vehicle": {"licencePlate": {"plateNumber": draw(plates), "country": draw(countries)}},
        "validityPeriod": {"startTime": start.isoformat()},
        "created": start.isoformat()}
    if draw(st.booleans()):
        end = start + timedelta(minutes=draw(st.integers(1, 60 * 24 * 30)))
        document["validityPeriod"]["endTime"] = end.isoformat()
    if draw(st.booleans()):
        document["amountPaid"] = {"value": draw(amounts), "currency": "EUR"}
    return document


def _same_instant(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return parse_instant(a, "a") == parse_instant(b, "b")


@settings(max_examples=150, deadline=None)
@given(rights(), ids)
def test_native_to_assigned_right_to_native_keeps_every_mapped_field(right, assigned_id):
    holding = Holding(ASSIGNED_RIGHT, assigned_id, 3, RIGHT, right["id"], right, PROVIDER,
                      datetime.now(UTC), regime=right["regime"])
    message = translate.assigned_right(holding)
    assert schemas.problems("AssignedRight", message) == []

    back = translate.assignment(message, PROVIDER)

    assert (back.id, back.version) == (assigned_id, 3)
    native = back.right
    for key in ("regime", "vehicle", "channel", "amountPaid"):
        assert native.get(key) == right.get(key), key
    for key in ("startTime", "endTime"):
        assert _same_instant(native["validityPeriod"].get(key),
                             right["validityPeriod"].get(key)), key


@settings(max_examples=150, deadline=None)
@given(rights(), ids)
def test_native_to_session_to_native_keeps_every_mapped_field(right, session_id):
    holding = Holding(SESSION, session_id, 2, RIGHT, right["id"], right, PROVIDER,
                      datetime.now(UTC), assigned=("a-" + session_id, 1))
    message = translate.session(holding)
    assert schemas.problems("Session", message) == []

    back = translate.session_message(message, PROVIDER)

    assert (back.id, back.version, back.assigned) == (session_id, 2, ("a-" + session_id, 1))
    assert back.right["zone"] == right["zone"]
    assert back.right["vehicle"] == right["vehicle"]
    for key in ("startTime", "endTime"):
        assert _same_instant(back.right["validityPeriod"].get(key),
                             right["validityPeriod"].get(key)), key


@st.composite
def assigned_rights(draw: Any) -> dict[str, Any]:
    start = draw(moments)
    use = {"startTime": translate.utc(start)}
    if draw(st.booleans()):
        use["endTime"] = translate.utc(start + timedelta(minutes=draw(st.integers(1, 99999))))
    message: dict[str, Any] = {
        "id": draw(ids), "version": draw(st.integers(1, 99)),
        "rightSpecification": {"id": draw(ids), "version": draw(st.integers(1, 99))},
        "rightHolder": {"credentials": [{
            "type": "licensePlate", "credentialAssignedType": "vehicle",
            "identifier": {"id": draw(plates), "className": draw(st.sampled_from(
                ["BENumberPlate", "NLNumberPlate", "UKNumberPlate", "FRNumberPlate"]))}}]},
        "issueMethod": draw(st.sampled_from(["electronic", "ticket", "permit"])),
        "plannedUses": [use]}
    if draw(st.booleans()):
        message["monetaryValue"] = {"taxIncluded": True, "value": {
            "currencyType": "EUR", "currencyValue": float(draw(amounts))}}
    return message


@settings(max_examples=150, deadline=None)
@given(assigned_rights())
def test_assigned_right_to_native_to_assigned_right_keeps_every_mapped_field(message):
    assert schemas.problems("AssignedRight", message, request=True) == []
    assignment = translate.assignment(message, PROVIDER)
    holding = Holding(ASSIGNED_RIGHT, assignment.id, assignment.version, RIGHT,
                      ID + "right/x", {**assignment.right, "provider": PROVIDER}, PROVIDER,
                      datetime.now(UTC))

    back = translate.assigned_right(holding)

    for key in ("id", "version", "rightSpecification", "issueMethod", "plannedUses"):
        assert back[key] == message[key], key
    assert back["rightHolder"] == message["rightHolder"]
    if "monetaryValue" in message:
        assert back["monetaryValue"]["value"] == message["monetaryValue"]["value"]


# --- right specifications and rate tables (written by the area manager) -----------------------

WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
clock = st.integers(0, 23).map(lambda h: f"{h:02d}:00:00")


@st.composite
def time_slots(draw: Any) -> dict[str, Any]:
    days = draw(st.lists(st.sampled_from([*WEEK, "publicHoliday"]), min_size=1, max_size=8,
                         unique=True))
    opens = draw(clock)
    closes = draw(clock.filter(lambda c: c > opens)) if opens < "23:00:00" else "00:00:00"
    return {"daysOfWeek": [d for d in [*WEEK, "publicHoliday"] if d in days], "opens": opens,
            "closes": closes}


@st.composite
def regimes(draw: Any) -> dict[str, Any]:
    from datetime import date
    usage = draw(st.sampled_from(["paidParking", "permitParking", "loading", "kissAndRide",
                                  "lowTrafficZoneAccess"]))
    start = draw(moments)
    document: dict[str, Any] = {
        "id": f"{ID}regime/{draw(ids)}/{draw(st.integers(1, 20))}", "name": draw(st.text(
            st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1,
            max_size=40)).strip() or "regime",
        "rightKind": "access" if usage.endswith("Access") else "parking", "usage": usage,
        "zones": [ID + "zone/" + z for z in draw(st.lists(ids, min_size=1, max_size=3,
                                                          unique=True))],
        "areaManager": ID + "organisation/stad-gent",
        "validityPeriod": {"startTime": translate.utc(start)}}
    document["isVersionOf"], _, number = document["id"].rpartition("/")
    document["version"] = int(number)
    if draw(st.booleans()):
        document["timeSlots"] = draw(st.lists(time_slots(), min_size=1, max_size=3))
    exempt: list[dict[str, Any]] = []
    if draw(st.booleans()):
        days = draw(st.lists(st.dates(date(2024, 1, 1), date(2030, 12, 31)), min_size=1,
                             max_size=3, unique=True))
        exempt = [{"calendarDate": d.isoformat(), "name": f"dag {i}"} for i, d in enumerate(days)]
    if draw(st.booleans()):  # every public holiday, anywhere in the list, named or not
        holidays: dict[str, Any] = {"recurringDay": "publicHoliday"}
        if draw(st.booleans()):
            holidays["name"] = "wettelijke feestdagen"
        exempt.insert(draw(st.integers(0, len(exempt))), holidays)
    if exempt:
        document["exemptDays"] = exempt
    for field, values in (("allowedPermitTypes", ["resident", "business", "visitor"]),
                          ("exemptUserClasses", ["disabledPersons", "emergencyServices"])):
        if draw(st.booleans()):
            document[field] = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    if draw(st.booleans()):
        document["tariff"] = draw(tariffs())
        document["maximumDuration"] = draw(st.integers(1, 24 * 60))
    return document


@st.composite
def tariffs(draw: Any) -> dict[str, Any]:
    steps, start = [], 0
    for _ in range(draw(st.integers(1, 4))):
        size = draw(st.integers(1, 120))
        steps.append({"startDuration": start, "endDuration": start + size * draw(
            st.integers(1, 3)), "stepSize": size, "amount": draw(amounts)})
        start = steps[-1]["endDuration"]
    if draw(st.booleans()):
        del steps[-1]["endDuration"]
    tariff: dict[str, Any] = {"currency": "EUR", "tariffSteps": steps}
    if draw(st.booleans()):
        tariff["dayMaximum"] = draw(amounts)
    if draw(st.booleans()):
        tariff["vatPercentage"] = draw(st.sampled_from(["0.00", "6.00", "21.00"]))
    return tariff


def _published(document: dict[str, Any]) -> Any:
    from vptr.services.publication import Configuration, PublishedRegime
    start = parse_instant(document["validityPeriod"]["startTime"], "start")
    regime = PublishedRegime(document, ID + "organisation/stad-gent", document["isVersionOf"],
                             document["version"], start, None, start, True)
    return regime, Configuration({}, [regime])


def _amounts_equal(a: dict[str, Any], b: dict[str, Any]) -> None:
    from decimal import Decimal
    assert [Decimal(s["amount"]) for s in a["tariffSteps"]] == \
        [Decimal(s["amount"]) for s in b["tariffSteps"]]
    for key in ("startDuration", "endDuration", "stepSize"):
        assert [s.get(key) for s in a["tariffSteps"]] == [s.get(key) for s in b["tariffSteps"]]


@settings(max_examples=150, deadline=None)
@given(regimes())
def test_regime_to_right_specification_to_regime_keeps_every_mapped_field(document):
    regime, configuration = _published(document)
    message = translate.right_specification(regime, configuration)
    assert schemas.problems("RightSpecification", message) == []

    back = translate.regime(message, document["areaManager"])

    assert (back.id, back.version) == (document["isVersionOf"].rsplit("/", 1)[-1],
                                       document["version"])
    for key in ("name", "usage", "rightKind", "zones", "isVersionOf", "version",
                "exemptDays", "allowedPermitTypes",
                "exemptUserClasses"):
        assert back.document.get(key) == document.get(key), key
    assert back.document.get("timeSlots") == document.get("timeSlots")
    assert _same_instant(back.document["validityPeriod"]["startTime"],
                         document["validityPeriod"]["startTime"])
    assert back.rate_table == ((back.id, document["version"]) if document.get("tariff")
                               else None)


def test_exempt_public_holidays_and_dated_days_are_exception_periods_both_ways():
    document = {"id": ID + "regime/zuid/1", "isVersionOf": ID + "regime/zuid", "version": 1,
                "name": "Zuid", "rightKind": "parking", "usage": "paidParking",
                "zones": [ID + "zone/gent-zuid"], "areaManager": ID + "organisation/stad-gent",
                "validityPeriod": {"startTime": "2026-01-01T00:00:00+01:00"},
                "timeSlots": [{"daysOfWeek": ["monday"], "opens": "09:00:00",
                               "closes": "18:00:00"}],
                "exemptDays": [{"calendarDate": "2026-07-20", "name": "Gentse Feesten"},
                               {"recurringDay": "publicHoliday"}]}
    regime, configuration = _published(document)
    message = translate.right_specification(regime, configuration)
    assert schemas.problems("RightSpecification", message) == []
    periods = message["validity"]["validityTimeSpecification"]["exceptionPeriods"]
    assert periods[0]["periodName"] == [{"language": "nl", "string": "Gentse Feesten"}]
    assert "recurringSpecialDay" not in periods[0]
    assert [d["specialDayType"] for d in periods[1]["recurringSpecialDay"]] == ["publicHoliday"]
    assert "startOfPeriod" not in periods[1]

    back = translate.regime(message, document["areaManager"])
    assert back.document["exemptDays"] == document["exemptDays"]
    again = translate.right_specification(*_published({**document, **back.document,
                                                       "id": document["id"]}))
    assert again["validity"]["validityTimeSpecification"]["exceptionPeriods"] == periods


@settings(max_examples=150, deadline=None)
@given(regimes().filter(lambda d: "tariff" in d))
def test_tariff_to_rate_table_to_tariff_keeps_every_mapped_field(document):
    regime, _ = _published(document)
    message = translate.rate_table(regime)
    assert schemas.problems("RateTable", message) == []

    back = translate.rate(message, document["areaManager"])

    assert (back.version, back.maximum_duration) == (document["version"],
                                                     document["maximumDuration"])
    _amounts_equal(back.tariff, document["tariff"])
    for key in ("currency", "vatPercentage", "dayMaximum"):
        assert (back.tariff.get(key) is None) == (document["tariff"].get(key) is None), key
    if "dayMaximum" in document["tariff"]:
        from decimal import Decimal
        assert Decimal(back.tariff["dayMaximum"]) == Decimal(document["tariff"]["dayMaximum"])


@st.composite
def paid_assigned_rights(draw: Any) -> dict[str, Any]:
    message = draw(assigned_rights())
    message.pop("monetaryValue", None)
    use = message["plannedUses"][0]
    payments = []
    for i in range(draw(st.integers(1, 3))):
        payment: dict[str, Any] = {"id": f"p{i}", "version": 1, "paymentLines": [
            {"id": "1", "version": 1, "paymentType": "payment",
             "value": {"currencyType": "EUR", "currencyValue": float(draw(amounts))}}]}
        if draw(st.booleans()):
            payment["startPeriodCovered"] = use["startTime"]
        if draw(st.booleans()):
            payment["transactionID"] = draw(ids)
        payments.append(payment)
    message["payments"] = payments
    return message


@settings(max_examples=100, deadline=None)
@given(paid_assigned_rights())
def test_payments_to_native_to_payments_keep_their_amounts_and_periods(message):
    from decimal import Decimal
    assert schemas.problems("AssignedRight", message, request=True) == []
    assignment = translate.assignment(message, PROVIDER)
    holding = Holding(ASSIGNED_RIGHT, assignment.id, assignment.version, RIGHT,
                      ID + "right/x", {**assignment.right, "provider": PROVIDER}, PROVIDER,
                      datetime.now(UTC), extra={"payments": assignment.payments})

    back = translate.assigned_right(holding)

    assert schemas.problems("AssignedRight", back) == []
    for sent, kept in zip(message["payments"], back["payments"], strict=True):
        assert kept["paymentLines"] == sent["paymentLines"]
        assert kept.get("startPeriodCovered") == sent.get("startPeriodCovered")
        assert "transactionID" not in kept
    total = sum(Decimal(str(p["paymentLines"][0]["value"]["currencyValue"]))
                for p in message["payments"])
    assert Decimal(str(back["monetaryValue"]["value"]["currencyValue"])) == total
