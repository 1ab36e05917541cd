"""The register benchmark: check latency and ceilings against a trivial endpoint; mixed load.

Run it from the repository root::

    .venv/bin/python -m bench.register            # the full run (a few minutes)
    .venv/bin/python -m bench.register --quick    # a small smoke run (well under a minute)

It builds (or reuses from ``bench/.cache/``) a SQLite store with 1,000 zones, 100,000 active rights
and 10,000 permits, starts the real server (`vptr serve`, one process) on 127.0.0.1, drives it with
the open-loop generator of :mod:`bench._load`. Every number is measured in the same run as its
baseline (``GET /health`` of the same server), so ratios compare like with like on whatever machine
runs it. Note: on a 2-core machine the generator and the server share the CPU; the ceilings are the
ceilings of that pair, which is why the ratio to the trivial endpoint is the figure to compare.

Definitions:

- *fixed rate*: ``GET /check`` at 300/s; p50 and p99 latency from each request's due time.
- *sustainable rate*: the highest rate of a ramp up to which every step had no failed request,
  at least 95 % of the offered rate completed, and p99 within 10 ms. The same ramp runs for
  ``GET /health``; the ratio of the two is the headline figure.
- *throughput ceiling*: the same ramp's highest rate without the latency limit (the ramp goes on
  while the server keeps up), to show capacity when the latency limit cannot be met at all.
- *mixed*: register (``POST /rights``), check and end (``POST /rights/{ref}/end`` of a right
  registered earlier in the run) in the ratio 1:2:1 at fixed total rates; sustained as above but
  with a p99 limit of 100 ms (registering validates the document against the profile).
- *memory*: the server's resident set (VmRSS) after loading, and its peak (VmHWM) at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import _cpu
from bench._load import Client, LoadResult, Request, Response, open_loop, sustained
from bench._load import run as run_async
from bench._results import write
from bench._store import (
    ENFORCEMENT_KEY,
    PROVIDER_KEY,
    REFERENCE,
    Fixture,
    Scale,
    build,
    cached,
    drop_postgres_schema,
    postgres_schema,
)

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
P99_LIMIT_MS = 10.0
MIXED_P99_LIMIT_MS = 100.0
TARGETS = {"check_p99_ms_at_300": 10.0, "mixed_ops_per_s": 1000.0, "ceiling_ratio": 0.5,
           "tail_p99_ms": 5.0, "tail_p999_ms": 10.0,
           "http_over_service": _cpu.HTTP_OVER_SERVICE,
           "service_over_decision": _cpu.SERVICE_OVER_DECISION}
#: The phases of a run, in order; ``--phases`` picks some.
PHASES = ("cpu", "fixed", "tail", "ramps", "wrk", "mixed")
#: On a machine with two cores or more the server runs on core 0 and this process (the load
#: generator, wrk) on core 1, so the generator never preempts the server.
SERVER_CPU, GENERATOR_CPU = 0, 1


@dataclass
class Config:
    scale: Scale = field(default_factory=Scale)
    fixed_rate: float = 300.0
    fixed_seconds: float = 10.0
    ramp: tuple[float, ...] = (25, 50, 75, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1250,
                               1500, 2000, 2500, 3000)
    ramp_seconds: float = 3.0
    mixed_rates: tuple[float, ...] = (25, 50, 100, 200, 300, 600, 1000)
    mixed_seconds: float = 5.0
    sequential_requests: int = 200
    warmup_requests: int = 300
    connections: int = 64
    cache_dir: Path = BENCH_DIR / ".cache"
    results_dir: Path = BENCH_DIR / "results"
    rebuild: bool = False
    #: Give SQLite's planner statistics (ANALYZE) before serving; the register does not do this
    #: itself today, so the default measures the store as the register leaves it.
    analyze: bool = False
    #: Worker processes of the server (`vptr serve --workers N`); one by default, as the targets
    #: are stated for.
    workers: int = 1
    phases: tuple[str, ...] = PHASES
    #: The CPU ratios: checks per round and rounds (medians).
    cpu_checks: int = 1500
    cpu_rounds: int = 5
    #: The tail: runs at the fixed rate, each this long (the target holds in every run).
    tail_runs: int = 3
    tail_seconds: float = 20.0
    #: wrk's closed-loop ceilings: seconds per run and open connections.
    wrk_seconds: float = 8.0
    wrk_connections: int = 16
    #: Pin the server and the generator to different cores (when there are two or more).
    pin: bool = True
    #: A PostgreSQL server's URL: the same data in a schema of its own there, ``instances``
    #: stateless servers on it (ceilings per instance count, mixed load over two of them).
    postgres: str | None = None
    instances: int = 2
    #: The ``vptr`` command of the server (another build's, to compare); this build's by default.
    vptr: str | None = None

    @classmethod
    def quick(cls) -> Config:
        return cls(scale=Scale(municipalities=2, zones=100, rights=5_000, permits=500,
                               whitelist_entries=20),
                   fixed_rate=300.0, fixed_seconds=3.0,
                   ramp=(25, 50, 100, 200, 300, 500, 800, 1200, 2000), ramp_seconds=1.5,
                   mixed_rates=(25, 50, 100, 300, 600, 1000), mixed_seconds=2.0,
                   warmup_requests=100, sequential_requests=100, cpu_checks=500, cpu_rounds=3,
                   tail_seconds=5.0, wrk_seconds=3.0)


# --- the server under test ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vptr_command() -> str:
    """The ``vptr`` console script of the interpreter running the benchmark."""
    beside = Path(sys.executable).with_name("vptr")
    return str(beside) if beside.exists() else (shutil.which("vptr") or "vptr")


class Server:
    """The register's real server in a subprocess: ``vptr serve`` on the store, one process, with
    its access log on (as in production) written to ``log_path``."""

    def __init__(self, database: Path | None, log_path: Path, port: int | None = None,
                 workers: int = 1, database_url: str | None = None, cpu: int | None = None,
                 command: str | None = None) -> None:
        self.port = port or _free_port()
        self.log_path = log_path
        where = (["--db-path", str(database)] if database_url is None
                 else ["--database-url", database_url])
        pinned = ["taskset", "-c", str(cpu)] if cpu is not None else []
        # The benchmark measures the server's capacity, not the per-organisation rate limit
        # (100/s by default): the limit is raised out of the way, but its code still runs.
        env = {**os.environ, "VPTR_RATE_LIMIT_PER_SECOND": "1000000",
               "VPTR_RATE_LIMIT_BURST": "1000000"}
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [*pinned, command or _vptr_command(), "serve", *where,
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.log_path.read_text(errors="replace")
                raise RuntimeError(f"the server exited at start-up:\n{error[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if b" 200 " in s.recv(1024):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /health in time")

    def pids(self) -> list[int]:
        return _process_tree(self.process.pid)

    def memory_kib(self) -> dict[str, int]:
        """VmRSS and VmHWM of the server, from /proc (Linux): summed over its worker processes
        when it has any."""
        values: dict[str, int] = {}
        for pid in _process_tree(self.process.pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    name, _, rest = line.partition(":")
                    if name in ("VmRSS", "VmHWM"):
                        values[name] = values.get(name, 0) + int(rest.split()[0])
            except OSError:
                pass
        return values

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def clear_plates_in_log(self, plates: list[str]) -> int:
        """How many of ``plates`` appear in clear in the server's log (it must be none)."""
        text = self.log_path.read_text(errors="replace")
        return sum(1 for plate in set(plates) if plate in text)


def _process_tree(pid: int) -> list[int]:
    """The process and its descendants (uvicorn's worker processes), from /proc."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process ended meanwhile
                pending.extend(int(child) for child in task.read_text().split())
    return found


# --- the questions -----------------------------------------------------------------------------


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class Questions:
    """Deterministic request makers over the fixture: a mix of hits, permit holders, points and
    misses, all asked about the reference moment."""

    def __init__(self, fixture: Fixture, seed: int = 7) -> None:
        self.fixture = fixture
        self.rng = random.Random(seed)
        self.at = _q(REFERENCE.isoformat())
        self.auth = (("Authorization", f"Bearer {ENFORCEMENT_KEY}"),)
        self.provider_auth = (("Authorization", f"Bearer {PROVIDER_KEY}"),
                              ("Content-Type", "application/json"))
        self.registered: list[str] = []
        self._serial = 0

    def check(self, index: int) -> Request:
        f = self.fixture
        kind = index % 5
        if kind in (0, 1) and f.right_samples:
            plate, zone = f.right_samples[index % len(f.right_samples)]
            query = f"plate={plate}&country=BE&zone={_q(zone)}"
        elif kind == 2 and f.points:
            lon, lat = f.points[index % len(f.points)]
            plate, _ = f.right_samples[(index * 7) % len(f.right_samples)]
            query = f"plate={plate}&country=BE&lon={lon:.6f}&lat={lat:.6f}"
        elif kind == 3 and f.permit_samples:
            plate, zone = f.permit_samples[index % len(f.permit_samples)]
            query = f"plate={plate}&country=BE&zone={_q(zone)}"
        else:
            zone = f.paid_zones[(index * 13) % len(f.paid_zones)]
            query = f"plate=9ZZZ{index % 1000:03d}&country=BE&zone={_q(zone)}"
        return Request("GET", f"/check?{query}&at={self.at}", headers=self.auth, kind="check")

    @staticmethod
    def expected(request: Request) -> bool | None:
        """What the answer must say for the request kinds whose answer is known."""
        if "plate=9ZZZ" in request.path:
            return False
        if "&lon=" in request.path:
            return None
        return True

    def health(self, index: int) -> Request:
        return Request("GET", "/health", kind="health")

    def register(self) -> Request:
        self._serial += 1
        f = self.fixture
        zone = f.paid_zones[self.rng.randrange(len(f.paid_zones))]
        start = datetime.now(UTC) - timedelta(minutes=1)
        body = {
            "rightKind": "parking", "zone": zone, "channel": "app",
            "vehicle": {"licencePlate": {"plateNumber": f"7BEN{self._serial % 1000:03d}",
                                         "country": "BE"}},
            "validityPeriod": {
                "startTime": start.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "endTime": (start + timedelta(hours=2)).isoformat(timespec="seconds")
                .replace("+00:00", "Z")},
        }
        return Request("POST", "/rights", json.dumps(body).encode(), self.provider_auth,
                       kind="register")

    def end(self) -> Request | None:
        if not self.registered:
            return None
        iri = self.registered.pop(0)
        ref = iri.rsplit("/", 1)[-1]
        return Request("POST", f"/rights/{ref}/end", None, self.provider_auth[:1], kind="end")

    def mixed(self, index: int) -> Request:
        slot = index % 4
        if slot == 1:
            return self.register()
        if slot == 3:
            ending = self.end()
            if ending is not None:
                return ending
        return self.check(index)

    def remember(self, _index: int, request: Request, response: Response) -> None:
        if request.kind == "register":
            self.registered.append(response.json()["id"])


# --- phases ------------------------------------------------------------------------------------


def _summary(result: LoadResult, kind: str | None = None) -> dict[str, Any]:
    return {
        "offered_per_s": result.offered_rate,
        "requests": len(result.of(kind)),
        "errors": result.errors(kind),
        "achieved_per_s": round(result.achieved_rate(kind), 1),
        "p50_ms": round(result.percentile_ms(50, kind), 2),
        "p99_ms": round(result.percentile_ms(99, kind), 2),
        "max_send_lag_ms": round(result.max_send_lag * 1000, 2),
    }


async def _correctness(client: Client, questions: Questions, count: int) -> dict[str, int]:
    """Ask ``count`` checks one by one and compare with what the data says (before timing)."""
    tally = {"asked": 0, "as_expected": 0, "unexpected": 0, "failed": 0}
    for index in range(count):
        request = questions.check(index)
        response = await client.send(request)
        tally["asked"] += 1
        if response.status != 200:
            tally["failed"] += 1
            continue
        want = Questions.expected(request)
        got = response.json()["allowed"]
        tally["as_expected" if want is None or want == got else "unexpected"] += 1
    return tally


async def _drain(client: Client, limit_s: float = 15.0) -> None:
    """Wait until the server has worked off what an overloaded phase left queued, so the next
    phase starts from an idle server: /health answers in under 20 ms three times running."""
    deadline = time.perf_counter() + limit_s
    quick = 0
    while quick < 3 and time.perf_counter() < deadline:
        began = time.perf_counter()
        try:
            await client.send(Request("GET", "/health"))
        except (OSError, ConnectionError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.2)
            continue
        quick = quick + 1 if time.perf_counter() - began < 0.02 else 0
        await asyncio.sleep(0.05)


async def _sequential(client: Client, make, count: int) -> dict[str, Any]:
    """One request at a time (closed loop): the server's service time without queueing."""
    times = []
    for index in range(count):
        began = time.perf_counter()
        await client.send(make(index))
        times.append(time.perf_counter() - began)
    times.sort()
    return {"requests": count, "p50_ms": round(times[len(times) // 2] * 1000, 2),
            "mean_ms": round(sum(times) / len(times) * 1000, 2),
            "per_s": round(len(times) / sum(times), 1)}


async def _ramp(client: Client, make, rates, seconds: float, limit_ms: float
                ) -> tuple[float, float, list[dict[str, Any]]]:
    """Raise the rate step by step. Returns the *sustainable* rate (every step up to it met the p99
    limit, with no errors and >= 95 % completed), the *throughput* ceiling (the same without the
    latency limit), and the steps. The ramp goes on while throughput holds; a failing step gets one
    retry, so a single hiccup of a shared machine does not decide."""
    sustainable = throughput = 0.0
    latency_held = True
    steps = []
    for rate in rates:
        kept_up = within = False
        for _attempt in range(2):
            await _drain(client)
            result = await open_loop(client, make, rate, seconds)
            kept_up = sustained(result, float("inf"))
            within = kept_up and sustained(result, limit_ms)
            steps.append({**_summary(result), "kept_up": kept_up, "sustained": within})
            if within or (kept_up and not latency_held):
                break
        if not kept_up:
            break
        throughput = rate
        latency_held = latency_held and within
        if latency_held:
            sustainable = rate
    await _drain(client)
    return sustainable, throughput, steps


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


class RoundRobin:
    """Several servers as one client: each request goes to the next (a load balancer's part)."""

    def __init__(self, clients: list[Client]) -> None:
        self.clients = clients
        self._next = 0

    async def send(self, request: Request) -> Response:
        self._next = (self._next + 1) % len(self.clients)
        return await self.clients[self._next].send(request)

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


async def _tail(client: Any, make, rate: float, seconds: float, runs: int) -> dict[str, Any]:
    """``runs`` runs at a fixed rate; the tail target must hold in every one."""
    done = []
    for _ in range(runs):
        await _drain(client)
        load_before = _load_average()
        result = await open_loop(client, make, rate, seconds)
        done.append({**_summary(result), "p999_ms": round(result.percentile_ms(99.9), 2),
                     "max_ms": round(result.percentile_ms(100), 2),
                     "load_average": [load_before, _load_average()]})
    met = sum(1 for r in done if r["errors"] == 0 and r["p99_ms"] <= TARGETS["tail_p99_ms"]
              and r["p999_ms"] <= TARGETS["tail_p999_ms"])
    return {"rate_per_s": rate, "seconds": seconds, "runs": done, "runs_meeting_target": met}


async def _mixed(client: Any, questions: Questions, rates, seconds: float, warmup: int
                 ) -> dict[str, Any]:
    """Register, check and end at fixed total rates; the highest sustained."""
    # Writes warm up first, as checks did in the correctness pass: the first registration
    # compiles the validation profile's code paths and opens the write connections.
    for index in range(warmup):
        request = questions.mixed(index)
        questions.remember(index, request, await client.send(request))
    steps = []
    best = 0.0
    for rate in rates:
        ok = False
        for _attempt in range(2):  # one retry, as in the ramps
            await _drain(client)
            load_before = _load_average()
            result = await open_loop(client, questions.mixed, rate, seconds,
                                     on_response=questions.remember, timeout=10.0)
            ok = sustained(result, MIXED_P99_LIMIT_MS)
            steps.append({**_summary(result), "sustained": ok,
                          "load_average": [load_before, _load_average()],
                          "by_kind": {k: _summary(result, k)
                                      for k in ("register", "check", "end")}})
            if ok:
                break
        if not ok:
            break
        best = rate
    return {"sustained_per_s": best, "steps": steps}


def _wrk_script(requests: list[Request], path: Path) -> Path:
    """A wrk script cycling through the requests (formatted once, in wrk's init)."""
    lines = ["local formatted = {}", "local i = 0", "init = function(args)"]
    for request in requests:
        headers = ", ".join(f'["{name}"] = "{value}"' for name, value in request.headers)
        lines.append(f'  formatted[#formatted + 1] = wrk.format("{request.method}", '
                     f'[[{request.path}]], {{{headers}}})')
    lines += ["end", "request = function()", "  i = i % #formatted + 1",
              "  return formatted[i]", "end"]
    path.write_text("\n".join(lines) + "\n")
    return path


def _wrk_command(port: int, script: Path, seconds: float, connections: int,
                 cpu: int | None) -> list[str]:
    pinned = ["taskset", "-c", str(cpu)] if cpu is not None else []
    return [*pinned, "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
            "--latency", "-s", str(script), f"http://127.0.0.1:{port}"]


def _wrk_result(output: str) -> dict[str, Any]:
    import re

    def number(pattern: str) -> float | None:
        found = re.search(pattern, output)
        return float(found.group(1)) if found else None

    def millis(label: str) -> float | None:
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not found:
            return None
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
        return round(float(found.group(1)) * scale, 2)

    return {"per_s": number(r"Requests/sec:\s+([\d.]+)"),
            "non_2xx": int(number(r"Non-2xx or 3xx responses:\s+(\d+)") or 0),
            "socket_errors": "Socket errors" in output,
            "p50_ms": millis("50"), "p99_ms": millis("99")}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


async def _wrk(ports: list[int], requests: list[Request], config: Config, name: str,
               cpu: int | None) -> dict[str, Any]:
    """Closed-loop ceiling: one wrk per server, all at once; the sum and the share of each."""
    script = _wrk_script(requests, config.results_dir / f"wrk-{name}.lua")
    load_before = _load_average()
    processes = [await asyncio.create_subprocess_exec(
        *_wrk_command(port, script, config.wrk_seconds, config.wrk_connections, cpu),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT) for port in ports]
    outputs = [(await p.communicate())[0].decode(errors="replace") for p in processes]
    runs = [_wrk_result(output) for output in outputs]
    total = sum(r["per_s"] or 0.0 for r in runs)
    return {"instances": len(ports), "per_s": round(total, 1),
            "per_instance_per_s": round(total / len(ports), 1), "runs": runs,
            "load_average": [load_before, _load_average()]}


async def _drive(config: Config, server: Server, fixture: Fixture, database_url: str
                 ) -> dict[str, Any]:
    client = Client("127.0.0.1", server.port, size=config.connections)
    questions = Questions(fixture)
    report: dict[str, Any] = {"phase_load_average": {}}
    phases = set(config.phases)
    loads = report["phase_load_average"]
    generator_cpu = GENERATOR_CPU if config.pin and (os.cpu_count() or 1) > 1 else None
    try:
        report["correctness"] = await _correctness(client, questions, config.warmup_requests)
        await open_loop(client, questions.health, 200, 1.0)
        report["memory_after_load_kib"] = server.memory_kib()
        report["sequential"] = {
            "check": await _sequential(client, questions.check, config.sequential_requests),
            "health": await _sequential(client, questions.health, config.sequential_requests)}

        if "cpu" in phases:
            report["cpu"] = await _cpu.measure(
                client, server.pids, questions.check, database_url, ENFORCEMENT_KEY,
                count=config.cpu_checks, rounds=config.cpu_rounds)
            loads["cpu"] = report["cpu"]["load_average"]

        if "fixed" in phases:
            began = _load_average()
            await _drain(client)
            fixed_check = await open_loop(client, questions.check, config.fixed_rate,
                                          config.fixed_seconds)
            await _drain(client)
            fixed_health = await open_loop(client, questions.health, config.fixed_rate,
                                           config.fixed_seconds)
            report["fixed"] = {"check": _summary(fixed_check), "health": _summary(fixed_health)}
            loads["fixed"] = [began, _load_average()]

        if "tail" in phases:
            report["tail"] = await _tail(client, questions.check, config.fixed_rate,
                                         config.tail_seconds, config.tail_runs)
            loads["tail"] = [r["load_average"] for r in report["tail"]["runs"]]

        if "ramps" in phases:
            began = _load_average()
            check_ceiling, check_top, check_steps = await _ramp(
                client, questions.check, config.ramp, config.ramp_seconds, P99_LIMIT_MS)
            health_ceiling, health_top, health_steps = await _ramp(
                client, questions.health, config.ramp, config.ramp_seconds, P99_LIMIT_MS)
            report["ceiling"] = {
                "check_per_s": check_ceiling, "health_per_s": health_ceiling,
                "ratio": round(check_ceiling / health_ceiling, 3) if health_ceiling else None,
                "throughput": {"check_per_s": check_top, "health_per_s": health_top,
                               "ratio": round(check_top / health_top, 3) if health_top else None},
                "check_steps": check_steps, "health_steps": health_steps,
                "top_of_ramp_reached": {"check": check_top == config.ramp[-1],
                                        "health": health_top == config.ramp[-1]},
            }
            loads["ramps"] = [began, _load_average()]

        if "wrk" in phases and wrk_available():
            await _drain(client)
            checks = [questions.check(i) for i in range(500)]
            check = await _wrk([server.port], checks, config, "check", generator_cpu)
            await _drain(client)
            health = await _wrk([server.port], [questions.health(0)], config, "health",
                                generator_cpu)
            report["wrk"] = {"check": check, "health": health,
                             "ratio": round(check["per_s"] / health["per_s"], 3)
                             if health["per_s"] else None}
            loads["wrk"] = [check["load_average"], health["load_average"]]

        if "mixed" in phases:
            began = _load_average()
            report["mixed"] = await _mixed(client, questions, config.mixed_rates,
                                           config.mixed_seconds, config.warmup_requests // 3)
            loads["mixed"] = [began, _load_average()]
        report["memory_at_end_kib"] = server.memory_kib()
    finally:
        await client.close()
    return report


async def _drive_postgres(config: Config, servers: list[Server], fixture: Fixture
                          ) -> dict[str, Any]:
    """On PostgreSQL: ceilings with 1..N instances (wrk, one per instance), and the mixed load
    spread over two instances."""
    clients = [Client("127.0.0.1", s.port, size=config.connections) for s in servers]
    questions = Questions(fixture)
    report: dict[str, Any] = {"instances": len(servers)}
    try:
        report["correctness"] = await _correctness(clients[0], questions, config.warmup_requests)
        for client in clients[1:]:
            await _correctness(client, questions, 20)
        if wrk_available():
            checks = [questions.check(i) for i in range(500)]
            report["wrk"] = []
            for count in range(1, len(servers) + 1):
                for client in clients:
                    await _drain(client)
                report["wrk"].append(await _wrk([s.port for s in servers[:count]], checks,
                                                config, f"pg-check-{count}", None))
        both = RoundRobin(clients[:2])
        began = _load_average()
        report["mixed"] = await _mixed(both, questions, config.mixed_rates, config.mixed_seconds,
                                       config.warmup_requests // 3)
        report["mixed"]["instances"] = min(2, len(clients))
        report["mixed"]["load_average"] = [began, _load_average()]
    finally:
        for client in clients:
            await client.close()
    return report


def _working_copy(cached_db: Path, working: Path, analyze: bool) -> Path:
    """A fresh copy of the cached store for this run, so what the mixed phase writes never leaks
    into the next run."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{working}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(cached_db, working)
    if analyze:
        with sqlite3.connect(working) as connection:
            connection.execute("ANALYZE")
    return working


def run(config: Config) -> dict[str, Any]:
    """Build or load the store, start the server, measure, stop the server; return the report.
    With ``config.postgres``, then the same data on PostgreSQL with ``config.instances``
    servers."""
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    (config.cache_dir / ".gitignore").write_text("# built by the benchmarks; never committed\n*\n")
    config.results_dir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    began = time.perf_counter()
    fixture = cached(config.cache_dir, config.scale, rebuild=config.rebuild)
    loaded = time.perf_counter()
    working = _working_copy(fixture.path, config.cache_dir / "work.sqlite", config.analyze)
    pinned = config.pin and (os.cpu_count() or 1) > 1
    server = Server(working, config.results_dir / "server.log", workers=config.workers,
                    cpu=SERVER_CPU if pinned else None, command=config.vptr)
    affinity = os.sched_getaffinity(0)
    try:
        if pinned:
            os.sched_setaffinity(0, {GENERATOR_CPU})
        server.wait_ready()
        report = run_async(_drive(config, server, fixture, f"sqlite:///{working}"))
    finally:
        os.sched_setaffinity(0, affinity)
        server.stop()
    asked = [plate for plate, _ in fixture.right_samples + fixture.permit_samples]
    report["plates_in_clear_in_server_log"] = server.clear_plates_in_log(asked)
    if config.postgres:
        report["postgres"] = run_postgres(config)
    report["data"] = {**asdict(config.scale), "build_seconds": fixture.seconds_to_build,
                      "load_seconds": round(loaded - began, 1), "analyzed": config.analyze,
                      "workers": config.workers, "phases": list(config.phases)}
    report["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                         "pinned": {"server": SERVER_CPU, "generator": GENERATOR_CPU}
                         if pinned else None,
                         "load_average_before": [round(x, 2) for x in load_before],
                         "load_average_after": [round(x, 2) for x in os.getloadavg()],
                         "note": "load generator and server share this machine's CPUs"}
    report["seconds"] = round(time.perf_counter() - began, 1)
    report["targets"] = TARGETS
    return report


def run_postgres(config: Config) -> dict[str, Any]:
    """The same data in a fresh schema on the PostgreSQL server ``config.postgres``, served by
    ``config.instances`` stateless servers (one process each, not pinned: the database, the
    servers and the generator share the machine); the schema is dropped afterwards."""
    assert config.postgres is not None
    schema = f"bench_register_{os.getpid()}"
    url = postgres_schema(config.postgres, schema)
    servers: list[Server] = []
    try:
        began = time.perf_counter()
        fixture = build(Path("postgresql"), config.scale, database_url=url)
        built = round(time.perf_counter() - began, 1)
        for index in range(config.instances):  # one after the other: the first migrates
            server = Server(None, config.results_dir / f"server-pg-{index}.log",
                            database_url=url, command=config.vptr)
            servers.append(server)
            server.wait_ready()
        report = run_async(_drive_postgres(config, servers, fixture))
        report["build_seconds"] = built
        return report
    finally:
        for server in servers:
            server.stop()
        drop_postgres_schema(config.postgres, schema)


# --- output ------------------------------------------------------------------------------------


def _row(name: str, s: dict[str, Any]) -> str:
    return (f"{name:26}{s['offered_per_s']:>10.0f}{s['achieved_per_s']:>9.1f}"
            f"{s['p50_ms']:>9.2f}{s['p99_ms']:>9.2f}{s['errors']:>8}")


def _mixed_lines(mixed: dict[str, Any], label: str) -> list[str]:
    lines = []
    for step in mixed["steps"]:
        lines.append(_row(label, step) + f"   load {step.get('load_average', ['?'])[0]}")
        for kind, s in step["by_kind"].items():
            lines.append(f"{'  ' + kind:26}{'':>10}{s['achieved_per_s']:>9.1f}"
                         f"{s['p50_ms']:>9.2f}{s['p99_ms']:>9.2f}{s['errors']:>8}")
    return lines


def table(report: dict[str, Any]) -> str:
    data, machine = report["data"], report["machine"]
    lines = [
        f"data: {data['zones']} zones, {data['rights']} rights, "
        f"{data['permits']} permits (built in {data['build_seconds']} s)"
        + (", planner statistics gathered (--analyze)" if data["analyzed"] else "")
        + (f", {data['workers']} server worker processes" if data.get("workers", 1) > 1 else ""),
        f"machine: {machine['cpus']} CPUs, load average (1 min) "
        f"{machine['load_average_before'][0]} before, "
        f"{machine['load_average_after'][0]} after (others' work shows in the tails); "
        + (f"server pinned to core {machine['pinned']['server']}, generator to core "
           f"{machine['pinned']['generator']}" if machine.get("pinned") else "not pinned"),
        f"load average (1 min) per phase [start, end]: {report.get('phase_load_average')}",
        f"correctness pass: {report['correctness']}",
        "service time, one request at a time: check "
        f"{report['sequential']['check']['p50_ms']} ms, health "
        f"{report['sequential']['health']['p50_ms']} ms (p50)",
    ]
    verdicts = []
    cpu = report.get("cpu")
    if cpu:
        lines += [
            "",
            f"CPU per check ({cpu['checks_per_round']} checks x {cpu['rounds']} rounds, "
            f"medians): over HTTP {cpu['http_cpu_ms']:.3f} ms (server process, "
            f"{cpu['in_flight']} in flight; of which system {cpu['http_system_cpu_ms']:.3f}), "
            "service "
            f"function {cpu['service_cpu_ms']:.3f} ms, decision with its reads "
            f"{cpu['decision_cpu_ms']:.3f} ms",
            f"  HTTP / service = {cpu['http_over_service']} (target <= "
            f"{TARGETS['http_over_service']:g}); service / decision = "
            f"{cpu['service_over_decision']} (target <= {TARGETS['service_over_decision']:g})"]
        verdicts.append("HTTP overhead: " + _verdict(cpu["met"]))
    lines += ["", f"{'':26}{'offered/s':>10}{'done/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
                  f"{'errors':>8}"]
    fixed = report.get("fixed")
    if fixed:
        for name in ("check", "health"):
            lines.append(_row(f"GET /{name} fixed rate", fixed[name]))
        verdicts.append("check p99 <= 10 ms at 300/s: " + _verdict(
            fixed["check"]["p99_ms"] <= TARGETS["check_p99_ms_at_300"]
            and fixed["check"]["errors"] == 0))
    tail = report.get("tail")
    if tail:
        for number, run_ in enumerate(tail["runs"], start=1):
            lines.append(_row(f"tail run {number}", run_)
                         + f"   p99.9 {run_['p999_ms']:.2f} max {run_['max_ms']:.2f} ms, load "
                           f"{run_['load_average'][0]}")
        verdicts.append(f"tail p99 <= {TARGETS['tail_p99_ms']:g} ms and p99.9 <= "
                        f"{TARGETS['tail_p999_ms']:g} ms: {tail['runs_meeting_target']} of "
                        f"{len(tail['runs'])} runs")
    mixed = report.get("mixed")
    if mixed:
        lines += _mixed_lines(mixed, "mixed reg/check/end")
    lines.append("")
    ceiling = report.get("ceiling")
    if ceiling:
        ratio = ceiling["ratio"]
        lines += [
            f"sustainable rate (p99 <= {P99_LIMIT_MS:g} ms, no errors, >= 95 % done): "
            f"check {ceiling['check_per_s']:.0f}/s, health {ceiling['health_per_s']:.0f}/s, "
            f"ratio check/health = {ratio if ratio is not None else 'n/a'}",
            "throughput ceiling (no errors, >= 95 % done, any p99): check "
            f"{ceiling['throughput']['check_per_s']:.0f}/s, health "
            f"{ceiling['throughput']['health_per_s']:.0f}/s, ratio "
            f"{ceiling['throughput']['ratio']}"]
    wrk = report.get("wrk")
    if wrk:
        lines.append(f"closed-loop ceiling (wrk, {wrk['check']['runs'][0]['p50_ms']} / "
                     f"{wrk['health']['runs'][0]['p50_ms']} ms p50): check "
                     f"{wrk['check']['per_s']:.0f}/s, health {wrk['health']['per_s']:.0f}/s, "
                     f"ratio {wrk['ratio']}")
    if mixed:
        lines.append(f"mixed sustained: {mixed['sustained_per_s']:.0f} ops/s "
                     f"(p99 <= {MIXED_P99_LIMIT_MS:g} ms)")
        verdicts.append("mixed >= 1000 ops/s: "
                        + _verdict(mixed["sustained_per_s"] >= TARGETS["mixed_ops_per_s"]))
    mem = report.get("memory_after_load_kib", {})
    peak = report.get("memory_at_end_kib", {})
    lines += [
        f"plates in clear in the server's access log: {report['plates_in_clear_in_server_log']}",
        f"server memory: RSS {mem.get('VmRSS', 0) / 1024:.0f} MiB after load, "
        f"peak {peak.get('VmHWM', 0) / 1024:.0f} MiB"]
    postgres = report.get("postgres")
    if postgres:
        lines += ["", f"PostgreSQL, {postgres['instances']} stateless instances on one database "
                      f"(data built in {postgres['build_seconds']} s), not pinned:"]
        for step in postgres.get("wrk", []):
            lines.append(f"  closed-loop check ceiling, {step['instances']} instance(s): "
                         f"{step['per_s']:.0f}/s in all, {step['per_instance_per_s']:.0f}/s per "
                         f"instance (load {step['load_average'][0]})")
        lines += _mixed_lines(postgres["mixed"], f"mixed over {postgres['mixed']['instances']}")
        lines.append(f"mixed sustained: embedded store, one worker "
                     f"{mixed['sustained_per_s'] if mixed else 'n/a'} ops/s; PostgreSQL, "
                     f"{postgres['mixed']['instances']} instances "
                     f"{postgres['mixed']['sustained_per_s']:.0f} ops/s")
    lines += ["", "targets: " + "; ".join(verdicts)]
    return "\n".join(lines)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.register", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small data and short phases: a smoke run")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the cached store even if one exists")
    parser.add_argument("--analyze", action="store_true",
                        help="run SQLite's ANALYZE on the store before serving (planner "
                             "statistics the register does not gather by itself today)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes of the server (vptr serve --workers N)")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results",
                        help="where to write the JSON report")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"the phases to run, comma-separated (default: {','.join(PHASES)})")
    parser.add_argument("--no-pin", action="store_true",
                        help="do not pin the server and the generator to different cores")
    parser.add_argument("--postgres", metavar="URL",
                        help="also run on this PostgreSQL server (a schema of its own, dropped "
                             "after), with --instances servers")
    parser.add_argument("--instances", type=int, default=2,
                        help="stateless servers on PostgreSQL (ceilings for 1..N)")
    parser.add_argument("--vptr", metavar="COMMAND",
                        help="serve with another build's vptr command (the in-process side "
                             "stays this build's): compares an earlier server's HTTP overhead")
    args = parser.parse_args(argv)
    config = Config.quick() if args.quick else Config()
    config.rebuild = args.rebuild
    config.analyze = args.analyze
    config.results_dir = args.results
    config.workers = args.workers
    config.phases = tuple(p for p in args.phases.split(",") if p)
    unknown = set(config.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    config.pin = not args.no_pin
    config.postgres = args.postgres
    config.instances = args.instances
    config.vptr = args.vptr
    report = run(config)
    print(table(report))
    name = (("register-quick" if args.quick else "register")
            + ("-analyzed" if args.analyze else "")
            + (f"-{args.workers}-workers" if args.workers > 1 else ""))
    path = write(report, config.results_dir, name)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
