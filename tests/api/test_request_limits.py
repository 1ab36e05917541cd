"""Request limits keep one client from degrading the register for the others: bodies are capped
(413) and each organisation has its own rate (429 with Retry-After)."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient
from support import rows
from support.small_app import small_app

from vptr.api.middleware.body_limit import BodyLimitMiddleware
from vptr.auth.api_keys import issue_key
from vptr.settings import Settings


@pytest.fixture
def keys(sqlite_engine):
    with sqlite_engine.begin() as connection:
        gent = rows.organisation(connection, "gent", area_manager=True)
        heavy = rows.organisation(connection, "heavy-app", provider=True, tenant=gent)
        light = rows.organisation(connection, "light-app", provider=True, tenant=gent)
        return {
            "heavy": issue_key(connection, heavy).key,
            "light": issue_key(connection, light).key,
            "gent": issue_key(connection, gent).key,
        }


def client_for(engine, **overrides) -> TestClient:
    settings = Settings(database_url=str(engine.url), **overrides)
    return TestClient(small_app(settings))


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_body_declared_larger_than_the_limit_is_refused_unread_with_a_problem(sqlite_engine):
    client = client_for(sqlite_engine, max_body_bytes=1_000)

    response = client.post("/echo", content=b"x" * 1_001)

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert problem["errors"] == [{"field": "body", "reason": "larger than 1000 bytes"}]
    assert client.app.state.route_calls == 0


def test_a_body_at_the_limit_reaches_the_route_intact(sqlite_engine):
    client = client_for(sqlite_engine, max_body_bytes=1_000)

    response = client.post("/echo", content=b"x" * 1_000)

    assert response.status_code == 200
    assert response.json() == {"length": 1_000}


def test_the_default_limit_is_one_megabyte():
    assert Settings().max_body_bytes == 1_000_000


class ChunkedUpload:
    """A client sending a body in chunks without Content-Length, counting what was read of it."""

    def __init__(self, chunk: bytes, chunks: int) -> None:
        self.remaining = chunks
        self.chunk = chunk
        self.read = 0

    async def receive(self) -> dict:
        if self.remaining == 0:
            return {"type": "http.disconnect"}
        self.remaining -= 1
        self.read += 1
        return {"type": "http.request", "body": self.chunk, "more_body": self.remaining > 0}


def test_a_chunked_body_is_read_only_up_to_the_limit_then_refused():
    reached = []

    async def app(scope, receive, send):  # pragma: no cover - must never be reached
        reached.append(True)

    upload = ChunkedUpload(b"y" * 100, chunks=1_000)  # 100 kB in all, no Content-Length
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/echo", "headers": []}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=1_000)(scope, upload.receive, send))

    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["status"] == 413
    assert upload.read == 11  # stopped at the first chunk past 1,000 bytes
    assert not reached


def test_an_organisation_that_floods_gets_429_while_another_is_still_served(sqlite_engine, keys):
    client = client_for(sqlite_engine, rate_limit_per_second=0.5, rate_limit_burst=5)

    heavy = [client.get("/whoami", headers=bearer(keys["heavy"])).status_code for _ in range(8)]
    light = client.get("/whoami", headers=bearer(keys["light"]))

    assert heavy == [200] * 5 + [429] * 3
    assert light.status_code == 200
    assert light.json()["organisation"].endswith("/light-app")


def test_a_refusal_says_when_to_retry_in_a_problem_document(sqlite_engine, keys):
    client = client_for(sqlite_engine, rate_limit_per_second=0.25, rate_limit_burst=1)
    client.get("/whoami", headers=bearer(keys["heavy"]))

    refused = client.get("/whoami", headers=bearer(keys["heavy"]))

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "4"
    assert refused.headers["content-type"] == "application/problem+json"
    assert "heavy-app" in refused.json()["detail"]


def test_anonymous_callers_share_a_bucket_per_client_address(sqlite_engine, keys):
    client = client_for(sqlite_engine, rate_limit_per_second=0.5, rate_limit_burst=2)

    anonymous = [client.get("/open").status_code for _ in range(3)]
    authenticated = client.get("/whoami", headers=bearer(keys["light"])).status_code

    assert anonymous == [200, 200, 429]
    assert authenticated == 200


def test_wrong_keys_are_limited_per_address_and_cannot_drain_a_real_organisation(
    sqlite_engine, keys
):
    client = client_for(sqlite_engine, rate_limit_per_second=0.5, rate_limit_burst=2)
    prefix = keys["light"].split("_")[1]
    forged = f"vptr_{prefix}_{'x' * 32}"  # the light app's public prefix, a wrong secret

    attempts = [client.get("/whoami", headers=bearer(forged)).status_code for _ in range(3)]

    assert attempts == [401, 401, 429]
    assert client.get("/whoami", headers=bearer(keys["light"])).status_code == 200


def test_authentication_is_done_once_per_request(sqlite_engine, keys, monkeypatch):
    from vptr.services import authentication

    calls = []
    original = authentication.principal_for_key

    def counting(connection, key):
        calls.append(key)
        return original(connection, key)

    monkeypatch.setattr(authentication, "principal_for_key", counting)
    client = client_for(sqlite_engine)

    assert client.get("/whoami", headers=bearer(keys["gent"])).status_code == 200
    assert len(calls) == 1


def test_rate_limiting_can_be_switched_off(sqlite_engine, keys):
    client = client_for(sqlite_engine, rate_limit_per_second=0, rate_limit_burst=1)

    statuses = {client.get("/whoami", headers=bearer(keys["heavy"])).status_code
                for _ in range(20)}

    assert statuses == {200}


def test_a_get_that_announces_no_body_is_passed_on_unread():
    """Nothing to bound: the route gets the server's own receive, and no message is read ahead."""
    received: list[object] = []

    async def app(scope, receive, send):
        received.append(receive)

    async def server_receive() -> dict:  # pragma: no cover - must not be called ahead
        raise AssertionError("read ahead")

    for method in ("GET", "HEAD"):
        scope = {"type": "http", "method": method, "path": "/check", "headers": []}
        asyncio.run(BodyLimitMiddleware(app, max_bytes=10)(scope, server_receive, None))
    assert received == [server_receive, server_receive]


def test_a_get_that_announces_a_body_is_still_bounded():
    upload = ChunkedUpload(b"y" * 100, chunks=50)
    sent: list[dict] = []

    async def app(scope, receive, send):  # pragma: no cover - must never be reached
        raise AssertionError("reached")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/check",
             "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=1_000)(scope, upload.receive, send))
    assert sent[0]["status"] == 413
