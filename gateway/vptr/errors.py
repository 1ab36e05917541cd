"""What can go wrong in the register, independent of HTTP: the API turns each into problem details
(``vptr.api.problems``), a CLI or a batch job can report them its own way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One reason a request was refused, and where: ``field`` is the property chain in the body
    (``validityPeriod.endTime``), a query parameter or a header."""

    field: str | None
    reason: str

    def as_json(self) -> dict[str, str | None]:
        return {"field": self.field, "reason": self.reason}


class RegisterError(Exception):
    """Base of the register's refusals; ``status`` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        #: More members for the problem document (e.g. the validation report's violations).
        self.extra: dict[str, object] = {}


class BadRequest(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """The request cannot be read (not JSON, an unknown term, a broken parameter)."""


class Invalid(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """The request was read, but its content breaks a rule: of the standard or of the register."""

    status = 422
    title = "Invalid content"
    slug = "invalid"

    @classmethod
    def field(cls, field: str | None, reason: str) -> Invalid:
        return cls(f"{field}: {reason}" if field else reason, [FieldError(field, reason)])


class NotFound(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """Nothing there, or nothing the caller may know is there (another tenant's data)."""

    status = 404
    title = "Not found"
    slug = "not-found"


class Forbidden(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """The caller is known but may not do this."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthorised(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """No credentials, or credentials the register does not know."""

    status = 401
    title = "Unauthorised"
    slug = "unauthorised"


class Conflict(RegisterError):  # noqa: N818 - named for the HTTP status it maps to
    """The request clashes with what is stored (a reused idempotency key, a referenced resource)."""

    status = 409
    title = "Conflict"
    slug = "conflict"
