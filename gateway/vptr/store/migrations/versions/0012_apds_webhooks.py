"""The APDS webhook queue moves from each instance's memory into the store: ``apds_outbox`` holds
one row per delivery still to make (an event for one subscription), written in the transaction of
the change that causes it, so an event the register acknowledged is delivered even if the
instance stops before it could. Instances claim rows with a lease (``lease_owner``,
``lease_until``) so no two deliver the same attempt. The row keeps the body without its plate
(a placeholder) and the plate in a column of its own; it is deleted once delivered or given up,
and falls under the retention rules like the delivery log.

Nothing existing changes: the earlier queue lived in memory, so there is no data to carry over.

Revision ID: 0012_apds_webhooks
Revises: 0011_model_register
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012_apds_webhooks"
down_revision = "0011_model_register"
branch_labels = None
depends_on = None

IRI = 400


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "apds_outbox",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("endpoint", sa.String(1000), nullable=False),
        sa.Column("body", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("plate", sa.String(32), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("due_at", _instant(), nullable=False),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_until", _instant(), nullable=True),
        sa.Column("created_at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["apds_subscriptions.id"],
                                ondelete="CASCADE",
                                name="fk_apds_outbox_subscription_id_apds_subscriptions"),
        sa.ForeignKeyConstraint(["tenant_id"], ["organisations.id"], ondelete="CASCADE",
                                name="fk_apds_outbox_tenant_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_apds_outbox"),
    )
    op.create_index("ix_apds_outbox_due", "apds_outbox", ["due_at"])
    op.create_index("ix_apds_outbox_created", "apds_outbox", ["created_at"])


def downgrade() -> None:
    op.drop_table("apds_outbox")
