"""Reports (F4.2): per provider and period, rights registered and amounts collected, as a table,
a chart and a CSV download; and the metering per organisation, for billing."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from vptr.errors import Invalid
from vptr.services import administration, exports, rights
from vptr.web.pages import LOCAL, PREFIX, Web, WebRoute, field_errors, page, staff

router = APIRouter(prefix=PREFIX + "/rapporten", route_class=WebRoute, include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]


def _day(value: str | None, default: date, field: str) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.field(field, "not a valid date (2026-03-01)") from None


def _period(first: str | None, last: str | None) -> tuple[date, date]:
    today = datetime.now(LOCAL).date()
    start = _day(first, today.replace(day=1), "from")
    end = _day(last, today, "to")
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[first day 00:00, day after the last 00:00) in local time."""
    return (datetime.combine(start, time(), LOCAL),
            datetime.combine(end + timedelta(days=1), time(), LOCAL))


def _amount(row: dict[str, Any]) -> Decimal:
    return sum((Decimal(a["value"]) for a in row.get("amountCollected", [])
                if a.get("currency") == "EUR"), Decimal(0))


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of amounts collected (EUR) per provider, scaled to the largest."""
    largest = max([_amount(r) for r in rows] + [Decimal(1)])
    bars = []
    for i, row in enumerate(rows):
        amount = _amount(row)
        bars.append({"y": 10 + i * 34, "width": float(amount / largest) * 420,
                     "label": row.get("name") or row["provider"], "amount": f"{amount:.2f}",
                     "count": row["rightsRegistered"]})
    return {"bars": bars, "height": 20 + len(rows) * 34}


@router.get("")
async def reports(current: Staff, first: Annotated[str | None, Query(alias="from")] = None,
                  last: Annotated[str | None, Query(alias="to")] = None) -> Response:
    errors: dict[str, list[str]] = {}
    rows: list[dict[str, Any]] = []
    metering_rows: list[Any] = []
    metering_errors: list[str] = []
    try:
        start, end = _period(first, last)
        since, until = _bounds(start, end)
        rows = await current.call(rights.report, current.runtime,
                                  current.caller("reports.providers"), since, until)
    except Invalid as exc:
        errors = field_errors(exc, current.lang)[0]
        start, end = _period(None, None)
    else:
        try:
            metering = await current.call(administration.metering_report, current.runtime,
                                          current.caller("reports.metering"), start, end)
            metering_rows = metering.rows
        except Invalid as exc:
            metering_errors = [e for reasons in field_errors(exc, current.lang)[0].values()
                               for e in reasons]
    names = {r["provider"]: r.get("name") for r in rows}
    return page(current, "reports.html", rows=rows, chart=_chart(rows), first=first or start,
                last=last or end, errors=errors, metering=_metering(metering_rows, names),
                metering_errors=metering_errors)


def _metering(rows: list[Any], names: dict[str, str | None]) -> list[dict[str, Any]]:
    """Requests per organisation and operation over the period (the days summed)."""
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        data = row.as_json() if hasattr(row, "as_json") else dict(row)
        key = (data.get("organisation") or "—", data.get("operation") or "—")
        totals[key] = totals.get(key, 0) + int(data.get("count") or 0)
    return [{"organisation": names.get(o) or o, "operation": op, "requests": n}
            for (o, op), n in sorted(totals.items())]


@router.get("/aanbieders.csv")
async def report_csv(current: Staff, first: Annotated[str | None, Query(alias="from")] = None,
                     last: Annotated[str | None, Query(alias="to")] = None) -> Response:
    start, end = _period(first, last)
    since, until = _bounds(start, end)
    rows = await current.call(rights.report, current.runtime,
                              current.caller("reports.providersCsv"), since, until)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["aanbieder", "naam", "van", "tot", "geregistreerd", "ingetrokken",
                     "munt", "geïnd"])
    for row in rows:
        amounts = row.get("amountCollected") or [{"currency": "", "value": "0"}]
        for amount in amounts:
            writer.writerow([row["provider"], row.get("name", ""), start.isoformat(),
                             end.isoformat(), row["rightsRegistered"], row["rightsRevoked"],
                             amount["currency"], amount["value"]])
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="rapport-aanbieders-'
                             f'{start.isoformat()}-{end.isoformat()}.csv"'})


@router.get("/export.{format}")
async def export(format: str, current: Staff) -> Response:
    """The tenant's own raw data (F4.1), streamed: JSON-LD or CSV (audited as an export)."""
    found = await current.call(exports.export, current.runtime, current.caller("export"),
                               format)
    return StreamingResponse(found.chunks, media_type=found.media_type, headers={
        "Content-Disposition": f'attachment; filename="{found.file_name}"',
        "Cache-Control": "no-store"})
