"""What one request costs the server's CPU: a check and ``/health`` over HTTP, on the demo store.

    python -m bench.server_cpu [--rounds 7] [--requests 400] [--against PATH/TO/OTHER/vptr]

Latency on a shared 2-core machine says as much about the neighbours as about the server; the CPU
time the server process itself spends per request (utime + stime from ``/proc/{pid}/stat``, read
before and after a batch of sequential keep-alive requests) barely does. So this benchmark is the
one to compare two builds with, or a change with its baseline:

- each server is the real command, ``vptr serve --demo`` on a fresh SQLite file, one process, the
  access log on as in production, the rate limit raised out of the way (its code still runs);
- a round sends ``--requests`` checks (``GET /check`` by an enforcement key, a plate with a right
  in the red zone, now) and as many ``GET /health`` (the trivial baseline) to each
  server in turn, so drifts of the machine hit every server alike;
- the report gives the median over ``--rounds`` of the CPU milliseconds per request, the ratio
  check/health of each server, and with ``--against`` the ratio of the other build's figures to
  this one's.

The client runs in this process and is not counted: only the server's own CPU is.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench._results import write

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
ENFORCEMENT_KEY = "vptr_demoscan_ScanMobielDemoSleutel2026"
ZONE_ROOD = "https://data.parkeerregister.vlaanderen.be/id/zone/gent-rood"
#: The demo's app right of 1ABC123 runs from the moment the demo loaded: a check now finds it.
CHECK = "/check?" + urlencode({"zone": ZONE_ROOD, "plate": "1ABC123", "country": "BE"})
_TICKS = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_vptr() -> str:
    """The ``vptr`` console script of the interpreter running the benchmark."""
    beside = Path(sys.executable).with_name("vptr")
    return str(beside) if beside.exists() else (shutil.which("vptr") or "vptr")


@dataclass
class Server:
    """``vptr serve --demo`` of one build, on a store of its own."""

    name: str
    command: str
    folder: Path
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "VPTR_RATE_LIMIT_PER_SECOND": "1000000",
               "VPTR_RATE_LIMIT_BURST": "1000000"}
        log = (self.folder / f"{self.name}.log").open("wb")
        self.process = subprocess.Popen(
            [self.command, "serve", "--demo", "--db-path", str(self.folder / f"{self.name}.db"),
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up; see {log.name}")
            try:
                status = self.get("/health")[0]
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /health in time")

    def get(self, path: str, connection: http.client.HTTPConnection | None = None
            ) -> tuple[int, bytes]:
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Authorization": f"Bearer {ENFORCEMENT_KEY}"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            if own:
                connection.close()

    def cpu_seconds(self) -> float:
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime

    def cpu_ms_per_request(self, path: str, requests: int) -> float:
        """Sequential keep-alive requests; the server's CPU milliseconds per request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            before = self.cpu_seconds()
            for _ in range(requests):
                status, body = self.get(path, connection)
                if status != 200:
                    raise RuntimeError(f"{self.name} answered {status} to {path}: {body[:300]!r}")
            return (self.cpu_seconds() - before) * 1000 / requests
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def measure(servers: list[Server], rounds: int, requests: int) -> dict[str, Any]:
    samples: dict[str, dict[str, list[float]]] = {
        s.name: {"check": [], "health": []} for s in servers}
    for server in servers:  # warm up: the first requests compile, load and cache
        server.cpu_ms_per_request(CHECK, 100)
        server.cpu_ms_per_request("/health", 100)
    for _ in range(rounds):
        for server in servers:
            samples[server.name]["check"].append(server.cpu_ms_per_request(CHECK, requests))
            samples[server.name]["health"].append(server.cpu_ms_per_request("/health", requests))
    report: dict[str, Any] = {}
    for name, by_path in samples.items():
        check, health = (statistics.median(by_path[p]) for p in ("check", "health"))
        report[name] = {"check_cpu_ms": round(check, 4), "health_cpu_ms": round(health, 4),
                        "check_over_health": round(check / health, 2),
                        "check_samples": [round(v, 4) for v in by_path["check"]]}
    return report


def table(report: dict[str, Any]) -> str:
    lines = [f"{'server':12} {'check CPU ms':>13} {'health CPU ms':>14} {'check/health':>13}"]
    for name, row in report["servers"].items():
        lines.append(f"{name:12} {row['check_cpu_ms']:13.3f} {row['health_cpu_ms']:14.3f} "
                     f"{row['check_over_health']:13.2f}")
    if "other_over_this" in report:
        ratios = report["other_over_this"]
        lines.append(f"\nother build / this build: check {ratios['check']:.3f}, "
                     f"health {ratios['health']:.3f}")
    lines.append(f"load average (1 min): {report['load_average']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server_cpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="rounds per server (median)")
    parser.add_argument("--requests", type=int, default=400, help="requests per path and round")
    parser.add_argument("--against", help="the vptr command of another build to compare with")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vptr-cpu-") as folder:
        servers = [Server("this", own_vptr(), Path(folder))]
        if args.against:
            servers.append(Server("other", args.against, Path(folder)))
        try:
            for server in servers:
                server.start()
            measured = measure(servers, args.rounds, args.requests)
        finally:
            for server in servers:
                server.stop()
    report: dict[str, Any] = {"rounds": args.rounds, "requests": args.requests,
                              "servers": measured, "load_average": os.getloadavg()[0]}
    if args.against:
        this, other = measured["this"], measured["other"]
        report["other_over_this"] = {
            "check": round(other["check_cpu_ms"] / this["check_cpu_ms"], 3),
            "health": round(other["health_cpu_ms"] / this["health_cpu_ms"], 3)}
    print(table(report))
    print(f"\nwrote {write(report, args.results, 'server-cpu')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
