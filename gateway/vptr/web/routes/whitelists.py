"""Whitelists (F2.3): create them, add and remove entries one by one or by CSV upload (a preview
names each bad row before anything is stored), and export one for the police."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from vptr.errors import FieldError, Invalid
from vptr.paging import Page
from vptr.services import staff_sessions, whitelists, zones
from vptr.services.codes import codes
from vptr.web import forms
from vptr.web.i18n import reason_of
from vptr.web.pages import (
    LOCAL,
    PREFIX,
    SHOWN_AGAIN,
    Web,
    WebRoute,
    errors_for,
    field_errors,
    local_time,
    page,
    redirect,
    staff,
)

router = APIRouter(prefix=PREFIX + "/witte-lijsten", route_class=WebRoute,
                   include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
ALL = Page(1, 500)
#: The most rows one CSV upload may hold.
MAX_CSV_ROWS = 5000
LIST_FIELDS = {"name": ("name",), "reason": ("whitelistReason",), "zones": ("zones",),
               "validFrom": ("validityPeriod.startTime", "validityPeriod"),
               "validTo": ("validityPeriod.endTime",)}
ENTRY_FIELDS = {"plate": ("vehicle",), "country": ("vehicle.licencePlate.country",),
                "description": ("description",), "validFrom": ("validityPeriod",)}


def _iri(current: Web, ref: str) -> str:
    return current.runtime.store.iris.from_path("whitelist", ref)


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


async def _zone_options(current: Web) -> list[tuple[str, str]]:
    documents, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.list"), zones.Filter(), ALL)
    return [(_ref(d["id"]), d.get("name", _ref(d["id"]))) for d in documents]


def _reasons(current: Web) -> list[tuple[str, str]]:
    return [(r, current.t_code(r)) for r in codes("UserClass")]


@router.get("")
async def whitelist_list(current: Staff) -> Response:
    documents, total = await current.call(whitelists.listing, current.runtime,
                                          current.caller("whitelists.list"), ALL)
    return page(current, "whitelists/list.html", whitelists=documents, total=total)


@router.get("/nieuw")
async def new_whitelist(current: Staff) -> Response:
    return page(current, "whitelists/new.html", zones=await _zone_options(current),
                reasons=_reasons(current), values={}, errors={}, rest=[])


@router.post("/nieuw")
async def create_whitelist(current: Staff) -> Response:
    form = await current.form()
    chosen = [z for z in form.getlist("zones") if isinstance(z, str) and z]
    values = {k: forms.text(form, k) for k in LIST_FIELDS} | {"zones": chosen}
    try:
        body: dict[str, Any] = {
            "name": values["name"] or None, "whitelistReason": values["reason"] or None,
            "zones": [current.runtime.store.iris.of("zone", z) for z in chosen],
            "validityPeriod": forms.period(
                forms.local_instant(values["validFrom"], "validityPeriod.startTime"),
                forms.local_instant(values["validTo"], "validityPeriod.endTime"))}
        body = {k: v for k, v in body.items() if v}
        document = await current.call(whitelists.create, current.runtime,
                                      current.caller("whitelists.create"), body)
    except Invalid as exc:
        errors, rest = errors_for(field_errors(exc, current.lang)[0], LIST_FIELDS)
        rest += field_errors(exc, current.lang)[1]
        return page(current, "whitelists/new.html", SHOWN_AGAIN, zones=await _zone_options(current),
                    reasons=_reasons(current), values=values, errors=errors, rest=rest)
    return redirect(current, f"{PREFIX}/witte-lijsten/{_ref(document['id'])}?opgeslagen=1")


async def _detail(current: Web, ref: str, status: int = 200, **values: Any) -> Response:
    iri = _iri(current, ref)
    document = await current.call(whitelists.get, current.runtime,
                                  current.caller("whitelists.read"), iri)
    entries, total = await current.call(whitelists.list_entries, current.runtime,
                                        current.caller("whitelists.listEntries"), iri, ALL)
    flashes = values.pop("flashes", [])
    if current.request.query_params.get("opgeslagen") == "1":
        flashes.append(("ok", current.t("saved")))
    values.setdefault("errors", {})
    values.setdefault("rest", [])
    values.setdefault("values", {})
    return page(current, "whitelists/detail.html", status, whitelist=document,
                entries=entries, total=total, flashes=flashes, **values)


@router.get("/{ref}")
async def whitelist_page(ref: str, current: Staff) -> Response:
    return await _detail(current, ref)


def _entry_body(plate: str, country: str, description: str, start: str, end: str,
                row: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"vehicle": {"licencePlate": {"plateNumber": plate.strip(),
                                                          "country": country.strip().upper()}}}
    if description.strip():
        body["description"] = description.strip()
    found = forms.period(forms.local_instant(start, "validityPeriod.startTime"),
                         forms.local_instant(end, "validityPeriod.endTime"))
    if found:
        body["validityPeriod"] = found
    return body


@router.post("/{ref}/platen")
async def add_entry(ref: str, current: Staff) -> Response:
    form = await current.form()
    values = {k: forms.text(form, k) for k in ("plate", "country", "description", "validFrom",
                                               "validTo")}
    try:
        if not values["plate"]:
            raise Invalid.field("vehicle", "required, but missing")
        body = _entry_body(values["plate"], values["country"] or "BE", values["description"],
                           values["validFrom"], values["validTo"])
        await current.call(whitelists.add_entries, current.runtime,
                           current.caller("whitelists.addEntry"), _iri(current, ref), [body])
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, ENTRY_FIELDS | {"validTo": ("validityPeriod",)})
        return await _detail(current, ref, SHOWN_AGAIN, values=values, errors=errors,
                             rest=rest + general)
    return redirect(current, f"{PREFIX}/witte-lijsten/{ref}?opgeslagen=1")


@router.post("/{ref}/platen/{entry}/schrappen")
async def remove_entry(ref: str, entry: str, current: Staff) -> Response:
    await current.form()
    await current.call(whitelists.delete_entry, current.runtime,
                       current.caller("whitelists.deleteEntry"), _iri(current, ref),
                       current.runtime.store.iris.from_path("whitelist-entry", entry))
    return redirect(current, f"{PREFIX}/witte-lijsten/{ref}?opgeslagen=1")


def _read_csv(raw: bytes) -> list[list[str]]:
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if rows and rows[0] and rows[0][0].strip().lower() in ("plate", "nummerplaat", "plaat",
                                                            "kenteken", "plateNumber"):
        rows = rows[1:]
    return rows


@router.post("/{ref}/csv")
async def upload_csv(ref: str, current: Staff) -> Response:
    """The preview: every row checked by the register's own rules, nothing stored."""
    form = await current.form()
    upload = form.get("file")
    raw = await upload.read() if upload is not None and hasattr(upload, "read") else b""
    rows = _read_csv(raw) if raw else []
    if not rows or len(rows) > MAX_CSV_ROWS:
        problem = current.t("csv_empty") if not rows else \
            current.t("csv_too_many", most=MAX_CSV_ROWS)
        return await _detail(current, ref, SHOWN_AGAIN, csv_errors=[problem])
    preview: list[dict[str, Any]] = []
    bodies: list[dict[str, Any] | None] = []
    for number, row in enumerate(rows, start=1):
        cells = [*row, "", "", "", "", ""][:5]
        plate, country, description, start, end = cells
        item = {"row": number, "plate": plate.strip(), "country": (country.strip() or "BE")
                .upper(), "description": description.strip(), "from": start.strip(),
                "to": end.strip(), "errors": []}
        try:
            if not plate.strip():
                raise Invalid.field("plate", "required, but missing")
            bodies.append(_entry_body(plate, country or "BE", description, start, end))
        except Invalid as exc:
            bodies.append(None)
            item["errors"] = [_row_error(e, current.lang) for e in exc.errors]
        preview.append(item)
    checkable = [b for b in bodies if b is not None]
    checked = iter(await current.call(whitelists.check_entries, current.runtime,
                                      current.caller("whitelists.checkEntries"),
                                      _iri(current, ref), checkable))
    for item, body in zip(preview, bodies, strict=True):
        if body is not None:
            item["errors"] = [_row_error(e, current.lang) for e in next(checked)]
    good = [b for item, b in zip(preview, bodies, strict=True) if b is not None
            and not item["errors"]]
    token = secrets.token_urlsafe(16)
    current.session.pending.clear()  # one upload waits at a time
    current.session.pending[token] = {"whitelist": ref, "bodies": good}
    await current.call(staff_sessions.keep, current.runtime, current.session)
    return page(current, "whitelists/preview.html", whitelist_ref=ref, rows=preview,
                good=len(good), bad=len(preview) - len(good), token=token)


def _row_error(error: FieldError, lang: str) -> str:
    where = {"vehicle.licencePlate.plateNumber": "plate", "vehicle": "plate",
             "vehicle.licencePlate.country": "country"}.get(error.field or "", error.field)
    return f"{where}: {reason_of(error, lang)}" if where else reason_of(error, lang)


@router.post("/{ref}/csv/{token}")
async def store_csv(ref: str, token: str, current: Staff) -> Response:
    await current.form()
    pending = current.session.pending.pop(token, None)
    if pending is not None:  # confirmed once: a second click stores nothing twice
        await current.call(staff_sessions.keep, current.runtime, current.session)
    if pending is None or pending["whitelist"] != ref:
        return await _detail(current, ref, SHOWN_AGAIN, csv_errors=[current.t("csv_expired")])
    stored = 0
    bodies = pending["bodies"]
    for start in range(0, len(bodies), 500):  # the register takes 500 entries a request
        chunk = bodies[start:start + 500]
        await current.call(whitelists.add_entries, current.runtime,
                           current.caller("whitelists.addEntries"), _iri(current, ref), chunk)
        stored += len(chunk)
    return await _detail(current, ref, flashes=[("ok", current.t("csv_stored", count=stored))])


@router.get("/{ref}/export.csv")
async def police_export(ref: str, current: Staff) -> Response:
    """The whitelist as the police take it: one plate a row (audited as a read of every entry)."""
    iri = _iri(current, ref)
    document = await current.call(whitelists.get, current.runtime,
                                  current.caller("whitelists.read"), iri)
    entries, _ = await current.call(whitelists.list_entries, current.runtime,
                                    current.caller("whitelists.export"), iri, Page(1, 100_000))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["nummerplaat", "land", "witte lijst", "reden", "zones", "geldig vanaf",
                     "geldig tot", "beschrijving"])
    zone_names = ", ".join(_ref(z) for z in document.get("zones", []))
    for e in entries:
        plate = ((e.get("vehicle") or {}).get("licencePlate") or {})
        own = e.get("validityPeriod") or document.get("validityPeriod") or {}
        writer.writerow([plate.get("plateNumber", ""), plate.get("country", ""),
                         document.get("name", ""),
                         e.get("whitelistReason") or document.get("whitelistReason", ""),
                         ", ".join(_ref(z) for z in e.get("zones", [])) or zone_names,
                         local_time(own.get("startTime")), local_time(own.get("endTime")),
                         e.get("description", "")])
    stamp = datetime.now(LOCAL).strftime("%Y%m%d-%H%M")
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="witte-lijst-{ref}-{stamp}.csv"',
                             "Cache-Control": "no-store"})
