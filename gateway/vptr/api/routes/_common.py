"""Small helpers the resource routers share."""

from __future__ import annotations

from vptr.validation.model_index import model_index


def codes(enum: str) -> tuple[str, ...]:
    """The short names of a code list of the model (for checking filter parameters)."""
    return tuple(model_index().enums[enum])
