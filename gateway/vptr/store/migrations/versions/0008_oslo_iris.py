"""Stored data names no IRI of version 0.1 of the standard: each becomes its 1.0 IRI.

The register stores documents with the model's keys and code-list short names (``"zoneKind":
"blueZone"``), which 1.0 kept, so most rows are untouched. But the JSON-LD context lets a client
write an IRI where a key, a type or a code-list value goes (``"vptr:capacity"``, a full concept IRI
as ``zoneKind``), and until 1.0 the register stored such a document as it came. Every string of
a stored document (keys included) and of the columns that copy a code-list value that is an IRI
of 0.1 (full, or compact with a prefix of the context) is rewritten to the IRI that replaced it,
in the same form. The pairs are frozen beside this file (``0008_oslo_iris.json``, from
``iri-mapping.ttl`` of 1.0.0): a migration keeps doing what it did when it was written.

Only rows whose document mentions a namespace of the standard are read (a ``LIKE`` on the
document's text), a page at a time.

Revision ID: 0008_oslo_iris
Revises: 0007_npr
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_oslo_iris"
down_revision = "0007_npr"
branch_labels = None
depends_on = None

#: Tables with a stored document, and their columns that copy a code-list value.
TABLES: dict[str, tuple[str, ...]] = {
    "organisations": (),
    "zones": ("zone_kind",),
    "regime_versions": ("right_kind", "usage"),
    "authorisations": (),
    "permits": ("permit_type", "status"),
    "whitelists": ("reason",),
    "whitelist_entries": (),
    "rights": ("status", "channel"),
}
#: What a document naming a vocabulary or concept IRI of the standard contains, as text.
_MARKERS = ("%data.vlaanderen.be%", "%vptr:%", "%dcterms:temporal%")
PAGE = 500


def mapping() -> dict[str, str]:
    """Old IRI -> new IRI, in full and in every compact form the context allows."""
    data = json.loads(Path(__file__).with_suffix(".json").read_text(encoding="utf-8"))
    prefixes: dict[str, str] = data["prefixes"]
    pairs: dict[str, str] = {}
    for old, new in data["replaced"].items():
        pairs[old] = new
        for prefix, ns in prefixes.items():
            if old.startswith(ns):
                best = max((n for n in prefixes.values() if new.startswith(n)), key=len,
                           default="")
                short = next((p for p, n in prefixes.items() if n == best), None)
                pairs[f"{prefix}:{old[len(ns):]}"] = (f"{short}:{new[len(best):]}" if short
                                                      else new)
    return pairs


def upgrade_value(value: Any, pairs: dict[str, str]) -> Any:
    """The value with every old IRI, as a key or a string, replaced (iteratively: stored
    documents can be deep)."""
    if isinstance(value, str):
        return pairs.get(value, value)
    if not isinstance(value, dict | list):
        return value
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict):
            copy: dict[str, Any] = {}
            for k, v in item.items():
                new_key = pairs.get(k, k) if isinstance(k, str) else k
                copy[new_key] = None
                stack.append((v, copy, new_key))
            parent[key] = copy
        elif isinstance(item, list):
            items: list[Any] = [None] * len(item)
            for i, v in enumerate(item):
                stack.append((v, items, i))
            parent[key] = items
        else:
            parent[key] = pairs.get(item, item) if isinstance(item, str) else item
    return root[0]


def _documents(connection: sa.Connection, table: str, pairs: dict[str, str]) -> int:
    """Rewrites the documents of a table that hold an old IRI; returns how many changed."""
    doc = sa.table(table, sa.column("id", sa.String), sa.column("document", sa.JSON))
    as_text = sa.cast(sa.column("document"), sa.Text)
    mentions = sa.or_(*(as_text.like(marker) for marker in _MARKERS))
    changed, last = 0, ""
    while True:
        rows = connection.execute(
            sa.select(sa.column("id"), sa.column("document")).select_from(sa.table(table))
            .where(sa.column("id") > last, mentions).order_by(sa.column("id")).limit(PAGE)
        ).all()
        if not rows:
            return changed
        for row_id, stored in rows:
            document = json.loads(stored) if isinstance(stored, str) else stored
            upgraded = upgrade_value(document, pairs)
            if upgraded != document:
                connection.execute(doc.update().where(doc.c.id == row_id)
                                   .values(document=upgraded))
                changed += 1
        last = rows[-1][0]


def _columns(connection: sa.Connection, table: str, columns: tuple[str, ...],
             pairs: dict[str, str]) -> None:
    for column in columns:
        found = connection.execute(sa.text(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} LIKE '%:%'")).scalars().all()
        for old in found:
            if old in pairs:
                connection.execute(sa.text(f"UPDATE {table} SET {column} = :new "
                                           f"WHERE {column} = :old"),
                                   {"new": pairs[old], "old": old})


def upgrade() -> None:
    connection = op.get_bind()
    pairs = mapping()
    for table, columns in TABLES.items():
        _documents(connection, table, pairs)
        _columns(connection, table, columns, pairs)


def downgrade() -> None:
    # Nothing to undo for version 0.1's code: 1.0 IRIs appear only where a client wrote an IRI,
    # and two old IRIs can share one new IRI (zone and zones), so no inverse exists.
    pass
