"""The NPR gateway's error codes: every refusal is the operation's ``*ResponseError`` with
``ErrorCode`` (0..999), ``ErrorDesc`` (at most 80 characters) and ``ErrorVariable`` (the element at
fault, at most 200). The table is documented in docs/npr-gateway.md; a test keeps the two equal.

Only an envelope that cannot be read at all (not XML, not a SOAP 1.1 envelope, no body, an
operation the gateway does not offer) is a SOAP Fault (:data:`FAULTS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from vptr.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RegisterError,
    Unauthorised,
    Unavailable,
)


@dataclass(frozen=True, slots=True)
class Code:
    code: int
    http_status: int  # of the JSON channel; SOAP answers 200 with the *ResponseError
    meaning: str


SCHEMA = Code(100, 400, "the request does not conform to registration.xsd (v18.0)")
UNREADABLE = Code(101, 400, "the body is not JSON (JSON channel)")
INVALID = Code(110, 400, "a value breaks a rule of the register")
BAD_REQUEST = Code(120, 400, "the request cannot be read as asked")
NOT_FOUND = Code(200, 404, "an area manager, area, selling point, usage or right the caller "
                           "may see does not exist")
UNAUTHORISED = Code(300, 401, "no credential, or one the register does not know")
FORBIDDEN = Code(310, 403, "the caller may not do this here (no authorisation of the area "
                           "manager)")
CONFLICT = Code(400, 409, "the request clashes with what is stored (a right already ended, "
                          "a reference used for another right)")
UNAVAILABLE = Code(500, 503, "something the register depends on does not answer: try again")
NOT_OFFERED = Code(900, 404, "an operation of the WSDL this register does not offer")

CODES = (SCHEMA, UNREADABLE, INVALID, BAD_REQUEST, NOT_FOUND, UNAUTHORISED, FORBIDDEN, CONFLICT,
         UNAVAILABLE, NOT_OFFERED)

_BY_CLASS: tuple[tuple[type[RegisterError], Code], ...] = (
    (Invalid, INVALID), (BadRequest, BAD_REQUEST), (NotFound, NOT_FOUND),
    (Unauthorised, UNAUTHORISED), (Forbidden, FORBIDDEN), (Conflict, CONFLICT),
    (Unavailable, UNAVAILABLE))

#: SOAP 1.1 faults (faultcode, when): only for envelopes the gateway cannot read at all.
FAULTS = (
    ("soap:Client", "the body is not well-formed XML, or not a SOAP 1.1 Envelope with a Body "
                    "holding one element"),
    ("soap:VersionMismatch", "a SOAP 1.2 envelope (this register serves SOAP 1.1 only)"),
    ("soap:MustUnderstand", "a header with mustUnderstand=\"1\" other than PIN and "
                            "WS-Addressing"),
    ("soap:Client", "the SOAPAction names another operation than the body's element"),
    ("soap:Client", "an operation of the WSDL this register does not offer (ErrorCode 900 in "
                    "the detail)"),
)


class NprError(Exception):
    """A refusal the gateway answers as the operation's ``*ResponseError``."""

    def __init__(self, code: Code, description: str, variable: str | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.variable = variable


def from_register(error: RegisterError) -> NprError:
    """A refusal of the register (a use case) as the NPR answers it."""
    code = next((c for cls, c in _BY_CLASS if isinstance(error, cls)), BAD_REQUEST)
    variable = next((e.field for e in error.errors if e.field), None)
    return NprError(code, error.detail, variable)


def error_element(error: NprError) -> dict[str, object]:
    """ErrorCode, ErrorDesc and ErrorVariable within the XSD's lengths."""
    element: dict[str, object] = {"ErrorCode": error.code.code,
                                  "ErrorDesc": _cut(error.description or error.code.meaning, 80)}
    if error.variable:
        element["ErrorVariable"] = _cut(error.variable, 200)
    return element


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split()) or "-"
    return text if len(text) <= limit else text[:limit - 1] + "…"
