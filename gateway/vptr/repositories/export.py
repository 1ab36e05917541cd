"""A tenant's own raw data, streamed (F4.1): so no municipality needs database access again.
Zones come with every version of their outline; what a right took from a permit's credit is in the
right itself (``creditMinutesUsed``, with its ``sourcePermit``), and the permit holds the total.

Rows are read in chunks by key (each chunk its own short read), so an export of millions of rights
neither holds a transaction open nor fills memory, and the client starts receiving at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Table, select

from vptr import kinds
from vptr.repositories import permits, rights, whitelists, zones
from vptr.repositories.documents import iri_list
from vptr.store import tables
from vptr.store.database import Store
from vptr.times import format_instant
from vptr.validation import CONTEXT_IRI

CHUNK = 1000
CSV_COLUMNS = ("kind", "id", "name", "zones", "validFrom", "validTo", "status", "plates",
               "amount", "currency", "document")


RenderChunk = Callable[[Connection, list[Row]], list[dict[str, Any]]]


def _each(render: Callable[[Row], dict[str, Any]]) -> RenderChunk:
    return lambda _connection, rows: [render(row) for row in rows]


#: How each exported kind's rows become documents (the kinds and their order: vptr.kinds).
RENDERERS: dict[str, RenderChunk] = {
    "zone": _each(lambda r: r.document),
    "regime": _each(lambda r: r.document),
    "permit": permits.render_all,
    "whitelist": _each(whitelists.render),
    "whitelist-entry": _each(whitelists.render_entry),
    "right": _each(rights.render),
}
kinds.covered("the export's RENDERERS", set(RENDERERS), {k.name for k in kinds.EXPORTED})
#: What the export adds after a kind: the history a kind keeps beside its current documents (a
#: zone's every outline, each under its version IRI; a regime's versions are its documents).
HISTORIES: dict[str, tuple[str, str, RenderChunk]] = {
    "zone": ("zone-version", "zone_versions", _each(zones.render_version)),
}


def _chunks(store: Store, table: Table, tenant: str, render: RenderChunk
            ) -> Iterator[list[tuple[Row, dict[str, Any]]]]:
    last: str | None = None
    while True:
        query = select(table).where(table.c.tenant_id == tenant).order_by(table.c.id).limit(CHUNK)
        if last is not None:
            query = query.where(table.c.id > last)
        with store.reading() as connection:
            rows = list(connection.execute(query))
            documents = render(connection, rows)
        if not rows:
            return
        yield list(zip(rows, documents, strict=True))
        if len(rows) < CHUNK:
            return
        last = rows[-1].id


def _documents(store: Store, tenant: str) -> Iterator[tuple[str, Row, dict[str, Any]]]:
    """Every document of the tenant, kind by kind, with its row."""
    for kind in kinds.EXPORTED:
        sections = [(kind.name, kind.table, RENDERERS[kind.name])]
        if kind.name in HISTORIES:
            sections.append(HISTORIES[kind.name])
        for name, table, render in sections:
            for chunk in _chunks(store, tables.metadata.tables[table], tenant, render):
                for row, document in chunk:
                    yield name, row, document


def jsonld(store: Store, tenant: str) -> Iterator[bytes]:
    yield f'{{"@context":{json.dumps(CONTEXT_IRI)},"@graph":[\n'.encode()
    first = True
    for _, _, document in _documents(store, tenant):
        yield (b"" if first else b",\n") + json.dumps(document, ensure_ascii=False).encode()
        first = False
    yield b"\n]}\n"


def _plates(kind: str, document: dict[str, Any]) -> str:
    vehicles = document.get("vehicles") if kind == "permit" else [document.get("vehicle")]
    found = []
    for vehicle in vehicles or []:
        plate = (vehicle or {}).get("licencePlate") or {}
        if plate.get("plateNumber"):
            found.append(f"{plate.get('country', '')}:{plate['plateNumber']}")
    return " ".join(found)


def _csv_row(kind: str, row: Row, document: dict[str, Any]) -> list[str]:
    period = document.get("validityPeriod") or {}
    zone_iris = iri_list(document, "zones") or ([document["zone"]] if "zone" in document else [])
    amount, currency = "", ""
    if kind == "right" and row.amount_minor is not None:
        amount = str(Decimal(row.amount_minor) / tables.AMOUNT_SCALE)
        currency = row.currency or ""
    status = document.get("rightStatus") or document.get("permitStatus") or ""
    start = period.get("startTime", "")
    if kind == "right" and row.start_time is not None:
        start = format_instant(row.start_time)
    return [kind, document.get("id", ""), str(document.get("name", "")), " ".join(zone_iris),
            start, period.get("endTime", ""), status, _plates(kind, document), amount, currency,
            json.dumps(document, ensure_ascii=False, separators=(",", ":"))]


def csv_rows(store: Store, tenant: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> bytes:
        data = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        return data

    writer.writerow(CSV_COLUMNS)
    for count, (kind, row, document) in enumerate(_documents(store, tenant), start=1):
        writer.writerow(_csv_row(kind, row, document))
        if count % 200 == 0:
            yield flush()
    yield flush()
