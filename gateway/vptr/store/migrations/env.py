"""Alembic's entry point: always called from :func:`vptr.store.migrations.upgrade` with an open
connection (there is no alembic.ini; the register migrates itself)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running the alembic CLI by hand
    raise RuntimeError("run migrations through `vptr db upgrade`, which passes the connection")

context.configure(
    connection=connection,
    # SQLite alters tables by copying them; batch mode does that for later revisions.
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
