"""A change counter for the catalogue (zones and regime versions), kept by the database itself.

Every instance holds the zones and regime versions in memory for the check (they change a few
times a year, a check happens hundreds of times a second) and reads this one row per check to know
whether its copy is still exact. Triggers, not application code, bump the counter, so no write path
(a bulk import, a migration, an operator's SQL) can change the catalogue without instances seeing
it. ``epoch`` is random per database, so a store rebuilt from scratch never matches a copy taken
from its predecessor.

Revision ID: 0004_catalogue_generation
Revises: 0003_rights_plate_zone
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004_catalogue_generation"
down_revision = "0003_rights_plate_zone"
branch_labels = None
depends_on = None

WATCHED = ("zones", "regime_versions", "regime_zones")
_BUMP = "UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1"


def upgrade() -> None:
    op.create_table(
        "catalogue_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(64), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_state"),
    )
    op.execute(sa.text("INSERT INTO catalogue_state (id, epoch, generation) "
                       "VALUES (1, :epoch, 0)").bindparams(epoch=secrets.token_hex(16)))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE FUNCTION bump_catalogue_generation() RETURNS trigger "
                   f"LANGUAGE plpgsql AS $$ BEGIN {_BUMP}; RETURN NULL; END $$")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER {table}_catalogue_generation "
                       f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_generation()")
    else:
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_catalogue_{event.lower()} AFTER {event} "
                           f"ON {table} BEGIN {_BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER {table}_catalogue_generation ON {table}")
        op.execute("DROP FUNCTION bump_catalogue_generation()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_catalogue_{event}")
    op.drop_table("catalogue_state")
