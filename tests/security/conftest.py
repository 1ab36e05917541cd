"""Fixtures shared by the security specifications."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from vptr.store import migrations
from vptr.store.db import make_engine, sqlite_url

from .identity_provider import IdentityProvider, serve


@pytest.fixture(scope="session")
def _served_identity_provider() -> Iterator[IdentityProvider]:
    with serve(IdentityProvider()) as provider:
        yield provider


@pytest.fixture
def identity_provider(_served_identity_provider: IdentityProvider) -> Iterator[IdentityProvider]:
    """The local identity provider with its original keys, reset after each test."""
    provider = _served_identity_provider
    original = list(provider.keys)
    provider.requests = 0
    provider.available = True
    yield provider
    provider.keys = original
    provider.available = True


@pytest.fixture(scope="session")
def _migrated_sqlite_file(tmp_path_factory) -> Path:
    """One store migrated to the newest schema; each test gets a copy (migrating takes ~0.2 s)."""
    path = tmp_path_factory.mktemp("template") / "store.sqlite"
    engine = make_engine(sqlite_url(path))
    migrations.upgrade(engine)
    engine.dispose()  # the last connection's close checkpoints the WAL into the file
    return path


@pytest.fixture
def sqlite_engine(tmp_path, _migrated_sqlite_file) -> Iterator[Engine]:
    """An empty embedded store, migrated to the newest schema as the server would."""
    path = tmp_path / "security.sqlite"
    shutil.copyfile(_migrated_sqlite_file, path)
    engine = make_engine(sqlite_url(path))
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A migrated store in a schema of its own on the test PostgreSQL server, dropped after.

    A private schema keeps these tests apart from other suites using the same database at once.
    """
    url = os.environ.get("VPTR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    schema = f"vptr_security_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url, pool_size=1)
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("VPTR_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL server answers at {url}: {exc.orig}")
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrations.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
