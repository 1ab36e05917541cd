"""Providers and authorisations (NF6.1, NF6.4): who may do what in which zone; register a
provider, give and withdraw authorisations, issue and rotate a provider's API key (shown once)."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from vptr.errors import Invalid, RegisterError
from vptr.paging import Page
from vptr.services import organisations, zones
from vptr.times import now
from vptr.web import forms
from vptr.web.pages import PREFIX, Web, WebRoute, errors_for, field_errors, page, redirect, staff

router = APIRouter(prefix=PREFIX + "/aanbieders", route_class=WebRoute, include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
ALL = Page(1, 500)
AUTH_FIELDS = {"grantee": ("grantee",), "scopes": ("scopes",), "authZones": ("zones",),
               "validFrom": ("validityPeriod.startTime", "validityPeriod"),
               "validTo": ("validityPeriod.endTime",)}
ORG_FIELDS = {"orgName": ("name",), "orgRoles": ("roles",)}


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


async def _overview(current: Web, status: int = 200, **values: Any) -> Response:
    orgs: list[dict[str, Any]] = []
    for role in ("provider", "enforcement"):
        found, _ = await current.call(organisations.listing, current.runtime,
                                      current.caller("organisations.list"), ALL, role)
        orgs.extend(o for o in found if o["id"] not in {x["id"] for x in orgs})
    given, _ = await current.call(organisations.list_authorisations, current.runtime,
                                  current.caller("authorisations.list"), ALL)
    zone_docs, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.list"), zones.Filter(), ALL)
    keys: dict[str, list[Any]] = {}
    for org in orgs:
        if "areaManager" in org.get("roles", []):
            continue  # a tenant's keys are the operator's (vptr keys rotate)
        # One registered by another area manager: its keys are not ours to see.
        with contextlib.suppress(RegisterError):
            keys[org["id"]] = await current.call(organisations.api_keys, current.runtime,
                                                 current.caller("organisations.keys"),
                                                 org["id"])
    names = {o["id"]: o.get("name", _ref(o["id"])) for o in orgs}
    values.setdefault("errors", {})
    values.setdefault("rest", [])
    values.setdefault("values", {})
    return page(current, "providers.html", status, organisations=orgs, keys=keys,
                authorisations=given, names=names,
                zone_options=[(_ref(z["id"]), z.get("name", "")) for z in zone_docs],
                grantee_options=[(_ref(o["id"]), o.get("name", "")) for o in orgs],
                moment=now(), **values)


@router.get("")
async def providers(current: Staff) -> Response:
    return await _overview(current)


@router.post("/machtigingen")
async def create_authorisation(current: Staff) -> Response:
    form = await current.form()
    iris = current.runtime.store.iris
    values = {k: forms.text(form, k) for k in ("grantee", "validFrom", "validTo")}
    values["scopes"] = [s for s in form.getlist("scopes") if s]
    values["authZones"] = [z for z in form.getlist("authZones") if z]
    try:
        body: dict[str, Any] = {
            "grantee": iris.of("organisation", values["grantee"]) if values["grantee"] else None,
            "scopes": values["scopes"] or None,
            "zones": [iris.of("zone", z) for z in values["authZones"]] or None,
            "validityPeriod": forms.period(
                forms.local_instant(values["validFrom"], "validityPeriod.startTime"),
                forms.local_instant(values["validTo"], "validityPeriod.endTime"))}
        await current.call(organisations.create_authorisation, current.runtime,
                           current.caller("authorisations.create"),
                           {k: v for k, v in body.items() if v})
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, AUTH_FIELDS)
        return await _overview(current, values=values, errors=errors, rest=rest + general)
    return redirect(current, f"{PREFIX}/aanbieders?opgeslagen=1")


@router.post("/machtigingen/{ref}/intrekken")
async def withdraw_authorisation(ref: str, current: Staff) -> Response:
    await current.form()
    await current.call(organisations.delete_authorisation, current.runtime,
                       current.caller("authorisations.delete"),
                       current.runtime.store.iris.from_path("authorisation", ref))
    return redirect(current, f"{PREFIX}/aanbieders")


@router.post("/nieuw")
async def create_provider(current: Staff) -> Response:
    form = await current.form()
    values = {"orgName": forms.text(form, "orgName"),
              "orgRoles": [r for r in form.getlist("orgRoles") if r]}
    try:
        await current.call(organisations.create, current.runtime,
                           current.caller("organisations.create"),
                           {k: v for k, v in (("name", values["orgName"]),
                                              ("roles", values["orgRoles"])) if v})
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, ORG_FIELDS)
        return await _overview(current, values=values, errors=errors, rest=rest + general)
    return redirect(current, f"{PREFIX}/aanbieders?opgeslagen=1")


@router.post("/{ref}/sleutel")
async def rotate_key(ref: str, current: Staff) -> Response:
    """A new key, shown once; the old keys stop working after the grace window chosen."""
    form = await current.form()
    try:
        hours = forms.integer(forms.text(form, "graceHours") or "0", "grace") or 0
        issued = await current.call(
            organisations.rotate_api_key, current.runtime,
            current.caller("organisations.rotateKey"),
            current.runtime.store.iris.from_path("organisation", ref), timedelta(hours=hours))
    except Invalid as exc:
        return await _overview(current, rest=[e.reason for e in exc.errors])
    return await _overview(current, issued=issued, issued_for=ref)
