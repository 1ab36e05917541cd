"""The NPR channel's routes: SOAP 1.1 at ``/npr/soap`` (with the WSDL and the XSD it imports),
JSON at ``/npr/{Operation}``.

Every request takes the same path (:func:`answer`): the request element is validated against
registration.xsd before anything else happens, the caller is authenticated with the register's own
credentials (``Authorization: Bearer <API key or OAuth2 token>`` or ``X-API-Key``: these replace
the RDW's client certificate; the PIN header is accepted and not used), the operation's use case
runs, and the answer is the response element: ``*ResponseData`` or ``*ResponseError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from vptr.auth.principal import Principal
from vptr.errors import BadRequest, FieldError, Invalid, RegisterError
from vptr.http import bodies, callers
from vptr.npr import errors, open_data, schema, soap
from vptr.npr.operations import Operation, operations
from vptr.services import npr, npr_open_data
from vptr.services.runtime import Caller, Runtime


class NprRoute(APIRoute):
    """A route whose refusals made before its endpoint runs (the app-wide guards: a control
    character in a path or query parameter) are written as the NPR channel writes every other:
    the operation's ``*ResponseError`` (``ResponseError`` when the operation is not known), or
    the management routes' refusal. The endpoints catch what their use cases raise themselves.

    The message endpoints (``/npr/soap``, ``/npr/{Operation}``) read their own body and need
    nothing FastAPI would resolve: they are served without its per-request dependency machinery
    (a seventh of a CheckPSRight's server time), running the app's guards (``app.state.guards``:
    the rate limit and the parameters' text, the dependencies every route gets) and then the
    endpoint, as the native API's hot check does. Still APIRoutes: in the router list, metered by
    operation id. An app that names no guards, or a route given dependencies of its own, is
    served the ordinary way."""

    #: Endpoints served lean: their parameters are the path's and the request.
    LEAN = frozenset({"nprSoap", "nprOperation"})

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except Invalid as refused:
                return _guard_refusal(request, refused)

        return handle

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = scope.get("app")
        guards = getattr(getattr(app, "state", None), "guards", None)
        if self.operation_id not in self.LEAN or scope["method"] not in self.methods \
                or guards is None or self.dependencies:
            await super().handle(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            for guard in guards:
                await guard(request)
            response = await self.endpoint(request=request, **scope.get("path_params", {}))
        except Invalid as refused:
            response = _guard_refusal(request, refused)
        await response(scope, receive, send)


def _guard_refusal(request: Request, refused: Invalid) -> Response:
    route = getattr(request.scope.get("route"), "operation_id", None)
    if route in ("nprSoap", "nprServiceDescription"):  # a request SOAP cannot read: a fault
        fault = soap.Fault("Client", f"{refused.errors[0].field or 'the query'}: "
                                     f"{refused.errors[0].reason}" if refused.errors
                           else refused.detail)
        return Response(soap.fault(fault), status_code=400, media_type=soap.MEDIA_TYPE)
    if route != "nprOperation":
        return _refusal(refused)
    error = errors.from_register(refused)
    operation = operations().get(request.path_params.get("operation_name", ""))
    if operation is None:
        return _json({"ResponseError": errors.error_element(error)}, error.code.http_status)
    return _json({operation.response: {operation.response_error: errors.error_element(error)}},
                 error.code.http_status)


router = APIRouter(prefix="/npr", tags=["npr"], route_class=NprRoute)


def _caller(request: Request, principal: Principal, operation: Operation) -> Caller:
    request.state.channel_operation = f"npr:{operation.name}"  # metering counts per operation
    return callers.caller_of(request, principal, f"npr:{operation.name}")


async def answer(request: Request, operation: Operation, element: Any
                 ) -> tuple[dict[str, Any], int]:
    """The response element's JSON form and the JSON channel's HTTP status, for a request
    element (XML) of ``operation``."""
    npr_schema = schema.schema()
    try:
        if not operation.offered:
            raise errors.NprError(errors.NOT_OFFERED,
                                  f"{operation.name} is not offered by this register")
        try:
            npr_schema.validate(element)
            data = npr_schema.from_xml(element).get(operation.request_data) or {}
        except schema.SchemaViolation as violation:
            raise errors.NprError(errors.SCHEMA, str(violation), violation.element) from None
        runtime = await callers.ready_runtime(request)
        caller = _caller(request, await callers.principal_of(request), operation)
        assert operation.handler is not None
        run = runtime.run_write if operation.writes else runtime.run_read
        try:
            result = await run(operation.handler, runtime, caller, data)
        except RegisterError as error:
            raise errors.from_register(error) from None
    except errors.NprError as error:
        return refused(operation, error)
    except RegisterError as error:  # authentication
        return refused(operation, errors.from_register(error))
    return checked(operation, {operation.response_data: result}), 200


def refused(operation: Operation, error: errors.NprError) -> tuple[dict[str, Any], int]:
    """The operation's ``*ResponseError`` for ``error`` and the JSON channel's status: the one
    way every refusal is answered, before or after the request was read."""
    response = {operation.response_error: errors.error_element(error)}
    return checked(operation, response), error.code.http_status


def checked(operation: Operation, response: dict[str, Any]) -> dict[str, Any]:
    """The response element's content, validated against the XSD first when
    :data:`schema.CHECK_RESPONSES` is on (the test suite): no answer leaves unchecked."""
    if schema.CHECK_RESPONSES:
        npr_schema = schema.schema()
        npr_schema.validate(npr_schema.to_xml(operation.response, response))
    return response


# --- SOAP --------------------------------------------------------------------------------------

@router.get("/soap", operation_id="nprServiceDescription", include_in_schema=False)
async def service_description(request: Request) -> Response:
    """``?wsdl``: the WSDL, pointing here; ``?xsd=registration.xsd``: the schema it imports."""
    if "xsd" in request.query_params:
        return Response(schema.XSD_PATH.read_bytes(), media_type="text/xml")
    base = str(request.base_url).rstrip("/")
    return Response(soap.served_wsdl(base), media_type="text/xml")


@router.post("/soap", operation_id="nprSoap", include_in_schema=False)
async def soap_endpoint(request: Request) -> Response:
    """SOAP 1.1, document/literal: one operation per request, chosen by the body's element."""
    body = await request.body()
    try:
        envelope = soap.read(body, request.headers.get("soapaction"))
    except soap.Fault as fault:
        return Response(soap.fault(fault), status_code=400, media_type=soap.MEDIA_TYPE)
    response, _ = await answer(request, envelope.operation, envelope.element)
    element = schema.schema().to_xml(envelope.operation.response, response)
    return Response(soap.envelope(element, envelope), media_type=soap.MEDIA_TYPE)


# --- the RDW open-data tables ------------------------------------------------------------------

@router.get("/open-data", operation_id="nprExportOpenData", response_class=Response,
            responses={200: {"description": "A zip of the tables as CSV files.", "content": {
                "application/zip": {"schema": {"type": "string", "format": "binary"}}}}},
            summary="The caller's configuration as the RDW open-data tables (a zip of CSV files)")
async def export_open_data(request: Request) -> Response:
    """GEBIEDSBEHEERDER, GEBIED, GEBIED REGELING, GEBRUIKSDOEL, REGELING, TIJDVAK,
    TARIEFBEREKENING, TARIEFDEEL, SPECIALE DAG and GEOMETRIE GEBIED of the area manager."""
    try:
        runtime, caller = await _management_caller(request, "nprExportOpenData")
        tables = await run_in_threadpool(npr_open_data.export_tables, runtime, caller)
    except RegisterError as error:
        return _refusal(error)
    return Response(open_data.to_zip(tables), media_type="application/zip", headers={
        "Content-Disposition": 'attachment; filename="npr-open-data.zip"'})


@router.post("/open-data", operation_id="nprImportOpenData",
             summary="Import RDW open-data tables (a zip of CSV files) into the caller's tenant")
async def import_open_data(request: Request) -> Response:
    """All or nothing: every refused value is named by table, row and column."""
    try:
        runtime, caller = await _management_caller(request, "nprImportOpenData")
        tables = open_data.from_zip(await request.body(), runtime.settings.max_body_bytes)
        done = await run_in_threadpool(npr_open_data.import_tables, runtime, caller, tables)
    except RegisterError as error:
        return _refusal(error)
    return _json({"zones": done.zones, "regimes": done.regimes, "versions": done.versions}, 200)


@router.get("/codes", operation_id="nprCodes", summary="The area manager's NPR codes")
async def list_codes(request: Request) -> Response:
    """Its AreaManagerId and the AreaIds, RegulationIds, FareCalculationCodes, SellingPointIds
    and UsageIds of its zones, regimes and usages."""
    try:
        runtime, caller = await _management_caller(request, "nprCodes")
        found = await run_in_threadpool(npr.codes, runtime, caller)
    except RegisterError as error:
        return _refusal(error)
    return _json({"codes": found}, 200)


@router.put("/codes/{kind}/{code}", operation_id="nprAssignCode",
            summary="Give one of the area manager's zones, regimes or usages its NPR code")
async def assign_code(kind: str, code: str, request: Request) -> Response:
    """``kind`` is areaManager, area, regulation, fare, sellingPoint or usage; the body names
    the target: ``{"target": "<zone or regime IRI, or a Usage>", "description": "..."}``."""
    try:
        runtime, caller = await _management_caller(request, "nprAssignCode")
        body = await bodies.read_json(request, optional=True, media_types=None)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise BadRequest("send a JSON object with target",
                             [FieldError(None, "not a JSON object")])
        done = await run_in_threadpool(npr.assign_code, runtime, caller, kind, code,
                                       body.get("target"), body.get("description"))
    except RegisterError as error:
        return _refusal(error)
    return _json(done, 200)


async def _management_caller(request: Request, operation: str) -> tuple[Runtime, Caller]:
    """The authenticated caller of an area manager's request (401 without credentials)."""
    runtime = await callers.ready_runtime(request)
    principal = await callers.principal_of(request)
    return runtime, callers.caller_of(request, principal, operation)


_STATUS = {"Invalid": 400, "BadRequest": 400, "NotFound": 404, "Forbidden": 403,
           "Unauthorised": 401, "Conflict": 409, "Unavailable": 503}


def _refusal(error: RegisterError) -> Response:
    status = (error.status if isinstance(error, bodies.HttpRefusal)
              else _STATUS.get(type(error).__name__, 400))
    return _json({"detail": error.detail,
                  "errors": [{"where": e.field, "reason": e.reason} for e in error.errors]},
                 status)


# --- JSON --------------------------------------------------------------------------------------

@router.post("/{operation_name}", operation_id="nprOperation",
             summary="An NPR operation as JSON (the XSD's request element, element names as keys)")
async def json_endpoint(operation_name: str, request: Request) -> Response:
    """The body is the request element (``{"PSRightCheckRequest": {...}}``) or its content
    (``{"PSRightCheckRequestData": {...}}``); the answer is the response element. A body that
    cannot be read (vptr.http.bodies: not JSON, too deep, a number no parser holds) is refused
    with ErrorCode 101 before anything else happens."""
    operation = operations().get(operation_name)
    if operation is None:
        return _json({"ResponseError": _no_such_operation(operation_name)}, 404)
    try:
        try:
            message = await bodies.read_json(request, media_types=None)
        except RegisterError as error:
            raise errors.NprError(errors.UNREADABLE, error.detail,
                                  _element(next((e.field for e in error.errors if e.field), None))
                                  ) from None
        if not isinstance(message, dict):
            raise errors.NprError(errors.UNREADABLE, "the body is not a JSON object")
        if set(message) == {operation.request}:
            message = message[operation.request]
        try:
            element = schema.schema().to_xml(operation.request, message)
        except schema.SchemaViolation as violation:
            raise errors.NprError(errors.SCHEMA, str(violation), violation.element) from None
    except errors.NprError as error:
        response, status = refused(operation, error)
    else:
        response, status = await answer(request, operation, element)
    return _json({operation.response: response}, status)


def _element(path: str | None) -> str | None:
    """The element a path in the body ends in (``PSRightEnrollRequestData.PSRightId`` ->
    ``PSRightId``): ErrorVariable names an element, as for a schema violation."""
    element = (path or "").rsplit(".", 1)[-1].split("[", 1)[0]
    return element or None


def _no_such_operation(name: str) -> dict[str, Any]:
    """The answer to a name that is no operation of the XSD: there is no response element to
    answer in, so it is a bare ``ResponseError`` of the XSD's type (validated like every
    answer)."""
    content = errors.error_element(errors.NprError(errors.NOT_OFFERED, f"no operation {name}",
                                                   "operation"))
    if schema.CHECK_RESPONSES:
        schema.schema().validate_error(content)
    return content


def _json(content: Any, status: int) -> Response:
    return Response(json.dumps(content, ensure_ascii=False, separators=(",", ":")),
                    status_code=status, media_type="application/json")

