"""What an area manager needs to bill and to answer for its data: requests counted per day,
organisation and operation (the financing model bills per call), and the audit log (who read or
changed which right, permit or whitelist entry, by resource or by plate).

An area manager sees its own tenant. A platform operator (an organisation listed in
``VPTR_PLATFORM_OPERATORS``) sees every tenant, or the one it names. Everybody else is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from vptr.accounting import audit, metering
from vptr.errors import Forbidden, Invalid
from vptr.paging import Page
from vptr.services.plate_queries import PlateQuery
from vptr.services.runtime import Caller, Runtime

#: The longest metering report one request may ask for.
MAX_METERING_DAYS = 366


def tenants_seen(runtime: Runtime, caller: Caller, tenant: str | None) -> list[str] | None:
    """The tenants the caller may see here (None: all of them, for a platform operator)."""
    principal = caller.principal
    if principal.organisation in runtime.settings.platform_operators:
        return [tenant] if tenant else None
    if principal.tenant is None:
        raise Forbidden("only an area manager or a platform operator reads this")
    if tenant is not None and tenant != principal.tenant:
        raise Forbidden("an area manager reads its own tenant only")
    return [principal.tenant]


@dataclass(frozen=True)
class MeteringReport:
    first: date
    last: date
    tenants: list[str] | None
    rows: list[metering.MeteringRow]


def metering_report(runtime: Runtime, caller: Caller, first: date | None = None,
                    last: date | None = None, tenant: str | None = None) -> MeteringReport:
    """Requests per day, organisation and operation in the tenants the caller may see, from
    ``first`` (default the 1st of this month) to ``last`` (default today), billing days in
    Europe/Brussels."""
    tenants = tenants_seen(runtime, caller, tenant)
    today = metering.billing_day()
    first = first or today.replace(day=1)
    last = last or today
    if last < first:
        raise Invalid.field("to", "must not be before from")
    if (last - first).days >= MAX_METERING_DAYS:
        raise Invalid.field("to", f"a report covers at most {MAX_METERING_DAYS} days")
    rows = metering.report(runtime.store.engine, first_day=first, last_day=last, tenants=tenants)
    return MeteringReport(first, last, tenants, rows)


def audit_entries(runtime: Runtime, caller: Caller, since: datetime, until: datetime,
                  page: Page, *, resource: str | None = None,
                  plate: tuple[str, str] | None = None, tenant: str | None = None
                  ) -> tuple[list[audit.AuditEntry], int]:
    """Audit entries of the tenants the caller may see, newest first, one page at a time; a
    plate ((plate, country) as typed: see :class:`PlateQuery`) is matched by its pseudonym in
    one tenant."""
    query = PlateQuery(*plate) if plate is not None else None
    tenants = tenants_seen(runtime, caller, tenant)
    if until <= since:
        raise Invalid.field("to", "must be after from")
    plate_hash = None
    if query is not None:
        if tenants is None or len(tenants) != 1:
            raise Invalid.field("tenant", "a plate is pseudonymised per tenant: name one tenant")
        with runtime.store.reading() as connection:
            plate_hash = query.hash_in(connection, tenants[0])
    runtime.flush_audit()  # this instance's pending read entries; others' within a second
    with runtime.store.reading() as connection:
        return audit.query(connection, tenants=tenants, since=since, until=until,
                           resource=resource, plate_hash=plate_hash, limit=page.size,
                           offset=page.offset)
