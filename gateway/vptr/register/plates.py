"""Licence plates: personal data, looked up by a tenant-keyed hash.

plate_hash = HMAC-SHA256(tenant key, COUNTRY ":" PLATE): one tenant's hashes say nothing about
another's, and lookups keep working after retention blanks the clear plate. Each tenant's key is
made when the tenant is created and never changes, so caching it in the process is safe across
instances.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, select

from . import tables
from .errors import Invalid
from .times import now

_NOT_PLATE = re.compile(r"[\s.\-_/]")
_PLATE = re.compile(r"^[A-Z0-9]{1,25}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def normalise_plate(raw: str) -> str:
    """A plate as typed (``1-abc-123``) in the standard's form (``1ABC123``)."""
    return _NOT_PLATE.sub("", raw).upper()


def check_plate(plate: str, country: str, field: str = "plate") -> tuple[str, str]:
    plate, country = normalise_plate(plate), country.strip().upper()
    if not _PLATE.match(plate):
        raise Invalid.field(field, "a plate is 1 to 25 letters and digits")
    if not _COUNTRY.match(country):
        raise Invalid.field("country", "an ISO 3166-1 alpha-2 code, such as BE")
    return plate, country


def plate_hash(key: bytes, country: str, plate: str) -> str:
    return hmac.new(key, f"{country}:{plate}".encode(), hashlib.sha256).hexdigest()


def pseudonym(plate_hash_hex: str) -> str:
    """What the register shows instead of a blanked plate: still a syntactically valid plate, so a
    document stays valid, but it names no vehicle."""
    return "X" + plate_hash_hex[:24].upper()


def create_tenant_key(connection: Connection, tenant_id: str) -> None:
    connection.execute(tables.tenant_keys.insert().values(
        tenant_id=tenant_id, hmac_key=secrets.token_hex(32), created_at=now(),
    ))


_KEYS: WeakKeyDictionary[Engine, dict[str, bytes]] = WeakKeyDictionary()


def tenant_key(connection: Connection, tenant_id: str) -> bytes:
    """The tenant's plate key, read once per engine (keys never change)."""
    per_engine = _KEYS.setdefault(connection.engine, {})
    found = per_engine.get(tenant_id)
    if found is not None:
        return found
    hex_key = connection.execute(
        select(tables.tenant_keys.c.hmac_key).where(tables.tenant_keys.c.tenant_id == tenant_id)
    ).scalar_one_or_none()
    if hex_key is None:
        raise LookupError(f"no plate key for tenant {tenant_id}")
    per_engine[tenant_id] = key = bytes.fromhex(hex_key)
    return key


def forget_keys(engine: Engine) -> None:
    """Drops the cached keys of a store whose rows were replaced wholesale (a restored backup, a
    test resetting its store)."""
    _KEYS.pop(engine, None)


def hash_for(connection: Connection, tenant_id: str, country: str, plate: str) -> str:
    return plate_hash(tenant_key(connection, tenant_id), country, plate)
