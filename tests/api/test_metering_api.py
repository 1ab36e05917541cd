"""Every request is counted for the bill, and an area manager reads its own tenant's counts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from support import rows
from support.small_app import small_app

from vptr.accounting.metering import billing_day, report
from vptr.auth.api_keys import issue_key
from vptr.settings import Settings

GENT = rows.BASE + "organisation/gent"
GENK = rows.BASE + "organisation/genk"
APP = rows.BASE + "organisation/app"
OPERATOR = rows.BASE + "organisation/platform"


@pytest.fixture
def client(sqlite_engine):
    with sqlite_engine.begin() as connection:
        rows.organisation(connection, "gent", area_manager=True)
        rows.organisation(connection, "genk", area_manager=True)
        rows.organisation(connection, "app", provider=True, tenant=GENT)
        rows.organisation(connection, "platform", tenant=GENT)
        keys = {name: issue_key(connection, rows.BASE + f"organisation/{name}").key
                for name in ("gent", "genk", "app", "platform")}
    settings = Settings(database_url=str(sqlite_engine.url), max_body_bytes=100,
                        platform_operators=[OPERATOR], metering_flush_seconds=3600)
    with TestClient(small_app(settings)) as client:
        client.keys = keys
        yield client


def as_(client, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.keys[who]}"}


def counted(client) -> dict[tuple[str | None, str | None, str], int]:
    client.app.state.runtime.metering.flush()
    response = client.get("/admin/metering", headers=as_(client, "platform"))
    assert response.status_code == 200, response.text
    return {(r["tenant"], r["organisation"], r["operation"]): r["count"]
            for r in response.json()["rows"] if r["operation"] != "adminMetering"}


def test_requests_are_counted_per_organisation_tenant_and_operation(client):
    for _ in range(3):
        client.get("/whoami", headers=as_(client, "gent"))
    client.get("/whoami", headers=as_(client, "app"))
    client.get("/served/genk", headers=as_(client, "app"))
    client.get("/open")
    client.get("/no/such/path")
    client.post("/echo", content=b"z" * 101)

    assert counted(client) == {
        (GENT, GENT, "whoami"): 3,
        (None, APP, "whoami"): 1,
        (GENK, APP, "serveTenant"): 1,
        (None, None, "openData"): 1,
        (None, None, "unmatched"): 1,
        (None, None, "refused:payload-too-large"): 1,
    }


def test_refused_and_failed_requests_are_counted_too(client):
    client.get("/whoami")  # 401
    client.get("/whoami", headers={"Authorization": "Bearer vptr_nope_xxxxxxxxxxxxxxxxxxxxx"})

    assert counted(client) == {(None, None, "whoami"): 2}


def test_nothing_is_lost_when_the_server_stops(sqlite_engine, client):
    settings = Settings(database_url=str(sqlite_engine.url), metering_flush_seconds=3600)
    with TestClient(small_app(settings)) as other_instance:
        other_instance.get("/whoami", headers=as_(client, "gent"))
    # The lifespan has ended (a graceful stop) without anyone asking for a flush.

    day = billing_day()
    stored = report(sqlite_engine, first_day=day, last_day=day, tenants=[GENT])
    assert [(r.operation, r.count) for r in stored] == [("whoami", 1)]


def test_an_area_manager_reads_its_own_tenant_only(client):
    client.get("/whoami", headers=as_(client, "gent"))
    client.get("/whoami", headers=as_(client, "genk"))
    client.app.state.runtime.metering.flush()

    own = client.get("/admin/metering", headers=as_(client, "gent"))
    other = client.get("/admin/metering", params={"tenant": GENK}, headers=as_(client, "gent"))

    assert own.status_code == 200
    assert {r["tenant"] for r in own.json()["rows"]} == {GENT}
    assert own.json()["total"] == 1
    assert other.status_code == 403


def test_a_platform_operator_may_narrow_to_one_tenant(client):
    client.get("/whoami", headers=as_(client, "gent"))
    client.get("/whoami", headers=as_(client, "genk"))
    client.app.state.runtime.metering.flush()

    response = client.get("/admin/metering", params={"tenant": GENK},
                          headers=as_(client, "platform"))

    assert {r["tenant"] for r in response.json()["rows"]} == {GENK}


def test_providers_cannot_read_metering(client):
    assert client.get("/admin/metering", headers=as_(client, "app")).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2025-02-01", "to": "2025-01-01"}, "to"),
     ({"from": "yesterday"}, "from"),
     ({"from": "2020-01-01", "to": "2025-01-01"}, "to")],
    ids=["reversed", "not-a-date", "too-long"],
)
def test_a_bad_period_is_refused_naming_the_parameter(client, params, field):
    response = client.get("/admin/metering", params=params, headers=as_(client, "gent"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
