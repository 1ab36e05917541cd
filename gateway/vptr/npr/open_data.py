"""The RDW open-data tables as CSV files: one file per table (``GEBIED.csv``,
``GEBIED_REGELING.csv``, ...: the table's name with ``_`` for spaces), comma-separated, UTF-8, a
header row of the published column names. The rows are exported and imported by
:mod:`vptr.services.npr_open_data`; this module only reads and writes the files (a folder, or a
zip archive over HTTP)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from vptr.errors import BadRequest, FieldError
from vptr.services.npr_open_data import TABLES, Tables


def file_name(table: str) -> str:
    return table.replace(" ", "_") + ".csv"


def _table_of(name: str) -> str | None:
    stem = name.rsplit("/", 1)[-1]
    for table in TABLES:
        if file_name(table).lower() == stem.lower():
            return table
    return None


def to_csv(table: str, rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TABLES[table]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def from_csv(table: str, text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = []
    for row in reader:
        if None in row:  # more values than columns
            raise BadRequest(f"{file_name(table)}: a row has more values than the header",
                             [FieldError(f"{table} row {reader.line_num - 1}", "too many values")])
        rows.append({k: (v or "") for k, v in row.items()})
    if not rows and reader.fieldnames is None:
        return []
    if reader.fieldnames is not None and not rows:
        # a header only: check its columns through an empty row
        return [] if set(reader.fieldnames) == set(TABLES[table]) else [
            dict.fromkeys(reader.fieldnames, "")]
    return rows


def write_directory(tables: Tables, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in tables.items():
        path = directory / file_name(table)
        path.write_text(to_csv(table, rows), encoding="utf-8")
        written.append(path)
    return written


def read_directory(directory: Path) -> Tables:
    tables: Tables = {}
    for path in sorted(directory.glob("*.csv")):
        table = _table_of(path.name)
        if table is None:
            raise BadRequest(f"{path.name} is not a table of the RDW open data",
                             [FieldError(path.name, "unknown table")])
        tables[table] = from_csv(table, path.read_text(encoding="utf-8"))
    return tables


def to_zip(tables: Tables) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            archive.writestr(file_name(table), to_csv(table, rows))
    return buffer.getvalue()


def from_zip(data: bytes, limit: int) -> Tables:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadRequest("send a zip archive of the tables' CSV files",
                         [FieldError(None, "not a zip archive")]) from None
    tables: Tables = {}
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.file_size > limit:
                raise BadRequest(f"{info.filename} is larger than {limit} bytes",
                                 [FieldError(info.filename, "too large")])
            table = _table_of(info.filename)
            if table is None:
                raise BadRequest(f"{info.filename} is not a table of the RDW open data",
                                 [FieldError(info.filename, "unknown table")])
            tables[table] = from_csv(table, archive.read(info).decode("utf-8"))
    return tables
