"""Webhook subscriptions and the delivery of events to them (APDS v4 ``/webhooks``: topics
AssignedRightCreated/Updated/Deleted, SessionCreated/Updated/Deleted, SystemEvents).

An organisation subscribes an endpoint to topics. When a use case reports an event (vptr.services
.holdings.Event), the channel renders its body and hands it to :func:`publish`, which only queues
it: a background dispatcher of this instance finds the subscriptions that may receive it (the
organisations that may read the right: its tenant's area manager, the organisation that sent it,
and those with a ``readRights`` authorisation covering its zone, exactly the native API's read
rule), POSTs it with httpx and retries a failed attempt with growing delays (``DELAYS``). Every
attempt is logged (subscription, event id, topic, attempt, status or error) and never the body,
which names a plate. The request that caused an event never waits for a delivery.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from vptr.auth.access import READ, grants
from vptr.errors import Invalid, NotFound
from vptr.repositories import apds as repository
from vptr.services.runtime import Caller, Runtime
from vptr.times import format_instant, now

log = logging.getLogger(__name__)

TOPICS = ("AssignedRightCreated", "AssignedRightUpdated", "AssignedRightDeleted",
          "SessionCreated", "SessionUpdated", "SessionDeleted", "SystemEvents")
#: Seconds before the second, third, ... attempt; after the last, the event is dropped (logged).
DELAYS: tuple[float, ...] = (2.0, 10.0, 60.0, 300.0)
TIMEOUT = 5.0
MAX_SUBSCRIPTIONS = 20


@dataclass(frozen=True)
class Subscription:
    id: str
    endpoint: str
    topics: list[str]
    created: datetime


@dataclass(frozen=True)
class Delivery:
    event_id: str
    topic: str
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None
    delivered: bool


@dataclass(frozen=True)
class Outgoing:
    """An event to deliver: its topic, the tenant and zones of the right it is about, the
    organisation that caused it, and its body (rendered by the channel)."""

    topic: str
    tenant: str
    zones: tuple[str, ...]
    owner: str
    body: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    parties: tuple[str, ...] = ()  # told as well (the provider whose assigned right is used)


# --- subscriptions ----------------------------------------------------------------------------

def _endpoint(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid.field("endpoint", "an absolute http(s) URL")
    if len(value) > 1000:
        raise Invalid.field("endpoint", "at most 1000 characters")
    return value


def subscribe(runtime: Runtime, caller: Caller, endpoint: str, topics: Sequence[str]
              ) -> Subscription:
    if not topics:
        raise Invalid.field("topics", "name one or more topics")
    for topic in topics:
        if topic not in TOPICS:
            raise Invalid.field("topics", f"{topic!r} is not one of {', '.join(TOPICS)}")
    subscription = Subscription(str(uuid.uuid4()), _endpoint(endpoint),
                                list(dict.fromkeys(topics)), now())
    with runtime.store.transaction() as connection:
        if len(repository.subscriptions_of(connection, caller.principal.organisation)) \
                >= MAX_SUBSCRIPTIONS:
            raise Invalid.field("endpoint", f"at most {MAX_SUBSCRIPTIONS} subscriptions per "
                                            "organisation")
        repository.insert_subscription(connection, subscription.id,
                                       caller.principal.organisation, subscription.endpoint,
                                       subscription.topics, subscription.created)
    return subscription


def subscriptions(runtime: Runtime, caller: Caller) -> list[Subscription]:
    with runtime.store.reading() as connection:
        rows = repository.subscriptions_of(connection, caller.principal.organisation)
    return [Subscription(r.id, r.endpoint, list(r.topics), r.created_at) for r in rows]


def unsubscribe(runtime: Runtime, caller: Caller, subscription_id: str) -> None:
    with runtime.store.transaction() as connection:
        if not repository.delete_subscription(connection, caller.principal.organisation,
                                              subscription_id):
            raise NotFound(f"no subscription {subscription_id}")


def deliveries(runtime: Runtime, caller: Caller, subscription_id: str) -> list[Delivery]:
    """The latest delivery attempts to one of the caller's subscriptions."""
    with runtime.store.reading() as connection:
        mine = {r.id for r in repository.subscriptions_of(connection,
                                                          caller.principal.organisation)}
        if subscription_id not in mine:
            raise NotFound(f"no subscription {subscription_id}")
        rows = repository.deliveries(connection, [subscription_id])
    return [Delivery(r.event_id, r.topic, r.attempt, r.at, r.status_code, r.error, r.delivered)
            for r in rows]


# --- publishing -------------------------------------------------------------------------------

def publish(runtime: Runtime, events: Sequence[Outgoing]) -> None:
    """Queue events for delivery; returns at once."""
    if events:
        dispatcher(runtime).submit(events)


def dispatcher(runtime: Runtime) -> Dispatcher:
    """This instance's dispatcher, started on first use and stopped with the runtime."""
    with _lock:
        if runtime.webhooks is None:
            runtime.webhooks = Dispatcher(runtime, runtime.webhook_transport)
        return runtime.webhooks


_lock = threading.Lock()


def _may_receive(connection: Any, organisation: str, event: Outgoing, moment: datetime) -> bool:
    if organisation in (event.tenant, event.owner, *event.parties):
        return True
    for grant in grants(connection, organisation, READ, moment):
        if grant.tenant == event.tenant and (
                grant.zones is None or not event.zones or set(event.zones) & set(grant.zones)):
            return True
    return False


class Dispatcher:
    """Delivers queued events in a background thread, retrying with ``delays``."""

    def __init__(self, runtime: Runtime, transport: httpx.BaseTransport | None = None,
                 delays: Sequence[float] = DELAYS, timeout: float = TIMEOUT) -> None:
        self.runtime = runtime
        self.delays = tuple(runtime.webhook_delays or delays)
        self.client = httpx.Client(transport=transport, timeout=timeout,
                                   headers={"User-Agent": "vptr-apds-webhooks"})
        self._queue: list[tuple[float, int, Any]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._busy = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="apds-webhooks", daemon=True)
        self._thread.start()

    def submit(self, events: Sequence[Outgoing]) -> None:
        with self._wake:
            for event in events:
                heapq.heappush(self._queue, (time.monotonic(), next(self._order),
                                             ("route", event)))
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and (not self._queue
                                             or self._queue[0][0] > time.monotonic()):
                    wait = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._wake.wait(wait)
                if self._stopped:
                    return
                _, _, job = heapq.heappop(self._queue)
                self._busy += 1
            try:
                if job[0] == "route":
                    self._route(job[1])
                else:
                    self._attempt(*job[1:])
            except Exception:  # a broken store or subscriber must not stop the dispatcher
                log.exception("webhook dispatcher: a job failed")
            finally:
                with self._wake:
                    self._busy -= 1
                    self._wake.notify_all()

    def _route(self, event: Outgoing) -> None:
        """Find the subscriptions that may receive the event and queue one delivery each."""
        moment = now()
        store = self.runtime.store
        with store.reading() as connection:
            rows = repository.subscriptions_with_topic(connection, event.topic)
            chosen = [(r.id, r.endpoint) for r in rows
                      if _may_receive(connection, r.organisation_id, event, moment)]
        with self._wake:
            for subscription_id, endpoint in chosen:
                heapq.heappush(self._queue, (time.monotonic(), next(self._order),
                                             ("attempt", subscription_id, endpoint, event, 1)))
            self._wake.notify()

    def _attempt(self, subscription_id: str, endpoint: str, event: Outgoing, attempt: int
                 ) -> None:
        body = {"id": event.id, "timestamp": format_instant(now()).replace("+00:00", "Z"),
                "type": event.topic, "data": event.body}
        status, error = None, None
        try:
            response = self.client.post(endpoint, content=json.dumps(body),
                                        headers={"Content-Type": "application/json"})
            status = response.status_code
            delivered = 200 <= status < 300
            if not delivered:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            delivered, error = False, f"{exc.__class__.__name__}: {exc}"[:200]
        with self.runtime.store.transaction() as connection:
            repository.log_delivery(connection, subscription_id=subscription_id,
                                    event_id=event.id, topic=event.topic, attempt=attempt,
                                    moment=now(), status_code=status, error=error,
                                    delivered=delivered)
        if delivered:
            return
        if attempt <= len(self.delays):
            due = time.monotonic() + self.delays[attempt - 1]
            with self._wake:
                heapq.heappush(self._queue, (due, next(self._order),
                                             ("attempt", subscription_id, endpoint, event,
                                              attempt + 1)))
                self._wake.notify()
        else:
            log.warning("webhook event %s (%s) to subscription %s dropped after %d attempts",
                        event.id, event.topic, subscription_id, attempt)

    def idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is queued now or running (tests); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._wake:
            while self._busy or (self._queue and self._queue[0][0] <= time.monotonic()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._wake.wait(min(left, 0.05))
        return True

    def pending(self) -> int:
        with self._wake:
            return len(self._queue) + self._busy

    def close(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._thread.join(timeout=2)
        self.client.close()

