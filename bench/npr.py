"""What the NPR gateway adds to a check: CheckPSRight over HTTP as JSON (``POST
/npr/CheckPSRight``) and as SOAP (``POST /npr/soap``) against the native check (``POST /check``)
of the same server, in the same run.

    python -m bench.npr [--requests N] [--rounds R] [--results DIR]

The server is the real command (``vptr serve``, one process, access log on) on 127.0.0.1 over a
fresh demo store (Gent). Every question is the same check: plate 1ABC123 (the demo's app right,
running now) in the red zone, answered Y with one right, so each path does the same lookups; the
NPR paths add the XSD validation of the request, the codes (AreaManagerId, AreaId, UsageId), the
PSRightIds of the rights found and the rendering of the answer. Requests go one at a time over a
keep-alive connection (closed loop: service time, not capacity), the three kinds interleaved in
rounds so a busy machine slows them alike. The figure is, per NPR path, the median over rounds of
the round's median latency against the native check's in the same round; the target is at most
1.5 (the NPR layer adds at most 50 %).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from bench._results import write  # noqa: E402
from bench.register import Server  # noqa: E402

TARGET_RATIO = 1.5
SOAP_ACTION = '"http://rdw.nl/rpv/1.0/IRegistration/CheckPSRight"'


def _demo_store(directory: Path) -> Path:
    from vptr.services.demo import load_demo
    from vptr.settings import Settings
    from vptr.store.database import Store
    from vptr.store.db import sqlite_url

    path = directory / "demo.sqlite"
    store = Store(Settings(database_url=sqlite_url(path)))
    store.prepare()
    load_demo(store)
    store.dispose()
    return path


def requests_by_kind() -> dict[str, tuple[str, dict[str, str], bytes]]:
    from vptr.services import demo

    plate = demo.PLATE_APP_RIGHT[1]
    native = json.dumps({"plate": plate, "country": "BE", "zone": demo.ZONE_ROOD}).encode()
    data = {"AreaManagerId": 4402, "AreaId": "4402_ROOD", "UsageId": "BETAALDP",
            "VehicleId": plate, "CountryCodeVehicle": "B", "ExtraInfoIndicator": "N"}
    return {
        "native": ("/check", {"Content-Type": "application/json"}, native),
        "npr-json": ("/npr/CheckPSRight", {"Content-Type": "application/json"},
                     b"JSON"),  # the body is made per request: CheckTime is now
        "npr-soap": ("/npr/soap", {"Content-Type": "text/xml; charset=utf-8",
                                   "SOAPAction": SOAP_ACTION}, b"SOAP"),
        "_data": ("", {}, json.dumps(data).encode()),
    }


def _body(kind: str, template: bytes, data: dict[str, Any]) -> bytes:
    if kind == "native":
        return template
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if kind == "npr-json":
        return json.dumps({"PSRightCheckRequest": {"PSRightCheckRequestData": {
            **data, "CheckTime": moment}}}).encode()
    fields = "".join(f"<r:{k}>{v}</r:{k}>" for k, v in (
        ("AreaManagerId", data["AreaManagerId"]), ("AreaId", data["AreaId"]),
        ("UsageId", data["UsageId"]), ("VehicleId", data["VehicleId"]),
        ("CountryCodeVehicle", data["CountryCodeVehicle"]), ("CheckTime", moment),
        ("ExtraInfoIndicator", "N")))
    return ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:r="http://rdw.nl/rpv/1.0"><s:Header><r:PIN>0000</r:PIN></s:Header><s:Body>'
            f"<r:PSRightCheckRequest><r:PSRightCheckRequestData>{fields}"
            "</r:PSRightCheckRequestData></r:PSRightCheckRequest></s:Body></s:Envelope>"
            ).encode()


def _allowed(kind: str, response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    if kind == "native":
        return response.json()["allowed"] is True
    if kind == "npr-json":
        answer = response.json()["PSRightCheckResponse"]["PSRightCheckResponseData"]
        return answer["CheckAnswer"] == "Y"
    return b"<CheckAnswer>Y</CheckAnswer>" in response.content


def measure(base_url: str, requests: int, rounds: int) -> dict[str, Any]:
    from vptr.services import demo

    kinds = requests_by_kind()
    data = json.loads(kinds.pop("_data")[2])
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    per_round: dict[str, list[float]] = {k: [] for k in kinds}
    wrong = dict.fromkeys(kinds, 0)
    headers = {"Authorization": f"Bearer {demo.credential('enforcement').key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10.0) as client:
        for kind, (path, extra, template) in kinds.items():  # warm up every path
            for _ in range(50):
                client.post(path, content=_body(kind, template, data), headers=extra)
        for _ in range(rounds):
            for kind, (path, extra, template) in kinds.items():
                this_round = []
                for _ in range(requests):
                    body = _body(kind, template, data)
                    start = time.perf_counter()
                    response = client.post(path, content=body, headers=extra)
                    this_round.append((time.perf_counter() - start) * 1000)
                    if not _allowed(kind, response):
                        wrong[kind] += 1
                latencies[kind].extend(this_round)
                per_round[kind].append(statistics.median(this_round))
    summary: dict[str, Any] = {}
    for kind, values in latencies.items():
        values.sort()
        summary[kind] = {"requests": len(values), "not_y": wrong[kind],
                         "p50_ms": round(statistics.median(values), 3),
                         "p90_ms": round(values[int(len(values) * 0.9) - 1], 3),
                         "mean_ms": round(statistics.fmean(values), 3)}
    for kind in ("npr-json", "npr-soap"):
        # the median over rounds of each round's ratio: a burst of load on a shared machine
        # slows one round of every kind alike instead of one kind's share of the whole run
        summary[kind]["ratio_p50"] = round(statistics.median(
            mine / native for mine, native in zip(per_round[kind], per_round["native"],
                                                   strict=True)), 2)
    return summary


def run(requests: int = 100, rounds: int = 15, results_dir: Path | None = None
        ) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        database = _demo_store(Path(directory))
        server = Server(database, Path(directory) / "server.log")
        try:
            server.wait_ready()
            summary = measure(f"http://127.0.0.1:{server.port}", requests, rounds)
        finally:
            server.stop()
        clear = (Path(directory) / "server.log").read_text(errors="replace").count("1ABC123")
    report = {"requests_per_kind": requests * rounds, "paths": summary,
              "plates_in_clear_in_server_log": clear, "target_ratio": TARGET_RATIO,
              "met": all(summary[k]["ratio_p50"] <= TARGET_RATIO
                         for k in ("npr-json", "npr-soap"))}
    if results_dir is not None:
        write(report, results_dir, "npr")
    return report


def table(report: dict[str, Any]) -> str:
    lines = ["| path | requests | p50 ms | p90 ms | p50 vs native | not Y |",
             "|---|---|---|---|---|---|"]
    for kind, row in report["paths"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['p50_ms']} | {row['p90_ms']} | "
                     f"{row.get('ratio_p50', 1.0)}x | {row['not_y']} |")
    lines.append(f"\ntarget: NPR p50 at most {report['target_ratio']}x the native check: "
                 f"{'met' if report['met'] else 'NOT met'}; plates in clear in the server log: "
                 f"{report['plates_in_clear_in_server_log']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="per kind and round")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)
    report = run(args.requests, args.rounds, args.results)
    print(table(report))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
