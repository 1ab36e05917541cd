"""The open data's addresses follow the settings: every IRI is served at its own path under the
base IRIs the deployment names, so a client maps a host to the gateway."""

from __future__ import annotations

from vptr.opendata.site import Site
from vptr.settings import Settings


def site(**settings) -> Site:
    return Site.of(Settings(**settings), vendor_url="/static/vendor")


def test_the_default_hosts_map_to_paths():
    default = site()
    assert default.path_of("https://data.parkeerregister.vlaanderen.be/id/zone/x") == "/id/zone/x"
    assert default.path_of("https://data.vlaanderen.be/ns/parkeren-en-toegang#Regime") == (
        "/ns/parkeren-en-toegang")
    assert default.catalog == "https://data.parkeerregister.vlaanderen.be/catalog"
    assert default.stream_page(3) == "https://data.parkeerregister.vlaanderen.be/ldes/3"
    assert default.path_of("https://elsewhere.example/id/zone/x") is None


def test_another_deployment_names_its_own_bases():
    other = site(data_base_iri="https://parkeren.example.org/register/id",
                 standard_base_iri="https://standaard.example.org/")
    assert other.data_base == "https://parkeren.example.org/register/id/"
    assert other.path_of("https://parkeren.example.org/register/id/zone/x") == (
        "/register/id/zone/x")
    assert other.catalog == "https://parkeren.example.org/catalog"
    assert other.path_of("https://standaard.example.org/ns/x") == "/ns/x"
    assert other.path_of("https://data.vlaanderen.be/ns/x") is None


def test_the_app_serves_a_deployments_own_data_path(store, store_url):
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.services.demo import credential
    from vptr.store.database import Store

    from .conftest import new_zone

    settings = Settings(database_url=store_url,
                        data_base_iri="https://parkeren.example.org/register/id/")
    deployment = Store(settings)
    deployment.prepare()
    app = create_app(settings, deployment)
    key = {"Authorization": f"Bearer {credential('area-manager').key}"}
    with TestClient(app) as client:
        body = new_zone("x")
        del body["id"]  # minted under this deployment's base
        created = client.post("/zones", json=body, headers=key).json()["id"]
        assert created.startswith("https://parkeren.example.org/register/id/zone/")
        path = created.removeprefix("https://parkeren.example.org")
        assert client.get(path).json()["id"] == created
        assert client.get(path.replace("/register/id/", "/id/")).status_code == 404
    deployment.dispose()
