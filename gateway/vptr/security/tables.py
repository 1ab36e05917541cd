"""The tables security adds to the store: request counts, the audit log and OIDC client links.

They share the register's ``metadata`` (``vptr.register.tables`` imports this module at its end),
so ``create_all`` and the check that migrations match the tables see one schema. The Alembic
revision ``0002_security`` creates them. None has a foreign key to ``organisations``: counts and
audit events must outlive the organisation they name, and anonymous requests name none (``""``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

from ..register.tables import IRI_LENGTH, UTCDateTime, metadata

#: Requests per (tenant, day, organisation, operation). The primary key leads with tenant and day
#: because every report asks for one tenant's days.
metering_counts = Table(
    "metering_counts", metadata,
    Column("tenant_id", String(IRI_LENGTH), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("organisation_id", String(IRI_LENGTH), primary_key=True),
    Column("operation", String(120), primary_key=True),
    Column("count", BigInteger, nullable=False),
)

#: Who read or changed which right, permit or whitelist entry, when and from where. ``tenant_id``
#: is the area manager whose data it was; ``plate_hash`` the tenant-keyed pseudonym of the plate
#: concerned (the same value the register's own ``plate_hash`` columns hold), never the plate.
audit_events = Table(
    "audit_events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("organisation_id", String(IRI_LENGTH), nullable=False),
    Column("tenant_id", String(IRI_LENGTH), nullable=False),
    Column("action", String(20), nullable=False),
    Column("resource_kind", String(40), nullable=False),
    Column("resource_id", String(IRI_LENGTH), nullable=True),
    Column("operation", String(120), nullable=True),
    Column("client_address", String(64), nullable=True),
    Column("plate_hash", String(64), nullable=True),
    Index("ix_audit_events_tenant_at", "tenant_id", "at"),
    Index("ix_audit_events_tenant_resource", "tenant_id", "resource_id"),
)

#: Which register organisation an OAuth2 client of the identity provider acts for.
oidc_clients = Table(
    "oidc_clients", metadata,
    Column("issuer", String(IRI_LENGTH), primary_key=True),
    Column("client_id", String(200), primary_key=True),
    Column("organisation_id", String(IRI_LENGTH), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)
