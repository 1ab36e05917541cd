"""Regimes (F1.3-F1.6): the tenant's regimes, a regime's versions over time, a new regime or a
new version (time slots, tariff steps, day maximum, exempt days, linked regimes), and a trial
price with its breakdown (F1.4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from vptr.errors import FieldError, Invalid, RegisterError
from vptr.paging import Page
from vptr.services import pricing, regimes, zones
from vptr.services.codes import codes
from vptr.times import now
from vptr.web import forms
from vptr.web.pages import (
    PREFIX,
    SHOWN_AGAIN,
    Web,
    WebRoute,
    errors_for,
    field_errors,
    page,
    redirect,
    staff,
)

router = APIRouter(prefix=PREFIX + "/regimes", route_class=WebRoute, include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
ALL = Page(1, 500)
SLOTS = 3
STEPS = 4
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FIELDS = {"name": ("name",), "description": ("description",), "usage": ("usage",),
          "rightKind": ("rightKind",), "zones": ("zones",), "validFrom": ("validityPeriod",),
          "timeSlots": ("timeSlots",), "tariffSteps": ("tariff.tariffSteps", "tariff.name",
                                                       "tariff.currency", "tariff"),
          "dayMaximum": ("tariff.dayMaximum",), "maximumDuration": ("maximumDuration",),
          "exemptDays": ("exemptDays",), "grants": ("grants",), "excludes": ("excludes",)}
#: What the form manages; everything else of a version carries over to the next.
MANAGED = ("name", "description", "usage", "rightKind", "zones", "timeSlots", "tariff",
           "maximumDuration", "exemptDays", "grants", "excludes")
#: The exempt day that makes every public holiday free: the form's checkbox, beside the dated days.
HOLIDAYS = {"recurringDay": "publicHoliday"}


def _holidays_free(document: dict[str, Any]) -> bool:
    return any(d.get("recurringDay") == "publicHoliday" for d in document.get("exemptDays", []))


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _series(document: dict[str, Any]) -> str:
    return document.get("isVersionOf") or document["id"]


def _iri(current: Web, ref: str) -> str:
    return current.runtime.store.iris.from_path("regime", ref)


@router.get("")
async def regime_list(current: Staff) -> Response:
    documents, total = await current.call(regimes.listing, current.runtime,
                                          current.caller("regimes.list"), ALL)
    return page(current, "regimes/list.html", regimes=documents, total=total, series=_series)


async def _options(current: Web) -> dict[str, Any]:
    zone_docs, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.list"), zones.Filter(), ALL)
    regime_docs, _ = await current.call(regimes.listing, current.runtime,
                                        current.caller("regimes.list"), ALL)
    return {"zone_options": [(_ref(d["id"]), d.get("name", "")) for d in zone_docs],
            "regime_options": [(_ref(_series(d)), d.get("name", "")) for d in regime_docs],
            "usages": [(u, current.t_code(u)) for u in codes("Usage")],
            "right_kinds": [(k, current.t_code(k)) for k in codes("RightKind")],
            "days": DAYS, "slots": range(SLOTS), "steps": range(STEPS)}


def _values_of(document: dict[str, Any] | None) -> dict[str, Any]:
    """The form's values from a stored version (empty for a new regime)."""
    if not document:
        return {"rightKind": "parking", "holidaysFree": True,
                "slot0_days": list(DAYS[:6]), "slot0_opens": "09:00", "slot0_closes": "18:00"}
    tariff = document.get("tariff") or {}
    values: dict[str, Any] = {
        "name": document.get("name", ""), "description": document.get("description", ""),
        "usage": document.get("usage", ""), "rightKind": document.get("rightKind", ""),
        "zones": [_ref(z) for z in document.get("zones", [])],
        "dayMaximum": tariff.get("dayMaximum", ""),
        "maximumDuration": document.get("maximumDuration", ""),
        "holidaysFree": _holidays_free(document),
        "exemptDays": "\n".join(f"{d.get('calendarDate', '')} {d.get('name', '')}".strip()
                                for d in document.get("exemptDays", []) if "calendarDate" in d),
        "grants": [_ref(g) for g in document.get("grants", [])],
        "excludes": [_ref(g) for g in document.get("excludes", [])]}
    for i, slot in enumerate(document.get("timeSlots", [])[:SLOTS]):
        values[f"slot{i}_days"] = slot.get("daysOfWeek", [])
        values[f"slot{i}_opens"] = (slot.get("opens") or "")[:5]
        values[f"slot{i}_closes"] = (slot.get("closes") or "")[:5]
    for i, step in enumerate(tariff.get("tariffSteps", [])[:STEPS]):
        values[f"step{i}_from"] = step.get("startDuration", "")
        values[f"step{i}_to"] = step.get("endDuration", "")
        values[f"step{i}_amount"] = step.get("amount", "")
        values[f"step{i}_size"] = step.get("stepSize", "")
    return values


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: forms.text(form, k) for k in (
        "name", "description", "usage", "rightKind", "validFrom", "dayMaximum",
        "maximumDuration", "exemptDays")}
    values["zones"] = [z for z in form.getlist("zones") if z]
    values["grants"] = [g for g in form.getlist("grants") if g]
    values["excludes"] = [g for g in form.getlist("excludes") if g]
    values["holidaysFree"] = form.get("holidaysFree") == "on"
    for i in range(SLOTS):
        values[f"slot{i}_days"] = [d for d in form.getlist(f"slot{i}_days") if d in DAYS]
        for part in ("opens", "closes"):
            values[f"slot{i}_{part}"] = forms.text(form, f"slot{i}_{part}")
    for i in range(STEPS):
        for part in ("from", "to", "amount", "size"):
            values[f"step{i}_{part}"] = forms.text(form, f"step{i}_{part}")
    return values


def _body(current: Web, values: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    """The regime document of the form, over what the base version holds beyond the form."""
    iris = current.runtime.store.iris
    body = {k: v for k, v in (base or {}).items()
            if k not in (*MANAGED, "id", "version", "isVersionOf", "areaManager",
                         "validityPeriod")}
    errors: list[FieldError] = []
    for key in ("name", "description", "usage", "rightKind"):
        if values[key]:
            body[key] = values[key]
    body["zones"] = [iris.of("zone", z) for z in values["zones"]]
    for link in ("grants", "excludes"):
        if values[link]:
            body[link] = [iris.of("regime", g) for g in values[link]]
    start = forms.local_instant(values["validFrom"], "validityPeriod.startTime")
    if start is not None:
        body["validityPeriod"] = {"startTime": forms.instant_text(start)}
    slots = []
    for i in range(SLOTS):
        days, opens, closes = (values[f"slot{i}_days"], values[f"slot{i}_opens"],
                               values[f"slot{i}_closes"])
        if days or opens or closes:
            slot: dict[str, Any] = {"daysOfWeek": days}
            if opens:
                slot["opens"] = f"{opens}:00" if len(opens) == 5 else opens
            if closes:
                slot["closes"] = f"{closes}:00" if len(closes) == 5 else closes
            slots.append(slot)
    if slots:
        body["timeSlots"] = slots
    steps = []
    for i in range(STEPS):
        parts = [values[f"step{i}_{p}"] for p in ("from", "to", "amount", "size")]
        if not any(parts):
            continue
        try:
            step: dict[str, Any] = {"startDuration": forms.integer(parts[0], "tariffSteps"),
                                    "amount": parts[2].replace(",", ".") or None,
                                    "stepSize": forms.integer(parts[3], "tariffSteps")}
            end = forms.integer(parts[1], "tariffSteps")
            if end is not None:
                step["endDuration"] = end
            steps.append({k: v for k, v in step.items() if v is not None})
        except Invalid as exc:
            errors.extend(FieldError(f"tariff.tariffSteps[{i}]", e.reason) for e in exc.errors)
    if steps or values["dayMaximum"]:
        tariff = dict((base or {}).get("tariff") or {})
        tariff.pop("tariffSteps", None)
        tariff.setdefault("name", values["name"] or "tarief")
        tariff.setdefault("currency", "EUR")
        tariff["tariffSteps"] = steps
        if values["dayMaximum"]:
            tariff["dayMaximum"] = values["dayMaximum"].replace(",", ".")
        else:
            tariff.pop("dayMaximum", None)
        body["tariff"] = tariff
    try:
        maximum = forms.integer(values["maximumDuration"], "maximumDuration")
        if maximum is not None:
            body["maximumDuration"] = maximum
    except Invalid as exc:
        errors.extend(exc.errors)
    exempt = []
    for n, line in enumerate(values["exemptDays"].splitlines()):
        line = line.strip()
        if line:
            day, _, name = line.partition(" ")
            exempt.append({"calendarDate": day, **({"name": name.strip()} if name.strip()
                                                   else {})})
            if len(day) != 10:
                errors.append(FieldError(f"exemptDays[{n}]", "a date as 2026-07-20"))
    if values["holidaysFree"]:
        exempt.append(dict(HOLIDAYS))  # after the dated days, so their lines keep their index
    if exempt:
        body["exemptDays"] = exempt
    if errors:
        raise forms.invalid(errors)
    return body


@router.get("/nieuw")
async def new_regime(current: Staff) -> Response:
    return page(current, "regimes/edit.html", regime=None, values=_values_of(None),
                errors={}, rest=[], **await _options(current))


@router.post("/nieuw")
async def create_regime(current: Staff) -> Response:
    form = await current.form()
    values = _form_values(form)
    try:
        document = await current.call(regimes.create, current.runtime,
                                      current.caller("regimes.create"),
                                      _body(current, values, None))
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, FIELDS)
        return page(current, "regimes/edit.html", SHOWN_AGAIN, regime=None, values=values,
                    errors=errors, rest=rest + general, **await _options(current))
    return redirect(current, f"{PREFIX}/regimes/{_ref(_series(document))}?opgeslagen=1")


@router.get("/{ref}/nieuwe-versie")
async def new_version_page(ref: str, current: Staff) -> Response:
    document = await current.call(regimes.get, current.runtime, current.caller("regimes.read"),
                                  _iri(current, ref))
    return page(current, "regimes/edit.html", regime=document, values=_values_of(document),
                errors={}, rest=[], **await _options(current))


@router.post("/{ref}/nieuwe-versie")
async def new_version(ref: str, current: Staff) -> Response:
    form = await current.form()
    iri = _iri(current, ref)
    document = await current.call(regimes.get, current.runtime, current.caller("regimes.read"),
                                  iri)
    values = _form_values(form)
    try:
        await current.call(regimes.new_version, current.runtime,
                           current.caller("regimes.newVersion"), iri,
                           _body(current, values, document))
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, FIELDS)
        return page(current, "regimes/edit.html", SHOWN_AGAIN, regime=document, values=values,
                    errors=errors, rest=rest + general, **await _options(current))
    return redirect(current, f"{PREFIX}/regimes/{ref}?opgeslagen=1")


@router.get("/{ref}")
async def regime_page(ref: str, current: Staff,
                      zone: Annotated[str | None, Query()] = None,
                      start: Annotated[str | None, Query()] = None,
                      minutes: Annotated[str | None, Query()] = None) -> Response:
    iri = _iri(current, ref)
    document = await current.call(regimes.get, current.runtime, current.caller("regimes.read"),
                                  iri)
    history, _ = await current.call(regimes.versions, current.runtime,
                                    current.caller("regimes.versions"), iri, ALL)
    quote = None
    errors: dict[str, list[str]] = {}
    trial = {"zone": zone or (_ref(document["zones"][0]) if document.get("zones") else ""),
             "start": start or forms.local_input_of(forms.instant_text(now())),
             "minutes": minutes or "120"}
    if start is not None:
        try:
            moment = forms.local_instant(start, "start")
            if moment is None:
                raise Invalid.field("start", "required, but missing")
            length = forms.integer(trial["minutes"], "duration")
            if length is None or length <= 0:
                raise Invalid.field("duration", "a number of minutes above 0")
            quote = await current.call(
                pricing.quote, current.runtime, current.caller("regimes.trialPrice"),
                pricing.Question(zone=current.runtime.store.iris.of("zone", trial["zone"]),
                                 start=moment, duration=timedelta(minutes=length),
                                 regime=_series(document)))
        except RegisterError as exc:
            by_field, general = field_errors(exc, current.lang)
            errors, rest = errors_for(by_field, {"start": ("start",),
                                                 "minutes": ("duration", "end"),
                                                 "zone": ("zone", "regime")})
            errors.setdefault("minutes", []).extend(rest + general)
    saved = current.request.query_params.get("opgeslagen") == "1"
    return page(current, "regimes/detail.html", regime=document,
                versions=list(reversed(history)), trial=trial, quote=quote, errors=errors,
                flashes=[("ok", current.t("saved"))] if saved else [])
