"""The NPR-style gateway's codes (``npr_codes``: AreaManagerId, AreaId, RegulationId,
FareCalculationCode, SellingPointId and UsageId per tenant) and the numeric PSRightId of every
right (``npr_rights``); existing rights get theirs in order of registration. ``npr_kept`` keeps the
columns of imported RDW open-data tables that the model has no home for.

Revision ID: 0007_npr
Revises: 0006_apds
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007_npr"
down_revision = "0006_apds"
branch_labels = None
depends_on = None

IRI = 400


def upgrade() -> None:
    op.create_table(
        "npr_codes",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(IRI), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("target", sa.String(IRI), nullable=False),
        sa.Column("description", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("kind", "scope", "code", name="pk_npr_codes"),
    )
    op.create_index("ix_npr_codes_target", "npr_codes", ["target"])
    op.create_table(
        "npr_rights",
        sa.Column("ps_right_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("right_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("ps_right_id", name="pk_npr_rights"),
        sa.UniqueConstraint("right_id", name="uq_npr_rights_right_id"),
    )
    op.create_index("ix_npr_rights_tenant_id", "npr_rights", ["tenant_id"])
    op.create_table(
        "npr_kept",
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(200), nullable=False),
        sa.Column("vals", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "table_name", "row_key", name="pk_npr_kept"),
    )
    op.execute("INSERT INTO npr_rights (right_id, tenant_id) "
               "SELECT id, tenant_id FROM rights ORDER BY created_at, id")


def downgrade() -> None:
    op.drop_table("npr_kept")
    op.drop_table("npr_rights")
    op.drop_table("npr_codes")
