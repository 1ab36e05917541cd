"""The audit log names the person acting for an organisation when a channel knows one (a staff
member logged in to the web app, NF6.2): ``audit_events.person``, null for API calls.

Revision ID: 0009_audit_person
Revises: 0008_oslo_iris
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_audit_person"
down_revision = "0008_oslo_iris"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("person", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("person")
