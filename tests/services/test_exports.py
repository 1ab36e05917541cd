"""The export (vptr.services.exports.export): an area manager downloads its own data, nothing of
another tenant's, and the download is audited once per kind that holds plates."""

from __future__ import annotations

import csv
import io
import json

import pytest

from vptr.errors import Forbidden, Invalid
from vptr.services import demo, exports

from .world import GENT, PARKPLUS, caller


def test_the_area_manager_downloads_its_own_data_and_the_export_is_audited(
        runtime, antwerpen_tenant, audit_log):
    served: list[str] = []
    export = exports.export(runtime, caller(GENT, served.append), "jsonld")

    graph = json.loads(b"".join(export.chunks))["@graph"]
    ids = {d["id"] for d in graph}
    assert export.media_type == "application/ld+json"
    assert {demo.ZONE_ROOD, demo.ID + "permit/gent-bew-2026-004711"} <= ids
    assert antwerpen_tenant.zone not in ids
    assert sum(d["type"] == "Right" for d in graph) == 2
    assert sorted((e.action, e.resource_kind, e.resource_id, e.tenant_id) for e in audit_log()
                  ) == [("export", kind, None, demo.GENT)
                        for kind in ("permit", "right", "whitelist-entry")]
    assert served == [demo.GENT]


def test_the_csv_export_has_one_row_per_document(runtime):
    export = exports.export(runtime, caller(GENT), "csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.chunks).decode())))
    assert export.media_type == "text/csv"
    assert sum(demo.ZONE_ROOD in row for row in rows) >= 1


def test_nobody_else_exports_and_an_unknown_format_is_refused_unaudited(runtime, audit_log):
    with pytest.raises(Forbidden):
        exports.export(runtime, caller(PARKPLUS))
    with pytest.raises(Invalid) as refused:
        exports.export(runtime, caller(GENT), "xlsx")
    assert [e.field for e in refused.value.errors] == ["format"]
    assert audit_log() == []


def test_the_export_holds_every_version_of_a_zones_outline(runtime):
    from vptr.services import zones

    current = zones.get(runtime, caller(GENT), demo.ZONE_ROOD)
    moved = {k: v for k, v in current.items() if k not in ("version",)}
    moved["name"] = current["name"] + " (verplaatst)"
    zones.replace(runtime, caller(GENT), demo.ZONE_ROOD, moved)

    graph = json.loads(b"".join(exports.export(runtime, caller(GENT), "jsonld").chunks))["@graph"]
    versions = sorted((d["version"], d["name"]) for d in graph
                      if d.get("isVersionOf") == demo.ZONE_ROOD)
    assert [n for n, _ in versions] == list(range(1, len(versions) + 1)) and len(versions) >= 2
    assert versions[-1][1] == moved["name"] and versions[0][1] == current["name"]
    rows = list(csv.reader(io.StringIO(
        b"".join(exports.export(runtime, caller(GENT), "csv").chunks).decode())))
    assert sum(row[0] == "zone-version" and row[1].startswith(demo.ZONE_ROOD + "/")
               for row in rows) == len(versions)
