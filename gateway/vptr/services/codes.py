"""Filter values checked against the model's code lists, so every channel refuses the same
unknown values with the same words."""

from __future__ import annotations

from vptr.errors import Invalid
from vptr.validation.model_index import model_index


def codes(enum: str) -> tuple[str, ...]:
    """The short names of a code list of the model."""
    return tuple(model_index().enums[enum])


def one_of(value: str | None, enum_or_values: str | tuple[str, ...], name: str) -> str | None:
    """``value`` if it is absent or one of the allowed values (a code list of the model, named,
    or the values themselves), else :class:`Invalid` naming the parameter."""
    allowed = codes(enum_or_values) if isinstance(enum_or_values, str) else enum_or_values
    if value is not None and value not in allowed:
        raise Invalid.field(name, f"one of {', '.join(allowed)}")
    return value
