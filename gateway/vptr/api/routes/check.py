"""``/check``: may this plate park in, or enter, this zone (or at this point) at this moment?

The decision itself is :func:`vptr.domain.checking.check`; this module only reads the question,
decides which zones the caller may ask about, and writes the answer.

Who may check: an area manager in its own zones, enforcement and providers in zones an
authorisation with ``readRights`` covers. A named zone the caller may not read is refused (403);
at a point, zones of tenants that did not authorise the caller are left out of the answer (and
named in ``zonesLeftOut``), so a scan car at a municipal border checks its own municipality.

The plate is personal data: it is never echoed in the answer, never put in an error message, and
the ``plate=`` query parameter is masked in the server's access log (:class:`PlateRedactingFilter`).
Enforcement should prefer ``POST /check``, which keeps the plate out of URLs altogether.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection

from vptr.accounting import audit
from vptr.api.deps import get_store, instant, run_read
from vptr.api.routes.question_sources import open_sources
from vptr.auth import access
from vptr.auth import cache as auth_cache
from vptr.auth.principal import CurrentPrincipal, Principal
from vptr.domain.calendar import time_zone
from vptr.domain.checking import CheckError, CheckResult, UnknownZoneError, check
from vptr.domain.regime_time import RegimeError
from vptr.domain.sources import CheckSources, ZoneRecord
from vptr.errors import Forbidden, Invalid, NotFound
from vptr.times import now

router = APIRouter(tags=["questions"])

RightKindParam = Literal["parking", "access"]


class CheckRequest(BaseModel):
    """The body of ``POST /check`` (the same question as the GET, without the plate in the URL)."""

    model_config = ConfigDict(extra="forbid")

    plate: str = Field(description="The licence plate; spaces, dots and dashes are ignored.")
    country: str = Field(description="The issuing country, ISO 3166-1 alpha-2 (BE).")
    zone: list[str] | str | None = Field(default=None, description="One or more zone IRIs.")
    lon: float | None = Field(default=None, description="WGS84 longitude, with lat.")
    lat: float | None = Field(default=None, description="WGS84 latitude, with lon.")
    at: str | None = Field(default=None, description="The moment (ISO 8601 with offset); now "
                                                     "when absent.")
    right_kind: RightKindParam | None = Field(default=None, alias="rightKind",
                                              description="Only parking or only access.")


def _query_parameters() -> list[dict[str, Any]]:
    """The GET's query parameters as OpenAPI documents them: the fields of :class:`CheckRequest`,
    so the GET and the POST cannot drift apart."""
    schema = CheckRequest.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        field = {k: v for k, v in field.items() if k not in ("title", "description", "default")}
        options = [o for o in field.pop("anyOf", ()) if o.get("type") != "null"]
        if len(options) == 1:  # optional: an absent parameter, never a null one
            field.update(options[0])
        if name == "zone":  # repeated: ?zone=A&zone=B
            field = {"type": "array", "items": {"type": "string"}}
        parameters.append({"name": name, "in": "query", "required": name in required,
                           "description": schema["properties"][name].get("description", ""),
                           "schema": field})
    return parameters


_QUERY_NAMES = tuple(f.alias or n for n, f in CheckRequest.model_fields.items())


def question_from_query(request: Request) -> CheckRequest:
    """The GET's question, validated by the POST's model. Read here rather than declared one by one
    to FastAPI: its per-parameter machinery cost a check more than the store's reads. Unknown
    parameters are ignored, as FastAPI would; errors are FastAPI's, naming the parameter."""
    query = request.query_params
    values: dict[str, Any] = {n: query[n] for n in _QUERY_NAMES if n != "zone" and n in query}
    if "zone" in query:
        values["zone"] = query.getlist("zone")
    try:
        return CheckRequest.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_input=False)]
        ) from None


@router.get("/check", operation_id="check", summary="Check a plate in a zone or at a point",
            openapi_extra={"parameters": _query_parameters()})
async def get_check(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """Answer yes or no with every grant that applies, at any moment past or present. The plate
    is personal data: prefer ``POST /check``, which keeps it out of URLs."""
    return await _ask(request, principal, question_from_query(request))


@router.post("/check", operation_id="checkByBody",
             summary="Check a plate in a zone or at a point (plate in the body)")
async def post_check(request: Request, principal: CurrentPrincipal, body: CheckRequest
                     ) -> dict[str, Any]:
    """The same as ``GET /check``; the plate travels in the body, out of URLs and access logs."""
    return await _ask(request, principal, body)


async def _ask(request: Request, principal: Principal, question: CheckRequest
               ) -> dict[str, Any]:
    zones = [question.zone] if isinstance(question.zone, str) else question.zone
    return await run_read(request, _answer, request, principal, question.plate,
                          question.country, zones, question.lon, question.lat, question.at,
                          question.right_kind)


def _answer(request: Request, principal: Principal, plate: str, country: str,
            zone: list[str] | None, lon: float | None, lat: float | None, at: str | None,
            right_kind: str | None) -> dict[str, Any]:
    moment = instant(at, "at") or now()
    if zone and (lon is not None or lat is not None):
        raise Invalid.field("zone", "give either zone or lon and lat, not both")
    if not zone and (lon is None or lat is None):
        field = "lat" if lon is not None else "lon" if lat is not None else "zone"
        raise Invalid.field(field, "give a zone, or both lon and lat")
    with open_sources(request) as (connection, sources):
        zones, left_out = _readable_zones(connection, principal, sources, zone, lon, lat, moment,
                                          request)
        try:  # a point inside no zone (no zones): the domain answers "unregulated"
            result = check(sources, country=country, plate=plate, moment=moment, zones=zones,
                           right_kind=right_kind)
        except UnknownZoneError as exc:
            raise NotFound(str(exc)) from exc
        except (CheckError, RegimeError) as exc:
            raise Invalid.field(exc.field, str(exc)) from exc
        revealed = audit.of_check(connection, result, country, plate)
    audit.record_read(request, get_store(request), revealed)
    return render(result, left_out)


def _readable_zones(connection: Connection, principal: Principal, sources: CheckSources,
                    zone: list[str] | None, lon: float | None, lat: float | None,
                    moment: datetime, request: Request | None = None
                    ) -> tuple[list[ZoneRecord], list[str]]:
    """The zones asked about that the caller may read, and those left out at a point."""
    if zone:
        wanted = list(dict.fromkeys(zone))
        found = {z.id: z for z in sources.zones_by_ids(wanted)}
        missing = [z for z in wanted if z not in found]
        if missing:
            raise NotFound(f"unknown zone(s): {', '.join(missing)}")
        zones = [found[z] for z in wanted]
    else:
        assert lon is not None and lat is not None
        if not (-180.0 <= lon <= 180.0):
            raise Invalid.field("lon", "must be between -180 and 180")
        if not (-90.0 <= lat <= 90.0):
            raise Invalid.field("lat", "must be between -90 and 90")
        zones = sorted(sources.zones_at_point(lon, lat, moment), key=lambda z: z.id)
    grants = None
    if zones and any(z.area_manager != principal.tenant for z in zones):
        grants = _read_grants(connection, principal, request)
    allowed = [z for z in zones if _may_read(principal, z, grants)]
    if zone and len(allowed) < len(zones):
        refused = [z.id for z in zones if z not in allowed]
        raise Forbidden(f"no authorisation to read rights in zone(s): {', '.join(refused)}")
    if zones and not allowed:
        raise Forbidden("no authorisation to read rights in any zone at this point")
    return allowed, [z.id for z in zones if z not in allowed]


def _read_grants(connection: Connection, principal: Principal, request: Request | None
                 ) -> list[access.Grant]:
    """The caller's read authorisations in force now, remembered by this instance for at most
    ``auth_cache_seconds`` (vptr.auth.cache: a withdrawn authorisation stops counting
    within that bound)."""
    cache = auth_cache.read_grants(request.app.state) if request is not None else None
    if cache is not None:
        known = cache.get(principal.organisation)
        if known is not None:
            return known
    found = access.grants(connection, principal.organisation, access.READ, now())
    if cache is not None and found:
        cache.put(principal.organisation, found)
    return found


def _may_read(principal: Principal, zone: ZoneRecord, grants: list[access.Grant] | None
              ) -> bool:
    """Whether the caller may read rights in the zone (the authorisation in force *now* decides,
    also for a question about the past)."""
    if principal.tenant == zone.area_manager:
        return True
    if not (principal.is_enforcement or principal.is_provider) or not grants:
        return False
    return any(g.tenant == zone.area_manager and (g.zones is None or zone.id in g.zones)
               for g in grants)


def _local(value: datetime | None, tz_name: str | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(time_zone(tz_name)).isoformat(timespec="seconds")


def render(result: CheckResult, left_out: list[str] | None = None) -> dict[str, Any]:
    """The answer as JSON: slot-like camelCase keys, instants in the zones' local time."""
    tz_name = result.zones[0].time_zone if result.zones else None
    grants = []
    for grant in result.grants:
        item: dict[str, Any] = {"kind": grant.kind, "zone": grant.zone}
        if grant.kind == "regimeExempt":
            item["regime"] = grant.id
        else:
            item["id"] = grant.id
            item["endTime"] = _local(grant.end, tz_name)
        if grant.reason is not None:
            item["reason"] = grant.reason
        if grant.name is not None:
            item["name" if grant.kind != "whitelistEntry" else "whitelist"] = grant.name
        if grant.kind == "right":
            item["withinGrace"] = grant.within_grace
        grants.append(item)
    return {
        "type": "CheckResult",
        "allowed": result.allowed,
        "checkedAt": _local(result.checked_at, tz_name),
        "grants": grants,
        "gracePeriod": result.grace_period,
        "gracePeriodBefore": result.grace_period_before,
        "zones": [{"id": z.id, "name": z.name, "zoneKind": z.zone_kind,
                   "areaManager": z.area_manager, "timeZone": z.time_zone}
                  for z in result.zones],
        "zonesLeftOut": left_out or [],
        "regimeVersions": [
            {"id": r.regime, "isVersionOf": r.series, "version": r.version, "zone": r.zone,
             "appliesNow": r.applies, "reason": r.reason, "name": r.name,
             "notCheckableByPlate": list(r.unverifiable)}
            for r in result.regimes
        ],
    }


# --- keeping plates out of the access log ------------------------------------------------------

_PLATE_IN_QUERY = re.compile(r"(?i)([?&]plate=)[^&\s]*")


def redact_plate(text: str) -> str:
    """The same URL with the value of every ``plate`` query parameter masked."""
    return _PLATE_IN_QUERY.sub(r"\1***", text)


class PlateRedactingFilter(logging.Filter):
    """Masks ``plate=`` in access-log records (uvicorn logs the full path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(redact_plate(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and "plate=" in record.msg.lower():
            record.msg = redact_plate(record.msg)
        return True


def install_plate_redaction(logger_names: tuple[str, ...] = ("uvicorn.access",)) -> None:
    """Attach the filter once to the access loggers (idempotent: create_app may run many times)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, PlateRedactingFilter) for f in logger.filters):
            logger.addFilter(PlateRedactingFilter())
