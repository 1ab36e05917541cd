"""The webhook queue is durable: deliveries are rows of the store (``apds_outbox``) written in the
transaction of the change that causes them, so an event the register acknowledged reaches its
subscriber even when the instance stops before delivering it; instances claim deliveries with a
lease, so no two make the same attempt, and a lease a stopped instance left behind expires. A
queued row keeps its plate in a column of its own (never in the body) until it is delivered.
Every specification runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa

from tests.apds.conftest import conforms, session_body, status
from tests.apds.test_webhooks import TOPICS, Subscriber, subscribe
from vptr.app import create_app
from vptr.repositories import apds as repository
from vptr.services import webhooks
from vptr.times import now

HOOK = "https://scan.example/hooks"


def _queued(store) -> list:
    with store.reading() as connection:
        return connection.execute(sa.select(repository.tables.apds_outbox)
                                  .order_by(repository.o.id)).all()


def _stopped(app) -> None:
    """This instance delivers nothing (as if it stopped right after answering)."""
    webhooks.dispatcher(app.state.runtime).close()


def _restarted(store, subscriber: Subscriber, poll: float = 0.05):
    app = create_app(store.settings, store)
    runtime = app.state.runtime
    runtime.webhook_transport = httpx.MockTransport(subscriber.handle)
    runtime.webhook_delays, runtime.webhook_poll = (0.05, 0.1), poll
    return app


def test_deliveries_queued_before_a_restart_are_delivered_after_it(client_as, app, store):
    subscribe(client_as("enforcement"), HOOK)
    _stopped(app)
    session = session_body()

    status(client_as("provider").post("/apds/sessions", json=session), 201)

    queued = _queued(store)
    assert [row.topic for row in queued] == ["AssignedRightCreated", "SessionCreated"]
    assert all(row.plate == "1XYZ987" and "1XYZ987" not in json.dumps(row.body)
               for row in queued)

    subscriber = Subscriber()
    restarted = _restarted(store, subscriber)
    try:
        restarted.state.runtime.start()  # the server starts its dispatcher with it
        assert restarted.state.runtime.webhooks.idle(10)
    finally:
        restarted.state.runtime.close()
    events = subscriber.received[HOOK]
    assert [e["type"] for e in events] == ["AssignedRightCreated", "SessionCreated"]
    for event in events:
        conforms("WebhookEvent", event)
    assert events[1]["data"]["identifiedCredentials"][0]["identifier"]["id"] == "1XYZ987"
    assert _queued(store) == []  # delivered: the rows, and their plate, are gone


def test_a_refused_change_queues_nothing(client_as, app, store):
    subscribe(client_as("enforcement"), HOOK)
    _stopped(app)
    bad = session_body()
    bad["segments"][0]["assignedRight"]["version"] = 2  # a new assigned right is version 1

    status(client_as("provider").post("/apds/sessions", json=bad), 400)

    assert _queued(store) == []


def _queue_many(client_as, app, sessions: int) -> None:
    subscribe(client_as("enforcement"), HOOK, TOPICS)
    _stopped(app)
    for _ in range(sessions):
        status(client_as("provider").post("/apds/sessions", json=session_body()), 201)


def test_two_instances_never_make_the_same_attempt(client_as, app, store):
    _queue_many(client_as, app, 6)
    expected = {row.event_id for row in _queued(store)}
    assert len(expected) == 12
    subscriber = Subscriber()
    first, second = _restarted(store, subscriber), _restarted(store, subscriber)
    dispatchers = [webhooks.Dispatcher(a.state.runtime, a.state.runtime.webhook_transport)
                   for a in (first, second)]
    try:
        barrier = threading.Barrier(2)

        def race(dispatcher: webhooks.Dispatcher) -> None:
            barrier.wait()
            dispatcher.wake()

        threads = [threading.Thread(target=race, args=(d,)) for d in dispatchers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(d.idle(15) for d in dispatchers)
    finally:
        for dispatcher in dispatchers:
            dispatcher.close()
    delivered = Counter(event["id"] for event in subscriber.received[HOOK])
    assert set(delivered) == expected and set(delivered.values()) == {1}
    with store.reading() as connection:
        attempts = connection.execute(sa.text(
            "SELECT event_id, attempt FROM apds_deliveries")).all()
    assert sorted(attempts) == sorted((event, 1) for event in expected)


def test_a_lease_is_respected_until_it_expires(client_as, app, store):
    _queue_many(client_as, app, 1)
    moment = now()
    with store.transaction() as connection:  # another instance claims them, then stops
        claimed = repository.claim_deliveries(connection, "stopped-instance", moment,
                                              moment + timedelta(seconds=60), 10)
    assert len(claimed) == 2
    subscriber = Subscriber()
    restarted = _restarted(store, subscriber, poll=60)
    dispatcher = webhooks.Dispatcher(restarted.state.runtime,
                                     restarted.state.runtime.webhook_transport,
                                     background=False)
    try:
        assert dispatcher.run_once() == 0  # held by the other instance
        with store.transaction() as connection:  # its lease runs out
            connection.execute(sa.update(repository.tables.apds_outbox).values(
                lease_until=moment - timedelta(seconds=1)))
        assert dispatcher.run_once() == 2
    finally:
        dispatcher.close()
    assert len(subscriber.received[HOOK]) == 2 and _queued(store) == []


@pytest.mark.parametrize("code", [500])
def test_a_retry_waits_in_the_store_with_its_next_attempt(client_as, app, store, code):
    subscribe(client_as("enforcement"), HOOK, ["SessionCreated"])
    _stopped(app)
    status(client_as("provider").post("/apds/sessions", json=session_body()), 201)
    subscriber = Subscriber([code])
    restarted = _restarted(store, subscriber)
    dispatcher = webhooks.Dispatcher(restarted.state.runtime,
                                     restarted.state.runtime.webhook_transport,
                                     delays=(30.0,), background=False)
    try:
        assert dispatcher.run_once() == 1
    finally:
        dispatcher.close()
    [row] = _queued(store)
    assert (row.attempt, row.lease_owner) == (2, None)
    assert row.due_at > now() + timedelta(seconds=20)


def test_queued_deliveries_fall_under_retention(client_as, app, store):
    from vptr.accounting.retention import run_retention

    _queue_many(client_as, app, 1)

    assert run_retention(store.engine, days=91).apds_queued == 0
    gone = run_retention(store.engine, days=91, now=now() + timedelta(days=92))

    assert gone.apds_queued == 2 and _queued(store) == []
