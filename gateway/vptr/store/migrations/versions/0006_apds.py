"""The APDS gateway's storage: assigned rights and sessions as APDS knows them (client-assigned
id, version, deletion; what each became in the register), webhook subscriptions, and the log of
webhook deliveries (never a payload: it names a plate).

Revision ID: 0006_apds
Revises: 0005_sealed_plate_keys
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_apds"
down_revision = "0005_sealed_plate_keys"
branch_labels = None
depends_on = None

IRI = 400


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _document() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "apds_records",
        sa.Column("class_name", sa.String(20), nullable=False),
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("owner_id", sa.String(IRI), nullable=False),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(IRI), nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.Column("deleted_at", _instant(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["organisations.id"], ondelete="CASCADE",
                                name="fk_apds_records_tenant_id_organisations"),
        sa.PrimaryKeyConstraint("class_name", "id", name="pk_apds_records"),
    )
    op.create_index("ix_apds_records_target", "apds_records", ["target"])
    op.create_index("ix_apds_records_tenant_updated", "apds_records",
                    ["tenant_id", "updated_at"])

    op.create_table(
        "apds_subscriptions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("endpoint", sa.String(1000), nullable=False),
        sa.Column("topics", _document(), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE",
                                name="fk_apds_subscriptions_organisation_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_apds_subscriptions"),
    )
    op.create_index("ix_apds_subscriptions_organisation", "apds_subscriptions",
                    ["organisation_id"])

    op.create_table(
        "apds_deliveries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
                  autoincrement=True),
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apds_deliveries"),
    )
    op.create_index("ix_apds_deliveries_subscription_at", "apds_deliveries",
                    ["subscription_id", "at"])
    op.create_index("ix_apds_deliveries_at", "apds_deliveries", ["at"])


def downgrade() -> None:
    op.drop_table("apds_deliveries")
    op.drop_table("apds_subscriptions")
    op.drop_table("apds_records")
