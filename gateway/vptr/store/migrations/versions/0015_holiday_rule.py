"""Stored regimes say "free on public holidays" the one way the standard keeps (issue 13).

A regime said it with a flag of its own, ``exemptPublicHolidays``; the standard removed the flag
and says it with an entry of the list of exempt days, ``{"recurringDay": "publicHoliday"}``
(docs/model-decisions.md, "Public holidays"). Every stored regime version, and every copy of one
in the change stream, is rewritten:

- ``exemptPublicHolidays: true`` becomes that entry at the end of ``exemptDays`` (the list is made
  if absent; an entry already there is not doubled) and the key goes;
- ``exemptPublicHolidays: false`` (or absent) meant the same as no entry: the key goes.

Documents are stored with the model's keys, but a client could write a property IRI as a key, so
the flag is also found under its 0.1 IRI (``vptr:exemptPublicHolidays``) and under the IRI the 1.0
draft gave it (``vptr:vrijOpWettelijkeFeestdagen``, which migration 0008 wrote for the former), in
compact and full form. What the regime means does not change: the check and the price read the
entry exactly as they read the flag. A dated exempt day on a public holiday beside the flag is
kept as it was (it changes nothing); the register now refuses it when the regime is sent again.

Downgrade turns the entry back into ``exemptPublicHolidays: true`` (dropping ``exemptDays`` when
nothing else is left in it), for the register of 0014, which reads the flag; a ``false`` is not
restored, since an absent flag meant the same. Only rows whose document text mentions one of the
keys or ``recurringDay`` are read, a page at a time.

Revision ID: 0015_holiday_rule
Revises: 0014_model_rules
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015_holiday_rule"
down_revision = "0014_model_rules"
branch_labels = None
depends_on = None

VPTR = "https://data.vlaanderen.be/ns/parkeren-en-toegang#"
#: Every key the flag may be stored under: the model's key, its 0.1 IRI and the 1.0 draft's IRI.
FLAG_KEYS = ("exemptPublicHolidays", "vptr:exemptPublicHolidays", VPTR + "exemptPublicHolidays",
             "vptr:vrijOpWettelijkeFeestdagen", VPTR + "vrijOpWettelijkeFeestdagen")
#: The list of exempt days, by its key and its IRI (1.0; 0.1's was rewritten by 0008).
DAYS_KEYS = ("exemptDays", "vptr:vrijgesteldeDag", VPTR + "vrijgesteldeDag")
ENTRY = {"recurringDay": "publicHoliday"}
#: What the published mapping (iri-mapping.ttl) says of the flag's IRI from now on: replaced by
#: the list of exempt days (in another shape, so without equivalence). Read by the test that keeps
#: 0008's frozen pairs equal to the published mapping.
PAIRS = {VPTR + "vrijOpWettelijkeFeestdagen": VPTR + "vrijgesteldeDag"}
PAGE = 500


def _true(value: Any) -> bool:
    """A stored flag's value: a JSON boolean, or a value object or string a client sent."""
    if isinstance(value, dict):
        value = value.get("@value")
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "1"))


def _is_entry(day: Any) -> bool:
    return isinstance(day, dict) and day.get("recurringDay") == "publicHoliday"


def upgrade_regime(document: Any) -> Any:
    """The regime document with the flag turned into the exempt-day entry (or just dropped)."""
    if not isinstance(document, dict) or not any(k in document for k in FLAG_KEYS):
        return document
    exempt = any(_true(document[k]) for k in FLAG_KEYS if k in document)
    upgraded = {k: v for k, v in document.items() if k not in FLAG_KEYS}
    if exempt:
        key = next((k for k in DAYS_KEYS if k in upgraded), "exemptDays")
        days = upgraded.get(key)
        days = [] if days is None else list(days) if isinstance(days, list) else [days]
        if not any(_is_entry(d) for d in days):
            days.append(dict(ENTRY))
        upgraded[key] = days
    return upgraded


def downgrade_regime(document: Any) -> Any:
    """The regime document with the entry turned back into ``exemptPublicHolidays: true``."""
    if not isinstance(document, dict):
        return document
    key = next((k for k in DAYS_KEYS if k in document), None)
    days = document.get(key) if key is not None else None
    listed = days if isinstance(days, list) else [days] if days is not None else []
    if not any(_is_entry(d) for d in listed):
        return document
    kept = [d for d in listed if not _is_entry(d)]
    downgraded = {k: v for k, v in document.items() if k != key}
    if kept:
        downgraded[key] = kept  # type: ignore[index]
    downgraded["exemptPublicHolidays"] = True
    return downgraded


def _documents(connection: sa.Connection, table: str, key: str, markers: tuple[str, ...],
               change: Any, kind: str | None = None) -> int:
    """Rewrites the documents of a table (of one ``kind``, for the change stream) that mention a
    marker; returns how many changed."""
    columns = [sa.column(key), sa.column("document", sa.JSON)]
    if kind is not None:
        columns.append(sa.column("kind", sa.String))
    rows_of = sa.table(table, *columns)
    row_key, document_column = rows_of.c[key], rows_of.c.document
    as_text = sa.cast(document_column, sa.Text)
    wanted = sa.or_(*(as_text.like(f"%{m}%") for m in markers))
    if kind is not None:
        wanted = sa.and_(wanted, rows_of.c.kind == kind)
    changed: int = 0
    last: Any = None
    while True:
        query = sa.select(row_key, document_column).where(wanted).order_by(row_key).limit(PAGE)
        if last is not None:
            query = query.where(row_key > last)
        rows = connection.execute(query).all()
        if not rows:
            return changed
        for row_id, stored in rows:
            document = json.loads(stored) if isinstance(stored, str) else stored
            rewritten = change(document)
            if rewritten != document:
                connection.execute(rows_of.update().where(row_key == row_id)
                                   .values(document=rewritten))
                changed += 1
        last = rows[-1][0]


_FLAG_MARKERS = ("exemptPublicHolidays", "vrijOpWettelijkeFeestdagen")
_ENTRY_MARKERS = ("recurringDay",)


def upgrade() -> None:
    connection = op.get_bind()
    _documents(connection, "regime_versions", "id", _FLAG_MARKERS, upgrade_regime)
    _documents(connection, "change_events", "seq", _FLAG_MARKERS, upgrade_regime, "regime")


def downgrade() -> None:
    connection = op.get_bind()
    _documents(connection, "regime_versions", "id", _ENTRY_MARKERS, downgrade_regime)
    _documents(connection, "change_events", "seq", _ENTRY_MARKERS, downgrade_regime, "regime")
