"""Assigned rights and sessions: rights held by a plate as a channel with client-assigned ids and
versions sees them (APDS v4 ``/rights/assigned`` and ``/sessions``).

**What a credential becomes.** An assigned right names a right specification (a regime version);
its kind decides what the plate's credential becomes in the register:

- a regime of usage ``permitParking`` -> a **Permit** (of the regime's first allowed permit type)
  for the plate, in the regime's zones: permits are the area manager's, so only the area manager
  (through a channel, APDS scope ``sp`` of an organisation that also is the tenant) issues one;
- a regime of an ``*Access`` usage (low-traffic, pedestrian, low-emission zone) -> a
  **WhitelistEntry** of the plate on the regime's APDS whitelist (``whitelist/apds-{regime}``,
  made on first use), again the area manager's;
- any other regime (paid parking, loading, kiss and ride, ...) -> a **Right** of the plate in the
  regime's zone (its only zone, or the session's place), registered exactly as the native API
  registers one (authorisation ``writeRights``, validation, audit).

**Versions.** A holding has a client-assigned id and a ``version``: a new one is version 1, a
change must carry the next version, and a duplicate id or an outdated version is a
:class:`~vptr.errors.Conflict`. Deletes are logical: the record keeps its id with ``deleted_at``
(listed as deleted references) and the right is revoked (a permit revoked, a whitelist entry
removed).

**Sessions.** Starting a session uses an assigned right: the one its first segment names if that
exists (the ANPR flow: the right was assigned first), else the session creates it (pay on
arrival: a right of the session's plate in the session's place from its start, under the regime
in force there; the segment names its client-assigned id, version 1). The end of a session that
created its right ends that right. A right registered on another channel shows as a session and
an assigned right of its own (id: the right's reference, version 1), under the regime version in
force in its zone at its start when it names none. A later segment naming another assigned right
switches to it at its start: the right before ends then, and the session continues with that
assigned right's right, or a follow-up right it creates (``sourceRight``, :func:`_follow`).

**Payments and cancellations.** An assigned right's payments (their lines and the period each
covers; the amounts add up to the right's ``amountPaid``) and a planned use's cancellation are
kept on its record; a cancellation revokes a right not yet started and ends a started one.

Records hold no plate (vptr.repositories.apds); every plate read or written is audited through the
right, permit or whitelist entry that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from vptr.accounting.audit import AuditAction, of_ids
from vptr.auth.access import managed_tenant, visible_tenants
from vptr.errors import Conflict, Forbidden, Invalid, NotFound
from vptr.paging import Page
from vptr.repositories import apds as records
from vptr.repositories import permits as permit_rows
from vptr.repositories import regimes as regime_rows
from vptr.repositories import rights as right_rows
from vptr.repositories import whitelists as whitelist_rows
from vptr.services import rights, webhooks
from vptr.services.runtime import Caller, Runtime
from vptr.times import format_instant, now, parse_instant, stored_instant

ASSIGNED_RIGHT, SESSION = records.ASSIGNED_RIGHT, records.SESSION
RIGHT, PERMIT, WHITELIST_ENTRY = "right", "permit", "whitelist-entry"
ID = "https://data.parkeerregister.vlaanderen.be/id/"
_ID = re.compile(r"^[A-Za-z0-9._:~-]{1,128}$")
#: The most matches a search considers (then pages through them).
SEARCH_LIMIT = 5000


@dataclass
class Holding:
    """An assigned right or a session and what it stands for in the register."""

    class_name: str
    id: str
    version: int
    kind: str  # right | permit | whitelist-entry
    target: str  # the IRI of the right, permit or whitelist entry
    document: dict[str, Any]  # the target's native document (plates as the caller may see)
    owner: str
    modified: datetime
    extra: dict[str, Any] = field(default_factory=dict)  # kept APDS fields (segments, ...)
    regime: str | None = None  # the regime version (right specification) it falls under
    deleted: datetime | None = None
    #: For a session: the assigned right its first segment uses (id, version).
    assigned: tuple[str, int] | None = None
    whitelist: str | None = None  # of a whitelist entry


@dataclass(frozen=True)
class Event:
    """What changed, for subscribers (APDS webhook topics)."""

    topic: str  # AssignedRightCreated, SessionUpdated, ...
    tenant: str
    holding: Holding
    #: Organisations to tell besides those that may read the right: the provider whose
    #: assigned right an operator's session uses (the ANPR flow pushes the session to it).
    parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    """A new or changed assigned right: its id and version, and the Right-shaped native document
    its fields map to (regime, vehicle, validityPeriod, channel, amountPaid)."""

    id: str
    version: int
    right: dict[str, Any]
    holder: str | None = None  # a customer credential's id: the permit's holderReference
    quote: tuple[str, str] | None = None  # (quoteResponseId, optionId) it books
    #: When the holder cancelled its planned use (plannedUses[0].cancelTime): the right is
    #: revoked when that is before its start, else it ends then.
    cancel: str | None = None
    #: Payments as kept (amount lines, the period each covers; docs/mapping-apds-npr.md).
    payments: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class SessionMessage:
    """A new or changed session: its id and version, the Right-shaped document its fields map to
    (zone, vehicle, validityPeriod), its segments as sent (no credentials) and the assigned right
    its first segment names."""

    id: str
    version: int
    right: dict[str, Any]
    segments: list[dict[str, Any]]
    assigned: tuple[str, int]


@dataclass(frozen=True)
class Search:
    plates: tuple[tuple[str, str], ...] = ()  # (plate, country), normal form
    zones: tuple[str, ...] = ()
    regimes: tuple[str, ...] = ()  # regime IRIs (across versions)
    start_after: datetime | None = None
    start_before: datetime | None = None
    end_after: datetime | None = None
    end_before: datetime | None = None
    modified_since: datetime | None = None


@dataclass
class Found:
    holdings: list[Holding]
    total: int
    deleted: list[Holding]


def _checked_id(value: str, field_name: str) -> str:
    if not _ID.match(value):
        raise Invalid.field(field_name, "1 to 128 letters, digits or . _ : ~ -")
    return value


# --- assigned rights --------------------------------------------------------------------------

def _once(work: Any, what: str) -> Any:
    """Runs a creation; when a concurrent request created the same id first (a unique
    constraint breaks at commit), the loser gets the 409 a duplicate id gets."""
    try:
        return work()
    except IntegrityError as exc:
        raise Conflict(f"{what} was created concurrently", [_field("id", "already in use")]
                       ) from exc


def assign(runtime: Runtime, caller: Caller, assignment: Assignment
           ) -> tuple[Holding, list[Event]]:
    """A new assigned right (version 1): a right, a permit or a whitelist entry."""
    return _once(lambda: _assign(runtime, caller, assignment),
                 f"assigned right {assignment.id}")


def _assign(runtime: Runtime, caller: Caller, assignment: Assignment
            ) -> tuple[Holding, list[Event]]:
    _checked_id(assignment.id, "id")
    if assignment.version != 1:
        raise Invalid.field("version", "a new assigned right is version 1")
    with runtime.store.transaction() as connection:
        if records.record(connection, ASSIGNED_RIGHT, assignment.id, lock=True) is not None:
            raise Conflict(f"assigned right {assignment.id} exists",
                           [_field("id", "already in use")])
        place = None
        if assignment.quote is not None:
            assignment, place = _booking(connection, caller, assignment)
        holding, tenant = _assign_in(connection, runtime, caller, assignment, place=place)
        events = [Event("AssignedRightCreated", tenant, holding)]
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events


def _booking(connection: Connection, caller: Caller, assignment: Assignment
             ) -> tuple[Assignment, str]:
    """An assignment that books a quotation's option: its place, period and price are the
    option's (a right specification or period sent with it must be the option's)."""
    from vptr.services import quotes

    assert assignment.quote is not None
    option = quotes.booked(connection, caller, *assignment.quote)
    right = dict(assignment.right)
    if right.get("regime") not in (None, option.regime):
        raise Invalid.field("rightSpecification", "not the right specification of the option "
                                                  "booked")
    sent = right.get("validityPeriod")
    if sent and not (_same(sent.get("startTime"), option.start)
                     and _same(sent.get("endTime"), option.end)):
        raise Invalid.field("plannedUses", "not the period of the option booked")
    right.update({"regime": option.regime,
                  "validityPeriod": {"startTime": option.start, "endTime": option.end},
                  "amountPaid": right.get("amountPaid") or {
                      "value": str(option.amount), "currency": option.currency}})
    return replace(assignment, right=right), option.zone


def _field(name: str, reason: str) -> Any:
    from vptr.errors import FieldError
    return FieldError(name, reason)


def _regime(connection: Connection, caller: Caller, reference: str | None) -> Row:
    if not reference:
        raise Invalid.field("rightSpecification", "is required")
    regime, _, number = reference.rpartition("/")
    tenants = visible_tenants(connection, caller.principal, now())
    try:
        return regime_rows.get_version(connection, tenants, regime, int(number))
    except (NotFound, ValueError):
        raise Invalid.field("rightSpecification", f"no right specification "
                            f"{regime.rsplit('/', 1)[-1]} version {number} here") from None


def kind_of(regime: Row) -> str:
    """What a credential assigned under ``regime`` becomes (see the module docstring)."""
    if regime.usage == "permitParking":
        return PERMIT
    if regime.usage.endswith("Access"):
        return WHITELIST_ENTRY
    return RIGHT


def _assign_in(connection: Connection, runtime: Runtime, caller: Caller,
               assignment: Assignment, place: str | None) -> tuple[Holding, str]:
    regime = _regime(connection, caller, assignment.right.get("regime"))
    kind = kind_of(regime)
    moment = now()
    if kind == RIGHT:
        target, document = _register_right(connection, runtime, caller, assignment, regime,
                                           place)
        tenant = _right_tenant(connection, target)
    else:
        tenant = _managing(caller, regime, kind)
        if kind == PERMIT:
            target, document = _issue_permit(connection, runtime, caller, assignment, regime)
        else:
            target, document = _whitelist(connection, runtime, caller, assignment, regime)
    if assignment.cancel is not None:
        raise Invalid.field("plannedUses[0].cancelTime", "a new assigned right is not "
                                                          "cancelled: assign it, then update it")
    kept = _kept(assignment, {"regime": regime.id})
    records.insert_record(connection, class_name=ASSIGNED_RIGHT, record_id=assignment.id,
                          version=1, tenant=tenant, owner=caller.principal.organisation,
                          target_kind=kind, target=target, document=kept, moment=moment)
    return Holding(ASSIGNED_RIGHT, assignment.id, 1, kind, target, document,
                   caller.principal.organisation, moment, extra=kept, regime=regime.id), tenant


def _kept(assignment: Assignment, extra: dict[str, Any]) -> dict[str, Any]:
    """What the record keeps of an assignment besides its target: payments, a cancellation."""
    kept = {k: v for k, v in extra.items() if k not in ("payments", "cancelTime")}
    if assignment.payments:
        kept["payments"] = assignment.payments
    if assignment.cancel is not None:
        kept["cancelTime"] = assignment.cancel
    return kept


def _right_tenant(connection: Connection, right: str) -> str:
    row = right_rows.by_id(connection, right)
    assert row is not None
    return row.tenant_id


def _register_right(connection: Connection, runtime: Runtime, caller: Caller,
                    assignment: Assignment, regime: Row, place: str | None
                    ) -> tuple[str, dict[str, Any]]:
    zones = regime.document.get("zones", [])
    if place is not None:
        if place not in zones:
            raise Invalid.field("hierarchyElement", f"the right specification does not apply "
                                                    f"to place {place.rsplit('/', 1)[-1]}")
        zone = place
    elif len(zones) == 1:
        zone = zones[0]
    else:
        raise Invalid.field("rightSpecification", "applies to several places: start a session "
                                                  "with its hierarchyElement instead")
    right = assignment.right
    body = {"rightKind": regime.right_kind, "usage": regime.usage, "zone": zone,
            "regime": regime.id, "channel": right.get("channel", "app"),
            **{k: right[k] for k in ("vehicle", "validityPeriod", "amountPaid", "identifiers")
               if k in right}}
    if "validityPeriod" not in body:
        raise Invalid.field("plannedUses", "a planned use with startTime is required")
    registered = rights.register_in(connection, runtime, caller, body)
    return registered.document["id"], registered.document


def _managing(caller: Caller, regime: Row, kind: str) -> str:
    what = "a permit" if kind == PERMIT else "a whitelist entry"
    if caller.principal.tenant != regime.tenant_id:
        raise Forbidden(f"an assigned right of a {regime.usage} right specification becomes "
                        f"{what}, which only its area manager issues")
    return managed_tenant(caller.principal)


def _holder_reference(assignment: Assignment) -> str:
    holder = assignment.holder or f"apds-{assignment.id}"
    holder = re.sub(r"[^A-Za-z0-9._:-]", "-", holder)
    return (holder + "--------")[:max(8, len(holder))][:128]


def _permit_body(assignment: Assignment, regime: Row) -> dict[str, Any]:
    right = assignment.right
    if "vehicle" not in right:
        raise Invalid.field("rightHolder.credentials", "a licensePlate credential is required")
    allowed = regime.document.get("allowedPermitTypes") or ["other"]
    return {"permitType": allowed[0], "holderReference": _holder_reference(assignment),
            "vehicles": [right["vehicle"]], "zones": regime.document["zones"],
            "validityPeriod": right.get("validityPeriod") or {"startTime": format_instant(now())},
            "permitStatus": "active", "identifiers": right.get("identifiers", [])}


def _issue_permit(connection: Connection, runtime: Runtime, caller: Caller,
                  assignment: Assignment, regime: Row) -> tuple[str, dict[str, Any]]:
    document = permit_rows.create(connection, runtime.store.iris, regime.tenant_id,
                                  _permit_body(assignment, regime))
    runtime.audit_change(connection, caller, of_ids(connection, AuditAction.CREATE, PERMIT,
                                                    [document["id"]]))
    return document["id"], document


def _apds_whitelist(connection: Connection, runtime: Runtime, regime: Row) -> str:
    iri = ID + "whitelist/apds-" + regime.regime_id.rsplit("/", 1)[-1]
    try:
        whitelist_rows.get(connection, regime.tenant_id, iri)
    except NotFound:
        whitelist_rows.create(connection, runtime.store.iris, regime.tenant_id, {
            "id": iri, "name": f"APDS: {regime.name}", "zones": regime.document["zones"],
            "validityPeriod": {"startTime": regime.document["validityPeriod"]["startTime"]},
            "whitelistReason": "other"})
    return iri


def _entry_body(assignment: Assignment) -> dict[str, Any]:
    right = assignment.right
    if "vehicle" not in right:
        raise Invalid.field("rightHolder.credentials", "a licensePlate credential is required")
    body = {"vehicle": right["vehicle"], "description": f"APDS assigned right {assignment.id}"}
    if "validityPeriod" in right:
        body["validityPeriod"] = right["validityPeriod"]
    return body


def _whitelist(connection: Connection, runtime: Runtime, caller: Caller, assignment: Assignment,
               regime: Row) -> tuple[str, dict[str, Any]]:
    whitelist = _apds_whitelist(connection, runtime, regime)
    document = whitelist_rows.add_entries(connection, runtime.store.iris, regime.tenant_id,
                                          whitelist, [_entry_body(assignment)])[0]
    runtime.audit_change(connection, caller, of_ids(connection, AuditAction.CREATE,
                                                    WHITELIST_ENTRY, [document["id"]]))
    return document["id"], document


def change_assignment(runtime: Runtime, caller: Caller, assignment: Assignment
                      ) -> tuple[Holding, list[Event]]:
    """The next version of an assigned right: its end (plannedUses[0].endTime) and amount may
    change; its plate, right specification and start may not."""
    with runtime.store.transaction() as connection:
        row = _current(connection, caller, ASSIGNED_RIGHT, assignment.id, assignment.version)
        holding = _holding(connection, caller, row)
        before, after = holding.document, assignment.right
        for name, path in (("rightSpecification", ("regime",)),
                           ("rightHolder.credentials", ("vehicle", "licencePlate")),
                           ("plannedUses[0].startTime", ("validityPeriod", "startTime"))):
            if _at(after, path) is not None and not _same(_at(before, path), _at(after, path)):
                if name == "rightSpecification" and holding.regime == after.get("regime"):
                    continue
                raise Invalid.field(name, "cannot change; delete the assigned right and "
                                          "assign a new one")
        moment = now()
        cancel = assignment.cancel
        if cancel is not None and row.document.get("cancelTime") is None:
            document = _cancel(connection, runtime, caller, holding, row.tenant_id, cancel)
        elif holding.kind == RIGHT:
            patch: dict[str, Any] = {}
            end = _at(after, ("validityPeriod", "endTime"))
            if end is not None and not _same(end, _at(before, ("validityPeriod", "endTime"))):
                patch["validityPeriod"] = {"endTime": end}
            if after.get("amountPaid") != before.get("amountPaid"):
                patch["amountPaid"] = after.get("amountPaid")
            document = rights.adjust_in(connection, runtime, caller, holding.target, patch) \
                if patch else holding.document
        elif holding.kind == PERMIT:
            regime = _regime(connection, caller, holding.regime)
            body = {**_permit_body(replace(assignment, holder=before.get("holderReference")),
                                   regime), "id": holding.target}
            document = permit_rows.replace(connection, runtime.store.iris, row.tenant_id,
                                           holding.target, body)
            runtime.audit_change(connection, caller, of_ids(
                connection, AuditAction.UPDATE, PERMIT, [holding.target]))
        else:
            assert holding.whitelist is not None
            document = whitelist_rows.replace_entry(
                connection, runtime.store.iris, row.tenant_id, holding.whitelist, holding.target,
                {**_entry_body(assignment), "id": holding.target})
            runtime.audit_change(connection, caller, of_ids(
                connection, AuditAction.UPDATE, WHITELIST_ENTRY, [holding.target]))
        kept = _kept(assignment, dict(row.document))
        if row.document.get("cancelTime") is not None:
            kept["cancelTime"] = row.document["cancelTime"]  # a cancellation stays
        records.update_record(connection, row, version=assignment.version, moment=moment,
                              document=kept)
        holding = replace(holding, version=assignment.version, document=document,
                          modified=moment, extra=kept)
        events = [Event("AssignedRightUpdated", row.tenant_id, holding)]
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events


def _cancel(connection: Connection, runtime: Runtime, caller: Caller, holding: Holding,
            tenant: str, cancel: str) -> dict[str, Any]:
    """The holder cancelled the planned use at ``cancel``: a right not yet started is revoked,
    one started ends then (docs/mapping-apds-npr.md); a permit or whitelist entry ends then."""
    when = parse_instant(cancel, "plannedUses[0].cancelTime")
    start = _at(holding.document, ("validityPeriod", "startTime"))
    if holding.kind != RIGHT:
        raise Invalid.field("plannedUses[0].cancelTime", f"a {holding.kind} is ended by "
                            "plannedUses[0].endTime or deleted, not cancelled")
    if holding.document.get("rightStatus") != "active":
        raise Conflict(f"the right is {holding.document.get('rightStatus')}: only an active "
                       "right can be cancelled")
    if start and when <= parse_instant(start, "startTime"):
        return rights.revoke_in(connection, runtime, caller, holding.target)
    return rights.end_in(connection, runtime, caller, holding.target, when)


def _at(document: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str) and "T" in a and "T" in b:
        try:
            return parse_instant(a, "") == parse_instant(b, "")
        except Invalid:
            return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: a[k] for k in ("plateNumber", "country") if k in a} == \
            {k: b[k] for k in ("plateNumber", "country") if k in b} if "plateNumber" in a \
            else a == b
    return a == b


def unassign(runtime: Runtime, caller: Caller, assignment_id: str
             ) -> tuple[Holding, list[Event]]:
    """Deletes an assigned right logically: revokes the right (a permit is revoked, a whitelist
    entry removed) and keeps the id as deleted."""
    with runtime.store.transaction() as connection:
        row = _current(connection, caller, ASSIGNED_RIGHT, assignment_id, None)
        holding = _holding(connection, caller, row)
        _withdraw(connection, runtime, caller, holding, row.tenant_id)
        moment = now()
        records.update_record(connection, row, version=row.version, moment=moment, deleted=True)
        holding = replace(holding, deleted=moment, modified=moment)
        events = [Event("AssignedRightDeleted", row.tenant_id, holding)]
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events


def _withdraw(connection: Connection, runtime: Runtime, caller: Caller, holding: Holding,
              tenant: str) -> None:
    if holding.kind == RIGHT:
        if holding.document.get("rightStatus") != "revoked":
            rights.revoke_in(connection, runtime, caller, holding.target)
    elif holding.kind == PERMIT:
        managed_tenant(caller.principal)
        body = {**holding.document, "permitStatus": "revoked"}
        permit_rows.replace(connection, runtime.store.iris, tenant, holding.target, body)
        runtime.audit_change(connection, caller, of_ids(connection, AuditAction.UPDATE, PERMIT,
                                                        [holding.target]))
    else:
        managed_tenant(caller.principal)
        gone = of_ids(connection, AuditAction.DELETE, WHITELIST_ENTRY, [holding.target])
        assert holding.whitelist is not None
        whitelist_rows.delete_entry(connection, tenant, holding.whitelist, holding.target)
        runtime.audit_change(connection, caller, gone)


def _current(connection: Connection, caller: Caller, class_name: str, record_id: str,
             next_version: int | None) -> Row:
    """The live record the caller may change; with ``next_version``, it must be the one after
    the stored version (else 409)."""
    row = records.record(connection, class_name, record_id, lock=True)
    what = "assigned right" if class_name == ASSIGNED_RIGHT else "session"
    if row is None or row.deleted_at is not None:
        if row is not None and row.deleted_at is not None and next_version is not None:
            raise Conflict(f"{what} {record_id} was deleted")
        raise NotFound(f"no {what} {record_id}")
    if row.owner_id != caller.principal.organisation and row.tenant_id != caller.principal.tenant:
        _readable(connection, caller, row)
        raise Forbidden(f"only the organisation that sent {what} {record_id}, or the area "
                        "manager, changes it")
    if next_version is not None and next_version != row.version + 1:
        raise Conflict(f"version {next_version} of {what} {record_id} is outdated or not the "
                       f"next one: the current version is {row.version}",
                       [_field("version", f"must be {row.version + 1}")])
    return row


def _readable(connection: Connection, caller: Caller, row: Row) -> None:
    try:
        _target(connection, caller, row.target_kind, row.target)
    except (NotFound, Forbidden):
        what = "assigned right" if row.class_name == ASSIGNED_RIGHT else "session"
        raise NotFound(f"no {what} {row.id}") from None


def _target(connection: Connection, caller: Caller, kind: str, target: str
            ) -> tuple[dict[str, Any], str | None]:
    """The target's document as the caller may read it (404 otherwise), and for a whitelist
    entry its whitelist."""
    if kind == RIGHT:
        return rights.read_in(connection, caller, target), None
    tenant = caller.principal.tenant
    if tenant is None:
        raise NotFound(f"no {kind} {target}")
    if kind == PERMIT:
        row = permit_rows.get(connection, tenant, target)
        return permit_rows.render(connection, row), None
    entry = records.whitelist_entry(connection, tenant, target)
    if entry is None:
        raise NotFound(f"no {kind} {target}")
    return whitelist_rows.render_entry(entry), entry.whitelist_id


def _holding(connection: Connection, caller: Caller, row: Row) -> Holding:
    document, whitelist = _target(connection, caller, row.target_kind, row.target)
    extra = dict(row.document or {})
    holding = Holding(row.class_name, row.id, row.version, row.target_kind, row.target,
                      document, row.owner_id, row.updated_at, extra=extra,
                      regime=extra.get("regime") or document.get("regime"),
                      deleted=row.deleted_at)
    holding.whitelist = whitelist
    if row.class_name == SESSION and extra.get("assigned"):
        holding.assigned = (extra["assigned"][0], extra["assigned"][1])
    if holding.regime is None and holding.kind == RIGHT:
        holding.regime = _regime_of(connection, document)
    return holding


def _regime_of(connection: Connection, document: dict[str, Any]) -> str | None:
    """The right specification of a right that names no regime: the regime version in force in
    its zone at its start (of its usage, else its kind; records.regime_of_right)."""
    start = document.get("validityPeriod", {}).get("startTime")
    if not start or not document.get("zone"):
        return None
    regime = records.regime_of_right(connection, document["zone"],
                                     parse_instant(start, "validityPeriod.startTime"),
                                     document.get("usage"), document.get("rightKind"))
    return regime.id if regime is not None else None


# --- reading ----------------------------------------------------------------------------------

def get(runtime: Runtime, caller: Caller, class_name: str, record_id: str) -> Holding:
    """An assigned right or session the caller may read (404 otherwise), audited. A right
    registered on another channel is found by its reference (version 1)."""
    with runtime.store.reading() as connection:
        row = records.record(connection, class_name, record_id)
        if row is not None and row.deleted_at is None:
            holding = _holding(connection, caller, row)
        else:
            holding = _native(connection, caller, class_name, record_id)
        revealed = of_ids(connection, AuditAction.READ, holding.kind, [holding.target])
    runtime.audit_reads(caller, revealed)
    return holding


def _native(connection: Connection, caller: Caller, class_name: str, record_id: str
            ) -> Holding:
    what = "assigned right" if class_name == ASSIGNED_RIGHT else "session"
    iri = ID + "right/" + record_id
    if not _ID.match(record_id) \
            or records.records_for(connection, ASSIGNED_RIGHT, [iri], live=False) \
            or records.records_for(connection, SESSION, [iri], live=False):
        raise NotFound(f"no {what} {record_id}")
    try:
        document = rights.read_in(connection, caller, iri)
    except NotFound:
        raise NotFound(f"no {what} {record_id}") from None
    if document.get("rightStatus") == "revoked":
        raise NotFound(f"no {what} {record_id}")
    row = right_rows.by_id(connection, iri)
    assert row is not None
    holding = Holding(class_name, record_id, 1, RIGHT, iri, document, row.provider_id,
                      row.updated_at, regime=document.get("regime") or
                      _regime_of(connection, document))
    if holding.regime is None:  # no regime in force in its zone: no right specification
        raise NotFound(f"no {what} {record_id} (right {record_id} falls under no regime, so "
                       "it has no right specification; read it on the native API)")
    if class_name == SESSION:
        holding.assigned = (record_id, 1)
    return holding


def search(runtime: Runtime, caller: Caller, class_name: str, criteria: Search, page: Page
           ) -> Found:
    """The assigned rights (or sessions) of the rights the caller may read that meet the
    criteria: one page, the total, and (with ``modified_since``) those deleted since."""
    found: dict[str, dict[str, Any]] = {}
    for zone in criteria.zones or (None,):
        for plate in criteria.plates or (None,):
            documents, _ = rights.search(runtime, caller, rights.Search(
                plate=plate[0] if plate else None, country=plate[1] if plate else None,
                zone=zone, start=criteria.end_after, end=criteria.start_before),
                Page(1, SEARCH_LIMIT))
            for document in documents:
                found[document["id"]] = document
    with runtime.store.reading() as connection:
        holdings = _holdings(connection, caller, class_name, list(found.values()))
        if caller.principal.tenant and class_name == ASSIGNED_RIGHT:
            holdings += _managed(connection, caller, criteria)
        # A right in a zone where no regime is in force has no right specification, which an
        # AssignedRight requires: it is the native API's alone (the zone regulates nothing).
        holdings = [h for h in holdings if h.regime and _meets(h, criteria)]
        deleted = []
        if criteria.modified_since is not None:
            for row in records.deleted_since(connection, class_name,
                                             visible_tenants(connection, caller.principal,
                                                             now()),
                                             caller.principal.organisation,
                                             criteria.modified_since):
                deleted.append(Holding(row.class_name, row.id, row.version, row.target_kind,
                                       row.target, {}, row.owner_id, row.updated_at,
                                       deleted=row.deleted_at))
    holdings.sort(key=lambda h: (_start(h), h.id))
    return Found(holdings[page.offset:page.offset + page.size], len(holdings), deleted)


def _holdings(connection: Connection, caller: Caller, class_name: str,
              documents: list[dict[str, Any]]) -> list[Holding]:
    """The holdings of rights: their live records, or for a right no channel record names, one
    of its own. A revoked right is a deleted holding: not listed."""
    documents = [d for d in documents if d.get("rightStatus") != "revoked"]
    targets = [d["id"] for d in documents]
    recorded = records.records_for(connection, ASSIGNED_RIGHT, targets, live=False) + \
        records.records_for(connection, SESSION, targets, live=False)
    by_target: dict[str, list[Row]] = {}
    for row in recorded:
        if row.class_name == class_name and row.deleted_at is None:
            by_target.setdefault(row.target, []).append(row)
    has_records = {row.target for row in recorded}
    holdings = []
    for document in documents:
        rows = by_target.get(document["id"], [])
        for row in rows:
            holding = Holding(row.class_name, row.id, row.version, row.target_kind, row.target,
                              document, row.owner_id, row.updated_at, extra=dict(row.document),
                              regime=row.document.get("regime") or document.get("regime"))
            if class_name == SESSION and row.document.get("assigned"):
                holding.assigned = tuple(row.document["assigned"])  # type: ignore[assignment]
            holdings.append(holding)
        if document["id"] not in has_records:
            reference = document["id"].rsplit("/", 1)[-1]
            holding = Holding(class_name, reference, 1, RIGHT, document["id"], document,
                              document.get("provider", ""), now(),
                              regime=document.get("regime"))
            if class_name == SESSION:
                holding.assigned = (reference, 1)
            holdings.append(holding)
    for holding in holdings:
        if holding.regime is None:
            holding.regime = _regime_of(connection, holding.document)
    return holdings


def _managed(connection: Connection, caller: Caller, criteria: Search) -> list[Holding]:
    """The area manager's permits and whitelist entries assigned through the channel."""
    holdings = []
    tenant = caller.principal.tenant
    assert tenant is not None
    for row in records.managed_records(connection, tenant):
        holding = _holding(connection, caller, row)
        plate = _at(holding.document, ("vehicle", "licencePlate")) or \
            _at((holding.document.get("vehicles") or [{}])[0], ("licencePlate",))
        if criteria.plates and (not plate or (plate.get("plateNumber"), plate.get("country"))
                                not in criteria.plates):
            continue
        if criteria.zones and not set(criteria.zones) & set(
                holding.document.get("zones", []) or
                [z for z in (holding.document.get("zone"),) if z]):
            continue
        holdings.append(holding)
    return holdings


def _start(holding: Holding) -> str:
    return _at(holding.document, ("validityPeriod", "startTime")) or ""


def _meets(holding: Holding, criteria: Search) -> bool:
    period = holding.document.get("validityPeriod") or {}
    # stored documents: read as stored, whatever their year (vptr.times.stored_instant)
    start = stored_instant(period["startTime"]) if period.get("startTime") else None
    end = stored_instant(period["endTime"]) if period.get("endTime") else None
    if criteria.start_after and (start is None or start <= criteria.start_after):
        return False
    if criteria.start_before and start is not None and start >= criteria.start_before:
        return False
    if criteria.end_after and end is not None and end <= criteria.end_after:
        return False
    if criteria.end_before and (end is None or end >= criteria.end_before):
        return False
    if criteria.modified_since and holding.modified <= criteria.modified_since:
        return False
    regime = holding.regime.rpartition("/")[0] if holding.regime else None
    return not criteria.regimes or regime in criteria.regimes


# --- sessions ---------------------------------------------------------------------------------

def start_session(runtime: Runtime, caller: Caller, session: SessionMessage
                  ) -> tuple[Holding, list[Event]]:
    """A new session (version 1) using its first segment's assigned right, created with it on
    pay on arrival."""
    return _once(lambda: _start_session(runtime, caller, session), f"session {session.id}")


def _start_session(runtime: Runtime, caller: Caller, session: SessionMessage
                   ) -> tuple[Holding, list[Event]]:
    _checked_id(session.id, "id")
    assigned_id, assigned_version = session.assigned
    _checked_id(assigned_id, "segments[0].assignedRight.id")
    if session.version != 1:
        raise Invalid.field("version", "a new session is version 1")
    if session.right.get("provider") not in (None, caller.principal.organisation):
        raise Invalid.field("initiator", "must be the authenticated caller")
    events: list[Event] = []
    with runtime.store.transaction() as connection:
        if records.record(connection, SESSION, session.id, lock=True) is not None:
            raise Conflict(f"session {session.id} exists", [_field("id", "already in use")])
        existing = records.record(connection, ASSIGNED_RIGHT, assigned_id, lock=True)
        moment = now()
        if existing is not None:
            if existing.deleted_at is not None:
                raise Invalid.field("segments[0].assignedRight", f"assigned right {assigned_id} "
                                                                 "was deleted")
            used = _holding(connection, caller, existing)
            if used.kind != RIGHT:
                raise Invalid.field("segments[0].assignedRight", "a session uses a right, not "
                                                                 f"a {used.kind}")
            _same_plate(used.document, session.right)
            zone = session.right.get("zone")
            if zone is not None and zone != used.document["zone"]:
                raise Invalid.field("hierarchyElement", "not the place of the assigned right")
            target, document, creates = used.target, used.document, False
            tenant = existing.tenant_id
            parties: tuple[str, ...] = (existing.owner_id,)
        else:
            if assigned_version != 1:
                raise Invalid.field("segments[0].assignedRight.version",
                                    "a new assigned right is version 1")
            zone = session.right.get("zone")
            if zone is None:
                raise Invalid.field("hierarchyElement", "is required: the place of a session "
                                                        "that creates its assigned right")
            start = parse_instant(session.right["validityPeriod"]["startTime"], "actualStart")
            regime = records.regime_in_force(connection, zone, start)
            if regime is None and right_rows.zone_of(connection, zone) is None:
                raise Invalid.field("hierarchyElement", f"no place {zone.rsplit('/', 1)[-1]}")
            if regime is None:
                raise Invalid.field("hierarchyElement", f"no right specification for single-use "
                                    f"parking is in force at {zone.rsplit('/', 1)[-1]} at the "
                                    "session's start: assign a right first")
            body = {"rightKind": regime.right_kind, "usage": regime.usage, "zone": zone,
                    "regime": regime.id, "channel": "app",
                    "vehicle": session.right.get("vehicle"),
                    "validityPeriod": session.right["validityPeriod"],
                    "identifiers": [{"identifierScheme": "apdsId", "notation": assigned_id}]}
            registered = rights.register_in(connection, runtime, caller, body)
            target, document, creates = registered.document["id"], registered.document, True
            tenant = _right_tenant(connection, target)
            parties = ()
            records.insert_record(connection, class_name=ASSIGNED_RIGHT, record_id=assigned_id,
                                  version=1, tenant=tenant,
                                  owner=caller.principal.organisation, target_kind=RIGHT,
                                  target=target,
                                  document={"regime": regime.id}, moment=moment)
            assigned = Holding(ASSIGNED_RIGHT, assigned_id, 1, RIGHT, target, document,
                               caller.principal.organisation, moment, regime=regime.id)
            events.append(Event("AssignedRightCreated", tenant, assigned))
        extra = {"segments": session.segments, "assigned": [assigned_id, assigned_version],
                 "creates": creates, "regime": document.get("regime")}
        _follow(connection, runtime, caller, extra, target, document, tenant, events)
        records.insert_record(connection, class_name=SESSION, record_id=session.id, version=1,
                              tenant=tenant, owner=caller.principal.organisation,
                              target_kind=RIGHT, target=target, document=extra, moment=moment)
        holding = Holding(SESSION, session.id, 1, RIGHT, target, document,
                          caller.principal.organisation, moment, extra=extra,
                          regime=document.get("regime"), assigned=(assigned_id, assigned_version))
        events.append(Event("SessionCreated", tenant, holding, parties))
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events


def _follow(connection: Connection, runtime: Runtime, caller: Caller, extra: dict[str, Any],
            first: str, document: dict[str, Any], tenant: str, events: list[Event]) -> None:
    """Segments that switch to another assigned right (docs/mapping-apds-npr.md, "Session,
    Segment -> Right"): at the segment's start the current right ends and the next begins, the
    assigned right the segment names if it exists (the same plate and place), else a follow-up
    right the session creates (``sourceRight`` the one before, under the regime in force then).
    ``extra["followed"]`` keeps, per assigned right followed, its right and whether the session
    created it; a segment already followed is not followed again."""
    segments = extra["segments"]
    followed: dict[str, list[Any]] = dict(extra.get("followed") or {})
    current_id, current = segments[0]["assignedRight"]["id"], first
    zone = document["zone"]
    for i, segment in enumerate(segments[1:], start=1):
        reference = segment["assignedRight"]
        if reference["id"] == current_id:
            continue
        where = f"segments[{i}]"
        if reference["id"] in followed:
            current_id, current = reference["id"], followed[reference["id"]][0]
            continue
        _checked_id(reference["id"], f"{where}.assignedRight.id")
        start = parse_instant(segment["actualStart"], f"{where}.actualStart")
        try:
            rights.end_in(connection, runtime, caller, current, start)
        except (Invalid, Conflict) as exc:
            raise Invalid.field(f"{where}.actualStart", f"cannot end the right of the segment "
                                f"before at this start: {exc.detail}") from None
        existing = records.record(connection, ASSIGNED_RIGHT, reference["id"], lock=True)
        if existing is not None:
            used = _holding(connection, caller, existing)
            if existing.deleted_at is not None or used.kind != RIGHT or \
                    used.document.get("zone") != zone:
                raise Invalid.field(f"{where}.assignedRight", "not a live right at the "
                                                              "session's place")
            _same_plate(used.document, document)
            followed[reference["id"]] = [used.target, False]
        else:
            if reference["version"] != 1:
                raise Invalid.field(f"{where}.assignedRight.version",
                                    "a new assigned right is version 1")
            regime = records.regime_in_force(connection, zone, start)
            if regime is None:
                raise Invalid.field(f"{where}.assignedRight", "no right specification for "
                                    "single-use parking is in force at the place then")
            period = {"startTime": segment["actualStart"]}
            if segment.get("actualEnd"):
                period["endTime"] = segment["actualEnd"]
            registered = rights.register_in(connection, runtime, caller, {
                "rightKind": regime.right_kind, "usage": regime.usage, "zone": zone,
                "regime": regime.id, "channel": "app", "vehicle": document.get("vehicle"),
                "validityPeriod": period, "sourceRight": current,
                "identifiers": [{"identifierScheme": "apdsId", "notation": reference["id"]}]})
            target = registered.document["id"]
            moment = now()
            records.insert_record(connection, class_name=ASSIGNED_RIGHT,
                                  record_id=reference["id"], version=1, tenant=tenant,
                                  owner=caller.principal.organisation, target_kind=RIGHT,
                                  target=target, document={"regime": regime.id}, moment=moment)
            events.append(Event("AssignedRightCreated", tenant, Holding(
                ASSIGNED_RIGHT, reference["id"], 1, RIGHT, target, registered.document,
                caller.principal.organisation, moment, regime=regime.id)))
            followed[reference["id"]] = [target, True]
        current_id, current = reference["id"], followed[reference["id"]][0]
    if followed:
        extra["followed"] = followed
        extra["last"] = current


def _end_last(connection: Connection, runtime: Runtime, caller: Caller, extra: dict[str, Any],
              end: str | None) -> None:
    """A switched session's end ends the right of its last segment, if the session made it."""
    if end is None:
        return
    created = any(target == extra["last"] and made
                  for target, made in extra["followed"].values())
    if not created:
        return
    current = rights.read_in(connection, caller, extra["last"])
    if current.get("rightStatus") == "active" and not _same(
            end, _at(current, ("validityPeriod", "endTime"))):
        rights.end_in(connection, runtime, caller, extra["last"],
                      parse_instant(end, "actualEnd"))


def _same_plate(document: dict[str, Any], right: dict[str, Any]) -> None:
    held = _at(document, ("vehicle", "licencePlate")) or {}
    sent = _at(right, ("vehicle", "licencePlate")) or {}
    if sent and (held.get("plateNumber"), held.get("country")) != \
            (sent.get("plateNumber"), sent.get("country")):
        raise Invalid.field("identifiedCredentials", "not the credential of the assigned right "
                                                     "the session uses")


def change_session(runtime: Runtime, caller: Caller, session: SessionMessage
                   ) -> tuple[Holding, list[Event]]:
    """The next version of a session: its end (which ends the right it created) and segments."""
    with runtime.store.transaction() as connection:
        row = _current(connection, caller, SESSION, session.id, session.version)
        holding = _holding(connection, caller, row)
        _same_plate(holding.document, session.right)
        start = _at(session.right, ("validityPeriod", "startTime"))
        if start and not _same(start, _at(holding.document, ("validityPeriod", "startTime"))):
            raise Invalid.field("actualStart", "cannot change")
        end = _at(session.right, ("validityPeriod", "endTime"))
        extra = {**row.document, "segments": session.segments}
        events: list[Event] = []
        _follow(connection, runtime, caller, extra, holding.target, holding.document,
                row.tenant_id, events)
        if extra.get("followed"):
            _end_last(connection, runtime, caller, extra, end)
        elif row.document.get("creates") and end is not None and \
                not _same(end, _at(holding.document, ("validityPeriod", "endTime"))):
            until = parse_instant(end, "actualEnd")
            current = _at(holding.document, ("validityPeriod", "endTime"))
            if current is None or until < parse_instant(current, "endTime"):
                rights.end_in(connection, runtime, caller, holding.target, until)
            else:
                rights.adjust_in(connection, runtime, caller, holding.target,
                                 {"validityPeriod": {"endTime": end}})
        if (not row.document.get("creates") or extra.get("followed")) and end is not None:
            extra["actualEnd"] = end
        moment = now()
        records.update_record(connection, row, version=session.version, moment=moment,
                              document=extra)
        holding = _holding(connection, caller, records.record(connection, SESSION, session.id))
        events.append(Event("SessionUpdated", row.tenant_id, holding))
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events


def end_session(runtime: Runtime, caller: Caller, session_id: str
                ) -> tuple[Holding, list[Event]]:
    """Deletes a session logically; a right it created is revoked with its assigned right."""
    events = []
    with runtime.store.transaction() as connection:
        row = _current(connection, caller, SESSION, session_id, None)
        holding = _holding(connection, caller, row)
        moment = now()
        if row.document.get("creates"):
            _withdraw(connection, runtime, caller, holding, row.tenant_id)
            assigned = records.record(connection, ASSIGNED_RIGHT, row.document["assigned"][0],
                                      lock=True)
            if assigned is not None and assigned.deleted_at is None:
                records.update_record(connection, assigned, version=assigned.version,
                                      moment=moment, deleted=True)
                events.append(Event("AssignedRightDeleted", row.tenant_id, Holding(
                    ASSIGNED_RIGHT, assigned.id, assigned.version, RIGHT, assigned.target, {},
                    assigned.owner_id, moment, deleted=moment)))
        for assigned_id, (target, created) in (row.document.get("followed") or {}).items():
            followed = records.record(connection, ASSIGNED_RIGHT, assigned_id, lock=True)
            if not created or followed is None or followed.deleted_at is not None:
                continue
            document = rights.read_in(connection, caller, target)
            if document.get("rightStatus") != "revoked":
                rights.revoke_in(connection, runtime, caller, target)
            records.update_record(connection, followed, version=followed.version, moment=moment,
                                  deleted=True)
            events.append(Event("AssignedRightDeleted", row.tenant_id, Holding(
                ASSIGNED_RIGHT, followed.id, followed.version, RIGHT, target, {},
                followed.owner_id, moment, deleted=moment)))
        records.update_record(connection, row, version=row.version, moment=moment, deleted=True)
        holding = replace(holding, deleted=moment, modified=moment)
        events.append(Event("SessionDeleted", row.tenant_id, holding))
        webhooks.announce(connection, runtime, caller, events)
    webhooks.wake(runtime)
    return holding, events
