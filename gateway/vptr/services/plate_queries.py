"""A plate asked about: the one place where a search, a listing or an audit query takes a plate as
the caller typed it (``1.abc.123``, ``be``) and makes it the standard's form, or refuses it naming
the field at fault.

Every use case that looks something up by plate builds a :class:`PlateQuery` from what it was
given, so no channel has to (or can) normalise on its own: the native API, the web screens and the
gateways all find the same right for ``1-ABC 123`` and all refuse country ``ZZ``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from vptr.domain import plates
from vptr.errors import Invalid
from vptr.store.plate_keys import hash_for


@dataclass(frozen=True)
class PlateQuery:
    """A plate and its country in normal form; constructing one from anything else normalises it
    (:func:`vptr.domain.plates.checked`) or raises :class:`~vptr.errors.Invalid` naming ``plate``
    or ``country``. The error never repeats the plate: it ends up in logs."""

    plate: str
    country: str

    def __post_init__(self) -> None:
        try:
            plate, country = plates.checked(self.plate, self.country)
        except plates.PlateError as exc:
            raise Invalid.field(exc.field, str(exc)) from None
        object.__setattr__(self, "plate", plate)
        object.__setattr__(self, "country", country)

    @classmethod
    def given(cls, plate: str | None, country: str | None) -> PlateQuery | None:
        """The query when a plate was given, None when neither was; a plate is looked up with its
        country (its pseudonym is keyed by both), so one without the other is refused."""
        given = paired(plate, country)
        return None if given is None else cls(*given)

    def hash_in(self, connection: Connection, tenant: str) -> str:
        """The plate's pseudonym in one tenant: what the register stores and matches."""
        return hash_for(connection, tenant, self.country, self.plate)


def paired(plate: str | None, country: str | None) -> tuple[str, str] | None:
    """A plate and its country, as typed, when both were given; None when neither was. A plate
    is looked up with its country (its pseudonym is keyed by both): one without the other is
    refused, naming the one missing."""
    if plate is None:
        if country is not None:
            raise Invalid.field("plate", "is required with country")
        return None
    if not country:
        raise Invalid.field("country", "is required with plate (the ISO code, such as BE)")
    return plate, country
