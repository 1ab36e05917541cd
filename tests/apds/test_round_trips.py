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
from vptr.services.holdings import ASSIGNED_RIGHT, RIGHT, SESSION, Holding
from vptr.times import parse_instant

ID = "https://data.parkeerregister.vlaanderen.be/id/"
PROVIDER = ID + "organisation/parkplus"

plates = st.from_regex(r"[0-9A-Z]{1,12}", fullmatch=True)
countries = st.sampled_from(["BE", "NL", "FR", "DE", "LU", "GB"])
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
