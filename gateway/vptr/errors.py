"""The one family of the register's refusals, independent of any channel: the native API renders
each as an RFC 9457 problem (``vptr.api.problems``), the APDS and NPR gateways as their own error
messages, the CLI as a line of text. The classes say what went wrong, never how to show it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One reason a request was refused, and where: ``field`` is the property chain in the body
    (``validityPeriod.endTime``), a query parameter or a header."""

    field: str | None
    reason: str
    #: The reason in each language the rule speaks (``nl``, ``en``), when it comes from the
    #: application profile (a shape's ``sh:message``, or the text of its constraint component);
    #: ``reason`` is the English one.
    messages: dict[str, str] | None = dataclasses.field(default=None, compare=False, hash=False)

    def text(self, lang: str) -> str:
        """The reason in ``lang`` when the rule gives it, else as the register words it."""
        return (self.messages or {}).get(lang) or self.reason

    def as_json(self) -> dict[str, str | None]:
        return {"field": self.field, "reason": self.reason}


class RegisterError(Exception):
    """Base of the register's refusals."""

    def __init__(self, detail: str, errors: Iterable[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        #: More members for the problem document (e.g. the validation report's violations).
        self.extra: dict[str, object] = {}


class BadRequest(RegisterError):  # noqa: N818 - a refusal, not a bug
    """The request cannot be read (not JSON, an unknown term, a broken parameter)."""


class Invalid(RegisterError):  # noqa: N818 - a refusal, not a bug
    """The request was read, but its content breaks a rule: of the standard or of the register."""


    @classmethod
    def field(cls, field: str | None, reason: str) -> Invalid:
        return cls(f"{field}: {reason}" if field else reason, [FieldError(field, reason)])


class NotFound(RegisterError):  # noqa: N818 - a refusal, not a bug
    """Nothing there, or nothing the caller may know is there (another tenant's data)."""



class Forbidden(RegisterError):  # noqa: N818 - a refusal, not a bug
    """The caller is known but may not do this."""



class Unauthorised(RegisterError):  # noqa: N818 - a refusal, not a bug
    """No credentials, or credentials the register does not know."""



class Conflict(RegisterError):  # noqa: N818 - a refusal, not a bug
    """The request clashes with what is stored (a reused idempotency key, a referenced resource)."""

    @classmethod
    def taken(cls, iri: str) -> Conflict:
        """A client-chosen ``id`` already in use: one answer whoever's it is and whatever it is,
        so it says nothing of another tenant's resource but that the IRI is taken."""
        return cls(f"the id {iri} is already in use; choose another or leave id out",
                   [FieldError("id", "already in use")])



class Unavailable(RegisterError):  # noqa: N818 - a refusal, not a bug
    """Something the register depends on (an identity provider) does not answer: try later."""
