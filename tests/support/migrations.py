"""Taking a test store's schema back to an earlier revision, as the upgrade tests of each
migration do to prove it keeps what it found (`vptr.store.migrations` only goes forward)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from vptr.store import migrations


def downgrade(engine: sa.Engine, revision: str) -> None:
    config = migrations.alembic_config()
    with migrations.MIGRATION_LOCK, engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()
