"""Tenant plate keys may be stored sealed with a secret kept outside the database
(``VPTR_PLATE_KEY_SECRET``; ``vptr.store.plate_keys``): ``sealed_with`` names the secret by its
fingerprint, null for a key stored in clear (every key until an operator seals them).

Revision ID: 0005_sealed_plate_keys
Revises: 0004_catalogue_generation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_sealed_plate_keys"
down_revision = "0004_catalogue_generation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenant_keys", sa.Column("sealed_with", sa.String(16), nullable=True))


def downgrade() -> None:
    # A sealed key cannot be used without the secret: refuse rather than lose the plates' keys.
    sealed = op.get_bind().execute(
        sa.text("SELECT count(*) FROM tenant_keys WHERE sealed_with IS NOT NULL")).scalar()
    if sealed:
        raise RuntimeError(f"{sealed} plate key(s) are sealed; a downgrade would make them "
                           "unusable")
    with op.batch_alter_table("tenant_keys") as batch:
        batch.drop_column("sealed_with")
