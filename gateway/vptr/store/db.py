"""One way to open the store's database, whatever the URL names.

SQLite is the embedded store a newcomer runs with no setup; PostgreSQL is the production store that
several instances share. Both get what they need to behave under concurrent requests: SQLite gets
write-ahead logging (readers never wait for the writer), foreign keys (off by default in SQLite), a
busy timeout (a writer of another process waits instead of failing at once), and its checkpoints
off the requests' path; how writers take turns is :mod:`vptr.store.sqlite_writes`.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from vptr.store.sqlite_writes import (
    SQLITE_AUTOCHECKPOINT_PAGES,
    SQLITE_BUSY_TIMEOUT_MS,
    Checkpointer,
    database_file,
)

__all__ = ["DatabaseUrlError", "is_postgresql", "make_engine", "normalise_url", "sqlite_url"]



class DatabaseUrlError(ValueError):
    """The URL names a database the register cannot use."""


def normalise_url(url: str | URL) -> URL:
    """The URL as SQLAlchemy needs it: ``postgresql://`` (what operators write) runs on psycopg 3,
    the one PostgreSQL driver the project installs."""
    parsed = make_url(url) if isinstance(url, str) else url
    backend = parsed.drivername.split("+")[0]
    if backend in ("postgresql", "postgres"):
        if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    if backend == "sqlite":
        return parsed
    raise DatabaseUrlError(
        f"unsupported database {parsed.drivername!r}: use sqlite:///FILE or postgresql://..."
    )


def sqlite_url(path: str | Path) -> str:
    """The URL of an embedded store in a file."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def make_engine(url: str | URL, **kwargs: object) -> Engine:
    """An engine for the store at ``url`` (``sqlite:///FILE`` or ``postgresql://...``).

    Statement parameters are hidden from every log line and error message the engine makes: they
    hold licence plates (a failing insert of a right would otherwise log ``'plate': '1ABC123'``
    with its traceback, docs/security.md)."""
    kwargs.setdefault("hide_parameters", True)
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = database_file(parsed.database)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)  # type: ignore[arg-type]
        event.listen(engine, "connect", _configure_sqlite)
        if path is not None:
            checkpointer = Checkpointer.of(path)
            event.listen(engine, "commit", lambda _connection: checkpointer.note_commit())
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(parsed, **kwargs)  # type: ignore[arg-type]
    event.listen(engine, "handle_error", _withhold_detail)
    return engine


def _withhold_detail(context) -> None:
    """PostgreSQL explains a failed statement with the row's values (``DETAIL: Failing row
    contains (..., 1ABC123, ...)``, ``Key (...)=(...) already exists``): keep the first line,
    which names the constraint, and drop the rest before anything logs or shows it."""
    error = context.original_exception
    message = str(error)
    if "\n" not in message.strip():
        return
    first = message.strip().splitlines()[0]
    error.args = (f"{first} (the database's detail is withheld: it may hold values)",)
    wrapped = context.sqlalchemy_exception  # its message was written from the original's
    if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
        wrapped.args = (wrapped.args[0].replace(message, str(error)), *wrapped.args[1:])


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL makes NORMAL durable against application crashes; only an OS crash may lose the
        # last transactions, which is the embedded store's accepted trade for write speed.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
    finally:
        cursor.close()


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
