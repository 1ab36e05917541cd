"""API keys: ``vptr_{prefix}_{secret}``, stored as a salted SHA-256 of the secret, never in clear.

The prefix is the public half: it finds the key's row with one indexed lookup, so a request costs
one query and one hash, and the key's owner can be named in logs without revealing the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from vptr.store import tables
from vptr.times import now

_PREFIX = re.compile(r"^[a-z0-9]{4,32}$")


@dataclass(frozen=True)
class IssuedKey:
    organisation: str
    prefix: str
    key: str  # the full key: shown once, to whoever asked for it


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    """The prefix and secret of a well-formed key, or None."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != "vptr" or not _PREFIX.match(prefix) or len(secret) < 16:
        return None
    return prefix, secret


def issue_key(connection: Connection, organisation: str, label: str | None = None,
              key: str | None = None) -> IssuedKey:
    """Stores a new key for ``organisation``: a random one, or ``key`` itself (the demo's fixed,
    documented keys)."""
    if key is None:
        key = f"vptr_{secrets.token_hex(6)}_{secrets.token_urlsafe(24)}"
    parts = split_key(key)
    if parts is None:
        raise ValueError("an API key is vptr_{prefix}_{secret}: prefix 4-32 of a-z0-9, secret 16+")
    prefix, secret = parts
    salt = secrets.token_hex(16)
    connection.execute(tables.api_keys.insert().values(
        organisation_id=organisation, prefix=prefix, salt=salt, key_hash=_digest(salt, secret),
        label=label, created=now(), revoked=None,
    ))
    return IssuedKey(organisation, prefix, key)


def organisation_for_key(connection: Connection, key: str) -> str | None:
    """The organisation a presented key belongs to, or None for an unknown or revoked key."""
    parts = split_key(key)
    if parts is None:
        return None
    prefix, secret = parts
    row = connection.execute(
        select(tables.api_keys.c.organisation_id, tables.api_keys.c.salt,
               tables.api_keys.c.key_hash, tables.api_keys.c.revoked)
        .where(tables.api_keys.c.prefix == prefix)
    ).first()
    # A revocation time still to come is a rotation's grace window (vptr.auth.key_rotation).
    if row is None or (row.revoked is not None and row.revoked <= now()):
        return None
    if not hmac.compare_digest(row.key_hash, _digest(row.salt, secret)):
        return None
    return row.organisation_id


def revoke_keys(connection: Connection, organisation: str) -> int:
    """Revokes every key of an organisation; returns how many. Cuts grace windows short too."""
    moment = now()
    result = connection.execute(
        tables.api_keys.update()
        .where(tables.api_keys.c.organisation_id == organisation,
               or_(tables.api_keys.c.revoked.is_(None), tables.api_keys.c.revoked > moment))
        .values(revoked=moment)
    )
    return result.rowcount
