"""Permits: create, change and end them (resident, visitor, care-giver, business and disability
cards, occupations of public space). Listing and reading them reveals plates: audited by the use
cases under the person's name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from vptr.errors import FieldError, Invalid
from vptr.paging import Page
from vptr.services import permits, zones
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

router = APIRouter(prefix=PREFIX + "/vergunningen", route_class=WebRoute,
                   include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
FIELDS = {"permitType": ("permitType",), "holderReference": ("holderReference",),
          "plates": ("vehicles",), "zones": ("zones",),
          "validFrom": ("validityPeriod.startTime", "validityPeriod"),
          "validTo": ("validityPeriod.endTime",), "permitStatus": ("permitStatus",)}
MANAGED = ("permitType", "holderReference", "vehicles", "zones", "validityPeriod",
           "permitStatus")


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _iri(current: Web, ref: str) -> str:
    return current.runtime.store.iris.from_path("permit", ref)


async def _options(current: Web) -> dict[str, Any]:
    documents, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.list"), zones.Filter(), Page(1, 500))
    return {"zone_options": [(_ref(d["id"]), d.get("name", "")) for d in documents],
            "types": [(p, current.t_code(p)) for p in codes("PermitType")],
            "statuses": [(s, current.t_code(s)) for s in codes("PermitStatus")]}


@router.get("")
async def permit_list(current: Staff) -> Response:
    documents, total = await current.call(permits.listing, current.runtime,
                                          current.caller("permits.list"), permits.Filter(),
                                          Page(1, 200))
    return page(current, "permits/list.html", permits=documents, total=total)


def _plates(text: str) -> tuple[list[dict[str, Any]], list[FieldError]]:
    vehicles, errors = [], []
    for n, line in enumerate(text.splitlines()):
        parts = line.split()
        if not parts:
            continue
        country, plate = (parts[0].upper(), "".join(parts[1:])) if len(parts) > 1 and \
            len(parts[0]) <= 3 and parts[0].isalpha() else ("BE", "".join(parts))
        if not plate:
            errors.append(FieldError(f"vehicles[{n}]", "a plate is missing"))
        vehicles.append({"licencePlate": {"plateNumber": plate.upper(), "country": country}})
    return vehicles, errors


def _body(current: Web, values: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    body = {k: v for k, v in (base or {}).items()
            if k not in (*MANAGED, "id", "areaManager")}
    for key in ("permitType", "holderReference", "permitStatus"):
        if values.get(key):
            body[key] = values[key]
    vehicles, errors = _plates(values["plates"])
    if vehicles:
        body["vehicles"] = vehicles
    body["zones"] = [current.runtime.store.iris.of("zone", z) for z in values["zones"]]
    found = forms.period(forms.local_instant(values["validFrom"], "validityPeriod.startTime"),
                         forms.local_instant(values["validTo"], "validityPeriod.endTime"))
    if found:
        body["validityPeriod"] = found
    if errors:
        raise forms.invalid(errors)
    return body


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: forms.text(form, k) for k in FIELDS if k != "zones"}
    values["zones"] = [z for z in form.getlist("zones") if z]
    return values


def _values_of(document: dict[str, Any] | None) -> dict[str, Any]:
    if not document:
        return {"permitType": "resident", "permitStatus": "active", "zones": []}
    period = document.get("validityPeriod") or {}
    return {"permitType": document.get("permitType", ""),
            "holderReference": document.get("holderReference", ""),
            "permitStatus": document.get("permitStatus", ""),
            "plates": "\n".join(
                f"{v['licencePlate'].get('country', '')} {v['licencePlate']['plateNumber']}"
                for v in document.get("vehicles", []) if v.get("licencePlate")),
            "zones": [_ref(z) for z in document.get("zones", [])],
            "validFrom": forms.local_input_of(period.get("startTime")),
            "validTo": forms.local_input_of(period.get("endTime"))}


@router.get("/nieuw")
async def new_permit(current: Staff) -> Response:
    return page(current, "permits/edit.html", permit=None, values=_values_of(None), errors={},
                rest=[], **await _options(current))


@router.post("/nieuw")
async def create_permit(current: Staff) -> Response:
    form = await current.form()
    values = _form_values(form)
    try:
        document = await current.call(permits.create, current.runtime,
                                      current.caller("permits.create"),
                                      _body(current, values, None))
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, FIELDS)
        return page(current, "permits/edit.html", SHOWN_AGAIN, permit=None, values=values,
                    errors=errors, rest=rest + general, **await _options(current))
    return redirect(current, f"{PREFIX}/vergunningen/{_ref(document['id'])}?opgeslagen=1")


@router.get("/{ref}")
async def permit_page(ref: str, current: Staff) -> Response:
    document = await current.call(permits.get, current.runtime, current.caller("permits.read"),
                                  _iri(current, ref))
    saved = current.request.query_params.get("opgeslagen") == "1"
    return page(current, "permits/edit.html", permit=document, values=_values_of(document),
                errors={}, rest=[], flashes=[("ok", current.t("saved"))] if saved else [],
                **await _options(current))


@router.post("/{ref}")
async def replace_permit(ref: str, current: Staff) -> Response:
    form = await current.form()
    iri = _iri(current, ref)
    document = await current.call(permits.get, current.runtime, current.caller("permits.read"),
                                  iri)
    values = _form_values(form)
    try:
        await current.call(permits.replace, current.runtime, current.caller("permits.replace"),
                           iri, _body(current, values, document))
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, FIELDS)
        return page(current, "permits/edit.html", SHOWN_AGAIN, permit=document, values=values,
                    errors=errors, rest=rest + general, **await _options(current))
    return redirect(current, f"{PREFIX}/vergunningen/{ref}?opgeslagen=1")


@router.post("/{ref}/beeindigen")
async def end_permit(ref: str, current: Staff) -> Response:
    """Ends the permit now: its validity period closes at this moment."""
    await current.form()
    iri = _iri(current, ref)
    document = await current.call(permits.get, current.runtime, current.caller("permits.read"),
                                  iri)
    body = {k: v for k, v in document.items() if k != "areaManager"}
    body["validityPeriod"] = {**(document.get("validityPeriod") or {}),
                              "endTime": forms.instant_text(now())}
    await current.call(permits.replace, current.runtime, current.caller("permits.end"), iri,
                       body)
    return redirect(current, f"{PREFIX}/vergunningen/{ref}?opgeslagen=1")
