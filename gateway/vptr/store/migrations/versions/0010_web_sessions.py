"""The management web app's staff sessions move from the memory of one instance into the store,
so any instance behind a load balancer serves any session (no sticky sessions) and a restart logs
nobody out: ``web_sessions``, keyed by the SHA-256 of the session id (never the id itself), with a
sliding idle limit and an absolute expiry. A new table: existing data is untouched.

Revision ID: 0010_web_sessions
Revises: 0009_audit_person
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010_web_sessions"
down_revision = "0009_audit_person"
branch_labels = None
depends_on = None

IRI = 400


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=True),
        sa.Column("person", sa.String(200), nullable=True),
        sa.Column("login", sa.String(200), nullable=True),
        sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("idle_until", _instant(), nullable=False),
        sa.Column("expires_at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE",
                                name="fk_web_sessions_organisation_id_organisations"),
        sa.PrimaryKeyConstraint("id_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_idle_until", "web_sessions", ["idle_until"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_expires_at", table_name="web_sessions")
    op.drop_index("ix_web_sessions_idle_until", table_name="web_sessions")
    op.drop_table("web_sessions")
