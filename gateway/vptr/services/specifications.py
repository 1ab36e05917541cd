"""Regimes and their tariffs written through a channel that versions them as separate entities
(APDS v4 ``/rights/specs`` and ``/rates``, scope ``po``): a right specification is a regime
version, a rate table is the tariff of the regime version of the same id.

- **Creating** a right specification creates the regime (version 1); **updating** it makes the
  next version (the message's ``version`` must be the next one, else 409), exactly as the native
  API's ``PUT /regimes/{ref}``: validated against the application profile as a whole, the current
  version's validity ending where the new one starts. A start the message leaves as the current
  version's (a client sending back what it read) means "from now".
- What the channel cannot express (regulation type, minimum interruption, grace periods, vehicle
  criteria, linked regimes, identifiers, a description) is carried over from the current version,
  so an update through the channel never erases it.
- A right specification names its price by a rate table reference: the tariff (and maximum
  duration) of that regime version is the new version's; none means no tariff.
- **Writing a rate table** makes the next version of its regime with that tariff, from the rate
  table's start (now if it gives the current one); creating one where the regime has a tariff, or
  updating one where it has none, is refused. **Deleting** it makes the next version without a
  tariff, from now. **Deleting** a right specification ends the regime's validity now (logical:
  every version stays, and rights registered under it keep it).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vptr.auth.access import managed_tenant
from vptr.errors import Conflict, FieldError, Invalid, NotFound
from vptr.repositories import apds as records
from vptr.repositories import change_stream
from vptr.repositories import regimes as repository
from vptr.services.runtime import Caller, Runtime
from vptr.times import format_instant, now, parse_instant

#: What a right specification or rate table cannot say, kept from the current version.
CARRIED = ("regulationType", "minimumInterruption", "gracePeriod", "gracePeriodBefore",
           "vehicleCriteria", "grants", "excludes", "identifiers", "description")
ID = "https://data.parkeerregister.vlaanderen.be/id/regime/"


def _priced(connection: Any, tenant: str, document: dict[str, Any],
            rate_table: tuple[str, int] | None, field: str) -> dict[str, Any]:
    document = {k: v for k, v in document.items() if k not in ("tariff", "maximumDuration")}
    if rate_table is None:
        return document
    regime, number = ID + rate_table[0], rate_table[1]
    try:
        priced = repository.get_version(connection, {tenant}, regime, number).document
    except NotFound:
        raise Invalid.field(field, f"no rate table {rate_table[0]} version {number} of yours"
                            ) from None
    if not priced.get("tariff"):
        raise Invalid.field(field, f"right specification {rate_table[0]} version {number} has "
                                   "no rate table")
    document["tariff"] = priced["tariff"]
    if priced.get("maximumDuration"):
        document["maximumDuration"] = priced["maximumDuration"]
    return document


def create(runtime: Runtime, caller: Caller, document: dict[str, Any], version: int,
           rate_table: tuple[str, int] | None) -> dict[str, Any]:
    tenant = managed_tenant(caller.principal)
    if version != 1:
        raise Conflict("a new right specification is version 1",
                       [FieldError("version", "must be 1")])
    with runtime.store.transaction() as connection:
        body = _priced(connection, tenant, document, rate_table, "rateEligibility.rateTable")
        created = repository.create(connection, runtime.store.iris, tenant, body)
        change_stream.record(connection, "regime", [created["id"]])
        return created


def _from_now(start: str | None, current: Any) -> str:
    """The new version's start: as sent, unless it is the current version's (a client sending
    back what it read) or absent: then now."""
    if start is not None and parse_instant(start, "startTime") != current.valid_from:
        return start  # an earlier one is refused by the register, naming the field
    return format_instant(max(now(), current.valid_from + timedelta(seconds=1)))


def change(runtime: Runtime, caller: Caller, regime: str, document: dict[str, Any],
           version: int, rate_table: tuple[str, int] | None) -> dict[str, Any]:
    """The next version of the regime from a whole right specification."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        current = repository.newest(connection, {tenant}, regime, for_update=True)
        body = _priced(connection, tenant, document, rate_table, "rateEligibility.rateTable")
        body.update({k: current.document[k] for k in CARRIED if k in current.document})
        if rate_table is None and current.document.get("maximumDuration") \
                and not current.document.get("tariff"):
            body["maximumDuration"] = current.document["maximumDuration"]
        period = dict(body.get("validityPeriod") or {})
        period["startTime"] = _from_now(period.get("startTime"), current)
        body.update({"validityPeriod": period, "version": version})
        return _next_version(connection, runtime, tenant, regime, body)


def _next_version(connection: Any, runtime: Runtime, tenant: str, regime: str,
                  body: dict[str, Any]) -> dict[str, Any]:
    """Stores the next version and publishes it with the version it ended (open data's stream)."""
    document = repository.new_version(connection, runtime.store.iris, tenant, regime, body)
    change_stream.record(connection, "regime",
                         [f"{regime}/{document['version'] - 1}", document["id"]])
    return document


def withdraw(runtime: Runtime, caller: Caller, regime: str) -> dict[str, Any]:
    """Ends the regime's validity now (a logical delete)."""
    tenant = managed_tenant(caller.principal)
    moment = now()
    with runtime.store.transaction() as connection:
        current = repository.newest(connection, {tenant}, regime, for_update=True)
        if current.valid_to is not None and current.valid_to <= moment:
            raise Conflict(f"right specification {regime.rsplit('/', 1)[-1]} was already "
                           "deleted (its validity ended)")
        if current.valid_from > moment:
            raise Conflict(f"version {current.version_number} starts later: delete the right "
                           "specification once it has started")
        ended = records.end_regime_version(connection, current, max(
            moment, current.valid_from + timedelta(seconds=1)))
        change_stream.record(connection, "regime", [current.document["id"]])
        return ended


def price(runtime: Runtime, caller: Caller, regime: str, tariff: dict[str, Any] | None,
          maximum_duration: int | None, version: int, start: str | None, creating: bool
          ) -> dict[str, Any]:
    """The next version of the regime with ``tariff`` (None: without one)."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.transaction() as connection:
        try:
            current = repository.newest(connection, {tenant}, regime, for_update=True)
        except NotFound:
            if creating:
                raise Invalid.field("id", f"no right specification {regime.rsplit('/', 1)[-1]} "
                                          "of yours: a rate table is the price of the right "
                                          "specification of the same id, created first") \
                    from None
            raise
        what = regime.rsplit("/", 1)[-1]
        if creating and current.document.get("tariff"):
            raise Conflict(f"right specification {what} has a rate table: update it (PUT) with "
                           f"version {current.version_number + 1}",
                           [FieldError("id", "already has a rate table")])
        if not creating and not current.document.get("tariff"):
            raise NotFound(f"no rate table {what}")
        body = {k: v for k, v in current.document.items()
                if k not in ("id", "isVersionOf", "version", "tariff", "maximumDuration")}
        if tariff is not None:
            body["tariff"] = tariff
            if maximum_duration:
                body["maximumDuration"] = maximum_duration
        period = {"startTime": _from_now(start, current)}
        end = (current.document.get("validityPeriod") or {}).get("endTime")
        if end and parse_instant(end, "endTime") > parse_instant(period["startTime"], "start"):
            period["endTime"] = end
        body.update({"validityPeriod": period, "version": version})
        return _next_version(connection, runtime, tenant, regime, body)


def unprice(runtime: Runtime, caller: Caller, regime: str) -> dict[str, Any]:
    """Deletes a rate table: the next version of the regime, from now, has no tariff."""
    tenant = managed_tenant(caller.principal)
    with runtime.store.reading() as connection:
        current = repository.newest(connection, {tenant}, regime)
    return price(runtime, caller, regime, None, None, current.version_number + 1, None,
                 creating=False)
