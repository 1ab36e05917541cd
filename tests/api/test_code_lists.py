"""Country and currency come from code lists (ISO 3166-1 alpha-2, ISO 4217): a code of the right
shape that is not in the list (`UK`, `XX`, `XYZ`) is a 4xx naming the field, deep inside the
payload too, and nothing is stored. `GB` is the United Kingdom (docs/model-decisions.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from support.two_tenants import entry_body, permit_body, right_body

from vptr.services import demo
from vptr.store.tables import permit_vehicles, rights, whitelist_entries


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def _count(store, table: sa.Table) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize("country", ["UK", "XX"])
def test_a_right_for_a_plate_of_no_iso_country_is_refused_naming_the_country(
        client_as: Callable[[str], TestClient], store, country: str) -> None:
    provider = client_as("provider")
    before = _count(store, rights)
    body = right_body(demo.ZONE_ROOD, "1ISO001")
    body["vehicle"]["licencePlate"]["country"] = country

    response = provider.post("/rights", json=body)

    assert response.status_code == 422, response.text
    assert "vehicle.licencePlate.country" in _fields(response)
    assert "1ISO001" not in response.text
    assert _count(store, rights) == before


def test_a_right_for_a_british_plate_is_registered_as_gb(
        client_as: Callable[[str], TestClient]) -> None:
    body = right_body(demo.ZONE_ROOD, "AB12CDE")
    body["vehicle"]["licencePlate"]["country"] = "GB"

    response = client_as("provider").post("/rights", json=body)

    assert response.status_code == 201, response.text
    assert response.json()["vehicle"]["licencePlate"]["country"] == "GB"


def test_a_right_paid_in_no_iso_currency_is_refused_naming_the_currency(
        client_as: Callable[[str], TestClient], store) -> None:
    before = _count(store, rights)
    body = right_body(demo.ZONE_ROOD, "1ISO002")
    body["amountPaid"] = {"value": "2.00", "currency": "XYZ"}

    response = client_as("provider").post("/rights", json=body)

    assert response.status_code == 422, response.text
    assert "amountPaid.currency" in _fields(response)
    assert _count(store, rights) == before


def test_a_regime_whose_tariff_has_no_iso_currency_is_refused(
        client_as: Callable[[str], TestClient]) -> None:
    manager = client_as("area-manager")
    change = manager.get("/regimes/gent-zuid-betalend").json()
    change.pop("version")
    change["tariff"]["currency"] = "XYZ"

    response = manager.put("/regimes/gent-zuid-betalend", json=change)

    assert response.status_code == 422, response.text
    assert "tariff.currency" in _fields(response)
    assert len(manager.get("/regimes/gent-zuid-betalend/versions").json()["@graph"]) == 1


def test_permits_and_whitelist_entries_refuse_a_country_outside_the_list(
        client_as: Callable[[str], TestClient], store) -> None:
    manager = client_as("area-manager")
    before = (_count(store, permit_vehicles), _count(store, whitelist_entries))
    permit = permit_body(demo.ZONE_KOUTER, "1ISO003")
    permit["vehicles"][0]["licencePlate"]["country"] = "UK"
    entry = entry_body("1ISO004")
    entry["vehicle"]["licencePlate"]["country"] = "XX"

    refused_permit = manager.post("/permits", json=permit)
    refused_entry = manager.post("/whitelists/gent-hulpdiensten/entries", json=entry)

    assert refused_permit.status_code == 422, refused_permit.text
    assert "vehicles.licencePlate.country" in _fields(refused_permit)
    assert refused_entry.status_code == 422, refused_entry.text
    assert "vehicle.licencePlate.country" in _fields(refused_entry)
    assert (_count(store, permit_vehicles), _count(store, whitelist_entries)) == before


@pytest.mark.parametrize("country", ["UK", "XX", "XYZ"])
def test_a_check_for_a_country_outside_the_list_is_refused(
        client_as: Callable[[str], TestClient], country: str) -> None:
    response = client_as("enforcement").get(
        "/check", params={"plate": "1ISO005", "country": country, "zone": demo.ZONE_ROOD})

    assert response.status_code in (400, 422), response.text
    assert _fields(response) == ["country"]
    if country == "UK":
        assert "the United Kingdom is GB" in response.text
