"""Security: request counts for billing, the audit log, OIDC client links, and when retention
pseudonymised a right.

Written out in full, like 0001: it must keep meaning what it meant when it shipped.

Revision ID: 0002_security
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_security"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

IRI = 400


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "metering_counts",
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("operation", sa.String(120), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "day", "organisation_id", "operation", name="pk_metering_counts"
        ),
    )

    op.create_table(
        "audit_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
            autoincrement=True,
        ),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("resource_kind", sa.String(40), nullable=False),
        sa.Column("resource_id", sa.String(IRI), nullable=True),
        sa.Column("operation", sa.String(120), nullable=True),
        sa.Column("client_address", sa.String(64), nullable=True),
        sa.Column("plate_hash", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_tenant_at", "audit_events", ["tenant_id", "at"])
    op.create_index(
        "ix_audit_events_tenant_resource", "audit_events", ["tenant_id", "resource_id"]
    )

    op.create_table(
        "oidc_clients",
        sa.Column("issuer", sa.String(IRI), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("issuer", "client_id", name="pk_oidc_clients"),
    )
    op.create_index("ix_oidc_clients_organisation_id", "oidc_clients", ["organisation_id"])

    with op.batch_alter_table("rights") as batch:
        batch.add_column(sa.Column("pseudonymised_at", _instant(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rights") as batch:
        batch.drop_column("pseudonymised_at")
    op.drop_table("oidc_clients")
    op.drop_table("audit_events")
    op.drop_table("metering_counts")
