"""Licence plates: personal data, looked up by a tenant-keyed hash.

plate_hash = HMAC-SHA256(tenant key, COUNTRY ":" PLATE): one tenant's hashes say nothing about
another's, and lookups keep working after retention blanks the clear plate. Each tenant's key is
made when the tenant is created and never changes, so caching it in the process is safe across
instances.

**Sealed keys.** Belgian plates are few enough to try them all, so whoever holds a tenant's key
and its hashes (a database dump, a stolen backup) could name every plate. With a secret configured
outside the database (``VPTR_PLATE_KEY_SECRET``, the same on every instance), the register stores
each key *sealed*: XORed with HMAC-SHA256(secret, tenant), a pad that differs per tenant, with the
secret's fingerprint beside it. A dump without the secret then holds pseudonyms nobody can reverse.
The key itself does not change, so sealing the keys of an existing store (:func:`seal_keys`,
``vptr tenant seal-keys``) leaves every stored hash valid. An instance whose secret does not open
the store's sealed keys refuses to start (:func:`check_secret`) rather than compute hashes that
match nothing: a check would answer "no right" for a plate that has one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, select

from vptr.domain.plates import plate_hash
from vptr.store import tables
from vptr.times import now


class PlateKeyError(RuntimeError):
    """The store's plate keys are sealed with a secret this instance does not have."""


_SECRETS: WeakKeyDictionary[Engine, bytes] = WeakKeyDictionary()

#: The stored fingerprint would let anyone with the database try short secrets offline.
MIN_SECRET_LENGTH = 32


def use_secret(engine: Engine, secret: str | None) -> None:
    """Seal the tenant keys this engine creates with ``secret``, and open sealed keys with it
    (None: keys are stored in clear, as without ``VPTR_PLATE_KEY_SECRET``)."""
    if secret:
        if len(secret) < MIN_SECRET_LENGTH:
            raise PlateKeyError(f"VPTR_PLATE_KEY_SECRET is too short: use at least "
                                f"{MIN_SECRET_LENGTH} random characters")
        _SECRETS[engine] = secret.encode()
    else:
        _SECRETS.pop(engine, None)
    forget_keys(engine)


def fingerprint(secret: bytes) -> str:
    """Names a secret without revealing it: stored beside each key it sealed."""
    return hmac.new(secret, b"vptr plate-key fingerprint", hashlib.sha256).hexdigest()[:16]


def _pad(secret: bytes, tenant_id: str) -> bytes:
    return hmac.new(secret, b"vptr plate-key v1\0" + tenant_id.encode(), hashlib.sha256).digest()


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _stored_form(engine: Engine, tenant_id: str, key: bytes) -> dict[str, str | None]:
    secret = _SECRETS.get(engine)
    if secret is None:
        return {"hmac_key": key.hex(), "sealed_with": None}
    return {"hmac_key": _xor(key, _pad(secret, tenant_id)).hex(),
            "sealed_with": fingerprint(secret)}


def create_tenant_key(connection: Connection, tenant_id: str) -> None:
    connection.execute(tables.tenant_keys.insert().values(
        tenant_id=tenant_id, created_at=now(),
        **_stored_form(connection.engine, tenant_id, secrets.token_bytes(32)),
    ))


def _opened(engine: Engine, tenant_id: str, stored_hex: str, sealed_with: str | None) -> bytes:
    stored = bytes.fromhex(stored_hex)
    if sealed_with is None:
        return stored
    secret = _SECRETS.get(engine)
    if secret is None or fingerprint(secret) != sealed_with:
        raise PlateKeyError(_mismatch([sealed_with], secret))
    return _xor(stored, _pad(secret, tenant_id))


def _mismatch(seals: list[str], secret: bytes | None) -> str:
    have = (f"its secret has fingerprint {fingerprint(secret)}" if secret is not None
            else "it has none")
    return (f"the store's plate keys are sealed with the secret of fingerprint "
            f"{', '.join(sorted(seals))} and {have}: set VPTR_PLATE_KEY_SECRET to the secret the "
            "store was sealed with (the same on every instance)")


def check_secret(connection: Connection) -> None:
    """Raises PlateKeyError if this instance's secret (or its lack of one) cannot open every
    sealed key of the store: better not to start than to hash plates with the wrong key."""
    secret = _SECRETS.get(connection.engine)
    mine = fingerprint(secret) if secret is not None else None
    seals = connection.execute(
        select(tables.tenant_keys.c.sealed_with).distinct()
        .where(tables.tenant_keys.c.sealed_with.is_not(None))).scalars().all()
    others = [seal for seal in seals if seal != mine]
    if others:
        raise PlateKeyError(_mismatch(others, secret))


def seal_keys(connection: Connection) -> int:
    """Seals every tenant key the store still holds in clear with this instance's secret; returns
    how many. The keys themselves, so every stored hash, stay as they were."""
    engine = connection.engine
    if engine not in _SECRETS:
        raise PlateKeyError("no secret to seal with: set VPTR_PLATE_KEY_SECRET")
    check_secret(connection)
    k = tables.tenant_keys.c
    rows = connection.execute(select(k.tenant_id, k.hmac_key).where(k.sealed_with.is_(None))
                              ).all()
    for tenant_id, stored_hex in rows:
        connection.execute(tables.tenant_keys.update().where(k.tenant_id == tenant_id).values(
            **_stored_form(engine, tenant_id, bytes.fromhex(stored_hex))))
    forget_keys(engine)
    return len(rows)


_KEYS: WeakKeyDictionary[Engine, dict[str, bytes]] = WeakKeyDictionary()


def tenant_key(connection: Connection, tenant_id: str) -> bytes:
    """The tenant's plate key, read once per engine (keys never change)."""
    per_engine = _KEYS.setdefault(connection.engine, {})
    found = per_engine.get(tenant_id)
    if found is not None:
        return found
    k = tables.tenant_keys.c
    row = connection.execute(
        select(k.hmac_key, k.sealed_with).where(k.tenant_id == tenant_id)).one_or_none()
    if row is None:
        raise LookupError(f"no plate key for tenant {tenant_id}")
    per_engine[tenant_id] = key = _opened(connection.engine, tenant_id, row.hmac_key,
                                          row.sealed_with)
    return key


def forget_keys(engine: Engine) -> None:
    """Drops the cached keys of a store whose rows were replaced wholesale (a restored backup, a
    test resetting its store)."""
    _KEYS.pop(engine, None)


def hash_for(connection: Connection, tenant_id: str, country: str, plate: str) -> str:
    return plate_hash(tenant_key(connection, tenant_id), country, plate)
