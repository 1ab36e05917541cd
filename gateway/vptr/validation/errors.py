"""What stops validation before it starts: input that cannot even be checked (not JSON, broken
JSON-LD, unknown terms, too large), or shapes the fast validator cannot compile."""

from __future__ import annotations


class PayloadError(ValueError):
    """The payload could not be read; ``field`` names where (a JSON pointer), ``reason`` what."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason)


class UnsupportedShapeError(RuntimeError):
    """The shapes use something the fast validator does not implement."""
