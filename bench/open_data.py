"""Open data: the streamed N-Triples dump against rdflib, the server's memory while it streams,
and a zone's dereference against ``GET /health`` of the same server.

    python -m bench.open_data [--zones N] [--rounds R] [--requests N] [--results DIR]

1. **Data.** A SQLite store with one area manager, N zones (10,000 by default: squares with an
   outline in WKT and GeoJSON, an identifier, a validity) and N regimes (one version each, with
   time slots, a two-step tariff and an exempt day), inserted into the register's tables as the
   repositories store them (validating 20,000 documents one by one would take longer than the
   benchmark).
2. **The dump.** The real server (``vptr serve``, one process) streams ``/dumps/register.nt``;
   the figure is the wall time of the whole download, and the server's resident set before and
   its peak (VmHWM) after, against the dump's size: streaming keeps the peak independent of it.
3. **The baseline, in the same run:** rdflib's own serialisation of the same graph: the same
   documents read into one rdflib graph (its JSON-LD parser, the standard context given locally)
   and serialised as N-Triples, timed as two parts (read, serialise) and in total. The target is a
   dump at least 5x faster than rdflib's serialisation *alone* (the graph already built), which
   flatters rdflib; the ratio against read + serialise is reported beside it. Both graphs are
   compared (same number of triples).
4. **Dereference.** ``GET /id/zone/{ref}`` (JSON-LD and Turtle) against ``GET /health``, one at a
   time over a keep-alive connection, interleaved in rounds; the figure is the median over rounds
   of the round's median latency, as a ratio to /health's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench._results import write  # noqa: E402
from bench.register import Server  # noqa: E402

TARGET_RATIO = 5.0
BASE = "https://data.parkeerregister.vlaanderen.be/id/"
TENANT = BASE + "organisation/bench-stad"


def _zone(i: int) -> dict[str, Any]:
    lon, lat = 3.6 + (i % 100) * 0.002, 51.0 + (i // 100) * 0.002
    ring = [[lon, lat], [lon + 0.0015, lat], [lon + 0.0015, lat + 0.0015], [lon, lat + 0.0015],
            [lon, lat]]
    wkt = "POLYGON ((" + ", ".join(f"{x:.4f} {y:.4f}" for x, y in ring) + "))"
    return {
        "type": "Zone", "id": f"{BASE}zone/bench-{i}", "name": f"Zone {i}",
        "zoneKind": "paidParking", "description": f"Straatblok {i} van de proefstad.",
        "geometry": {"asWKT": wkt, "asGeoJSON": json.dumps({"type": "Polygon",
                                                            "coordinates": [ring]})},
        "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
        "identifiers": [{"notation": f"BLOK-{i}", "identifierScheme": "gisId"}],
        "capacity": 40 + i % 50, "areaManager": TENANT, "_ring": ring,
    }


def _regime(i: int) -> dict[str, Any]:
    regime = f"{BASE}regime/bench-{i}"
    return {
        "type": "Regime", "id": regime + "/1", "isVersionOf": regime, "version": 1,
        "name": f"Betalend parkeren {i}", "rightKind": "parking", "usage": "paidParking",
        "regulationType": "base", "zones": [f"{BASE}zone/bench-{i}"], "areaManager": TENANT,
        "validityPeriod": {"startTime": "2025-01-01T00:00:00+01:00"},
        "timeSlots": [{"daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday",
                                      "saturday"], "opens": "09:00:00", "closes": "18:00:00"}],
        # a local day (a dated public holiday beside the recurring entry would be refused)
        "exemptDays": [{"calendarDate": "2026-07-20", "name": "Lokale feestdag"},
                       {"recurringDay": "publicHoliday"}],
        "maximumDuration": 240,
        "tariff": {"name": f"Tarief {i}", "currency": "EUR", "dayMaximum": "12.00",
                   "tariffSteps": [{"startDuration": 0, "endDuration": 60, "amount": "0.50",
                                    "stepSize": 15},
                                   {"startDuration": 60, "amount": "1.00", "stepSize": 15}]},
    }


def build(path: Path, zones: int) -> tuple[list[dict[str, Any]], str]:
    """The store, and every document the dump will hold (for the baseline)."""
    from vptr.repositories import organisations
    from vptr.settings import Settings
    from vptr.store import tables
    from vptr.store.database import Store
    from vptr.store.db import sqlite_url

    store = Store(Settings(database_url=sqlite_url(path)))
    store.prepare()
    moment = datetime.now(UTC)
    documents: list[dict[str, Any]] = []
    with store.transaction() as connection:
        tenant = organisations.create_tenant(connection, store.iris, {
            "id": TENANT, "name": "Proefstad", "roles": ["areaManager"]})
        documents.append(connection.execute(tables.organisations.select().where(
            tables.organisations.c.id == tenant["id"])).first().document)
        zone_rows, regime_rows, links = [], [], []
        for i in range(zones):
            zone = _zone(i)
            ring = zone.pop("_ring")
            zone_rows.append({
                "id": zone["id"], "tenant_id": TENANT, "name": zone["name"],
                "zone_kind": "paidParking", "gis_id": f"BLOK-{i}", "wkt": zone["geometry"]["asWKT"],
                "geojson": zone["geometry"]["asGeoJSON"], "min_lon": ring[0][0],
                "min_lat": ring[0][1], "max_lon": ring[2][0], "max_lat": ring[2][1],
                "valid_from": datetime(2024, 12, 31, 23, tzinfo=UTC), "valid_to": None,
                "document": zone, "created_at": moment, "updated_at": moment, "version": 1})
            regime = _regime(i)
            regime_rows.append({
                "id": regime["id"], "regime_id": regime["isVersionOf"], "tenant_id": TENANT,
                "version_number": 1, "name": regime["name"], "right_kind": "parking",
                "usage": "paidParking", "valid_from": datetime(2024, 12, 31, 23, tzinfo=UTC),
                "valid_to": None, "document": regime, "created_at": moment})
            links.append({"regime_version_id": regime["id"], "zone_id": zone["id"]})
        connection.execute(tables.zones.insert(), zone_rows)
        connection.execute(tables.regime_versions.insert(), regime_rows)
        connection.execute(tables.regime_zones.insert(), links)
        documents += [r["document"] for r in zone_rows] + [r["document"] for r in regime_rows]
    store.dispose()
    return documents, str(path)


def rdflib_baseline(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """rdflib on the same documents: read into one graph, then its N-Triples serialiser."""
    from rdflib import Graph

    from vptr.opendata.triples import publishable
    from vptr.validation.loading import context

    payload = json.dumps({"@context": context(),
                          "@graph": [publishable(d) for d in documents]})
    started = time.perf_counter()
    graph = Graph().parse(data=payload, format="json-ld")
    read = time.perf_counter() - started
    started = time.perf_counter()
    data = graph.serialize(format="nt", encoding="utf-8")
    serialise = time.perf_counter() - started
    return {"read_s": read, "serialise_s": serialise, "total_s": read + serialise,
            "triples": len(graph), "bytes": len(data)}


def in_process(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The channel's serialiser alone, in this process, on the same documents."""
    from vptr.opendata.triples import Writer, publishable

    started = time.perf_counter()
    writer = Writer()
    size = lines = 0
    for document in documents:
        text = writer.ntriples(publishable(document))
        size += len(text.encode())
        lines += text.count("\n")
    return {"seconds": time.perf_counter() - started, "triples": lines, "bytes": size}


def download(port: int) -> dict[str, Any]:
    started = time.perf_counter()
    size = lines = 0
    with httpx.Client(timeout=600) as client, client.stream(
            "GET", f"http://127.0.0.1:{port}/dumps/register.nt") as answer:
        assert answer.status_code == 200, answer.status_code
        for chunk in answer.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {"seconds": time.perf_counter() - started, "bytes": size, "triples": lines}


def dereference(port: int, rounds: int, requests: int) -> dict[str, Any]:
    kinds = {"health": ("/health", {}),
             "zone-jsonld": ("/id/zone/bench-42", {"Accept": "application/ld+json"}),
             "zone-turtle": ("/id/zone/bench-42", {"Accept": "text/turtle"})}
    medians: dict[str, list[float]] = {k: [] for k in kinds}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for path, headers in kinds.values():  # warm up
            for _ in range(20):
                assert client.get(path, headers=headers).status_code == 200
        for _ in range(rounds):
            times: dict[str, list[float]] = {k: [] for k in kinds}
            for _ in range(requests):
                for kind, (path, headers) in kinds.items():
                    started = time.perf_counter()
                    client.get(path, headers=headers)
                    times[kind].append(time.perf_counter() - started)
            for kind in kinds:
                medians[kind].append(statistics.median(times[kind]))
    health = statistics.median(medians["health"])
    return {kind: {"p50_ms": statistics.median(values) * 1000,
                   "ratio_to_health": statistics.median(values) / health}
            for kind, values in medians.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as directory:
        print(f"building {args.zones} zones and {args.zones} regimes ...", flush=True)
        documents, _ = build(Path(directory) / "open-data.sqlite", args.zones)
        server = Server(Path(directory) / "open-data.sqlite", Path(directory) / "server.log")
        try:
            server.wait_ready()
            before = server.memory_kib()
            dump = download(server.port)
            after = server.memory_kib()
            again = download(server.port)
            deref = dereference(server.port, args.rounds, args.requests)
        finally:
            server.stop()
    baseline = rdflib_baseline(documents)
    ours = in_process(documents)
    best = min(dump["seconds"], again["seconds"])
    report = {
        "zones": args.zones, "regimes": args.zones,
        "dump": {**dump, "second_download_s": again["seconds"]},
        "in_process": ours, "rdflib": baseline,
        "ratio_rdflib_serialise_to_dump": baseline["serialise_s"] / best,
        "ratio_rdflib_total_to_dump": baseline["total_s"] / best,
        "target_ratio": TARGET_RATIO,
        "memory_kib": {"before": before, "after": after},
        "dereference": deref,
    }
    write(report, args.results, "open_data")
    rss, hwm = before.get("VmRSS", 0) / 1024, after.get("VmHWM", 0) / 1024
    print(f"dump: {dump['triples']:,} triples, {dump['bytes'] / 1e6:.1f} MB in {best:.2f} s "
          f"(HTTP, streamed); the serialiser alone {ours['seconds']:.2f} s in-process")
    print(f"rdflib, same graph ({baseline['triples']:,} triples): read {baseline['read_s']:.2f} s,"
          f" serialise {baseline['serialise_s']:.2f} s")
    print(f"ratio: rdflib's serialisation / dump = {report['ratio_rdflib_serialise_to_dump']:.1f}x"
          f" (target >= {TARGET_RATIO:g}x); rdflib read + serialise / dump = "
          f"{report['ratio_rdflib_total_to_dump']:.1f}x")
    print(f"server memory: RSS {rss:.0f} MiB before the dump, peak {hwm:.0f} MiB after "
          f"(+{hwm - rss:.0f} MiB for a {dump['bytes'] / 2**20:.0f} MiB dump)")
    for kind, figures in deref.items():
        print(f"{kind:12s} p50 {figures['p50_ms']:.2f} ms  ({figures['ratio_to_health']:.2f}x "
              f"/health)")
    return 0 if report["ratio_rdflib_serialise_to_dump"] >= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
