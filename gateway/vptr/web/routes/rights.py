"""Rights (F3.1-F3.4, F2.4): search by plate, or by zone and period (plates travel in POST bodies,
never in URLs), a right's details and history (the audit log of that right), end or revoke it."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from vptr.errors import Invalid, RegisterError
from vptr.paging import Page
from vptr.services import administration, organisations, rights, zones
from vptr.times import now
from vptr.web import forms
from vptr.web.pages import (
    PREFIX,
    Web,
    WebRoute,
    errors_for,
    field_errors,
    page,
    staff,
)

router = APIRouter(prefix=PREFIX + "/rechten", route_class=WebRoute, include_in_schema=False)
Staff = Annotated[Web, Depends(staff)]
RESULTS = Page(1, 200)
FIELDS = {"plate": ("plate",), "country": ("country",), "zone": ("zone",),
          "from": ("from", "start"), "to": ("to", "end")}


def _ref(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


async def _names(current: Web) -> dict[str, str]:
    """The names of the organisations (the directory every caller may read), by IRI."""
    found, _ = await current.call(organisations.listing, current.runtime,
                                  current.caller("organisations.list"), Page(1, 500))
    return {o["id"]: o.get("name", _ref(o["id"])) for o in found}


async def _zone_options(current: Web) -> list[tuple[str, str]]:
    documents, _ = await current.call(zones.listing, current.runtime,
                                      current.caller("zones.list"), zones.Filter(), Page(1, 500))
    return [(_ref(d["id"]), d.get("name", "")) for d in documents]


@router.get("")
async def search_page(current: Staff) -> Response:
    return page(current, "rights/search.html", values={"country": "BE"}, errors={}, rest=[],
                results=None, zone_options=await _zone_options(current))


@router.post("")
async def search(current: Staff) -> Response:
    form = await current.form()
    values = {k: forms.text(form, k) for k in FIELDS}
    results: list[dict[str, Any]] | None = None
    total = 0
    errors: dict[str, list[str]] = {}
    rest: list[str] = []
    try:
        # As typed: the use case puts the plate and country in normal form and checks them.
        plate = values["plate"] or None
        zone = current.runtime.store.iris.of("zone", values["zone"]) if values["zone"] else None
        if plate is None and zone is None:
            raise Invalid.field("plate", "give a plate, or a zone and a period")
        criteria = rights.Search(
            plate=plate, country=(values["country"] or "BE") if plate else None,
            zone=zone, start=forms.local_instant(values["from"], "from"),
            end=forms.local_instant(values["to"], "to"))
        results, total = await current.call(rights.search, current.runtime,
                                            current.caller("rights.search"), criteria, RESULTS)
    except Invalid as exc:
        by_field, general = field_errors(exc, current.lang)
        errors, rest = errors_for(by_field, FIELDS)
        rest += general
    return page(current, "rights/search.html", values=values, errors=errors, rest=rest,
                results=results, total=total, zone_options=await _zone_options(current),
                names=await _names(current))


async def _detail(current: Web, ref: str, flashes: list[tuple[str, str]] | None = None,
                  problems: list[str] | None = None) -> Response:
    iri = current.runtime.store.iris.from_path("right", ref)
    document = await current.call(rights.get, current.runtime, current.caller("rights.read"),
                                  iri)
    since = forms.local_instant(document.get("created") or
                                document["validityPeriod"]["startTime"], "created") or now()
    history, _ = await current.call(
        administration.audit_entries, current.runtime, current.caller("rights.history"),
        since - timedelta(minutes=1), now() + timedelta(minutes=1), Page(1, 100),
        resource=iri)
    return page(current, "rights/detail.html", right=document, history=history,
                names=await _names(current),
                flashes=flashes or [], rest=problems or [], errors={})


@router.get("/{ref}")
async def right_page(ref: str, current: Staff) -> Response:
    return await _detail(current, ref)


@router.post("/{ref}/beeindigen")
async def end_right(ref: str, current: Staff) -> Response:
    await current.form()
    iri = current.runtime.store.iris.from_path("right", ref)
    try:
        await current.call(rights.end, current.runtime, current.caller("rights.end"), iri, None)
    except RegisterError as exc:
        return await _detail(current, ref, problems=[exc.detail])
    return await _detail(current, ref, flashes=[("ok", current.t("ended"))])


@router.post("/{ref}/intrekken")
async def revoke_right(ref: str, current: Staff) -> Response:
    await current.form()
    iri = current.runtime.store.iris.from_path("right", ref)
    try:
        await current.call(rights.revoke, current.runtime, current.caller("rights.revoke"), iri)
    except RegisterError as exc:
        return await _detail(current, ref, problems=[exc.detail])
    return await _detail(current, ref, flashes=[("ok", current.t("revoked"))])
