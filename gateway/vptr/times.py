"""Instants as the register handles them: always with a time zone, compared in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from vptr.errors import Invalid


def now() -> datetime:
    return datetime.now(UTC)


def parse_instant(value: object, field: str) -> datetime:
    """An ISO 8601 date-time with an offset (``2026-03-02T10:00:00+01:00`` or ``...Z``).

    A date-time without an offset is refused: it would mean a different instant in every time zone.
    """
    if not isinstance(value, str):
        raise Invalid.field(field, "must be an ISO 8601 date-time string with a time zone offset")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise Invalid.field(field, f"not an ISO 8601 date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise Invalid.field(field, f"needs a time zone offset (such as +01:00 or Z): {value!r}")
    return parsed.astimezone(UTC)


def optional_instant(value: object, field: str) -> datetime | None:
    return None if value is None else parse_instant(value, field)


def format_instant(value: datetime) -> str:
    """How the register writes an instant it sets itself: UTC, seconds, ``Z``."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def period(document: dict, field: str = "validityPeriod", required: bool = False
           ) -> tuple[datetime | None, datetime | None]:
    """The start and end of a document's period; the end must come after the start."""
    value = document.get(field)
    if value is None:
        if required:
            raise Invalid.field(field, "is required")
        return None, None
    if not isinstance(value, dict):
        raise Invalid.field(field, "must be an object with startTime and endTime")
    start = optional_instant(value.get("startTime"), f"{field}.startTime")
    end = optional_instant(value.get("endTime"), f"{field}.endTime")
    if required and start is None:
        raise Invalid.field(f"{field}.startTime", "is required")
    if start is not None and end is not None and end <= start:
        raise Invalid.field(f"{field}.endTime", "must be after startTime")
    return start, end
