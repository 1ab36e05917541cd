"""Events of the use cases as APDS webhook bodies (apds4.yaml ``/webhooks``: the entity as a GET
answers it, a DeletedReference for the *Deleted topics), handed to the webhook service, which
delivers them in the background."""

from __future__ import annotations

from collections.abc import Sequence

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


def publish(runtime: Runtime, caller: Caller, events: Sequence[Event]) -> None:
    outgoing = []
    for event in events:
        document = event.holding.document
        zones = tuple(document.get("zones") or ([document["zone"]] if document.get("zone")
                                                 else []))
        outgoing.append(webhooks.Outgoing(event.topic, event.tenant, zones,
                                          caller.principal.organisation, body(event),
                                          parties=event.parties))
    webhooks.publish(runtime, outgoing)
