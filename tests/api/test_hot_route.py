"""The check is served by a lean route (vptr.api.hot_route) that keeps everything an ordinary route
does: the app-wide guards, authentication, problem documents, its OpenAPI operation and JSON."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, Query, Request
from fastapi.testclient import TestClient

from vptr.api.authentication import CurrentPrincipal
from vptr.api.hot_route import HotRoute
from vptr.api.routes import check
from vptr.api.routes.check import render
from vptr.api.security import GUARDS
from vptr.app import create_app
from vptr.services import demo
from vptr.services.demo import credential


def _check_routes(app) -> list[Any]:
    """The /check routes of the check router, which the app mounts."""
    assert check.router in [getattr(r, "original_router", None) for r in app.router.routes]
    return [r for r in check.router.routes if getattr(r, "path", "") == "/check"]


def test_both_checks_are_hot_routes_and_stay_in_the_api_description(app):
    routes = _check_routes(app)
    assert {(type(r), frozenset(r.methods)) for r in routes} == {
        (HotRoute, frozenset({"GET"})), (HotRoute, frozenset({"POST"}))}

    described = app.openapi()["paths"]["/check"]
    assert described["get"]["operationId"] == "check"
    assert described["post"]["operationId"] == "checkByBody"
    assert {p["name"] for p in described["get"]["parameters"]} >= {"plate", "country", "zone",
                                                                     "at"}


def test_the_hot_route_runs_every_guard_the_app_puts_on_its_routes(app):
    """A guard added to the app but not to GUARDS would silently skip the check."""
    app_wide = [dependency.dependency for dependency in app.router.dependencies]
    assert app_wide == list(GUARDS)


def test_the_answer_is_the_json_an_ordinary_route_would_write(client_as):
    response = client_as("enforcement").get("/check", params={
        "zone": demo.ZONE_ROOD, "plate": "1-ABC-123", "country": "BE"})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    body = response.json()
    assert body["type"] == "CheckResult" and body["allowed"] is True
    # Compact and UTF-8 like FastAPI's JSONResponse: no spaces after separators.
    assert response.content == json.dumps(body, ensure_ascii=False,
                                          separators=(",", ":")).encode()


def test_the_post_check_reads_its_body_on_the_hot_route(client_as):
    response = client_as("enforcement").post("/check", json={
        "plate": "1ABC123", "country": "BE", "zone": "gent-rood"})

    assert response.status_code == 200, response.text
    assert response.json()["allowed"] is True


def test_refusals_are_problem_documents_as_on_every_route(client_as):
    anonymous = client_as("anonymous").get("/check", params={"zone": "gent-rood",
                                                             "plate": "1ABC123", "country": "BE"})
    unreadable = client_as("enforcement").get("/check", params={
        "zone": "gent-rood", "plate": "1ABC\x00", "country": "BE"})
    invalid = client_as("enforcement").get("/check", params={"zone": "gent-rood",
                                                             "plate": "1ABC123"})
    bad_body = client_as("enforcement").post("/check", json={"plate": "1ABC123", "country": "BE",
                                                            "zone": "gent-rood", "extra": 1})
    wrong_method = client_as("enforcement").put("/check")

    assert anonymous.status_code == 401
    assert unreadable.status_code in (400, 422)
    assert unreadable.json()["errors"][0]["field"] == "plate"
    assert invalid.status_code in (400, 422)
    assert bad_body.status_code in (400, 422)
    assert "extra" in bad_body.text
    assert wrong_method.status_code == 405
    assert set(wrong_method.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    for response in (anonymous, unreadable, invalid, bad_body):
        assert response.headers["content-type"] == "application/problem+json"
        assert "1ABC" not in response.text


def test_the_rate_limit_applies_to_the_hot_route(store):
    settings = store.settings.model_copy(update={"rate_limit_per_second": 0.25,
                                                 "rate_limit_burst": 2})
    app = create_app(settings, store)
    headers = {"Authorization": f"Bearer {credential('enforcement').key}"}
    try:
        with TestClient(app, headers=headers) as client:
            answers = [client.get("/check", params={"zone": "gent-rood", "plate": "1ABC123",
                                                    "country": "BE"}) for _ in range(3)]
    finally:
        app.state.runtime.close()

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["retry-after"]
    assert answers[2].headers["content-type"] == "application/problem+json"


def test_the_hot_route_is_counted_under_its_operation_id(client_as, app):
    client_as("enforcement").get("/check", params={"zone": "gent-rood", "plate": "1ABC123",
                                                   "country": "BE"})
    app.state.runtime.metering.flush()

    metered = client_as("area-manager").get("/admin/metering").json()["rows"]
    assert {r["operation"] for r in metered if r["organisation"] == demo.SCANMOBIEL} == {"check"}


def test_an_endpoint_whose_parameters_the_hot_route_cannot_supply_is_refused_when_made():
    router = APIRouter(route_class=HotRoute)

    async def paged(request: Request, page: Annotated[int, Query()] = 1) -> dict[str, Any]:
        return {}

    def blocking(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
        return {}

    async def guarded(request: Request) -> dict[str, Any]:
        return {}

    with pytest.raises(TypeError, match="'page'"):
        router.add_api_route("/paged", paged)
    with pytest.raises(TypeError, match="dependencies"):
        router.add_api_route("/guarded", guarded, dependencies=[Depends(lambda: None)])
    with pytest.raises(TypeError, match="must be async"):
        router.add_api_route("/blocking", blocking)


def test_render_stays_what_the_hot_route_encodes():
    """The route encodes what render returns: plain JSON types only (orjson refuses others)."""
    import orjson

    from vptr.domain.checking import CheckResult
    from vptr.times import now

    result = CheckResult(True, now(), (), 10, 5, ())
    assert json.loads(orjson.dumps(render(result))) == render(result)
