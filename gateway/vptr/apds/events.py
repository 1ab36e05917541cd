"""Events of the use cases as APDS webhook bodies (apds4.yaml ``/webhooks``: the entity as a GET
answers it, a DeletedReference for the *Deleted topics). The channel installs :func:`outgoing` as
the runtime's webhook renderer; the use cases call it in their transaction and queue what it
renders (vptr.services.webhooks.announce)."""

from __future__ import annotations

from typing import Any

from vptr.apds import translate
from vptr.services import webhooks
from vptr.services.holdings import ASSIGNED_RIGHT, Event
from vptr.services.runtime import Caller, Runtime


def body(event: Event) -> dict:
    holding = event.holding
    if event.topic.endswith("Deleted"):
        return translate.deleted_reference(holding)
    if holding.class_name == ASSIGNED_RIGHT:
        return translate.assigned_right(holding)
    return translate.session(holding)


def _plate(message: dict[str, Any]) -> str | None:
    """The plate a body names (its licensePlate credential), kept apart while queued."""
    credentials = message.get("identifiedCredentials") or \
        (message.get("rightHolder") or {}).get("credentials") or []
    return next((c["identifier"]["id"] for c in credentials
                 if c.get("type") == "licensePlate" and isinstance(c.get("identifier"), dict)),
                None)


def outgoing(caller: Caller, event: Event) -> webhooks.Outgoing:
    document = event.holding.document
    zones = tuple(document.get("zones") or ([document["zone"]] if document.get("zone")
                                             else []))
    message = body(event)
    return webhooks.Outgoing(event.topic, event.tenant, zones, caller.principal.organisation,
                             message, parties=event.parties, plate=_plate(message))


def install(runtime: Runtime) -> None:
    """Events rendered by this channel; the dispatcher started with the server."""
    runtime.webhook_renderer = outgoing
    runtime.starters.append(lambda: webhooks.dispatcher(runtime))
