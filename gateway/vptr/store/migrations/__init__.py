"""Versioned schema migrations (Alembic), run programmatically: at start-up and by
`vptr db upgrade`.

A store made by an older version of the register is brought to the newest schema without losing
data. Revision ids are ordered names (``0001_initial``, ``0002_...``); each file in ``versions/``
names the one before it. On PostgreSQL the upgrade holds an advisory lock, so instances starting
together do not race each other through the same migration.
"""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from vptr.store.db import is_postgresql

MIGRATIONS_DIR = Path(__file__).resolve().parent
#: Any fixed number: the key of the advisory lock all instances take while migrating.
_LOCK_KEY = 7_248_311_004
#: Alembic's ``op`` and ``context`` are module-global proxies: two migrations running in threads of
#: one process (start-up and the retention job, say) corrupt each other. One at a time per process;
#: across processes the PostgreSQL advisory lock below serialises them.
MIGRATION_LOCK = threading.RLock()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Brings the database to ``revision`` (the newest by default) and returns where it ended."""
    config = alembic_config()
    with MIGRATION_LOCK, engine.connect() as connection:
        if is_postgresql(engine):
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if is_postgresql(engine):
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
    return current_revision(engine)
