"""The store's tables (SQLAlchemy Core).

Each resource keeps its validated JSON-LD document (what the API returns) plus the columns the
register's questions filter on, indexed. Every row carries ``tenant_id``: the IRI of the area
manager that owns it, so no query can forget whose data it reads. Licence plates are never inside a
stored document: they live in one ``plate`` column next to ``plate_hash`` (the tenant-keyed HMAC
lookups use), so retention can blank them in one place.

This module describes the newest schema; ``migrations/`` brings an existing database there. A test
checks that the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: Long enough for any IRI the register mints or accepts.
IRI_LENGTH = 400
#: Amounts are stored as integers of 1/AMOUNT_SCALE of the currency unit: exact sums on SQLite too.
AMOUNT_SCALE = 10_000


class UTCDateTime(TypeDecorator[datetime]):
    """An instant, stored in UTC: timestamptz on PostgreSQL, a sortable UTC text on SQLite (which
    has no time zones, so mixed offsets would compare wrongly). Naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("instants must carry a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect
                             ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Document = JSON().with_variant(JSONB(), "postgresql")


def _iri(name: str, *args: object, **kwargs: object) -> Column:
    return Column(name, String(IRI_LENGTH), *args, **kwargs)  # type: ignore[arg-type]


def _bookkeeping() -> list[Column]:
    """When a row was made and changed, and its version (bumped on every change: caches key on
    it)."""
    return [
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("version", Integer, nullable=False, default=1),
    ]


organisations = Table(
    "organisations", metadata,
    _iri("id", primary_key=True),
    # The area manager that registered the organisation; an area manager is its own tenant.
    _iri("tenant_id", nullable=False, index=True),
    Column("name", String(500), nullable=False),
    Column("is_area_manager", Boolean, nullable=False),
    Column("is_provider", Boolean, nullable=False),
    Column("is_enforcement", Boolean, nullable=False),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
)

tenant_keys = Table(
    "tenant_keys", metadata,
    _iri("tenant_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    # The HMAC key of the tenant's plate hashes (hex), sealed with VPTR_PLATE_KEY_SECRET when the
    # register has one (vptr.store.plate_keys). Never leaves the store.
    Column("hmac_key", String(128), nullable=False),
    # The fingerprint of the secret that sealed the key; null: stored in clear.
    Column("sealed_with", String(16), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _iri("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False,
         index=True),
    # The public part of the key, to find its row; the secret is only kept as a salted hash.
    Column("prefix", String(64), nullable=False, unique=True),
    Column("salt", String(64), nullable=False),
    Column("key_hash", String(128), nullable=False),
    Column("label", String(200), nullable=True),
    Column("created", UTCDateTime(), nullable=False),
    Column("revoked", UTCDateTime(), nullable=True),
)

zones = Table(
    "zones", metadata,
    _iri("id", primary_key=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("zone_kind", String(64), nullable=False),
    Column("gis_id", String(200), nullable=True),
    Column("wkt", Text, nullable=False),
    Column("geojson", Text, nullable=False),
    Column("min_lon", Float, nullable=False),
    Column("min_lat", Float, nullable=False),
    Column("max_lon", Float, nullable=False),
    Column("max_lat", Float, nullable=False),
    Column("valid_from", UTCDateTime(), nullable=True),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
    Index("ix_zones_tenant_gis", "tenant_id", "gis_id"),
    Index("ix_zones_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
)

#: Every version of every zone (migration 0010): what the zone was from ``valid_from`` until
#: ``valid_to`` (null: open; the zone's own validity, in ``zones``, bounds both), so a check at a
#: past moment uses the outline in force then (NF6.9). ``zones`` keeps the newest version.
zone_versions = Table(
    "zone_versions", metadata,
    _iri("id", primary_key=True),  # the version's IRI: .../zone/{ref}/{n}
    _iri("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), nullable=False, index=True),
    _iri("tenant_id", nullable=False),
    Column("version_number", Integer, nullable=False),
    Column("valid_from", UTCDateTime(), nullable=True),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("wkt", Text, nullable=False),
    Column("min_lon", Float, nullable=False),
    Column("min_lat", Float, nullable=False),
    Column("max_lon", Float, nullable=False),
    Column("max_lat", Float, nullable=False),
    Column("document", Document, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("zone_id", "version_number", name="uq_zone_versions_zone_version"),
)

regime_versions = Table(
    "regime_versions", metadata,
    _iri("id", primary_key=True),  # the version's IRI: .../regime/{ref}/{n}
    _iri("regime_id", nullable=False),  # the regime across versions: .../regime/{ref}
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("version_number", Integer, nullable=False),
    Column("name", String(500), nullable=False),
    Column("right_kind", String(32), nullable=False),
    Column("usage", String(64), nullable=False),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("regime_id", "version_number", name="uq_regime_versions_regime_version"),
)

regime_zones = Table(
    "regime_zones", metadata,
    _iri("regime_version_id", ForeignKey("regime_versions.id", ondelete="CASCADE"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False, index=True),
    PrimaryKeyConstraint("regime_version_id", "zone_id"),
)

#: One row: the database's random ``epoch`` and a counter that triggers (migration 0004) bump on
#: every change to zones, regime_versions and regime_zones; ``vptr.store.catalogue`` keys its
#: in-memory copy on both. Not register data: test snapshots and exports leave it alone.
catalogue_state = Table(
    "catalogue_state", metadata,
    Column("id", Integer, nullable=False),
    Column("epoch", String(64), nullable=False),
    Column("generation", BigInteger, nullable=False),
    PrimaryKeyConstraint("id", name="pk_catalogue_state"),
    info={"bookkeeping": True},
)

authorisations = Table(
    "authorisations", metadata,
    _iri("id", primary_key=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False, index=True),  # the grantor
    _iri("grantee_id", ForeignKey("organisations.id"), nullable=False),
    Column("can_read", Boolean, nullable=False),
    Column("can_write", Boolean, nullable=False),
    # The scopes managePermits and manageWhitelists (migration 0010).
    Column("can_manage_permits", Boolean, nullable=False, server_default=false()),
    Column("can_manage_whitelists", Boolean, nullable=False, server_default=false()),
    Column("all_zones", Boolean, nullable=False),
    Column("valid_from", UTCDateTime(), nullable=True),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
    Index("ix_authorisations_grantee_tenant", "grantee_id", "tenant_id"),
)

authorisation_zones = Table(
    "authorisation_zones", metadata,
    _iri("authorisation_id", ForeignKey("authorisations.id", ondelete="CASCADE"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False, index=True),
    PrimaryKeyConstraint("authorisation_id", "zone_id"),
)

rights = Table(
    "rights", metadata,
    _iri("id", primary_key=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False),
    _iri("provider_id", ForeignKey("organisations.id"), nullable=False),
    _iri("authorisation_id", nullable=True),
    _iri("regime_id", nullable=True),
    Column("plate_hash", String(64), nullable=False),
    Column("plate", String(32), nullable=True),  # clear; retention blanks it
    # When retention blanked the plate (vptr.accounting.retention); added by 0002_security.
    Column("pseudonymised_at", UTCDateTime(), nullable=True),
    Column("country", String(2), nullable=False),
    Column("start_time", UTCDateTime(), nullable=False),
    Column("end_time", UTCDateTime(), nullable=True),
    Column("status", String(16), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("client_reference", String(40), nullable=True),
    # A keyed fingerprint of the registering request, to tell a re-send from a different right.
    Column("request_hash", String(64), nullable=False),
    Column("amount_minor", BigInteger, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
    UniqueConstraint("provider_id", "client_reference", name="uq_rights_provider_reference"),
    Index("ix_rights_plate_hash", "plate_hash"),
    Index("ix_rights_plate_zone_start", "plate_hash", "zone_id", "start_time"),  # checks
    Index("ix_rights_zone_start", "zone_id", "start_time"),
    Index("ix_rights_zone_end", "zone_id", "end_time"),
    Index("ix_rights_tenant_start", "tenant_id", "start_time"),
    Index("ix_rights_provider_start", "provider_id", "start_time"),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    _iri("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("request_hash", String(64), nullable=False),
    _iri("resource_id", nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("organisation_id", "key"),
)

permits = Table(
    "permits", metadata,
    _iri("id", primary_key=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("permit_type", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    # When the status took effect (the document's statusSince; migration 0010).
    Column("status_since", UTCDateTime(), nullable=True),
    Column("holder_reference", String(128), nullable=False),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
)

permit_vehicles = Table(
    "permit_vehicles", metadata,
    _iri("permit_id", ForeignKey("permits.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("plate_hash", String(64), nullable=False, index=True),
    Column("plate", String(32), nullable=True),
    Column("country", String(2), nullable=False),
    PrimaryKeyConstraint("permit_id", "position"),
)

permit_zones = Table(
    "permit_zones", metadata,
    _iri("permit_id", ForeignKey("permits.id", ondelete="CASCADE"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False, index=True),
    PrimaryKeyConstraint("permit_id", "zone_id"),
)

#: What each right registered on a permit's credit (F2.5) took from it (migration 0010): the
#: per-plate report reads it; the permit document's ``credit.minutesUsed`` is the running total.
credit_consumptions = Table(
    "credit_consumptions", metadata,
    _iri("right_id", ForeignKey("rights.id", ondelete="CASCADE"), primary_key=True),
    _iri("permit_id", ForeignKey("permits.id", ondelete="CASCADE"), nullable=False, index=True),
    _iri("tenant_id", nullable=False),
    Column("plate_hash", String(64), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)

whitelists = Table(
    "whitelists", metadata,
    _iri("id", primary_key=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False, index=True),
    Column("name", String(500), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("valid_from", UTCDateTime(), nullable=False),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
)

whitelist_zones = Table(
    "whitelist_zones", metadata,
    _iri("whitelist_id", ForeignKey("whitelists.id", ondelete="CASCADE"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False, index=True),
    PrimaryKeyConstraint("whitelist_id", "zone_id"),
)

whitelist_entries = Table(
    "whitelist_entries", metadata,
    _iri("id", primary_key=True),
    _iri("whitelist_id", ForeignKey("whitelists.id", ondelete="CASCADE"), nullable=False,
         index=True),
    _iri("tenant_id", ForeignKey("organisations.id"), nullable=False),
    Column("plate_hash", String(64), nullable=False, index=True),
    Column("plate", String(32), nullable=True),
    Column("country", String(2), nullable=False),
    # Absent: the entry holds for the whole list's period.
    Column("valid_from", UTCDateTime(), nullable=True),
    Column("valid_to", UTCDateTime(), nullable=True),
    Column("document", Document, nullable=False),
    *_bookkeeping(),
)

whitelist_entry_zones = Table(
    "whitelist_entry_zones", metadata,
    _iri("entry_id", ForeignKey("whitelist_entries.id", ondelete="CASCADE"), nullable=False),
    _iri("zone_id", ForeignKey("zones.id"), nullable=False, index=True),
    PrimaryKeyConstraint("entry_id", "zone_id"),
)

# --- accounting and authentication: request counts, the audit log, OIDC client links ---------
# None has a foreign key to ``organisations``: counts and audit events must outlive the
# organisation they name, and anonymous requests name none (``""``). Revision 0002 creates them.

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

#: The change stream of the public resources (vptr.repositories.change_stream): one row per change
#: of a zone, a regime version or a public organisation, written in the change's transaction;
#: ``document`` is the resource as the change left it (null: deleted or no longer public). ``seq``
#: is given in commit order (the writer holds the table's lock), so a page of the stream that is
#: full never changes again.
change_events = Table(
    "change_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("kind", String(40), nullable=False),
    _iri("resource_id", nullable=False),
    _iri("tenant_id", nullable=False),
    Column("document", Document, nullable=True),
    Index("ix_change_events_resource", "resource_id", "seq"),
    Index("ix_change_events_tenant", "tenant_id", "seq"),
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
    #: The person acting for the organisation (a member of staff logged in to the web app), when
    #: the channel knows one; API calls act as the organisation alone.
    Column("person", String(200), nullable=True),
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

# --- the NPR-style gateway (vptr.npr): the codes NPR messages name things by ------------------
# Revision 0007 creates them. Gateway storage beside the model (docs/mapping-apds-npr.md): the
# register's own IRIs stay the identity; these tables only translate the NPR's codes.

#: An NPR code of a register thing: ``kind`` is ``areaManager`` (AreaManagerId, Numeric4, unique
#: across the register: ``scope`` is ``""``), ``area`` (AreaId of a zone), ``regulation``
#: (RegulationId of a regime series), ``fare`` (FareCalculationCode of a regime's tariff),
#: ``sellingPoint`` (SellingPointId of a meter, an alternative key of its zone) or ``usage``
#: (UsageId; ``target`` is the model's Usage value). Other kinds are scoped by the tenant.
npr_codes = Table(
    "npr_codes", metadata,
    Column("kind", String(16), nullable=False),
    Column("scope", String(IRI_LENGTH), nullable=False),
    Column("code", String(20), nullable=False),
    Column("target", String(IRI_LENGTH), nullable=False),
    Column("description", String(80), nullable=True),
    PrimaryKeyConstraint("kind", "scope", "code", name="pk_npr_codes"),
    Index("ix_npr_codes_target", "target"),
)

#: The numeric PSRightId of every right, whichever channel registered it (assigned when the right
#: is inserted, vptr.repositories.rights.insert).
npr_rights = Table(
    "npr_rights", metadata,
    Column("ps_right_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    _iri("right_id", nullable=False, unique=True),
    _iri("tenant_id", nullable=False, index=True),
)

#: Columns of the RDW open-data tables that the model has no home for (GEBIEDSBEHEERDER's dates,
#: GEBRUIKSDOEL's, TARIEFBEREKENING.PeriodNameTariff, TARIEFDEEL.AmountCumulative), kept as
#: imported so an export gives them back (vptr.services.npr_open_data). ``row_key`` identifies
#: the row within its table; ``vals`` maps column to text.
npr_kept = Table(
    "npr_kept", metadata,
    _iri("tenant_id", nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_key", String(200), nullable=False),
    Column("vals", Document, nullable=False),
    PrimaryKeyConstraint("tenant_id", "table_name", "row_key", name="pk_npr_kept"),
)


# --- the APDS gateway's storage (vptr.apds; docs/mapping-apds-npr.md "versions") ---------------

#: An APDS AssignedRight or Session as the gateway knows it: the client-assigned id, its version
#: counter and what it stands for in the register (``target``: the right, permit or whitelist
#: entry it became). ``document`` keeps the APDS fields the register has no home for (a session's
#: segments) and never a plate: plates live in the register's own rows, under retention.
apds_records = Table(
    "apds_records", metadata,
    Column("class_name", String(20), primary_key=True),
    Column("id", String(128), primary_key=True),
    Column("version", Integer, nullable=False),
    _iri("tenant_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    _iri("owner_id", nullable=False),
    Column("target_kind", String(20), nullable=False),
    _iri("target", nullable=False),
    Column("document", Document, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("deleted_at", UTCDateTime(), nullable=True),
    Index("ix_apds_records_target", "target"),
    Index("ix_apds_records_tenant_updated", "tenant_id", "updated_at"),
)

#: Webhook subscriptions (APDS EventSubscription) of an organisation.
apds_subscriptions = Table(
    "apds_subscriptions", metadata,
    Column("id", String(64), primary_key=True),
    _iri("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("endpoint", String(1000), nullable=False),
    Column("topics", Document, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_apds_subscriptions_organisation", "organisation_id"),
)

#: One line per delivery attempt of a webhook event: never the payload (it names a plate).
apds_deliveries = Table(
    "apds_deliveries", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("subscription_id", String(64), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("topic", String(40), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("error", String(200), nullable=True),
    Column("delivered", Boolean, nullable=False),
    Index("ix_apds_deliveries_subscription_at", "subscription_id", "at"),
    Index("ix_apds_deliveries_at", "at"),
)

# --- the management web app's staff sessions (vptr.web; revision 0010) -------------------------

#: A logged-in (or, briefly, anonymous) session of the web app, shared by every instance. The
#: browser holds the random session id; the store keeps only its SHA-256 (``id_hash``), so a copy
#: of the table logs nobody in. ``idle_until`` slides with each request, ``expires_at`` does not;
#: a row past either is dead and the retention run deletes it. ``data`` holds what waits for the
#: person's confirmation (a checked CSV upload, the state of an OIDC login), never for long.
web_sessions = Table(
    "web_sessions", metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("csrf", String(64), nullable=False),
    _iri("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=True),
    Column("person", String(200), nullable=True),
    Column("login", String(200), nullable=True),
    Column("data", Document, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("idle_until", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Index("ix_web_sessions_idle_until", "idle_until"),
    Index("ix_web_sessions_expires_at", "expires_at"),
)

#: Webhook deliveries still to make (revision 0012): one row per event and subscription, written
#: in the transaction of the change that caused it, claimed by one instance at a time with a lease,
#: deleted once delivered or given up. The body holds a placeholder where the plate was; the plate
#: is in its own column, as everywhere in the store, and leaves with the row (or with retention).
apds_outbox = Table(
    "apds_outbox", metadata,
    Column("id", String(64), primary_key=True),
    Column("subscription_id", String(64),
           ForeignKey("apds_subscriptions.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("topic", String(40), nullable=False),
    _iri("tenant_id", ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("endpoint", String(1000), nullable=False),
    Column("body", Document, nullable=False),
    Column("plate", String(32), nullable=True),
    Column("attempt", Integer, nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_apds_outbox_due", "due_at"),
    Index("ix_apds_outbox_created", "created_at"),
)
