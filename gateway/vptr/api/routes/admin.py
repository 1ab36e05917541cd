"""``/admin``: what an area manager needs to bill and to answer for its data.

- ``GET /admin/metering``: requests counted per day, organisation and operation (the financing
  model bills per call).
- ``GET /admin/audit``: who read or changed which right, permit or whitelist entry, when and from
  where; by resource, or by plate (hashed with the tenant's key, never stored or shown in clear).

An area manager sees its own tenant. A platform operator (an organisation listed in
``VPTR_PLATFORM_OPERATORS``) sees every tenant, or the one it names with ``tenant``. Everybody else
gets 403.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from vptr.accounting import audit
from vptr.accounting.metering import billing_day, report
from vptr.api.deps import PageDep, StoreDep, instant, plate_query
from vptr.auth.principal import CurrentPrincipal, Principal
from vptr.errors import Forbidden, Invalid
from vptr.store.plate_keys import hash_for
from vptr.times import format_instant, now

router = APIRouter(prefix="/admin", tags=["administration"])

#: The longest metering report one request may ask for.
MAX_METERING_DAYS = 366


def _tenants(request: Request, principal: Principal, tenant: str | None) -> list[str] | None:
    """The tenants the caller may see here (None: all of them, for a platform operator)."""
    if principal.organisation in request.app.state.settings.platform_operators:
        return [tenant] if tenant else None
    if principal.tenant is None:
        raise Forbidden("only an area manager or a platform operator reads this")
    if tenant is not None and tenant != principal.tenant:
        raise Forbidden("an area manager reads its own tenant only")
    return [principal.tenant]


def _day(value: str | None, field: str, default: date) -> date:
    if value is None or value == "":
        return default
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field(field, f"a date YYYY-MM-DD, not {value!r}") from exc


@router.get("/metering", operation_id="adminMetering", summary="Requests counted for billing")
def get_metering(
    request: Request,
    principal: CurrentPrincipal,
    store: StoreDep,
    from_: Annotated[str | None, Query(
        alias="from", description="First day, YYYY-MM-DD (Europe/Brussels); default the 1st of "
                                  "this month.")] = None,
    to: Annotated[str | None, Query(
        description="Last day, inclusive, YYYY-MM-DD; default today.")] = None,
    tenant: Annotated[str | None, Query(
        description="Platform operators: one tenant's IRI (default all).")] = None,
) -> dict[str, Any]:
    """Requests per day, organisation and operation in the caller's tenant, and their total.

    Counts reach the database within about a second of the request (see docs/security.md)."""
    tenants = _tenants(request, principal, tenant)
    today = billing_day()
    first = _day(from_, "from", today.replace(day=1))
    last = _day(to, "to", today)
    if last < first:
        raise Invalid.field("to", "must not be before from")
    if (last - first).days >= MAX_METERING_DAYS:
        raise Invalid.field("to", f"a report covers at most {MAX_METERING_DAYS} days")
    rows = report(store.engine, first_day=first, last_day=last, tenants=tenants)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "tenants": tenants,
        "total": sum(r.count for r in rows),
        "rows": [r.as_json() for r in rows],
    }


@router.get("/audit", operation_id="adminAudit", summary="Who read or changed which right")
def get_audit(
    request: Request,
    principal: CurrentPrincipal,
    store: StoreDep,
    page: PageDep,
    from_: Annotated[str | None, Query(
        alias="from", description="From this instant (ISO 8601 with offset, inclusive); "
                                  "default 24 hours before `to`.")] = None,
    to: Annotated[str | None, Query(
        description="Until this instant (exclusive); default now.")] = None,
    resource: Annotated[str | None, Query(
        description="Only entries about this right, permit or whitelist entry (IRI).")] = None,
    plate: Annotated[str | None, Query(
        description="Only entries about this plate (with country); matched by its pseudonym.")
    ] = None,
    country: Annotated[str | None, Query(description="The plate's country, ISO 3166-1.")] = None,
    tenant: Annotated[str | None, Query(
        description="Platform operators: one tenant's IRI (default all).")] = None,
) -> dict[str, Any]:
    """Audit entries of the caller's tenant, newest first, one page at a time."""
    tenants = _tenants(request, principal, tenant)
    until: datetime = instant(to, "to") or now()
    since: datetime = instant(from_, "from") or until - timedelta(days=1)
    if until <= since:
        raise Invalid.field("to", "must be after from")
    plate_hash = None
    wanted = plate_query(plate, country)
    if wanted is not None:
        if tenants is None or len(tenants) != 1:
            raise Invalid.field("tenant", "a plate is pseudonymised per tenant: name one tenant")
        with store.reading() as connection:
            plate_hash = hash_for(connection, tenants[0], wanted[1], wanted[0])
    audit.flush_reads(request)  # this instance's pending read entries; others' within a second
    with store.reading() as connection:
        entries, total = audit.query(
            connection, tenants=tenants, since=since, until=until, resource=resource,
            plate_hash=plate_hash, limit=page.size, offset=page.offset,
        )
    return {
        "from": format_instant(since),
        "to": format_instant(until),
        "page": page.number,
        "pageSize": page.size,
        "total": total,
        "items": [entry.as_json() for entry in entries],
    }
