"""``/validate``: check a payload against the application profile, for machines and for people.

``POST /validate`` takes the payload as the body, read by its Content-Type (JSON-LD, plain JSON,
Turtle, N-Triples; a form from the page), and answers with the report in the format ``Accept``
asks for: a concise JSON summary (the default), a SHACL ``sh:ValidationReport`` in JSON-LD or
Turtle, or the HTML page. A report is an answer, conforming or not (200); a payload that cannot be
read at all is a 400 problem naming the field and the reason; a body over the size limit is
refused with 413 before it is read. ``GET /validate`` is the page where a person pastes or uploads
a payload. Nothing is stored and nothing is logged of the payload: it may hold licence plates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from vptr.api.negotiation import JSON, JSONLD, TURTLE, preferred
from vptr.api.routes.validate_page import page
from vptr.http.bodies import UnsupportedMediaType
from vptr.validation import PayloadError, Report, validate_payload
from vptr.validation.report_rdf import to_jsonld, to_turtle

router = APIRouter(tags=["validation"])

HTML = "text/html"
_OFFERED = (JSON, JSONLD, TURTLE, HTML)
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_PAYLOAD_TYPES = ("application/json", "application/ld+json", "text/turtle", "application/x-turtle",
                  "application/n-triples", "text/plain")

Lang = Literal["nl", "en"]
Engine = Literal["fast", "pyshacl"]


def choose(request: Request) -> str:
    """The report format the client prefers; the JSON summary when it does not say."""
    return preferred(request, _OFFERED, default=JSON, for_text=HTML, what="a report")


def language(request: Request, lang: str | None) -> str:
    if lang in ("nl", "en"):
        return lang
    preferred = request.headers.get("accept-language", "")
    return "nl" if preferred.lower().startswith("nl") else "en"


def summary_json(report: Report, lang: str) -> dict[str, Any]:
    """The concise summary: the report's JSON with each message in the chosen language."""
    violations = []
    for v in report.sorted_violations():
        item = v.as_json()
        item.pop("messages")
        item["message"] = v.text(lang)
        violations.append(item)
    return {"conforms": report.conforms, "checkedObjects": report.focus_nodes,
            "violations": violations}


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _form_payload(request: Request) -> tuple[bytes, str | None, str | None]:
    """The payload of the page's form: the uploaded file if one was chosen, else the text."""
    form = await request.form()
    upload = form.get("file")
    filename = None
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = await upload.read()
        filename = upload.filename or None
    if not data.strip():
        text = form.get("payload")
        data = text.encode("utf-8") if isinstance(text, str) else b""
        filename = None
    type_name = form.get("type")
    return data, filename, type_name if isinstance(type_name, str) and type_name else None


@router.get("/validate", operation_id="validatePage", response_class=HTMLResponse,
            summary="The page to validate a payload by hand")
def validate_page(
    request: Request,
    lang: Annotated[Lang | None, Query(description="nl or en (default: Accept-Language).")] = None,
) -> HTMLResponse:
    """A form to paste or upload a payload; the report comes back as a table."""
    return HTMLResponse(page(language(request, lang)))


@router.post(
    "/validate", operation_id="validate", summary="Validate a payload against the profile",
    responses={
        200: {"description": "The validation report (conforming or not).",
              "content": {JSON: {}, JSONLD: {}, TURTLE: {}, HTML: {}}},
        400: {"description": "The payload cannot be read (problem details name the field)."},
        406: {"description": "None of the report formats is acceptable."},
        413: {"description": "The body is larger than the register accepts."},
        415: {"description": "The Content-Type is not a payload format."},
    },
)
async def validate(
    request: Request,
    type_name: Annotated[str | None, Query(
        alias="type",
        description="The class of outermost objects without 'type' (e.g. Right).")] = None,
    lang: Annotated[Lang | None, Query(description="Language of the messages (nl or en).")]
    = None,
    engine: Annotated[Engine, Query(description="fast, or pyshacl (the reference).")] = "fast",
) -> Response:
    """Validate a JSON-LD, JSON, Turtle or N-Triples payload (the Content-Type says which)."""
    media = choose(request)
    lang_code = language(request, lang)
    content_type = _media_type(request)
    filename = None
    if content_type in _FORMS:
        data, filename, form_type = await _form_payload(request)
        type_name = type_name or form_type
        payload_type = None
    elif not content_type or content_type in _PAYLOAD_TYPES or content_type.endswith("+json"):
        data = await request.body()
        payload_type = content_type or None
    else:
        raise UnsupportedMediaType(
            f"{content_type} is not a payload format; send JSON-LD, JSON, Turtle or N-Triples")
    settings = request.app.state.settings
    try:
        report = await run_in_threadpool(
            validate_payload, data, payload_type, filename, type_name, engine=engine,
            max_bytes=settings.max_body_bytes)
    except PayloadError as exc:
        if media == HTML:
            field = exc.field.strip("/").replace("/", ".") if exc.field else None
            return HTMLResponse(page(lang_code, _text(data), type_name, error=(exc.reason, field)),
                                status_code=400)
        raise
    if media == HTML:
        return HTMLResponse(page(lang_code, _text(data), type_name, report=report))
    if media == TURTLE:
        return Response(to_turtle([(None, report)]), media_type=TURTLE)
    if media == JSONLD:
        return Response(to_jsonld([(None, report)]), media_type=JSONLD)
    return Response(_json(summary_json(report, lang_code)), media_type=JSON)


def _json(body: Any) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
