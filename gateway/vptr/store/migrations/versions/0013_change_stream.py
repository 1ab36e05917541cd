"""The change stream of the public resources (zones, regime versions, area managers and
providers): one row per change, written in the change's transaction, read by the Linked Data Event
Stream at /ldes (vptr.opendata, docs/open-data.md).

Existing resources become the stream's first members (their state now), so a register that already
holds data publishes a stream whose replay equals its dump from the start.

Revision ID: 0013_change_stream
Revises: 0012_apds_webhooks
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013_change_stream"
down_revision = "0012_apds_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("resource_id", sa.String(400), nullable=False),
        sa.Column("tenant_id", sa.String(400), nullable=False),
        sa.Column("document", sa.JSON().with_variant(
            sa.dialects.postgresql.JSONB(), "postgresql"), nullable=True),
    )
    op.create_index("ix_change_events_resource", "change_events", ["resource_id", "seq"])
    op.create_index("ix_change_events_tenant", "change_events", ["tenant_id", "seq"])
    _seed()


def _seed() -> None:
    """Every public resource as it is now, in a stable order (organisations, zones, regimes)."""
    connection = op.get_bind()
    events = sa.table("change_events", sa.column("seq"),
                      sa.column("at", sa.DateTime(timezone=True)), sa.column("kind"),
                      sa.column("resource_id"), sa.column("tenant_id"),
                      sa.column("document", sa.JSON()))
    at = datetime.now(UTC)
    if connection.dialect.name == "sqlite":  # stored as the app stores it (vptr.store.tables)
        at = at.replace(tzinfo=None)
    rows = []
    for kind, query in (
        ("organisation", "SELECT id, tenant_id, document FROM organisations "
                         "WHERE is_area_manager OR is_provider ORDER BY id"),
        ("zone", "SELECT id, tenant_id, document FROM zones ORDER BY id"),
        ("regime", "SELECT id, tenant_id, document FROM regime_versions ORDER BY id"),
    ):
        for row in connection.execute(sa.text(query)):
            document = row.document
            if isinstance(document, str):  # SQLite hands JSON back as text here
                document = json.loads(document)
            rows.append({"seq": len(rows) + 1, "at": at, "kind": kind, "resource_id": row.id,
                         "tenant_id": row.tenant_id, "document": document})
    if rows:
        op.bulk_insert(events, rows)


def downgrade() -> None:
    op.drop_index("ix_change_events_tenant", "change_events")
    op.drop_index("ix_change_events_resource", "change_events")
    op.drop_table("change_events")
