"""The one base of the domain's refusals. Each names the field at fault, so the service layer turns
any of them into the register's :class:`vptr.errors.Invalid` in one place, whatever the channel."""

from __future__ import annotations


class DomainError(ValueError):
    """A question the domain cannot answer as asked; ``field`` names the parameter at fault."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.field = field
