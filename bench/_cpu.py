"""What a check costs in CPU time, three ways over the same questions: over HTTP (the server
process's own CPU), in-process through the service function every channel calls
(:func:`vptr.services.checking.ask`), and the domain decision with its reads alone
(:func:`vptr.domain.checking.check` on the store's sources, one connection for the lot).

Why CPU time and not latency: on a shared machine latency says as much about the neighbours as
about the server, while the CPU a process spends on its own work barely moves (``/proc`` for the
server, :func:`time.process_time` here). The two ratios are the targets of the HTTP overhead:
HTTP / service at most 2, service / decision at most 1.5, so neither side of the first can be
bought by slowing the other.

The HTTP side counts everything the server does for its checks, including what it does a moment
later in its background threads (the read-audit and metering batches, the access log): the
measurement waits for those to be written before it reads the CPU clock. The service side writes
its audit batch inside its measurement too; it has no HTTP, so no metering and no access log.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import urllib.parse
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench._load import Client, Request

_TICKS = os.sysconf("SC_CLK_TCK")
#: Targets (issue 19): the server's CPU per check over HTTP against the service function's, and
#: the service function's against the decision with its reads.
HTTP_OVER_SERVICE = 2.0
SERVICE_OVER_DECISION = 1.5


def process_cpu_seconds(pids: Iterable[int], kinds: tuple[int, ...] = (11, 12)) -> float:
    """utime + stime of the processes, from /proc (Linux), in seconds (``kinds``: the fields
    after the command, 11 user time, 12 system time)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(fields[kind]) for kind in kinds)
    return total / _TICKS


def question_of(request: Request) -> Any:
    """The service's Question for a benchmark's ``GET /check`` request."""
    from vptr.services.checking import Question
    from vptr.times import parse_instant

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)

    def one(name: str) -> str | None:
        return query[name][0] if name in query else None

    lon, lat, at = one("lon"), one("lat"), one("at")
    return Question(one("plate") or "", one("country") or "", tuple(query.get("zone", ())),
                    float(lon) if lon else None, float(lat) if lat else None,
                    parse_instant(at, "at") if at else None, one("rightKind"))


class InProcess:
    """The register in this process, over the server's database: the service function and the
    domain decision, called directly."""

    def __init__(self, database_url: str, api_key: str) -> None:
        from vptr.services import authentication
        from vptr.services.runtime import Caller, Runtime
        from vptr.settings import Settings
        from vptr.store.database import Store

        self.store = Store(Settings(database_url=database_url, demo=False))
        self.store.mark_ready()  # the server migrated it
        self.runtime = Runtime(self.store)
        principal = authentication.authenticate(self.runtime, api_key)
        self.caller = Caller(principal, "check", "127.0.0.1", lambda _tenant: None)

    def service_seconds(self, questions: list[Any]) -> float:
        """CPU seconds of this process for the questions through checking.ask, audit written."""
        from vptr.services import checking

        began = time.process_time()
        for question in questions:
            checking.ask(self.runtime, self.caller, question)
        self.runtime.flush_audit()
        return time.process_time() - began

    def decision_seconds(self, questions: list[Any]) -> float:
        """CPU seconds for the domain decision with its reads alone (zones resolved, rights,
        permits and whitelist entries read, the rules applied), on one connection."""
        from vptr.domain.checking import check, resolve_zones
        from vptr.store.check_sources import StoreCheckSources
        from vptr.times import now

        resolve = self.store.iris.resolve
        prepared = [([resolve("zone", z) for z in q.zones] or None,
                     (q.lon, q.lat) if not q.zones else None, q) for q in questions]
        began = time.process_time()
        with self.store.reading() as connection:
            for zone_ids, point, q in prepared:
                sources = StoreCheckSources(connection)
                moment: datetime = q.at or now()
                zones = resolve_zones(sources, zone_ids, point, moment)
                check(sources, country=q.country, plate=q.plate, moment=moment, zones=zones)
        return time.process_time() - began

    def close(self) -> None:
        self.runtime.close()
        self.store.dispose()


async def measure(client: Client, server_pids: Callable[[], list[int]],
                  make: Callable[[int], Request], database_url: str, api_key: str, *,
                  count: int, rounds: int, in_flight: int = 8,
                  settle_seconds: float = 1.6) -> dict[str, Any]:
    """``rounds`` rounds of ``count`` checks each way, interleaved; medians per check in ms.

    Over HTTP, ``in_flight`` requests are kept under way (a closed loop of that many clients):
    a server answering one request at a time and then sleeping spends more of its CPU on
    waking up (system time) than a server under load does, and load is what the figure is
    for."""
    requests = [make(i) for i in range(count)]
    questions = [question_of(r) for r in requests]
    local = InProcess(database_url, api_key)
    http, system, service, decision = [], [], [], []
    load = [round(os.getloadavg()[0], 2)]

    async def send_all() -> None:
        pending = iter(requests)

        async def worker() -> None:
            for request in pending:
                response = await client.send(request)
                if response.status != 200:
                    raise RuntimeError(
                        f"a check answered {response.status}: {response.body[:200]!r}")

        await asyncio.gather(*(worker() for _ in range(in_flight)))

    try:
        local.service_seconds(questions[: min(50, count)])  # warm: catalogue, caches
        for _ in range(rounds):
            await asyncio.sleep(settle_seconds)  # earlier batches written, server idle
            before = process_cpu_seconds(server_pids())
            before_system = process_cpu_seconds(server_pids(), (12,))
            await send_all()
            await asyncio.sleep(settle_seconds)  # its audit, metering and log batches written
            http.append((process_cpu_seconds(server_pids()) - before) * 1000 / count)
            system.append((process_cpu_seconds(server_pids(), (12,)) - before_system) * 1000
                          / count)
            service.append(local.service_seconds(questions) * 1000 / count)
            decision.append(local.decision_seconds(questions) * 1000 / count)
    finally:
        local.close()
    load.append(round(os.getloadavg()[0], 2))
    h, s, d = (statistics.median(v) for v in (http, service, decision))
    return {
        "checks_per_round": count, "rounds": rounds, "in_flight": in_flight,
        "http_system_cpu_ms": round(statistics.median(system), 4),
        "http_cpu_ms": round(h, 4), "service_cpu_ms": round(s, 4), "decision_cpu_ms": round(d, 4),
        "http_over_service": round(h / s, 2), "service_over_decision": round(s / d, 2),
        "targets": {"http_over_service": HTTP_OVER_SERVICE,
                    "service_over_decision": SERVICE_OVER_DECISION},
        "met": h / s <= HTTP_OVER_SERVICE and s / d <= SERVICE_OVER_DECISION,
        "samples_ms": {"http": [round(v, 4) for v in http],
                       "service": [round(v, 4) for v in service],
                       "decision": [round(v, 4) for v in decision]},
        "load_average": load,
    }
