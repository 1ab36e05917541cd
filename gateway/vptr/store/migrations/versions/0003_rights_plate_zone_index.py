"""A composite index for the check's rights lookup: plate pseudonym, zone, start.

A check asks for the rights of one plate hash in a few zones around one moment. With the plate hash
alone indexed, SQLite without planner statistics preferred ``ix_rights_zone_start`` and walked
every right of the zone; this index answers the whole condition from one range per zone.

Revision ID: 0003_rights_plate_zone
Revises: 0002_security
"""

from __future__ import annotations

from alembic import op

revision = "0003_rights_plate_zone"
down_revision = "0002_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_rights_plate_zone_start", "rights",
                    ["plate_hash", "zone_id", "start_time"])


def downgrade() -> None:
    op.drop_index("ix_rights_plate_zone_start", table_name="rights")
