"""The register's model gaps (issue 13): zones in versions, linked regimes by their versionless IRI.

- ``zone_versions`` holds every version of every zone, so a check at a past moment uses the outline
  in force then. Every existing zone becomes its version 1 (in force for the zone's whole validity),
  and its document says ``"version": 1``.
- A regime's ``grants`` and ``excludes`` name the regime across its versions (``.../regime/{ref}``),
  not one version of it (``.../regime/{ref}/{n}``), which went stale at the next version: stored
  version IRIs become the versionless ones.
- Rights and permits carry ``statusSince`` and their status history. What the store knew is kept:
  a right was active from its registration (``created_at``) and, if ended or revoked, took that
  status at its last change (``updated_at``); a permit never changed took its status when it was
  registered, a changed one at its last change. ``permits.status_since`` copies it for the check.
- ``credit_consumptions`` records what each right registered on a permit's credit took (F2.5);
  none did before.
- Authorisations gain the scopes ``managePermits`` and ``manageWhitelists``
  (``authorisations.can_manage_permits`` / ``can_manage_whitelists``); existing ones have neither.

Revision ID: 0011_model_register
Revises: 0010_web_sessions
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_model_register"
down_revision = "0010_web_sessions"
branch_labels = None
depends_on = None

PAGE = 500
IRI = 400
_VERSION_IRI = re.compile(r"^(.+/regime/[A-Za-z0-9._~-]{1,120})/[0-9]{1,7}$")


def _document() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def _instant() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _pages(connection: sa.Connection, table: str, columns: list[Any]):
    """The rows of a table a page at a time, by id (a large store is never read at once)."""
    last = ""
    while True:
        rows = connection.execute(
            sa.select(*(sa.column(c) if isinstance(c, str) else c for c in columns))
            .select_from(sa.table(table))
            .where(sa.column("id") > last).order_by(sa.column("id")).limit(PAGE)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _zone_versions(connection: sa.Connection) -> None:
    versions = op.create_table(
        "zone_versions",
        sa.Column("id", sa.String(IRI), nullable=False),
        sa.Column("zone_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("valid_from", _instant(), nullable=True),
        sa.Column("valid_to", _instant(), nullable=True),
        sa.Column("wkt", sa.Text, nullable=False),
        sa.Column("min_lon", sa.Float, nullable=False),
        sa.Column("min_lat", sa.Float, nullable=False),
        sa.Column("max_lon", sa.Float, nullable=False),
        sa.Column("max_lat", sa.Float, nullable=False),
        sa.Column("document", _document(), nullable=False),
        sa.Column("created_at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], name="fk_zone_versions_zone_id_zones",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_zone_versions"),
        sa.UniqueConstraint("zone_id", "version_number", name="uq_zone_versions_zone_version"),
    )
    op.create_index("ix_zone_versions_zone_id", "zone_versions", ["zone_id"])
    zones = sa.table("zones", sa.column("id"), sa.column("document", _document()))
    columns = ["id", "tenant_id", "wkt", "min_lon", "min_lat", "max_lon", "max_lat", "document",
               "created_at"]
    created_at = sa.column("created_at", _instant())
    for rows in _pages(connection, "zones", [*columns[:-1], created_at]):
        for zone_id, tenant, wkt, min_lon, min_lat, max_lon, max_lat, stored, created in rows:
            document = {**_loaded(stored), "version": 1}
            connection.execute(zones.update().where(zones.c.id == zone_id)
                               .values(document=document))
            connection.execute(versions.insert().values(
                id=f"{zone_id}/1", zone_id=zone_id, tenant_id=tenant, version_number=1,
                valid_from=None, valid_to=None, wkt=wkt, min_lon=min_lon, min_lat=min_lat,
                max_lon=max_lon, max_lat=max_lat, document=document,
                created_at=created))


def versionless(value: Any) -> Any:
    """A regime version IRI as the regime's IRI; anything else unchanged."""
    if isinstance(value, str):
        found = _VERSION_IRI.match(value)
        return found.group(1) if found else value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return {**value, "id": versionless(value["id"])}
    return value


def _linked_regimes(connection: sa.Connection) -> None:
    regimes = sa.table("regime_versions", sa.column("id"), sa.column("document", _document()))
    for rows in _pages(connection, "regime_versions", ["id", "document"]):
        for version_id, stored in rows:
            document = _loaded(stored)
            changed = dict(document)
            for key in ("grants", "excludes"):
                if isinstance(document.get(key), list):
                    kept = {json.dumps(versionless(v), sort_keys=True): versionless(v)
                            for v in document[key]}
                    changed[key] = list(kept.values())
            if changed != document:
                connection.execute(regimes.update().where(regimes.c.id == version_id)
                                   .values(document=changed))


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _instant_text(value: Any) -> str:
    return _utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")


def _status_histories(connection: sa.Connection) -> None:
    op.add_column("permits", sa.Column("status_since", _instant(), nullable=True))
    created, updated = sa.column("created_at", _instant()), sa.column("updated_at", _instant())
    permits = sa.table("permits", sa.column("id"), sa.column("document", _document()),
                       sa.column("status_since", _instant()))
    for rows in _pages(connection, "permits", ["id", "status", "version", "document", created,
                                               updated]):
        for permit_id, status, version, stored, made, changed in rows:
            since = made if version == 1 else changed
            document = {**_loaded(stored), "statusSince": _instant_text(since)}
            document["permitStatusHistory"] = [{"permitStatus": status,
                                                "statusSince": document["statusSince"]}]
            connection.execute(permits.update().where(permits.c.id == permit_id)
                               .values(document=document, status_since=_utc(since)))
    rights = sa.table("rights", sa.column("id"), sa.column("document", _document()))
    for rows in _pages(connection, "rights", ["id", "status", "document", created, updated]):
        for right_id, status, stored, made, changed in rows:
            history = [{"rightStatus": "active", "statusSince": _instant_text(made)}]
            if status != "active":
                history.append({"rightStatus": status, "statusSince": _instant_text(changed)})
            document = {**_loaded(stored), "statusSince": history[-1]["statusSince"],
                        "rightStatusHistory": history}
            connection.execute(rights.update().where(rights.c.id == right_id)
                               .values(document=document))


def upgrade() -> None:
    connection = op.get_bind()
    _zone_versions(connection)
    _linked_regimes(connection)
    _status_histories(connection)
    op.create_table(
        "credit_consumptions",
        sa.Column("right_id", sa.String(IRI), nullable=False),
        sa.Column("permit_id", sa.String(IRI), nullable=False),
        sa.Column("tenant_id", sa.String(IRI), nullable=False),
        sa.Column("plate_hash", sa.String(64), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.ForeignKeyConstraint(["right_id"], ["rights.id"],
                                name="fk_credit_consumptions_right_id_rights", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["permit_id"], ["permits.id"],
                                name="fk_credit_consumptions_permit_id_permits",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("right_id", name="pk_credit_consumptions"),
    )
    op.create_index("ix_credit_consumptions_permit_id", "credit_consumptions", ["permit_id"])
    for column in ("can_manage_permits", "can_manage_whitelists"):
        op.add_column("authorisations", sa.Column(column, sa.Boolean(), nullable=False,
                                                  server_default=sa.false()))


def downgrade() -> None:
    # Linked regimes keep their versionless IRIs: a version IRI cannot be told back from them, and
    # the versionless IRI names the same regime. Zones keep their newest version only.
    connection = op.get_bind()
    zones = sa.table("zones", sa.column("id"), sa.column("document", _document()))
    for rows in _pages(connection, "zones", ["id", "document"]):
        for zone_id, stored in rows:
            document = _loaded(stored)
            if "version" in document:
                document = {k: v for k, v in document.items() if k != "version"}
                connection.execute(zones.update().where(zones.c.id == zone_id)
                                   .values(document=document))
    op.drop_index("ix_credit_consumptions_permit_id", table_name="credit_consumptions")
    op.drop_table("credit_consumptions")
    for table, key in (("permits", "permitStatusHistory"), ("rights", "rightStatusHistory")):
        documents = sa.table(table, sa.column("id"), sa.column("document", _document()))
        for rows in _pages(connection, table, ["id", "document"]):
            for row_id, stored in rows:
                document = _loaded(stored)
                if "statusSince" in document or key in document:
                    kept = {k: v for k, v in document.items() if k not in ("statusSince", key)}
                    connection.execute(documents.update().where(documents.c.id == row_id)
                                       .values(document=kept))
    with op.batch_alter_table("permits") as batch:
        batch.drop_column("status_since")
    with op.batch_alter_table("authorisations") as batch:
        batch.drop_column("can_manage_permits")
        batch.drop_column("can_manage_whitelists")
    op.drop_index("ix_zone_versions_zone_id", table_name="zone_versions")
    op.drop_table("zone_versions")
