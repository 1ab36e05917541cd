"""A malformed or schema-violating request never changes data and never gives a 5xx: requests of
every offered operation with their fields replaced by arbitrary values, over JSON and SOAP."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vptr.npr.operations import operations
from vptr.store import tables

VALID = {
    "CheckPSRight": {"AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
                     "VehicleId": "1ABC123", "CheckTime": "2026-03-02T09:00:00Z",
                     "ExtraInfoIndicator": "N"},
    "EnrollPSRight": {"VehicleId": "1FUZZ01", "AreaManagerId": 4402, "AreaId": "4402_ROOD",
                      "UsageId": "BETAALDP", "StartTimePSright": "2030-03-04T09:00:00Z",
                      "EndTimePSright": "2030-03-04T10:00:00Z"},
    "RevokePSRight": {"PSRightId": 1, "EndTimePSRight": "2030-03-04T09:30:00Z"},
    "CalculatePrice": {"AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
                       "StartTimePSright": "2026-03-02T09:00:00Z",
                       "EndTimePSright": "2026-03-02T10:00:00Z"},
    "RetrieveAreaRegulationFareInfo": {"AreaManagerId": 4402},
    "RetrieveAreasByLocation": {"AreaLocation": {"Latitude": 51.05, "Longitude": 3.72}},
    "RetrieveAreaManagers": {},
    "RetrieveRightInfo": {"PSRightId": 1},
    "StatusRequest": {"StatusTime": "2026-03-02T09:00:00Z"},
}

_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", "2026-13-45T99:00:00Z", "9999", "B", "Y", "ZONDAG", "1e400", "-1",
                     "2026-03-02T09:00:00", "0.001", " 4402 ", "0001-01-01T00:00:00Z",
                     "9999-12-31T23:59:59Z", "-0044-03-15T12:00:00Z", "2026-03-02T09:00:00+14:00",
                     "2026-03-02T09:00:00.1234567Z", "99999999"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2))


@st.composite
def mutated(draw: Any) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(VALID)))
    data = dict(VALID[name])
    for key in draw(st.lists(st.sampled_from(sorted(data) or ["X"]), max_size=3)):
        data[key] = draw(_values)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["Extra", "VehicleId", "AreaId", "PSRightId"]))] = draw(_values)
    return name, data


def _snapshot(store, *watched: sa.Table) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the rights (and the NPR's own rights and codes, or ``watched``), in full and
    in key order: a refused request must leave them exactly as they were, not just as many."""
    found = {}
    with store.reading() as connection:
        for table in watched or (tables.rights, tables.npr_rights, tables.npr_codes):
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            found[table.name] = [tuple(row) for row in rows]
    return found


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_arbitrary_fields_never_give_a_server_error(client_as, store, case):
    name, data = case
    client = client_as("provider")
    before = _snapshot(store)
    op = operations()[name]
    # sent as Python writes it: NaN and Infinity too, which JSON parsers (and this one) accept
    response = client.post(f"/npr/{name}", content=json.dumps({op.request_data: data}),
                           headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    body = response.json()[op.response]
    if op.response_error in body:
        assert _snapshot(store) == before  # a refused request changes nothing


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                      st.sampled_from([
                          b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
                          b"<s:Body/></s:Envelope>",
                          b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                          b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
                          b'<s:Body><n:PSRightCheckRequest xmlns:n="http://rdw.nl/rpv/1.0">'
                          b"<n:Nope/></n:PSRightCheckRequest></s:Body></s:Envelope>"])))
def test_arbitrary_soap_bodies_never_give_a_server_error(client_as, body):
    response = client_as("provider").post("/npr/soap", content=body,
                                          headers={"Content-Type": "text/xml"})
    assert response.status_code < 500, response.text
    assert b"root:" not in response.content  # no external entity was read


EXTREMES = ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-0044-03-15T12:00:00Z",
            "2026-03-02T09:00:00.1234567Z", "2026-03-02T09:00:00+14:00", "2026-03-02T09:00:00"]
TIME_FIELDS = [(name, field) for name, data in VALID.items() for field in data
               if field.endswith(("Time", "TimePSright", "TimePSRight"))]


def test_instants_at_the_edges_of_the_calendar_never_give_a_server_error(client_as, store):
    client = client_as("provider")
    for name, field in TIME_FIELDS:
        op = operations()[name]
        for value in EXTREMES:
            response = client.post(f"/npr/{name}",
                                   json={op.request_data: {**VALID[name], field: value}})
            assert response.status_code < 500, (name, field, value, response.text)
    checks = [("CheckPSRight", {"CheckLocation": {"Latitude": 90, "Longitude": 180}}),
              ("RetrieveAreasByLocation", {"AreaLocation": {"Latitude": -180,
                                                            "Longitude": 180}}),
              ("CalculatePrice", {"AmountPSright": 99999999.99, "EndTimePSright": None}),
              ("RetrieveRightInfo", {"PSRightId": 9999999999}),
              ("RevokePSRight", {"PSRightId": 9999999999})]
    for name, change in checks:
        op = operations()[name]
        data = {k: v for k, v in {**VALID[name], **change}.items() if v is not None}
        response = client.post(f"/npr/{name}", json={op.request_data: data})
        assert response.status_code < 500, (name, response.text)


#: Bodies Python's JSON parser cannot read without an exception other than JSONDecodeError:
#: nesting beyond its recursion limit (RecursionError: ~3 KB of arrays) and an integer of more
#: than 4,300 digits (ValueError), here in a field of the request. Both once answered 500.
UNPARSEABLE = ("nested-arrays-3kb", "integer-5000-digits")
_BIG = "9" * 5000


def _unparseable(name: str, fields: dict[str, Any]) -> bytes:
    """The body ``name``; the long integer stands in ``fields`` as the value of PSRightId."""
    if name == "nested-arrays-3kb":
        return b"[" * 1500 + b"]" * 1500
    return json.dumps(fields).replace('"PSRightId": 0', f'"PSRightId": {_BIG}').encode()


@pytest.mark.parametrize("name", UNPARSEABLE)
def test_a_body_no_parser_holds_is_code_101_on_every_operation_and_changes_nothing(
        client_as, store, name):
    client = client_as("provider")
    before = _snapshot(store)
    for operation in sorted(VALID):
        op = operations()[operation]
        body = _unparseable(name, {op.request_data: {**VALID[operation], "PSRightId": 0}})
        response = client.post(f"/npr/{operation}", content=body,
                               headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (operation, response.text)
        error = response.json()[op.response][op.response_error]
        assert error["ErrorCode"] == 101, (operation, error)
        if name == "integer-5000-digits":  # the reader knows where the number stands
            assert error["ErrorVariable"] == "PSRightId", error
            assert "5000 digits" in error["ErrorDesc"], error
        else:
            assert "nested deeper" in error["ErrorDesc"], error
    assert _snapshot(store) == before


@pytest.mark.parametrize("name", UNPARSEABLE)
def test_a_body_no_parser_holds_is_refused_when_assigning_a_code(client_as, store, name):
    body = _unparseable(name, {"target": "x", "description": "d", "PSRightId": 0})
    before = _snapshot(store)
    response = client_as("area-manager").put("/npr/codes/area/4402_X", content=body,
                                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    if name == "integer-5000-digits":
        assert response.json()["errors"] == [
            {"where": "PSRightId", "reason": "an integer of 5000 digits (at most 4300)"}]
    assert _snapshot(store) == before
