"""``/check``: may this plate park in, or enter, this zone (or at this point) at this moment?

The use case, with who may ask about which zone, is :func:`vptr.services.checking.ask`; this
module reads the question, calls it, and writes the answer (``zonesLeftOut`` names the zones at a
point where the caller may read the tenant's configuration but not check; zones of tenants that
authorised it for nothing are absent).

The plate is personal data: it is never echoed in the answer, never put in an error message, and
the ``plate=`` query parameter is masked in the server's access log (vptr.api.access_log).
Enforcement should prefer ``POST /check``, which keeps the plate out of URLs altogether.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vptr.api.authentication import CurrentPrincipal, caller_of, current_runtime
from vptr.api.deps import JsonBody, instant
from vptr.api.hot_route import HotRoute
from vptr.api.openapi import COUNTRY_CODES, PLATE_PATTERN
from vptr.auth.principal import Principal
from vptr.domain.calendar import time_zone
from vptr.domain.checking import CheckResult
from vptr.services import checking
from vptr.times import in_zone

#: Served by HotRoute: the register's most frequent question skips FastAPI's per-request
#: machinery (vptr.api.hot_route), keeping its guards, errors and OpenAPI description.
router = APIRouter(tags=["questions"], route_class=HotRoute)

RightKindParam = Literal["parking", "access"]


class CheckRequest(BaseModel):
    """The body of ``POST /check`` (the same question as the GET, without the plate in the URL)."""

    model_config = ConfigDict(extra="forbid")

    # The bounds in json_schema_extra describe what the use case checks (vptr.domain.plates,
    # vptr.domain.checking.checked_point), with its own refusals naming the field.
    plate: str = Field(description="The licence plate; spaces, dots, dashes, underscores and "
                                   "slashes are ignored.",
                       json_schema_extra={"pattern": PLATE_PATTERN})
    country: str = Field(description="The issuing country, ISO 3166-1 alpha-2 (BE).",
                         json_schema_extra={"enum": COUNTRY_CODES})
    zone: list[str] | str | None = Field(default=None, description="One or more zones (IRIs or "
                                                                    "references).")
    lon: float | None = Field(default=None, description="WGS84 longitude, with lat.",
                              json_schema_extra={"minimum": -180, "maximum": 180})
    lat: float | None = Field(default=None, description="WGS84 latitude, with lon.",
                              json_schema_extra={"minimum": -90, "maximum": 90})
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


def _body_schema() -> dict[str, Any]:
    schema = CheckRequest.model_json_schema(by_alias=True)
    content = {"schema": schema, "example": {"plate": "1ABC123", "country": "BE",
                                             "zone": "gent-rood"}}
    return {"requestBody": {"required": True, "content": {"application/json": content,
                                                           "application/ld+json": content}}}


@router.post("/check", operation_id="checkByBody",
             summary="Check a plate in a zone or at a point (plate in the body)",
             openapi_extra=_body_schema())
async def post_check(request: Request, principal: CurrentPrincipal, body: JsonBody
                     ) -> dict[str, Any]:
    """The same as ``GET /check``; the plate travels in the body, out of URLs and access logs.
    The body is read as every other (one way only, bounded depth, vptr.api.deps)."""
    try:
        question = CheckRequest.model_validate(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        ) from None
    return await _ask(request, principal, question)


async def _ask(request: Request, principal: Principal, body: CheckRequest) -> dict[str, Any]:
    # The runtime and the caller are taken here rather than as dependencies: the check is the
    # register's hottest route, and each dependency FastAPI resolves costs it measurably.
    runtime, caller = await current_runtime(request), caller_of(request, principal)
    zones = (body.zone,) if isinstance(body.zone, str) else tuple(body.zone or ())
    question = checking.Question(body.plate, body.country, zones, body.lon, body.lat,
                                 instant(body.at, "at"), body.right_kind)
    answer = await runtime.run_read(checking.ask, runtime, caller, question)
    return render(answer.result, answer.left_out)


def _local(value: datetime | None, tz_name: str | None) -> str | None:
    if value is None:
        return None
    return in_zone(value, time_zone(tz_name)).isoformat(timespec="seconds")


def render(result: CheckResult, left_out: tuple[str, ...] = ()) -> dict[str, Any]:
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
        "zonesLeftOut": list(left_out),
        "regimeVersions": [
            {"id": r.regime, "isVersionOf": r.series, "version": r.version, "zone": r.zone,
             "appliesNow": r.applies, "reason": r.reason, "name": r.name,
             "notCheckableByPlate": list(r.unverifiable)}
            for r in result.regimes
        ],
    }
