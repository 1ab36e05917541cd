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

from fastapi import APIRouter, Query

from vptr.api.authentication import CurrentCaller, RuntimeDep
from vptr.api.deps import PageDep, instant, plate_query
from vptr.errors import Invalid
from vptr.services import administration
from vptr.times import format_instant, now

router = APIRouter(prefix="/admin", tags=["administration"])


def _day(value: str | None, field: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field(field, f"a date YYYY-MM-DD, not {value!r}") from exc


@router.get("/metering", operation_id="adminMetering", summary="Requests counted for billing")
def get_metering(
    runtime: RuntimeDep,
    caller: CurrentCaller,
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
    report = administration.metering_report(runtime, caller, _day(from_, "from"), _day(to, "to"),
                                            tenant)
    return {
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "tenants": report.tenants,
        "total": sum(r.count for r in report.rows),
        "rows": [r.as_json() for r in report.rows],
    }


@router.get("/audit", operation_id="adminAudit", summary="Who read or changed which right")
def get_audit(
    runtime: RuntimeDep,
    caller: CurrentCaller,
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
    until: datetime = instant(to, "to") or now()
    since: datetime = instant(from_, "from") or until - timedelta(days=1)
    entries, total = administration.audit_entries(
        runtime, caller, since, until, page, resource=resource,
        plate=plate_query(plate, country), tenant=tenant)
    return {
        "from": format_instant(since),
        "to": format_instant(until),
        "page": page.number,
        "pageSize": page.size,
        "total": total,
        "items": [entry.as_json() for entry in entries],
    }
