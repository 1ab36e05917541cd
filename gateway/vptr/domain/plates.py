"""Licence plates: the one place that says what a plate is, how it is written and how it is hashed.

A plate is personal data. The register keeps it in the standard's form (upper-case letters and
digits) and looks it up by plate_hash = HMAC-SHA256(tenant key, COUNTRY ":" PLATE), so one tenant's
hashes say nothing about another's and lookups keep working after retention blanks the clear
plate. Which key belongs to which tenant is the store's business (:mod:`vptr.store.plate_keys`).
Error messages never repeat the plate: they end up in logs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import get_args

from vptr.domain.errors import DomainError
from vptr.standard.datamodel import LicencePlate

_NOT_PLATE = re.compile(r"[\s.\-_/]+")
_PLATE = re.compile(r"^[A-Z0-9]{1,25}$")
#: The model's code list for a plate's country (ISO 3166-1 alpha-2, ``equals_string_in`` in
#: model/vehicle.yaml), read from the generated data model so that a lookup refuses exactly the
#: countries the application profile refuses.
COUNTRIES: frozenset[str] = frozenset(get_args(LicencePlate.model_fields["country"].annotation))


class PlateError(DomainError):
    """A plate or country that is not one."""


def normalise_plate(raw: str) -> str:
    """A plate as typed (``1-abc 123``) in the standard's form (``1ABC123``); spaces, dots,
    dashes, underscores and slashes are ignored."""
    return _NOT_PLATE.sub("", raw).upper()


def normalise_country(raw: str) -> str:
    return raw.strip().upper()


def checked(plate: str, country: str, field: str = "plate") -> tuple[str, str]:
    """The plate and country in normal form, or :class:`PlateError` naming the one at fault."""
    plate, country = normalise_plate(plate), normalise_country(country)
    if not _PLATE.match(plate):
        raise PlateError("a plate is 1 to 25 letters and digits (spaces, dots, dashes, "
                         "underscores and slashes are ignored)", field)
    if country not in COUNTRIES:
        raise PlateError(_country_reason(country), "country")
    return plate, country


def _country_reason(country: str) -> str:
    if country == "UK":  # the UNECE sign since 2021, ISO 3166-1 "exceptionally reserved"
        return "not an ISO 3166-1 alpha-2 code: the United Kingdom is GB"
    return "not an ISO 3166-1 alpha-2 code (such as BE, NL, DE, FR, LU, GB)"


def plate_hash(key: bytes, country: str, plate: str) -> str:
    """The plate's pseudonym under one tenant's key (plate and country in normal form)."""
    return hmac.new(key, f"{country}:{plate}".encode(), hashlib.sha256).hexdigest()


def pseudonym(plate_hash_hex: str) -> str:
    """What the register shows instead of a blanked plate: still a syntactically valid plate, so a
    document stays valid, but it names no vehicle."""
    return "X" + plate_hash_hex[:24].upper()
