"""A request invalid deep inside a nested element is refused before anything happens, as the
operation's ``*ResponseError`` whose ErrorVariable names that element, over JSON and over SOAP
alike; nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from lxml import etree

from vptr.npr.operations import operations
from vptr.npr.schema import NS, schema
from vptr.store import tables

from .conftest import next_monday, z
from .test_soap import envelope, post

GENT = 4402


def _check(**extra: Any) -> dict[str, Any]:
    return {"UsageId": "BETAALDP", "VehicleId": "1ABC123", "CheckTime": z(next_monday(9)),
            "ExtraInfoIndicator": "N", **extra}


def _enrol(**extra: Any) -> dict[str, Any]:
    start = next_monday(9)
    return {"VehicleId": "1DEEP01", "AreaManagerId": GENT, "AreaId": "4402_ROOD",
            "UsageId": "BETAALDP", "StartTimePSright": z(start), **extra}


#: (operation, role, request data, the element ErrorVariable names, ErrorCode): each invalid
#: two or three levels down.
NESTED = [
    ("CheckPSRight", "enforcement",
     _check(CheckLocation={"Latitude": 95.5, "Longitude": 3.72}), "Latitude", 110),
    ("CheckPSRight", "enforcement",
     _check(CheckLocation={"Latitude": 51.05, "Longitude": 180.5}), "Longitude", 100),
    ("CheckPSRight", "enforcement",
     _check(AreaManagerTable={"AreaManagerData": [{"AreaManagerId": GENT, "AreaIdTable": {
         "AreaIdData": [{"AreaId": "4402_ROOD"}, {"AreaId": "4402_ROOD_TOO_LONG"}]}}]}),
     "AreaId", 100),
    ("EnrollPSRight", "provider",
     _enrol(PSRightParentData={"ParentRightId": "12ab"}), "ParentRightId", 100),
    ("EnrollPSRight", "provider",
     _enrol(PSRightParentData={"ParentRightId": 12345678901}), "ParentRightId", 100),
    ("EnrollPSRight", "provider",
     _enrol(AreaManagerId=None, AreaId=None,
            LocationPSRight={"Latitude": -91, "Longitude": 3.72}), "Latitude", 110),
    ("RetrieveAreasByLocation", "provider",
     {"AreaLocation": {"Latitude": 51.05, "Longitude": "oost"}}, "Longitude", 100),
]
IDS = [f"{op}-{variable}-{i}" for i, (op, _, _, variable, _) in enumerate(NESTED)]


def _rights(store) -> list[tuple[Any, ...]]:
    with store.reading() as connection:
        return [tuple(r) for r in connection.execute(
            sa.select(tables.rights).order_by(*tables.rights.primary_key.columns))]


def _data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(("operation", "role", "data", "variable", "code"), NESTED, ids=IDS)
def test_over_json(client_as, store, operation, role, data, variable, code):
    op = operations()[operation]
    before = _rights(store)
    response = client_as(role).post(f"/npr/{operation}", json={op.request_data: _data(data)})
    assert response.status_code == 400, response.text
    error = response.json()[op.response][op.response_error]
    assert (error["ErrorCode"], error["ErrorVariable"]) == (code, variable), error
    assert _rights(store) == before


def _xml(name: str, value: Any) -> str:
    """The request element as XML a SOAP client sends (children in the XSD's order)."""
    return etree.tostring(schema().to_xml(name, value), encoding="unicode")


@pytest.mark.parametrize(("operation", "role", "data", "variable", "code"), NESTED, ids=IDS)
def test_over_soap(client_as, store, operation, role, data, variable, code):
    op = operations()[operation]
    before = _rights(store)
    body = _xml(op.request, {op.request_data: _data(data)})
    status, reply = post(client_as(role), envelope(body))
    assert status == 200  # SOAP answers a refusal in the response element, not as a fault
    answer = reply.find(f".//{{{NS}}}{op.response}")
    schema().validate(answer)
    error = answer.find(f"{{{NS}}}{op.response_error}")
    assert error is not None, etree.tostring(reply)
    assert (int(error.findtext(f"{{{NS}}}ErrorCode")),
            error.findtext(f"{{{NS}}}ErrorVariable")) == (code, variable)
    assert _rights(store) == before
