"""The APDS gateway's costs (issue 14):

1. **Translation** of assigned rights and sessions in both directions, through the gateway's
   whole translation (the declarative mappings of ``mappings/apds/`` and the gateway logic around
   them: ids, versions, readOnly references, plate normalisation; ``vptr.apds.translate``), as a
   ratio to a plain Pydantic parse and dump of the same APDS messages in the same run
   (``model_validate`` + ``model_dump(mode="json", exclude_none=True)`` of Pydantic models of the
   messages, below). Target: at most 3x. The JSON Schema check of a request body against
   apds4.yaml, which the gateway runs before translating, is reported beside it.
2. **Latency over HTTP** of an APDS session start (``POST /apds/sessions``: schema check,
   translation, the right registered, the assigned right and session recorded) against a native
   right registration (``POST /rights``), on the real server (``vptr serve``, one process, on
   127.0.0.1) over the demo store, sequentially, interleaved, same plates and times.

``python -m bench.apds [--quick]``; results go to ``bench/results/apds-*.json``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402

from bench._results import write  # noqa: E402

TARGET_RATIO = 3.0
ID = "https://data.parkeerregister.vlaanderen.be/id/"
PROVIDER = ID + "organisation/parkplus"


# --- Pydantic models of the messages (the baseline) -------------------------------------------

class Reference(BaseModel):
    id: str
    className: str | None = None  # noqa: N815 - APDS names


class VersionedReference(BaseModel):
    id: str
    version: int
    className: str | None = None  # noqa: N815


class Credential(BaseModel):
    type: str
    credentialAssignedType: str | None = None  # noqa: N815
    identifier: Reference


class Holder(BaseModel):
    credentials: list[Credential] = []


class PlannedUse(BaseModel):
    startTime: datetime  # noqa: N815
    endTime: datetime | None = None  # noqa: N815


class Amount(BaseModel):
    currencyType: str  # noqa: N815
    currencyValue: float  # noqa: N815


class MonetaryValue(BaseModel):
    taxIncluded: bool  # noqa: N815
    serviceProvider: VersionedReference | None = None  # noqa: N815
    value: Amount


class AssignedRight(BaseModel):
    id: str
    version: int
    rightSpecification: VersionedReference  # noqa: N815
    rightHolder: Holder  # noqa: N815
    assignedRightIssuer: VersionedReference | None = None  # noqa: N815
    issueMethod: str | None = None  # noqa: N815
    issuanceTime: datetime | None = None  # noqa: N815
    plannedUses: list[PlannedUse] = []  # noqa: N815
    expiry: datetime | None = None
    monetaryValue: MonetaryValue | None = None  # noqa: N815


class Segment(BaseModel):
    id: str
    version: int
    actualStart: datetime  # noqa: N815
    actualEnd: datetime | None = None  # noqa: N815
    assignedRight: VersionedReference  # noqa: N815
    validationType: list[str]  # noqa: N815


class Vehicle(BaseModel):
    country: str


class Session(BaseModel):
    id: str
    version: int
    actualStart: datetime  # noqa: N815
    actualEnd: datetime | None = None  # noqa: N815
    initiator: VersionedReference | None = None
    hierarchyElement: VersionedReference | None = None  # noqa: N815
    identifiedCredentials: list[Credential]  # noqa: N815
    segments: list[Segment]
    identifiedVehicle: Vehicle | None = None  # noqa: N815


# --- the messages -----------------------------------------------------------------------------

def _instant(minutes: int) -> str:
    moment = datetime(2026, 3, 2, 9, tzinfo=UTC) + timedelta(minutes=minutes)
    return moment.isoformat().replace("+00:00", "Z")


def _plate(i: int) -> dict[str, Any]:
    return {"type": "licensePlate", "credentialAssignedType": "vehicle",
            "identifier": {"id": f"1ABC{i % 1000:03d}", "className": "BENumberPlate"}}


def assigned_right(i: int) -> dict[str, Any]:
    return {"id": f"7c0e9a52-1d7b-4f3e-8a61-{i:012d}", "version": 1 + i % 3,
            "rightSpecification": {"id": "gent-rood-betalend", "version": 2},
            "rightHolder": {"credentials": [_plate(i)]}, "issueMethod": "electronic",
            "plannedUses": [{"startTime": _instant(i % 600), "endTime": _instant(i % 600 + 90)}],
            "monetaryValue": {"taxIncluded": True, "value": {"currencyType": "EUR",
                                                             "currencyValue": 2.5 + i % 7}}}


def session(i: int) -> dict[str, Any]:
    return {"id": f"0f3b6c1e-5a2d-4c8e-b7f1-{i:012d}", "version": 1,
            "actualStart": _instant(i % 600), "actualEnd": _instant(i % 600 + 45),
            "hierarchyElement": {"id": "gent-rood", "version": 1},
            "identifiedCredentials": [_plate(i)], "identifiedVehicle": {"country": "be"},
            "segments": [{"id": "1", "version": 1, "actualStart": _instant(i % 600),
                          "assignedRight": {"id": f"ar-{i}", "version": 1},
                          "validationType": ["licensePlate"]}]}


def per_message_us(action: Callable[[Any], Any], items: list[Any], rounds: int) -> float:
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            action(item)
        results.append((time.perf_counter() - start) / len(items) * 1e6)
    return statistics.median(results)


def translation(messages: int, rounds: int) -> dict[str, Any]:
    from vptr.apds import schemas, translate
    from vptr.services.holdings import ASSIGNED_RIGHT, RIGHT, SESSION, Holding

    report: dict[str, Any] = {}
    cases = (("AssignedRight", assigned_right, AssignedRight, ASSIGNED_RIGHT,
              lambda m: translate.assignment(m, PROVIDER).right, translate.assigned_right),
             ("Session", session, Session, SESSION,
              lambda m: translate.session_message(m, PROVIDER).right, translate.session))
    for name, make, model, class_name, inbound, outbound in cases:
        sent = [make(i) for i in range(messages)]
        natives = [inbound(m) for m in sent]
        holdings = [Holding(class_name, m["id"], m["version"], RIGHT, f"{ID}right/bench-{i}",
                            {**n, "provider": PROVIDER, "zone": ID + "zone/gent-rood"},
                            PROVIDER, datetime.now(UTC), regime=n.get("regime"),
                            assigned=(f"ar-{i}", 1))
                    for i, (m, n) in enumerate(zip(sent, natives, strict=True))]
        answers = [outbound(h) for h in holdings]
        for message in answers[:10]:  # what the gateway answers is valid APDS
            assert not schemas.problems(name, message), schemas.problems(name, message)

        def parse_dump(message: dict[str, Any], model: type[BaseModel] = model) -> None:
            model.model_validate(message).model_dump(mode="json", exclude_none=True)

        baseline_in = per_message_us(parse_dump, sent, rounds)
        baseline_out = per_message_us(parse_dump, answers, rounds)
        in_us = per_message_us(inbound, sent, rounds)
        out_us = per_message_us(outbound, holdings, rounds)
        validator = schemas.validator(name, request=True)
        schema_us = per_message_us(lambda m, v=validator: v.is_valid(m), sent, rounds)
        report[name] = {
            "pydantic_parse_dump_in_us": round(baseline_in, 2),
            "pydantic_parse_dump_out_us": round(baseline_out, 2),
            "to_native_us": round(in_us, 2), "to_message_us": round(out_us, 2),
            "to_native_ratio": round(in_us / baseline_in, 2),
            "to_message_ratio": round(out_us / baseline_out, 2),
            "schema_check_us": round(schema_us, 2),
            "within_target": in_us / baseline_in <= TARGET_RATIO
            and out_us / baseline_out <= TARGET_RATIO}
    return report


# --- latency over HTTP ------------------------------------------------------------------------

def _demo_database(folder: Path) -> Path:
    from vptr.services.demo import load_demo
    from vptr.settings import Settings
    from vptr.store.database import Store
    from vptr.store.db import sqlite_url

    path = folder / "apds-bench.sqlite"
    store = Store(Settings(database_url=sqlite_url(path)))
    store.prepare()
    load_demo(store)
    store.dispose()
    return path


def _be_plate(n: int) -> str:
    """A plate in the Belgian format (digit, three letters, three digits), one per ``n``."""
    letters = "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n // 1000 // 26 ** k) % 26] for k in range(3))
    return f"9{letters}{n % 1000:03d}"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(requests: int, warmup: int = 20) -> dict[str, Any]:
    import httpx

    from bench.register import Server
    from vptr.services.demo import credential

    with tempfile.TemporaryDirectory() as folder:
        database = _demo_database(Path(folder))
        server = Server(database, Path(folder) / "server.log")
        try:
            server.wait_ready()
            headers = {"Authorization": f"Bearer {credential('provider').key}"}
            timings: dict[str, list[float]] = {"apds_session_start": [], "native_register": []}
            with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", headers=headers,
                              timeout=30) as client:
                now = datetime.now(UTC).replace(microsecond=0)
                start = (now - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
                end = (now + timedelta(minutes=59)).isoformat().replace("+00:00", "Z")
                for i in range(warmup + requests):
                    plate, other = _be_plate(2 * i), _be_plate(2 * i + 1)
                    body = {"id": str(uuid.uuid4()), "version": 1, "actualStart": start,
                            "hierarchyElement": {"id": "gent-rood", "version": 1},
                            "identifiedCredentials": [{
                                "type": "licensePlate", "credentialAssignedType": "vehicle",
                                "identifier": {"id": plate, "className": "BENumberPlate"}}],
                            "segments": [{"id": "1", "version": 1, "actualStart": start,
                                          "assignedRight": {"id": str(uuid.uuid4()),
                                                            "version": 1},
                                          "validationType": ["licensePlate"]}]}
                    native = {"rightKind": "parking", "zone": ID + "zone/gent-rood",
                              "channel": "app", "vehicle": {"licencePlate": {
                                  "plateNumber": other, "country": "BE"}},
                              "validityPeriod": {"startTime": start, "endTime": end}}
                    for kind, method, path, payload in (
                            ("apds_session_start", "POST", "/apds/sessions", body),
                            ("native_register", "POST", "/rights", native)):
                        began = time.perf_counter()
                        response = client.request(method, path, json=payload)
                        elapsed = (time.perf_counter() - began) * 1000
                        if response.status_code != 201:
                            raise RuntimeError(f"{path}: {response.status_code} "
                                               f"{response.text[:300]}")
                        if i >= warmup:
                            timings[kind].append(elapsed)
        finally:
            server.stop()
    report: dict[str, Any] = {"requests": requests}
    for kind, values in timings.items():
        report[kind] = {"median_ms": round(statistics.median(values), 2),
                        "p95_ms": round(_percentile(values, 0.95), 2),
                        "mean_ms": round(statistics.fmean(values), 2)}
    report["median_ratio"] = round(report["apds_session_start"]["median_ms"]
                                   / report["native_register"]["median_ms"], 2)
    return report


def run(messages: int = 2000, rounds: int = 5, requests: int = 200,
        results_dir: Path | None = None, with_http: bool = True) -> dict[str, Any]:
    report: dict[str, Any] = {
        "benchmark": "apds", "python": platform.python_version(),
        "machine": platform.machine(), "messages": messages, "rounds": rounds,
        "target_ratio": TARGET_RATIO, "translation": translation(messages, rounds)}
    if with_http:
        report["http"] = latency(requests)
    report["results_file"] = str(write(report, results_dir or BENCH_DIR / "results", "apds"))
    return report


def table(report: dict[str, Any]) -> str:
    lines = ["| message | Pydantic in | to native | ratio | Pydantic out | to message | ratio "
             "| schema check |", "|---|---|---|---|---|---|---|---|"]
    for name, row in report["translation"].items():
        lines.append(f"| {name} | {row['pydantic_parse_dump_in_us']} µs | "
                     f"{row['to_native_us']} µs | {row['to_native_ratio']}x | "
                     f"{row['pydantic_parse_dump_out_us']} µs | {row['to_message_us']} µs | "
                     f"{row['to_message_ratio']}x | {row['schema_check_us']} µs |")
    http = report.get("http")
    if http:
        lines += ["", "| over HTTP (sequential) | median | p95 |", "|---|---|---|"]
        for kind in ("apds_session_start", "native_register"):
            lines.append(f"| {kind} | {http[kind]['median_ms']} ms | {http[kind]['p95_ms']} ms |")
        lines.append(f"| ratio (median) | {http['median_ratio']}x | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few messages and requests")
    parser.add_argument("--no-http", action="store_true", help="translation only")
    args = parser.parse_args()
    if args.quick:
        report = run(200, 3, 40, with_http=not args.no_http)
    else:
        report = run(with_http=not args.no_http)
    print(table(report))
    print(f"\n{report['results_file']}")


if __name__ == "__main__":
    main()
