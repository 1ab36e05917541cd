"""Fixtures every suite may use: a store on each backend with the demo municipality loaded, an app
over it, and a client per demo role.

- ``store`` (parametrised: ``sqlite`` and ``postgresql``): a migrated store holding the demo,
  reset to the demo's state before each test. A test using it runs once per backend, so both stores
  pass the same specification. PostgreSQL is the server named by ``VPTR_TEST_POSTGRES_URL``
  (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each test session works in a
  schema of its own, dropped at the end, so concurrent runs do not collide. Without a server the
  PostgreSQL variants skip with the reason, unless ``VPTR_REQUIRE_POSTGRES=1`` (CI), which fails.
- ``store_url``: that store's URL (for a second app, a subprocess, a CLI command).
- ``app``: the FastAPI app over ``store``.
- ``client_as(role)``: a TestClient sending the demo credentials of ``role``
  (``area-manager``, ``provider``, ``provider-limited``, ``enforcement``; ``anonymous`` sends none).
- ``empty_store_url(backend)``: a new empty database on ``sqlite`` or ``postgresql``.
- ``antwerpen``: a second tenant (Stad Antwerpen) with one zone and a client with its own key; it
  authorises nobody, so it must see nothing of Gent.
- ``count_rows(table)``: how many rows a table of ``store`` holds (a refused request stores
  nothing).
- ``sqlite_engine`` / ``postgres_engine``: an empty migrated store's engine, without the demo, for
  specifications of code that works on rows (retention, the audit log, metering, keys).
- ``identity_provider``: a local OIDC identity provider (``support.identity_provider``) serving real
  signing keys as a JWKS.

Builders of request bodies and rows are in the package ``support`` beside this file.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from support import log_scan
from support.identity_provider import IdentityProvider, serve

from vptr.app import create_app
from vptr.auth.api_keys import issue_key
from vptr.repositories import organisations, zones
from vptr.services.demo import ID, credential, load_demo
from vptr.settings import Settings
from vptr.store import migrations, tables
from vptr.store.database import Store
from vptr.store.db import make_engine, normalise_url, sqlite_url
from vptr.store.plate_keys import forget_keys

POSTGRES_URL = os.environ.get("VPTR_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_reason() -> str | None:
    """Why the PostgreSQL server cannot be used, or None when it answers."""
    try:
        engine = sa.create_engine(normalise_url(POSTGRES_URL),
                                  connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server for these tests
        return f"no PostgreSQL server answers at {POSTGRES_URL}: {exc.__class__.__name__}: {exc}"
    return None


def require_postgres() -> None:
    reason = postgres_reason()
    if reason is None:
        return
    if os.environ.get("VPTR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"VPTR_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


def postgres_schema_url(schema: str) -> str:
    """The test server's URL with every connection working in ``schema``."""
    url = normalise_url(POSTGRES_URL)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


class PostgresSchema:
    """A schema of its own on the test server, created now and dropped by :meth:`drop`."""

    def __init__(self, prefix: str = "vptr_test") -> None:
        require_postgres()
        self.name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        self._admin = sa.create_engine(normalise_url(POSTGRES_URL), poolclass=sa.pool.NullPool)
        with self._admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        self.url = postgres_schema_url(self.name)

    def drop(self) -> None:
        with self._admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self._admin.dispose()


#: The tables a test snapshot puts back: not the catalogue's change counter, which must only grow
#: (the triggers bump it for every zone and regime row the restore deletes and inserts).
REGISTER_TABLES = [t for t in tables.metadata.sorted_tables if not t.info.get("bookkeeping")]


class DemoSnapshot:
    """The rows of a freshly loaded demo store, to put back before each test (reloading the demo
    through validation would take seconds per test)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.reading() as connection:
            self.rows = {t.name: [dict(r._mapping) for r in connection.execute(sa.select(t))]
                         for t in REGISTER_TABLES}

    def restore(self) -> None:
        forget_keys(self.store.engine)  # a tenant the last test made may return with a new key
        with self.store.transaction() as connection:
            for table in reversed(REGISTER_TABLES):
                connection.execute(table.delete())
            for table in REGISTER_TABLES:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])


def open_store(url: str, **settings: Any) -> Store:
    store = Store(Settings(database_url=url, **settings))
    store.prepare()
    return store


@pytest.fixture(scope="session", params=BACKENDS)
def _demo_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[Store, DemoSnapshot]]:
    schema = None
    if request.param == "postgresql":
        schema = PostgresSchema()
        url = schema.url
    else:
        url = sqlite_url(Path(tmp_path_factory.mktemp("store")) / "demo.sqlite")
    store = open_store(url)
    try:
        load_demo(store)
        yield store, DemoSnapshot(store)
    finally:
        store.dispose()
        if schema is not None:
            schema.drop()


@pytest.fixture
def store(_demo_store: tuple[Store, DemoSnapshot]) -> Store:
    """A store (SQLite, then PostgreSQL) holding exactly the demo municipality."""
    store, snapshot = _demo_store
    snapshot.restore()
    return store


@pytest.fixture
def store_url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def app(store: Store) -> Iterator[FastAPI]:
    app = create_app(store.settings, store)
    yield app
    # Read entries and request counts still buffered belong to this test: written now, before
    # the next restores, and the background threads that write them stop (left running, one
    # wrote into the next test's store, holding SQLite's write lock at a moment it did not expect).
    app.state.runtime.close()


@pytest.fixture
def client_as(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``client_as("provider")``: a client sending that demo role's API key."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        headers = {} if role == "anonymous" else {
            "Authorization": f"Bearer {credential(role).key}"}
        client = TestClient(app, headers=headers)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def empty_store_url(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``empty_store_url("sqlite" | "postgresql")``: the URL of a new, empty database (a file, or a
    schema of its own that is dropped after the test)."""
    schemas: list[PostgresSchema] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return sqlite_url(tmp_path / f"store-{uuid.uuid4().hex[:8]}.sqlite")
        schema = PostgresSchema()
        schemas.append(schema)
        return schema.url

    yield make
    for schema in schemas:
        schema.drop()


ANTWERPEN = ID + "organisation/stad-antwerpen"
ZONE_ANTWERPEN = ID + "zone/antwerpen-centrum"


@dataclass
class Tenant:
    organisation: str
    zone: str
    client: TestClient


@pytest.fixture
def antwerpen(store: Store, app: FastAPI) -> Iterator[Tenant]:
    """A second tenant (Antwerpen) with one zone and its own API key; it authorises nobody."""
    with store.transaction() as connection:
        organisations.create_tenant(connection, store.iris, {
            "id": ANTWERPEN, "name": "Stad Antwerpen", "roles": ["areaManager"]})
        zones.create(connection, store.iris, ANTWERPEN, {
            "id": ZONE_ANTWERPEN, "name": "Centrum", "zoneKind": "paidParking",
            "geometry": {"asWKT": "POLYGON ((4.39 51.21, 4.41 51.21, 4.41 51.225, 4.39 51.225, "
                                  "4.39 51.21))"}})
        key = issue_key(connection, ANTWERPEN, "test").key
    client = TestClient(app, headers={"Authorization": f"Bearer {key}"})
    yield Tenant(ANTWERPEN, ZONE_ANTWERPEN, client)
    client.close()


@pytest.fixture
def count_rows(store: Store) -> Callable[[str], int]:
    """How many rows a table holds (to show that a refused request stored nothing)."""

    def count(table: str) -> int:
        with store.reading() as connection:
            return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()

    return count


# --- stores without the demo, and an identity provider ---------------------------------------

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


# --- the log scan: no log line of the whole run holds a clear plate (issue 18) ----------------

#: Loggers of the tests' HTTP client (httpx logs every URL a TestClient sends at INFO).
_CLIENT_LOGGERS = {"httpx", "httpcore"}


class _PlateScan(logging.Handler):
    """Hands every log line (message and traceback) of the run to the scan (support.log_scan),
    which keeps those holding something that is a plate; ``pytest_sessionfinish`` fails the run
    on any. Servers the tests start write elsewhere: those tests scan their output themselves
    (``log_scan.scan_file``)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in _CLIENT_LOGGERS:
            return  # the tests' own HTTP client logging the URLs it sends, not the register
        try:
            line = self.format(record)
        except Exception:
            return  # a record that cannot be formatted holds nothing
        log_scan.scan_line(line, f"the log ({record.name})")


_PLATE_SCAN = _PlateScan()


def pytest_configure(config: pytest.Config) -> None:
    root = logging.getLogger()
    root.addHandler(_PLATE_SCAN)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_PLATE_SCAN)
    if log_scan.FOUND:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"log scan: {len(log_scan.FOUND)} log line(s) hold a plate:",
                                red=True)
            for line in log_scan.FOUND[:20]:
                reporter.write_line("  " + line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
