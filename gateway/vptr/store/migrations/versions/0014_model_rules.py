"""Stored whitelists use the standard's one name and one concept for each thing (issue 13).

- A whitelist's area manager was kept under the key ``owner``; the standard now calls it
  ``areaManager``, as on zones, regimes and permits (the IRI, ``mobiliteit:beheerder``, is the
  same). Every stored whitelist's ``owner`` becomes ``areaManager`` (an ``areaManager`` already
  there is kept and ``owner`` dropped).
- The reasons of a whitelist were a code list of their own (``RedenWitteLijst``) that minted
  ``emergencyServices``, ``municipalFleet``, ``carSharing`` and ``publicTransport`` a second time
  beside the user classes (``Gebruikersklasse``); the reason is now a user class. Short names
  (``"emergencyServices"``, nearly every stored value) did not change; a full concept IRI of the
  old list, which a client may have written, becomes the user class's IRI, in documents and in
  ``whitelists.reason``. The pairs are frozen here: a migration keeps doing what it did.

Only rows whose document text mentions ``owner`` or ``RedenWitteLijst`` are read, a page at a
time.

Revision ID: 0014_model_rules
Revises: 0013_change_stream
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014_model_rules"
down_revision = "0013_change_stream"
branch_labels = None
depends_on = None

CONCEPT = "https://data.vlaanderen.be/id/concept/"
#: The reasons of the old list (their 1.0 IRIs), each now the user class of the same Dutch name.
REASONS = ("hulpdiensten", "gemeentelijkWagenpark", "autodelen", "openbaarVervoer",
           "nutsbedrijven", "gezondheidszorg", "evenement", "ander")
PAIRS = {f"{CONCEPT}RedenWitteLijst/{r}": f"{CONCEPT}Gebruikersklasse/{r}" for r in REASONS}
PAGE = 500


def upgrade_value(value: Any) -> Any:
    """The value with every old reason IRI replaced, at any depth (iteratively: stored documents
    can be deep)."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict):
            copy: dict[str, Any] = {}
            for k, v in item.items():
                copy[k] = None
                stack.append((v, copy, k))
            parent[key] = copy
        elif isinstance(item, list):
            items: list[Any] = [None] * len(item)
            for i, v in enumerate(item):
                stack.append((v, items, i))
            parent[key] = items
        else:
            parent[key] = PAIRS.get(item, item) if isinstance(item, str) else item
    return root[0]


def upgrade_whitelist(document: dict[str, Any]) -> dict[str, Any]:
    """A whitelist document with ``areaManager`` in the place of ``owner`` and the reasons' new
    IRIs."""
    upgraded = upgrade_value(document)
    if not isinstance(upgraded, dict) or "owner" not in upgraded:
        return upgraded
    renamed: dict[str, Any] = {}
    for key, value in upgraded.items():
        if key != "owner":
            renamed[key] = value
        elif "areaManager" not in upgraded:
            renamed["areaManager"] = value
    return renamed


def _documents(connection: sa.Connection, table: str, markers: tuple[str, ...],
               change: Any) -> int:
    """Rewrites the documents of a table that mention a marker; returns how many changed."""
    doc = sa.table(table, sa.column("id", sa.String), sa.column("document", sa.JSON))
    as_text = sa.cast(sa.column("document"), sa.Text)
    mentions = sa.or_(*(as_text.like(f"%{m}%") for m in markers))
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
            upgraded = change(document)
            if upgraded != document:
                connection.execute(doc.update().where(doc.c.id == row_id)
                                   .values(document=upgraded))
                changed += 1
        last = rows[-1][0]


def upgrade() -> None:
    connection = op.get_bind()
    _documents(connection, "whitelists", ('"owner"', "RedenWitteLijst"), upgrade_whitelist)
    _documents(connection, "whitelist_entries", ("RedenWitteLijst",), upgrade_value)
    # whitelists.reason is 64 characters: only SQLite, which does not enforce it, can hold a full
    # IRI of the old list, so only values found are rewritten (PostgreSQL refuses even a
    # parameter longer than the column).
    found = connection.execute(sa.text(
        "SELECT DISTINCT reason FROM whitelists WHERE reason LIKE '%RedenWitteLijst%'")).scalars()
    for old in list(found):
        if old in PAIRS:
            connection.execute(sa.text("UPDATE whitelists SET reason = :new WHERE reason = :old"),
                               {"new": PAIRS[old], "old": old})


def downgrade() -> None:
    # The old key and code list are not restored: the register of 0009 reads whitelists through
    # the same documents, and a key renamed back would be the only change; nothing is lost.
    pass
