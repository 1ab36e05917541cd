"""/apds/webhooks: subscribers receive AssignedRight* and Session* events about rights they may
read, in the spec's shapes, from a background dispatcher that retries with backoff, logs every
attempt (never a plate) and never holds up the request that caused the event. The subscribers
here are an httpx mock transport: nothing leaves the machine."""

from __future__ import annotations

import json
import logging
import threading
import time

import httpx
import pytest
import sqlalchemy as sa

from tests.apds.conftest import conforms, instant, session_body, status

TOPICS = ["AssignedRightCreated", "AssignedRightUpdated", "AssignedRightDeleted",
          "SessionCreated", "SessionUpdated", "SessionDeleted"]


class Subscriber:
    """Endpoints on a mock transport: what each received, answering ``codes`` in turn."""

    def __init__(self, codes: list[int] | None = None) -> None:
        self.received: dict[str, list[dict]] = {}
        self.codes = list(codes or [])
        self.open = threading.Event()  # cleared: the subscriber hangs until it is set
        self.open.set()
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.open.wait(30)
        with self.lock:
            self.received.setdefault(str(request.url), []).append(json.loads(request.content))
            code = self.codes.pop(0) if self.codes else 204
        return httpx.Response(code)

    def topics(self, endpoint: str) -> list[str]:
        return [event["type"] for event in self.received.get(endpoint, [])]


@pytest.fixture
def subscriber(app):
    runtime = app.state.runtime
    subscriber = Subscriber()
    runtime.webhook_transport = httpx.MockTransport(subscriber.handle)
    runtime.webhook_delays = (0.05, 0.1, 0.2)
    return subscriber


def idle(app) -> None:
    dispatcher = app.state.runtime.webhooks
    assert dispatcher is not None and dispatcher.idle(10)


def subscribe(client, endpoint: str, topics=TOPICS) -> str:
    response = client.post("/apds/webhooks", json={"endpoint": endpoint, "topics": topics})
    assert response.status_code == 200, response.text
    return conforms("ResponseStatusWithId", response.json())["id"]


def test_subscribers_that_may_read_the_right_receive_its_events(client_as, app, subscriber,
                                                                antwerpen):
    subscribe(client_as("enforcement"), "https://scan.example/hooks")
    subscribe(client_as("area-manager"), "https://gent.example/hooks", ["SessionCreated"])
    subscribe(antwerpen.client, "https://antwerpen.example/hooks")
    provider = client_as("provider")
    session = session_body()

    status(provider.post("/apds/sessions", json=session), 201)
    status(provider.put(f"/apds/sessions/{session['id']}",
                        json={**session, "version": 2, "actualEnd": instant(30)}), 200)
    status(provider.delete(f"/apds/sessions/{session['id']}"), 200)
    idle(app)

    assert subscriber.topics("https://scan.example/hooks") == [
        "AssignedRightCreated", "SessionCreated", "SessionUpdated", "AssignedRightDeleted",
        "SessionDeleted"]
    assert subscriber.topics("https://gent.example/hooks") == ["SessionCreated"]
    assert "https://antwerpen.example/hooks" not in subscriber.received
    for event in subscriber.received["https://scan.example/hooks"]:
        conforms("WebhookEvent", event)
    created = subscriber.received["https://scan.example/hooks"][1]["data"]
    assert created["id"] == session["id"]
    assert created["identifiedCredentials"][0]["identifier"]["id"] == "1XYZ987"


def test_a_failed_delivery_is_retried_and_every_attempt_logged_without_the_plate(
        client_as, app, subscriber, store, caplog):
    subscriber.codes = [500, 503]
    hook = subscribe(client_as("enforcement"), "https://scan.example/hooks", ["SessionCreated"])

    with caplog.at_level(logging.DEBUG):
        status(client_as("provider").post("/apds/sessions", json=session_body()), 201)
        deadline = time.monotonic() + 10
        while len(subscriber.received.get("https://scan.example/hooks", [])) < 3 \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        idle(app)

    log = conforms_deliveries(client_as("enforcement").get(
        f"/apds/webhooks/{hook}/deliveries").json())
    assert [(d["attempt"], d["statusCode"], d["delivered"]) for d in reversed(log)] == [
        (1, 500, False), (2, 503, False), (3, 204, True)]
    with store.reading() as connection:
        rows = connection.execute(sa.text("SELECT * FROM apds_deliveries")).all()
    assert "1XYZ987" not in repr(rows) and "1XYZ987" not in caplog.text


def conforms_deliveries(body: dict) -> list[dict]:
    return conforms("DeliveryList", body)["data"]


def test_a_slow_subscriber_never_holds_up_the_request(client_as, app, subscriber):
    subscribe(client_as("enforcement"), "https://scan.example/hooks")
    subscriber.open.clear()  # the subscriber does not answer

    try:
        status(client_as("provider").post("/apds/sessions", json=session_body()), 201)
        status(client_as("provider").post("/apds/sessions", json=session_body()), 201)
        # Both sessions were answered while the first delivery still hangs.
        assert app.state.runtime.webhooks.pending() >= 1
        assert subscriber.received == {}
    finally:
        subscriber.open.set()
    idle(app)
    assert len(subscriber.received["https://scan.example/hooks"]) == 4


def test_subscriptions_are_listed_and_deleted_by_their_owner_only(client_as):
    hook = subscribe(client_as("enforcement"), "https://scan.example/hooks")

    assert [s["id"] for s in client_as("enforcement").get("/apds/webhooks").json()["data"]] \
        == [hook]
    status(client_as("provider").delete(f"/apds/webhooks/{hook}"), 404)
    status(client_as("enforcement").delete(f"/apds/webhooks/{hook}"), 200)
    assert client_as("enforcement").get("/apds/webhooks").json()["data"] == []


@pytest.mark.parametrize("body, field", [
    ({"endpoint": "https://x.example", "topics": ["Everything"]}, "topics[0]"),
    ({"endpoint": "ftp://x.example", "topics": ["SessionCreated"]}, "endpoint"),
    ({"endpoint": "https://x.example", "topics": []}, "topics"),
])
def test_a_bad_subscription_is_a_400_naming_the_field(client_as, body, field):
    assert field in status(client_as("enforcement").post("/apds/webhooks", json=body),
                           400)["message"]


def test_delivery_logs_and_deleted_sessions_fall_under_retention(client_as, app, subscriber,
                                                                 store):
    from datetime import timedelta

    from vptr.accounting.retention import run_retention
    from vptr.times import now

    subscribe(client_as("enforcement"), "https://scan.example/hooks", ["SessionCreated"])
    session = session_body()
    status(client_as("provider").post("/apds/sessions", json=session), 201)
    status(client_as("provider").delete(f"/apds/sessions/{session['id']}"), 200)
    idle(app)

    kept = run_retention(store.engine, days=91)
    gone = run_retention(store.engine, days=91, now=now() + timedelta(days=92))

    assert (kept.apds_deliveries, kept.apds_records) == (0, 0)
    assert gone.apds_deliveries == 1 and gone.apds_records == 2  # the session, its right
    with store.reading() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM apds_records")).scalar() == 0


def test_anpr_the_operators_session_is_pushed_to_the_provider_of_the_assigned_right(
        client_as, app, subscriber):
    from tests.apds.conftest import assigned_body

    meters = client_as("provider-limited")  # writes in Zuid, may read nothing else
    subscribe(meters, "https://meters.example/hooks", ["SessionCreated"])
    assigned = assigned_body(spec="gent-zuid-betalend")
    status(meters.post("/apds/rights/assigned", json=assigned), 201)

    session = session_body(assigned_id=assigned["id"], place="gent-zuid")
    status(client_as("area-manager").post("/apds/sessions", json=session), 201)
    idle(app)

    assert subscriber.topics("https://meters.example/hooks") == ["SessionCreated"]
    assert subscriber.received["https://meters.example/hooks"][0]["data"]["id"] == session["id"]
