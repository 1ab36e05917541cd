"""Webhook subscriptions and the delivery of events to them (APDS v4 ``/webhooks``: topics
AssignedRightCreated/Updated/Deleted, SessionCreated/Updated/Deleted, SystemEvents).

An organisation subscribes an endpoint to topics. When a use case changes something subscribers
hear of (vptr.services.holdings.Event), it calls :func:`announce` inside its own transaction: the
channel's renderer (``Runtime.webhook_renderer``, installed by the APDS channel) turns the event
into its body, and one queued delivery is written per subscription that may receive it (the
organisations that may read the right: its tenant's area manager, the organisation that sent it,
and those with a ``readRights`` authorisation covering its zone, exactly the native API's read
rule). The queue is a table (``apds_outbox``), so a change and its deliveries commit together:
nothing the register acknowledged is lost when an instance stops before delivering it.

A background :class:`Dispatcher` per instance claims due deliveries with a lease (no two instances
make the same attempt; a lease an instance left behind expires and another takes the row over),
POSTs each with httpx and retries a failed attempt with growing delays (``DELAYS``). Every attempt
is logged (subscription, event id, topic, attempt, status or error), never the body, which names
a plate; the queued row keeps the plate in a column of its own (the body holds a placeholder) and
is deleted once delivered or given up. The request that caused an event never waits for a
delivery.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
#: How often a dispatcher looks for deliveries other instances queued (its own wake it at once).
POLL_SECONDS = 1.0
#: How long a claimed delivery is an instance's alone: well beyond an attempt's ``TIMEOUT``.
LEASE_SECONDS = 60.0
#: Deliveries one claim takes.
BATCH = 20
#: Stands for the plate in a queued body (no id, plate or code of the register contains ``@``).
PLATE_PLACEHOLDER = "@plate@"


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
    plate: str | None = None  # the plate the body names, kept apart while queued


#: The channel's rendering of a use case's event (vptr.apds.events.outgoing).
Renderer = Callable[[Caller, Any], Outgoing]


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


# --- queueing, in the change's transaction ------------------------------------------------------

def announce(connection: Any, runtime: Runtime, caller: Caller, events: Sequence[Any]) -> int:
    """Queue one delivery per event and subscription that may receive it, in the transaction of
    the change that caused the events (they commit or roll back together); how many."""
    render: Renderer | None = runtime.webhook_renderer
    if render is None or not events:
        return 0
    moment = now()
    queued = 0
    for event in events:
        outgoing = render(caller, event)
        for row in repository.subscriptions_with_topic(connection, outgoing.topic):
            if not _may_receive(connection, row.organisation_id, outgoing, moment):
                continue
            body, plate = _sealed(outgoing.body, outgoing.plate)
            repository.queue_delivery(
                connection, delivery_id=_delivery_id(), subscription_id=row.id,
                event_id=outgoing.id, topic=outgoing.topic, tenant=outgoing.tenant,
                endpoint=row.endpoint, body=body, plate=plate, moment=moment)
            queued += 1
    return queued


_sequence = itertools.count()


def _delivery_id() -> str:
    """Sorts in the order deliveries were queued (claims take the oldest first, so a
    subscriber hears of a session's start before its end), unique across instances."""
    return f"{time.time_ns():020d}-{next(_sequence) % 1_000_000:06d}-{uuid.uuid4().hex[:16]}"


def wake(runtime: Runtime) -> None:
    """Tell this instance's dispatcher that deliveries were queued (after their commit)."""
    if runtime.webhook_renderer is not None:
        dispatcher(runtime).wake()


def _sealed(body: dict[str, Any], plate: str | None) -> tuple[dict[str, Any], str | None]:
    """The body with the plate replaced by the placeholder, and the plate."""
    if not plate:
        return body, None
    text = json.dumps(body).replace(json.dumps(plate), json.dumps(PLATE_PLACEHOLDER))
    return json.loads(text), plate


def _unsealed(body: dict[str, Any], plate: str | None) -> dict[str, Any]:
    if not plate:
        return body
    return json.loads(json.dumps(body).replace(json.dumps(PLATE_PLACEHOLDER), json.dumps(plate)))


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


# --- delivering -----------------------------------------------------------------------------------

class Dispatcher:
    """Delivers the queued deliveries of the store in a background thread: claims the due ones
    with a lease, POSTs them, retries with ``delays``; woken by this instance's changes and
    polling every ``poll`` seconds for the others'."""

    def __init__(self, runtime: Runtime, transport: httpx.BaseTransport | None = None,
                 delays: Sequence[float] | None = None, timeout: float = TIMEOUT,
                 poll: float | None = None, lease: float = LEASE_SECONDS,
                 background: bool = True) -> None:
        """``background`` False: no thread; :meth:`run_once` is called by hand (tests)."""
        self.runtime = runtime
        self.owner = uuid.uuid4().hex
        self.delays = tuple(delays if delays is not None else runtime.webhook_delays or DELAYS)
        self.poll = poll if poll is not None else (runtime.webhook_poll or POLL_SECONDS)
        self.lease = timedelta(seconds=lease)
        self.client = httpx.Client(transport=transport, timeout=timeout,
                                   headers={"User-Agent": "vptr-apds-webhooks"})
        self._wake = threading.Condition()
        self._woken = False
        self._busy = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="apds-webhooks", daemon=True)
        if background:
            self._thread.start()

    def wake(self) -> None:
        with self._wake:
            self._woken = True
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                if self._stopped:
                    return
                self._busy += 1
            worked = 0
            try:
                worked = self.run_once()
            except Exception:  # a broken store or subscriber must not stop the dispatcher
                log.exception("webhook dispatcher: a round failed")
            finally:
                with self._wake:
                    self._busy -= 1
                    self._wake.notify_all()
            if worked:
                continue
            wait = self._wait_seconds()
            with self._wake:
                if not self._woken and not self._stopped:
                    self._wake.wait(wait)
                self._woken = False

    def _wait_seconds(self) -> float:
        try:
            with self.runtime.store.reading() as connection:
                due = repository.next_due(connection)
        except Exception:
            return self.poll
        if due is None:
            return self.poll
        return max(0.02, min(self.poll, (due - now()).total_seconds()))

    def run_once(self) -> int:
        """Claim the due deliveries nobody holds and make them; how many were claimed."""
        store = self.runtime.store
        moment = now()
        with store.reading() as connection:
            if not repository.claimable(connection, moment):
                return 0  # no write transaction (SQLite's write lock) for nothing
        with store.transaction() as connection:
            claimed = repository.claim_deliveries(connection, self.owner, moment,
                                                  moment + self.lease, BATCH)
        for row in claimed:
            self._attempt(row)
        return len(claimed)

    def _attempt(self, row: Any) -> None:
        body = {"id": row.event_id, "timestamp": format_instant(now()).replace("+00:00", "Z"),
                "type": row.topic, "data": _unsealed(row.body, row.plate)}
        status, error = None, None
        try:
            response = self.client.post(row.endpoint, content=json.dumps(body),
                                        headers={"Content-Type": "application/json"})
            status = response.status_code
            delivered = 200 <= status < 300
            if not delivered:
                error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            delivered, error = False, f"{exc.__class__.__name__}: {exc}"[:200]
        moment = now()
        with self.runtime.store.transaction() as connection:
            repository.log_delivery(connection, subscription_id=row.subscription_id,
                                    event_id=row.event_id, topic=row.topic,
                                    attempt=row.attempt, moment=moment, status_code=status,
                                    error=error, delivered=delivered)
            if delivered or row.attempt > len(self.delays):
                repository.finish_delivery(connection, row.id, self.owner)
            else:
                due = moment + timedelta(seconds=self.delays[row.attempt - 1])
                repository.retry_delivery(connection, row.id, self.owner, row.attempt + 1, due)
        if not delivered and row.attempt > len(self.delays):
            log.warning("webhook event %s (%s) to subscription %s dropped after %d attempts",
                        row.event_id, row.topic, row.subscription_id, row.attempt)

    def idle(self, timeout: float = 5.0) -> bool:
        """Wait until no delivery is due now and none is being made (tests); False on
        timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._wake:
                busy = self._busy
            if not busy:
                with self.runtime.store.reading() as connection:
                    if not repository.queued(connection, due_by=now()):
                        with self._wake:
                            if not self._busy:
                                return True
            self.wake()
            time.sleep(0.02)
        return False

    def pending(self) -> int:
        """Deliveries still queued, and rounds running."""
        with self.runtime.store.reading() as connection:
            queued = repository.queued(connection)
        with self._wake:
            return queued + self._busy

    def close(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=(self.client.timeout.read or TIMEOUT) + 2)
        self.client.close()
