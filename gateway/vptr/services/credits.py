"""Permit credits (F2.5): "if a municipality gives its residents a (yearly) parking or access
credit, counters must keep the remaining credit (for example 12 free hours) per plate".

- **Where it is used.** A right registered with a ``sourcePermit`` whose permit carries a
  ``credit`` takes its duration, in started minutes, from that credit, in the registering
  transaction with the permit row locked: two registrations at once (through two instances) never
  both take the last minutes. The right must have an end, lie within the credit's period, and be
  for one of the permit's plates; a right the rest of the credit cannot cover is refused (409,
  naming ``sourcePermit``) and nothing is stored. The right says what it took
  (``creditMinutesUsed``); the permit's ``credit.minutesUsed`` is the running total.
- **Given back.** Revoking such a right gives its minutes back (a revoked right grants nothing).
  Ending it early, or moving its end, makes it take the started minutes of its new duration: a
  shorter right gives the rest back, a longer one takes more, refused (409 naming
  ``validityPeriod.endTime``) when the credit cannot cover it.
- **What the check answers.** A right on a credit is a right: its grant says reason
  ``permitCredit``.
- **The report.** Per permit with a credit: available, used, left, and per plate (by pseudonym,
  never the plate) the minutes and rights it took (:func:`report`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row

from vptr.auth.access import managed_tenant
from vptr.domain.plates import pseudonym
from vptr.errors import Conflict, FieldError, Invalid
from vptr.repositories import credits as repository
from vptr.repositories.documents import iri_value
from vptr.services.runtime import Caller, Runtime
from vptr.times import period

CREDIT = "permitCredit"


@dataclass(frozen=True)
class Taking:
    """Minutes a new right takes from a locked permit's credit."""

    permit: Row
    minutes: int
    used_after: int


def take(connection: Connection, tenant: str, document: dict[str, Any], plate_hash: str,
         start: datetime, end: datetime | None) -> Taking | None:
    """Checks that the credit of the right's source permit covers it, with the permit locked;
    None when the right uses no credit. Sets the right's ``creditMinutesUsed``."""
    document.pop("creditMinutesUsed", None)  # the register's to say
    source = iri_value(document, "sourcePermit")
    if source is None:
        return None
    permit = _credited_permit(connection, tenant, source)
    if permit is None:
        return None
    credit = permit.document["credit"]
    if end is None:
        raise Invalid.field("validityPeriod.endTime", "a right on a permit's credit needs an end: "
                                                      "the credit counts minutes")
    if not repository.holds_plate(connection, permit.id, plate_hash):
        raise Invalid.field("sourcePermit", "the right's plate is not one of the permit's "
                                            "vehicles, so it cannot use its credit")
    credit_start, credit_end = period(credit)
    if (credit_start is not None and start < credit_start) or (
            credit_end is not None and end > credit_end):
        raise Invalid.field("validityPeriod", "lies outside the period of the permit's credit")
    minutes = _started_minutes(start, end)
    used, available = _counts(credit)
    if used + minutes > available:
        left = max(available - used, 0)
        raise Conflict(f"the permit's credit has {left} minutes left; this right needs {minutes}",
                       [FieldError("sourcePermit", f"credit exhausted: {left} minutes left")])
    document["creditMinutesUsed"] = minutes
    return Taking(permit, minutes, used + minutes)


def record(connection: Connection, taking: Taking, right: str, tenant: str, plate_hash: str,
           moment: datetime) -> None:
    """Counts what a stored right took (after its insert, in the same transaction)."""
    repository.set_used(connection, taking.permit, taking.used_after, moment)
    repository.record(connection, right, taking.permit.id, tenant, plate_hash, taking.minutes,
                      moment)


def give_back(connection: Connection, right: str, tenant: str, moment: datetime) -> None:
    """A revoked right's minutes return to its permit's credit."""
    taken = repository.forget(connection, right)
    if taken is None:
        return
    permit = _credited_permit(connection, tenant, taken.permit_id)
    if permit is None:
        return
    used, _ = _counts(permit.document["credit"])
    repository.set_used(connection, permit, max(used - taken.minutes, 0), moment)


def resize(connection: Connection, right: str, tenant: str, start: datetime, end: datetime,
           moment: datetime, document: dict[str, Any]) -> None:
    """A right on a credit whose end moves (ended early, or adjusted) takes the started minutes
    of its new duration, with its permit locked; sets the right's ``creditMinutesUsed``. Nothing
    for a right that took no credit."""
    taken = repository.taken(connection, right)
    if taken is None:
        return
    permit = _credited_permit(connection, tenant, taken.permit_id)
    if permit is None:
        return
    minutes = _started_minutes(start, end)
    if minutes == taken.minutes:
        return
    credit = permit.document["credit"]
    used, available = _counts(credit)
    if minutes > taken.minutes:
        _, credit_end = period(credit)
        if credit_end is not None and end > credit_end:
            raise Invalid.field("validityPeriod.endTime",
                                "after the end of the period of the permit's credit")
        if used + minutes - taken.minutes > available:
            left = max(available - used, 0)
            raise Conflict(
                f"the permit's credit has {left} minutes left; the longer right needs "
                f"{minutes - taken.minutes} more",
                [FieldError("validityPeriod.endTime", f"credit exhausted: {left} minutes left")])
    repository.set_used(connection, permit, max(used + minutes - taken.minutes, 0), moment)
    repository.set_taken(connection, right, minutes, moment)
    document["creditMinutesUsed"] = minutes


def _credited_permit(connection: Connection, tenant: str, iri: str) -> Row | None:
    """The permit, locked until the transaction ends, when it carries a credit; else None."""
    permit = repository.locked_permit(connection, tenant, iri)
    if permit is None or not isinstance(permit.document.get("credit"), dict):
        return None
    return permit


def _started_minutes(start: datetime, end: datetime) -> int:
    return math.ceil((end - start).total_seconds() / 60)


def _counts(credit: dict[str, Any]) -> tuple[int, int]:
    """The credit's minutes used so far and available in all."""
    return int(credit.get("minutesUsed") or 0), int(credit["minutesAvailable"])


def report(runtime: Runtime, caller: Caller) -> list[dict[str, Any]]:
    """Per permit with a credit of the caller's tenant: available, used and left, and per plate
    (its pseudonym) the minutes and rights it took."""
    tenant = managed_tenant(caller.principal)
    caller.serve(tenant)
    with runtime.store.reading() as connection:
        permits = repository.permits_with_credit(connection, tenant)
        per_plate = repository.used_per_plate(connection, tenant)
    out = []
    for row in permits:
        credit = row.document["credit"]
        used, available = _counts(credit)
        entry: dict[str, Any] = {
            "permit": row.id, "minutesAvailable": available, "minutesUsed": used,
            "minutesLeft": max(available - used, 0),
            "plates": [{"plate": pseudonym(h), "minutesUsed": m, "rights": n}
                       for h, m, n in per_plate.get(row.id, [])]}
        if "validityPeriod" in credit:
            entry["validityPeriod"] = credit["validityPeriod"]
        out.append(entry)
    return out
