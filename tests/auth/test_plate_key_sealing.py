"""With VPTR_PLATE_KEY_SECRET set, the tenants' plate keys are stored sealed: what the database
holds (a dump, a backup) cannot reproduce a plate hash, every instance with the secret computes
the same hashes as before, and an instance without it, or with another one, refuses to start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from vptr.cli import app as cli
from vptr.domain.plates import plate_hash
from vptr.repositories import organisations
from vptr.settings import Settings
from vptr.store import tables
from vptr.store.database import Store
from vptr.store.db import sqlite_url
from vptr.store.plate_keys import PlateKeyError, hash_for

SECRET = "a secret kept in the vault, never in the database"
OTHER = "another secret, from another vault, also long"
PLATE = ("BE", "1ABC123")


def open_store(path: Path, secret: str | None) -> Store:
    store = Store(Settings(database_url=sqlite_url(path), plate_key_secret=secret))
    store.prepare()
    return store


def new_tenant(store: Store, name: str = "Stad Gent") -> str:
    with store.transaction() as connection:
        return organisations.create_tenant(connection, store.iris, {
            "name": name, "roles": ["areaManager"]})["id"]


def hash_of(store: Store, tenant: str) -> str:
    with store.reading() as connection:
        return hash_for(connection, tenant, *PLATE)


def stored_key(store: Store, tenant: str) -> tuple[bytes, str | None]:
    k = tables.tenant_keys.c
    with store.reading() as connection:
        row = connection.execute(select(k.hmac_key, k.sealed_with).where(k.tenant_id == tenant)
                                 ).one()
    return bytes.fromhex(row.hmac_key), row.sealed_with


def test_what_the_database_holds_cannot_reproduce_a_plate_hash(tmp_path):
    store = open_store(tmp_path / "r.sqlite", SECRET)
    tenant = new_tenant(store)

    key_in_database, sealed_with = stored_key(store, tenant)

    assert sealed_with is not None and SECRET not in sealed_with
    assert plate_hash(key_in_database, *PLATE) != hash_of(store, tenant)


def test_another_instance_with_the_secret_computes_the_same_hashes(tmp_path):
    first = open_store(tmp_path / "r.sqlite", SECRET)
    tenant = new_tenant(first)

    second = open_store(tmp_path / "r.sqlite", SECRET)

    assert hash_of(second, tenant) == hash_of(first, tenant)


@pytest.mark.parametrize("other", [None, OTHER])
def test_an_instance_without_the_store_s_secret_refuses_to_start(tmp_path, other):
    new_tenant(open_store(tmp_path / "r.sqlite", SECRET))

    with pytest.raises(PlateKeyError, match="VPTR_PLATE_KEY_SECRET") as refused:
        open_store(tmp_path / "r.sqlite", other)

    assert SECRET not in str(refused.value)


def test_sealing_an_existing_store_keeps_every_hash(tmp_path, monkeypatch):
    path = tmp_path / "r.sqlite"
    clear = open_store(path, None)
    tenants = [new_tenant(clear, "Stad Gent"), new_tenant(clear, "Stad Genk")]
    before = {t: hash_of(clear, t) for t in tenants}
    clear.dispose()

    monkeypatch.setenv("VPTR_PLATE_KEY_SECRET", SECRET)
    result = CliRunner().invoke(cli, ["tenant", "seal-keys", "--database-url", sqlite_url(path)])
    assert result.exit_code == 0, result.output
    assert "sealed 2 plate key(s)" in result.output

    sealed = open_store(path, SECRET)
    assert {t: hash_of(sealed, t) for t in tenants} == before
    assert all(stored_key(sealed, t)[1] is not None for t in tenants)
    assert all(plate_hash(stored_key(sealed, t)[0], *PLATE) != before[t] for t in tenants)
    with pytest.raises(PlateKeyError):
        open_store(path, None)


def test_sealing_without_a_secret_is_refused_and_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "r.sqlite"
    store = open_store(path, None)
    tenant = new_tenant(store)
    monkeypatch.delenv("VPTR_PLATE_KEY_SECRET", raising=False)

    result = CliRunner().invoke(cli, ["tenant", "seal-keys", "--database-url", sqlite_url(path)])

    assert result.exit_code == 1
    assert "VPTR_PLATE_KEY_SECRET" in result.output
    assert stored_key(store, tenant)[1] is None


def test_serve_refuses_a_store_sealed_with_another_secret(tmp_path, monkeypatch):
    path = tmp_path / "r.sqlite"
    new_tenant(open_store(path, SECRET))
    monkeypatch.setenv("VPTR_PLATE_KEY_SECRET", OTHER)
    monkeypatch.setattr("uvicorn.run", lambda *_a, **_k: pytest.fail("the server started"))

    result = CliRunner().invoke(cli, ["serve", "--db-path", str(path)])

    assert result.exit_code == 1
    assert "sealed" in result.output and "VPTR_PLATE_KEY_SECRET" in result.output


def test_a_short_secret_is_refused(tmp_path):
    with pytest.raises(PlateKeyError, match="too short"):
        open_store(tmp_path / "r.sqlite", "guessable")
