"""The register's first schema: organisations and their keys, zones, versioned regimes,
authorisations, rights with idempotency, permits and whitelists.

Written out in full rather than derived from ``tables.py``: a migration must keep meaning what it
meant when it shipped, whatever the tables module says later.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

IRI = 400


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _document() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def _bookkeeping() -> list[sa.Column]:
    return [
        sa.Column("created_at", _instant(), nullable=False),
        sa.Column("updated_at", _instant(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _fk(column: str, table: str, target: str, ondelete: str | None = None):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("is_area_manager", sa.Boolean(), nullable=False),
        sa.Column("is_provider", sa.Boolean(), nullable=False),
        sa.Column("is_enforcement", sa.Boolean(), nullable=False),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
    )
    op.create_index("ix_organisations_tenant_id", "organisations", ["tenant_id"])

    op.create_table(
        "tenant_keys",
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("hmac_key", sa.String(128), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_tenant_keys"),
        _fk("tenant_id", "tenant_keys", "organisations", "CASCADE"),
    )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("prefix", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("key_hash", sa.String(128), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created", _instant(), nullable=False),
        sa.Column("revoked", _instant(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
        _fk("organisation_id", "api_keys", "organisations", "CASCADE"),
    )
    op.create_index("ix_api_keys_organisation_id", "api_keys", ["organisation_id"])

    op.create_table(
        "zones",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("zone_kind", sa.String(64), nullable=False),
        sa.Column("gis_id", sa.String(200), nullable=True),
        sa.Column("wkt", sa.Text(), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("valid_from", _instant(), nullable=True),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_zones"),
        _fk("tenant_id", "zones", "organisations"),
    )
    op.create_index("ix_zones_tenant_gis", "zones", ["tenant_id", "gis_id"])
    op.create_index("ix_zones_bbox", "zones", ["min_lon", "max_lon", "min_lat", "max_lat"])

    op.create_table(
        "regime_versions",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("regime_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("right_kind", sa.String(32), nullable=False),
        sa.Column("usage", sa.String(64), nullable=False),
        sa.Column("valid_from", _instant(), nullable=False),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_regime_versions"),
        sa.UniqueConstraint("regime_id", "version_number",
                            name="uq_regime_versions_regime_version"),
        _fk("tenant_id", "regime_versions", "organisations"),
    )
    op.create_index("ix_regime_versions_tenant_id", "regime_versions", ["tenant_id"])

    op.create_table(
        "regime_zones",
        sa.Column("regime_version_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("regime_version_id", "zone_id", name="pk_regime_zones"),
        _fk("regime_version_id", "regime_zones", "regime_versions", "CASCADE"),
        _fk("zone_id", "regime_zones", "zones"),
    )
    op.create_index("ix_regime_zones_zone_id", "regime_zones", ["zone_id"])

    op.create_table(
        "authorisations",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("grantee_id", sa.String(IRI), nullable=False),
        sa.Column("can_read", sa.Boolean(), nullable=False),
        sa.Column("can_write", sa.Boolean(), nullable=False),
        sa.Column("all_zones", sa.Boolean(), nullable=False),
        sa.Column("valid_from", _instant(), nullable=True),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_authorisations"),
        _fk("tenant_id", "authorisations", "organisations"),
        _fk("grantee_id", "authorisations", "organisations"),
    )
    op.create_index("ix_authorisations_tenant_id", "authorisations", ["tenant_id"])
    op.create_index("ix_authorisations_grantee_tenant", "authorisations",
                    ["grantee_id", "tenant_id"])

    op.create_table(
        "authorisation_zones",
        sa.Column("authorisation_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("authorisation_id", "zone_id", name="pk_authorisation_zones"),
        _fk("authorisation_id", "authorisation_zones", "authorisations", "CASCADE"),
        _fk("zone_id", "authorisation_zones", "zones"),
    )
    op.create_index("ix_authorisation_zones_zone_id", "authorisation_zones", ["zone_id"])

    op.create_table(
        "rights",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.Column("provider_id", sa.String(IRI), nullable=False),
        sa.Column("authorisation_id", sa.String(IRI), nullable=True),
        sa.Column("regime_id", sa.String(IRI), nullable=True),
        sa.Column("plate_hash", sa.String(64), nullable=False),
        sa.Column("plate", sa.String(32), nullable=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("start_time", _instant(), nullable=False),
        sa.Column("end_time", _instant(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("client_reference", sa.String(40), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_rights"),
        sa.UniqueConstraint("provider_id", "client_reference", name="uq_rights_provider_reference"),
        _fk("tenant_id", "rights", "organisations"),
        _fk("zone_id", "rights", "zones"),
        _fk("provider_id", "rights", "organisations"),
    )
    op.create_index("ix_rights_plate_hash", "rights", ["plate_hash"])
    op.create_index("ix_rights_zone_start", "rights", ["zone_id", "start_time"])
    op.create_index("ix_rights_zone_end", "rights", ["zone_id", "end_time"])
    op.create_index("ix_rights_tenant_start", "rights", ["tenant_id", "start_time"])
    op.create_index("ix_rights_provider_start", "rights", ["provider_id", "start_time"])

    op.create_table(
        "idempotency_keys",
        sa.Column("organisation_id", sa.String(IRI), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(IRI), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "key", name="pk_idempotency_keys"),
        _fk("organisation_id", "idempotency_keys", "organisations", "CASCADE"),
    )

    op.create_table(
        "permits",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("permit_type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("holder_reference", sa.String(128), nullable=False),
        sa.Column("valid_from", _instant(), nullable=False),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_permits"),
        _fk("tenant_id", "permits", "organisations"),
    )
    op.create_index("ix_permits_tenant_id", "permits", ["tenant_id"])

    op.create_table(
        "permit_vehicles",
        sa.Column("permit_id", sa.String(IRI), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("plate_hash", sa.String(64), nullable=False),
        sa.Column("plate", sa.String(32), nullable=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.PrimaryKeyConstraint("permit_id", "position", name="pk_permit_vehicles"),
        _fk("permit_id", "permit_vehicles", "permits", "CASCADE"),
    )
    op.create_index("ix_permit_vehicles_plate_hash", "permit_vehicles", ["plate_hash"])

    op.create_table(
        "permit_zones",
        sa.Column("permit_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("permit_id", "zone_id", name="pk_permit_zones"),
        _fk("permit_id", "permit_zones", "permits", "CASCADE"),
        _fk("zone_id", "permit_zones", "zones"),
    )
    op.create_index("ix_permit_zones_zone_id", "permit_zones", ["zone_id"])

    op.create_table(
        "whitelists",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("valid_from", _instant(), nullable=False),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_whitelists"),
        _fk("tenant_id", "whitelists", "organisations"),
    )
    op.create_index("ix_whitelists_tenant_id", "whitelists", ["tenant_id"])

    op.create_table(
        "whitelist_zones",
        sa.Column("whitelist_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("whitelist_id", "zone_id", name="pk_whitelist_zones"),
        _fk("whitelist_id", "whitelist_zones", "whitelists", "CASCADE"),
        _fk("zone_id", "whitelist_zones", "zones"),
    )
    op.create_index("ix_whitelist_zones_zone_id", "whitelist_zones", ["zone_id"])

    op.create_table(
        "whitelist_entries",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("whitelist_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("plate_hash", sa.String(64), nullable=False),
        sa.Column("plate", sa.String(32), nullable=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("valid_from", _instant(), nullable=True),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("document", _document(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name="pk_whitelist_entries"),
        _fk("whitelist_id", "whitelist_entries", "whitelists", "CASCADE"),
        _fk("tenant_id", "whitelist_entries", "organisations"),
    )
    op.create_index("ix_whitelist_entries_whitelist_id", "whitelist_entries", ["whitelist_id"])
    op.create_index("ix_whitelist_entries_plate_hash", "whitelist_entries", ["plate_hash"])

    op.create_table(
        "whitelist_entry_zones",
        sa.Column("entry_id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "zone_id", name="pk_whitelist_entry_zones"),
        _fk("entry_id", "whitelist_entry_zones", "whitelist_entries", "CASCADE"),
        _fk("zone_id", "whitelist_entry_zones", "zones"),
    )
    op.create_index("ix_whitelist_entry_zones_zone_id", "whitelist_entry_zones", ["zone_id"])


def downgrade() -> None:
    for table in (
        "whitelist_entry_zones", "whitelist_entries", "whitelist_zones", "whitelists",
        "permit_zones", "permit_vehicles", "permits", "idempotency_keys", "rights",
        "authorisation_zones", "authorisations", "regime_zones", "regime_versions", "zones",
        "api_keys", "tenant_keys", "organisations",
    ):
        op.drop_table(table)
