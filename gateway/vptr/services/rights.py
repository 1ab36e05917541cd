"""Rights: registered by providers (or the area manager), ended early, revoked, adjusted,
searched, reported on.

A right belongs to the tenant of its zone. A provider registers, ends, revokes and adjusts rights
only in zones an authorisation with ``writeRights`` covers (vptr.auth.access); the area manager does
all of it in its own zones. Registering is idempotent: a right re-sent with the same
``clientReference`` (per provider) or ``Idempotency-Key`` (per caller) returns the first one and
stores nothing; the same reference with a different body is a conflict. Every read and change of
a right is audited (it names a plate).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from vptr.accounting.audit import Access, AuditAction, of_ids, of_rows
from vptr.auth import access
from vptr.auth.principal import Principal
from vptr.domain import status_history
from vptr.domain.plates import plate_hash
from vptr.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from vptr.iris import Iris
from vptr.paging import Page
from vptr.repositories import rights as repository
from vptr.repositories.documents import fingerprint, iri_value, normalise, validate
from vptr.repositories.references import exists_in_tenant, organisation_row, regime_document
from vptr.repositories.rights import ACTIVE, ADJUSTABLE, ENDED, REVOKED, STATUSES, Search
from vptr.services import credits
from vptr.services.linked_regimes import refuse_exclusive
from vptr.services.plate_queries import PlateQuery
from vptr.services.runtime import Caller, Runtime
from vptr.store import tables
from vptr.store.check_sources import StoreCheckSources
from vptr.store.plate_keys import tenant_key
from vptr.times import format_instant, now, parse_instant, period

__all__ = ["STATUSES", "Registered", "Search", "adjust", "adjust_in", "end", "end_in", "get",
           "read_in", "register", "register_in", "register_within", "report", "revoke",
           "revoke_in", "search"]

#: The longest Idempotency-Key the register keeps.
MAX_IDEMPOTENCY_KEY = 255


@dataclass(frozen=True)
class Registered:
    document: dict[str, Any]
    created: bool  # False: a re-sent request answered with the first right


def register(runtime: Runtime, caller: Caller, body: Any,
             idempotency_key: str | None = None) -> Registered:
    """Validates and stores a right, with its audit entry, in one transaction. When the same
    request is registered concurrently (a client retrying through another instance), the loser's
    insert breaks a unique constraint: its transaction is rolled back and the request answered
    again, now as a re-send."""
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise Invalid.field("Idempotency-Key", f"1 to {MAX_IDEMPOTENCY_KEY} characters")
    for attempt in (1, 2):
        try:
            with runtime.store.transaction() as connection:
                result, tenant, hashed = _register(connection, runtime.store.iris,
                                                   caller.principal, body, idempotency_key)
                action = AuditAction.CREATE if result.created else AuditAction.READ
                runtime.audit_change(connection, caller, [
                    Access(action, "right", result.document["id"], tenant, hashed)])
                return result
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def register_in(connection: Connection, runtime: Runtime, caller: Caller, body: Any
                ) -> Registered:
    """Registers a right, audited, in the caller's transaction: for a use case that stores more
    with it (an APDS session or assigned right, vptr.services.sessions), so both commit or roll
    back together."""
    result, tenant, hashed = _register(connection, runtime.store.iris, caller.principal, body,
                                       None)
    action = AuditAction.CREATE if result.created else AuditAction.READ
    runtime.audit_change(connection, caller, [
        Access(action, "right", result.document["id"], tenant, hashed)])
    return result


def register_within(connection: Connection, iris: Iris, principal: Principal, body: Any
                    ) -> Registered:
    """Registers a right in the caller's transaction, unaudited: for loaders that build a whole
    register in one transaction (the demo, test worlds), never for a channel."""
    return _register(connection, iris, principal, body, None)[0]


def _register(connection: Connection, iris: Iris, principal: Principal, body: Any,
              idempotency_key: str | None) -> tuple[Registered, str, str]:
    """The right (and its tenant and plate pseudonym, what its audit entry names), stored in the
    caller's transaction. The steps, in the order their refusals take precedence: who registers
    where and under which authorisation; whether this is a re-send of a right already stored
    (then that right); the register's part of the new right and its validation; storing it."""
    document = normalise(body, "Right")
    moment = now()
    placement = _placement(connection, principal, document, moment)
    key = tenant_key(connection, placement.tenant)
    sending = _sending(key, body, document, idempotency_key)
    replay = _replay(connection, principal, placement.provider, sending)
    if replay is not None:
        return replay
    _complete(connection, iris, document, placement, moment)
    start, end_time, regime = _validated(connection, document, placement)
    _, plate, country = repository.plate_of(document)
    hashed = plate_hash(key, country, plate)
    _store(connection, principal, document, placement, sending, hashed, regime, start, end_time,
           moment)
    return Registered(document, True), placement.tenant, hashed


@dataclass(frozen=True)
class _Placement:
    """Where a new right goes and who registers it."""

    provider: str  # the registering provider
    zone_iri: str
    zone: Row
    authorisation: Row | None  # what the provider writes under (none needed in its own zone)

    @property
    def tenant(self) -> str:
        return str(self.zone.tenant_id)


@dataclass(frozen=True)
class _Sending:
    """What makes a re-send recognisable: the body's fingerprint under the tenant's key, the
    provider's ``clientReference`` and the request's Idempotency-Key."""

    request_hash: str
    client_reference: str | None
    idempotency_key: str | None


def _placement(connection: Connection, principal: Principal, document: dict[str, Any],
               moment: datetime) -> _Placement:
    """Who registers the right (written into the document as its provider), in which zone and
    tenant, under which authorisation; refused when the caller may not register it there."""
    provider = _registering_provider(principal, iri_value(document, "provider"))
    document["provider"] = provider
    zone_iri = iri_value(document, "zone")
    if zone_iri is None:
        raise Invalid.field("zone", "is required")
    zone = repository.zone_of(connection, zone_iri)
    if zone is None:
        raise _unknown_zone(zone_iri)
    authorisation = _authorisation(connection, principal, provider, zone.tenant_id, zone_iri,
                                   moment, iri_value(document, "authorisation"))
    return _Placement(provider, zone_iri, zone, authorisation)


def _sending(key: bytes, body: Any, document: dict[str, Any], idempotency_key: str | None
             ) -> _Sending:
    client_reference = document.get("clientReference")
    return _Sending(fingerprint(key, body),
                    client_reference if isinstance(client_reference, str) else None,
                    idempotency_key)


def _complete(connection: Connection, iris: Iris, document: dict[str, Any],
              placement: _Placement, moment: datetime) -> None:
    """The register's part of a new right: its IRI (a client-chosen one must be the register's
    and free), its active status and status history, when it was created, and the authorisation
    it is registered under."""
    if "id" in document:
        iris.check_own("right", document["id"])
        if repository.exists(connection, document["id"]):
            raise Conflict.taken(document["id"])
    else:
        document["id"] = iris.mint("right")
    if document.get("rightStatus", ACTIVE) != ACTIVE:
        raise Invalid.field("rightStatus", "a new right is active; end or revoke it afterwards")
    document["rightStatus"] = ACTIVE
    document["created"] = format_instant(moment)
    status_history.begin(document, status_history.RIGHT, moment)
    if placement.authorisation is not None:
        document["authorisation"] = placement.authorisation.id


def _validated(connection: Connection, document: dict[str, Any], placement: _Placement
               ) -> tuple[datetime, datetime | None, str | None]:
    """The new right checked: by the application profile, together with what it refers to (its
    zone, its authorisation, the version of its regime in force at its start), and by the
    register for what the profile cannot see (the stored rights, permits and whitelist entries
    it names; without a regime, a kind one of its zone's regimes governs). Its period and its
    regime (None without one)."""
    start, end_time = period(document, required=True)
    authorisation = placement.authorisation
    supporting = [placement.zone.document,
                  authorisation.document if authorisation is not None else None]
    regime = iri_value(document, "regime")
    if regime:
        version = regime_document(connection, placement.tenant, regime, "regime", start)
        # A right may name the regime across its versions: the version in force at its start
        # stands for it, under the IRI the right names, so the profile's rules across entities
        # (within its regime's zones and maximum duration) see it.
        supporting.append({**version, "id": regime})
    for field, table, what in (("sourcePermit", tables.permits, "permit"),
                               ("sourceWhitelistEntry", tables.whitelist_entries,
                                "whitelist entry"),
                               ("sourceRight", tables.rights, "right")):
        value = iri_value(document, field)
        if value:
            exists_in_tenant(connection, table, placement.tenant, value, field, what)
    validate(document, [d for d in supporting if d is not None])
    if not regime:
        _fits_the_zones_regimes(connection, document, placement.zone_iri, start)
    assert start is not None
    return start, end_time, regime


def _store(connection: Connection, principal: Principal, document: dict[str, Any],
           placement: _Placement, sending: _Sending, hashed: str, regime: str | None,
           start: datetime, end_time: datetime | None, moment: datetime) -> None:
    """Stores the validated right, unless its regime excludes another right of the plate at the
    time; with the credit it takes (a permit's quota) and its Idempotency-Key."""
    tenant = placement.tenant
    refuse_exclusive(connection, tenant, placement.zone_iri, regime, hashed, start, end_time)
    taking = credits.take(connection, tenant, document, hashed, start, end_time)
    repository.insert(connection, document, tenant=tenant, provider=placement.provider,
                      plate_hash=hashed, request_hash=sending.request_hash,
                      client_reference=sending.client_reference, moment=moment, start=start,
                      end=end_time)
    if taking is not None:
        credits.record(connection, taking, document["id"], tenant, hashed, moment)
    if sending.idempotency_key:
        repository.insert_idempotency_key(connection, principal.organisation,
                                          sending.idempotency_key, sending.request_hash,
                                          document["id"], moment)


def _fits_the_zones_regimes(connection: Connection, document: dict[str, Any], zone: str,
                            start: datetime) -> None:
    """A right that names no regime is of a kind (and usage) one of the regimes in force in its
    zone at its start governs: the payload cannot show this (the zone's regimes are stored data),
    so the register checks it. A zone without a regime in force takes any right.

    The regimes come from the catalogue the check reads (one indexed read when nothing changed),
    not from a query of their own: that query, its statement built and its documents parsed on
    every registration, was a quarter of a registration's CPU (bench/README.md, "Issue 19
    closed")."""
    regimes = StoreCheckSources(connection).regimes_in_force([zone], start)
    if not regimes:
        return
    kind, usage = document.get("rightKind"), document.get("usage")
    fitting = [r for r in regimes if _code(r.rightKind) == kind]
    if not fitting:
        kinds = sorted({_code(r.rightKind) for r in regimes})
        raise Invalid.field("rightKind", f"the regimes in force in {zone} at the right's start "
                                         f"govern {' and '.join(kinds)}, not {kind}")
    if usage is not None and not any(_code(r.usage) == usage for r in fitting):
        usages = sorted({_code(r.usage) for r in fitting})
        raise Invalid.field("usage", f"the regimes in force in {zone} at the right's start "
                                     f"govern {', '.join(usages)}, not {usage}")


def _code(value: Any) -> str:
    """A code-list value of the model as the JSON payload spells it."""
    return str(getattr(value, "value", value))


def _registering_provider(principal: Principal, named: str | None) -> str:
    """The provider a new right is registered for: the calling provider itself, or for an area
    manager the provider it names (itself when it names none)."""
    if principal.is_provider and not principal.is_area_manager:
        provider = named or principal.organisation
        if provider != principal.organisation:
            raise Invalid.field("provider", f"must be {principal.organisation}, the "
                                            "authenticated provider")
        return provider
    if principal.is_area_manager:
        return named or principal.organisation
    raise Forbidden("only providers and area managers register rights")


def _unknown_zone(zone: str) -> Invalid:
    """One answer for a zone that does not exist and another tenant's the caller may not see."""
    return Invalid.field("zone", f"no zone {zone} in the register")


def _authorisation(connection: Connection, principal: Principal, provider: str, tenant: str,
                   zone: str, moment: datetime, given: str | None) -> Row | None:
    """The authorisation under which ``provider`` writes in ``zone`` (the one named, if any):
    required of a provider in another tenant's zone, optional for the area manager's own."""
    authorisation = None
    if principal.tenant == tenant:
        if provider != tenant:
            organisation_row(connection, provider, "provider", "provider")
        if given is not None:
            authorisation = access.write_authorisation(connection, provider, tenant, zone,
                                                       moment, given)
    elif principal.is_provider and provider == principal.organisation:
        authorisation = access.write_authorisation(connection, provider, tenant, zone, moment,
                                                   given)
        if authorisation is None and (given is None or access.write_authorisation(
                connection, provider, tenant, zone, moment) is None):
            if tenant not in access.visible_tenants(connection, principal, moment):
                raise _unknown_zone(zone)  # a tenant that never authorised it: as if absent
            raise Forbidden(f"{provider} has no authorisation with writeRights for zone {zone}")
    else:
        raise _unknown_zone(zone)
    if given is not None and authorisation is None:
        raise Invalid.field("authorisation", f"{given} does not let {provider} write rights in "
                                             f"{zone} now")
    return authorisation


def _replay(connection: Connection, principal: Principal, provider: str, sending: _Sending
            ) -> tuple[Registered, str, str] | None:
    """The first right, if this request was sent before; a conflict if the key was used for
    another request."""
    request_hash, idempotency_key = sending.request_hash, sending.idempotency_key
    client_reference = sending.client_reference
    if idempotency_key:
        row = repository.by_idempotency_key(connection, principal.organisation, idempotency_key)
        if row is not None:
            if row.request_hash != request_hash:
                raise Conflict("the Idempotency-Key was used for a different request",
                               [FieldError("Idempotency-Key", "used before with another body")])
            first = repository.by_id(connection, row.resource_id)
            assert first is not None  # the key's right is deleted with it
            return Registered(repository.render(first), False), first.tenant_id, first.plate_hash
    if client_reference:
        row = repository.by_client_reference(connection, provider, client_reference)
        if row is not None:
            if row.request_hash != request_hash:
                raise Conflict(
                    f"clientReference: {provider} already registered another right as "
                    f"{client_reference!r} ({row.id})",
                    [FieldError("clientReference", "used before for a different right")])
            return Registered(repository.render(row), False), row.tenant_id, row.plate_hash
    return None


# --- reading ----------------------------------------------------------------------------------

def get(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    """A right the caller may read (404 for one it may not know exists), audited."""
    with runtime.store.reading() as connection:
        row = repository.get(connection, caller.principal, iri)
    runtime.audit_reads(caller, of_rows(AuditAction.READ, "right", [row]))
    return repository.render(row)


def search(runtime: Runtime, caller: Caller, criteria: Search, page: Page
           ) -> tuple[list[dict[str, Any]], int]:
    """The rights the caller may read that meet the criteria, one page, and how many in all; the
    plate and country as typed (``1.abc.123``, ``be``): they are put in normal form here."""
    query = PlateQuery.given(criteria.plate, criteria.country)
    if query is not None:
        criteria = replace(criteria, plate=query.plate, country=query.country)
    if criteria.status is not None and criteria.status not in STATUSES:
        raise Invalid.field("status", f"one of {', '.join(STATUSES)}")
    if criteria.start and criteria.end and criteria.end <= criteria.start:
        raise Invalid.field("to", "must be after from")
    with runtime.store.reading() as connection:
        rows, total = repository.search(connection, caller.principal, criteria, page)
    runtime.audit_reads(caller, of_rows(
        AuditAction.SEARCH if criteria.plate else AuditAction.LIST, "right", rows))
    return [repository.render(r) for r in rows], total


def report(runtime: Runtime, caller: Caller, start: datetime, until: datetime
           ) -> list[dict[str, Any]]:
    """Per provider, the rights that started in [start, end) in the caller's zones: registered,
    revoked, and the amounts paid for those not revoked, per currency (F4.2)."""
    tenant = access.managed_tenant(caller.principal)
    if until <= start:
        raise Invalid.field("to", "must be after from")
    caller.serve(tenant)
    with runtime.store.reading() as connection:
        return repository.provider_report(connection, tenant, start, until)


# --- changing ---------------------------------------------------------------------------------

def end(runtime: Runtime, caller: Caller, iri: str, end_time: datetime | None,
        amount_paid: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ends an active right early: at ``end_time``, or now; with ``amount_paid`` (a
    MonetaryAmount) also what was paid for the time it ran, in the same change."""
    return _change(runtime, caller, iri, _ending(end_time, amount_paid))


def end_in(connection: Connection, runtime: Runtime, caller: Caller, iri: str,
           end_time: datetime | None) -> dict[str, Any]:
    """:func:`end` in the caller's transaction."""
    return _change_in(connection, runtime, caller, iri, _ending(end_time))


def _ending(end_time: datetime | None, amount_paid: dict[str, Any] | None = None) -> Any:
    def change(connection: Connection, row: Row) -> dict[str, Any]:
        if row.status != ACTIVE:
            raise Conflict(f"the right is {row.status}; only an active right can be ended")
        until = end_time or now()
        if until <= row.start_time:
            raise Invalid.field("endTime", f"not after the right's start "
                                           f"({format_instant(row.start_time)}); revoke it "
                                           "instead")
        if row.end_time is not None and until > row.end_time:
            if end_time is not None:
                raise Invalid.field("endTime", f"after the right's end "
                                               f"({format_instant(row.end_time)}); PATCH the "
                                               "right to extend it")
            raise Conflict(f"the right already ended at {format_instant(row.end_time)}")
        document = row.document
        document["validityPeriod"] = {**document["validityPeriod"],
                                      "endTime": format_instant(until)}
        status_history.change(document, status_history.RIGHT, ENDED, now())
        credits.resize(connection, row.id, row.tenant_id, row.start_time, until, now(), document)
        values: dict[str, Any] = {}
        if amount_paid is not None:
            document["amountPaid"] = amount_paid
            document = normalise(document, "Right")
            zone = repository.zone_of(connection, row.zone_id)
            assert zone is not None  # a zone with rights cannot be deleted
            validate(repository.with_plate(document, row.plate, row.plate_hash), [zone.document])
            values["amount_minor"], values["currency"] = repository.amount_columns(document)
        repository.save(connection, row, document, end_time=until, status=ENDED, **values)
        return repository.with_plate(document, row.plate, row.plate_hash)

    return change


def revoke(runtime: Runtime, caller: Caller, iri: str) -> dict[str, Any]:
    """Withdraws a right: it grants nothing, not even for the time before."""
    return _change(runtime, caller, iri, _revoking)


def revoke_in(connection: Connection, runtime: Runtime, caller: Caller, iri: str
              ) -> dict[str, Any]:
    """:func:`revoke` in the caller's transaction."""
    return _change_in(connection, runtime, caller, iri, _revoking)


def _revoking_change() -> Any:
    def change(connection: Connection, row: Row) -> dict[str, Any]:
        if row.status == REVOKED:
            raise Conflict("the right is already revoked")
        document = row.document
        status_history.change(document, status_history.RIGHT, REVOKED, now())
        repository.save(connection, row, document, status=REVOKED)
        credits.give_back(connection, row.id, row.tenant_id, now())
        return repository.with_plate(document, row.plate, row.plate_hash)

    return change


_revoking = _revoking_change()


def adjust(runtime: Runtime, caller: Caller, iri: str, patch: Any) -> dict[str, Any]:
    """A merge patch of the end time (of an active right) and the amount paid (null removes
    it); the adjusted right is validated again."""
    return _change(runtime, caller, iri, _adjusting(patch))


def adjust_in(connection: Connection, runtime: Runtime, caller: Caller, iri: str, patch: Any
              ) -> dict[str, Any]:
    """:func:`adjust` in the caller's transaction."""
    return _change_in(connection, runtime, caller, iri, _adjusting(patch))


def _adjusting(patch: Any) -> Any:
    if not isinstance(patch, dict) or not patch:
        raise Invalid.field(None, "send a JSON object with validityPeriod.endTime and/or "
                                  "amountPaid")
    for key in patch:
        if key not in ADJUSTABLE:
            raise Invalid.field(key, "cannot be adjusted; PATCH changes validityPeriod.endTime "
                                     "and amountPaid")

    def change(connection: Connection, row: Row) -> dict[str, Any]:
        if row.status == REVOKED:
            raise Conflict("a revoked right cannot be adjusted")
        document = repository.with_plate(row.document, row.plate, row.plate_hash)
        values: dict[str, Any] = {}
        if "validityPeriod" in patch:
            moved = patch["validityPeriod"]
            if not isinstance(moved, dict) or set(moved) != {"endTime"}:
                raise Invalid.field("validityPeriod", "only endTime can be adjusted")
            if row.status != ACTIVE:
                raise Conflict(f"the right is {row.status}; only an active right's end can move")
            new_end = parse_instant(moved["endTime"], "validityPeriod.endTime")
            if new_end <= row.start_time:
                raise Invalid.field("validityPeriod.endTime", "must be after the right's start")
            document["validityPeriod"] = {**document["validityPeriod"],
                                          "endTime": moved["endTime"]}
            values["end_time"] = new_end
            credits.resize(connection, row.id, row.tenant_id, row.start_time, new_end, now(),
                           document)
        if "amountPaid" in patch:
            if patch["amountPaid"] is None:
                document.pop("amountPaid", None)
            else:
                document["amountPaid"] = patch["amountPaid"]
        document = normalise(document, "Right")
        zone = repository.zone_of(connection, row.zone_id)
        assert zone is not None  # a zone with rights cannot be deleted
        validate(document, [zone.document])
        if "amountPaid" in patch:
            values["amount_minor"], values["currency"] = repository.amount_columns(document)
        repository.save(connection, row, document, **values)
        return document

    return change


def _change(runtime: Runtime, caller: Caller, iri: str, change: Any) -> dict[str, Any]:
    """A change of one right the caller may change, and its audit entry, in one transaction."""
    with runtime.store.transaction() as connection:
        return _change_in(connection, runtime, caller, iri, change)


def _change_in(connection: Connection, runtime: Runtime, caller: Caller, iri: str, change: Any
               ) -> dict[str, Any]:
    row = _for_change(connection, caller.principal, iri)
    document = change(connection, row)
    runtime.audit_change(connection, caller, of_ids(
        connection, AuditAction.UPDATE, "right", [document["id"]]))
    return document


def read_in(connection: Connection, caller: Caller, iri: str) -> dict[str, Any]:
    """A right the caller may read, in the caller's transaction (unaudited: the use case that
    reads it audits what it reveals)."""
    return repository.render(repository.get(connection, caller.principal, iri))


def _for_change(connection: Connection, principal: Principal, iri: str) -> Row:
    """The right, locked, if the caller may change it: the tenant's area manager, or the provider
    that registered it while it is still authorised to write there. A right the caller may not
    even read is not found."""
    row = repository.locked(connection, iri)
    if row is None:
        raise NotFound(f"no right {iri}")
    if principal.tenant == row.tenant_id:
        return row
    if principal.is_provider and row.provider_id == principal.organisation:
        if access.write_grant(connection, principal.organisation, row.tenant_id, row.zone_id,
                              now()) is None:
            raise Forbidden(f"{principal.organisation} has no authorisation with writeRights for "
                            f"zone {row.zone_id}")
        return row
    if not repository.visible(connection, principal, iri):
        raise NotFound(f"no right {iri}")
    raise Forbidden("only the provider that registered a right, or the area manager, changes it")
