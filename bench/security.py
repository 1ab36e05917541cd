"""What the security machinery costs a request: metering, the rate limit and body limit, auditing.

Run it from the repository root::

    .venv/bin/python -m bench.security            # a few seconds per part
    .venv/bin/python -m bench.security --quick    # a smoke run

Three in-process measurements, each against a baseline measured in the same run:

1. **Metering, per counted request**, on the embedded store (SQLite file) and on PostgreSQL (when
   ``VPTR_TEST_POSTGRES_URL`` or 127.0.0.1:5432/test answers, in a schema of its own):
   *batched* (what the server does: count in memory, one UPSERT per counter per flush) and
   *unbatched* (one ``INSERT ... ON CONFLICT DO UPDATE`` transaction per request), against the
   baseline of one trivial transaction (``SELECT 1``, commit) on the same database.
2. **Limits and metering on a request**: ``GET /health`` through the whole app (body limit,
   metering, rate limit as a dependency) against the same route on a bare FastAPI app, both
   driven in-process by the same client.
3. **Auditing a check**: ``GET /check`` by the demo's enforcement service with its audit entry
   against the same check with the audit write switched off.

Medians of several rounds; the table shows microseconds per request and the ratio to the baseline.
Results also go to ``bench/results/security-*.json``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench._results import write

BENCH_DIR = Path(__file__).resolve().parent
POSTGRES_URL = os.environ.get("VPTR_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def per_call_us(action: Callable[[], None], calls: int, rounds: int,
                after: Callable[[], None] | None = None) -> float:
    """Median over ``rounds`` of the time per call of ``calls`` calls (plus ``after``, e.g. the
    final flush that a batch owes), in microseconds."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            action()
        if after is not None:
            after()
        results.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(results)


def metering_costs(engine: sa.Engine, calls: int, rounds: int) -> dict[str, float]:
    from vptr.accounting.metering import MeteringCounter

    def trivial() -> None:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT 1"))

    day = date(2026, 3, 2)
    batched = MeteringCounter(engine, flush_seconds=3600, today=lambda: day)
    unbatched = MeteringCounter(engine, flush_seconds=0, today=lambda: day)
    organisations = [f"https://example.org/organisation/{i}" for i in range(20)]
    turn = iter(range(10**12))

    def count(counter: MeteringCounter) -> Callable[[], None]:
        def one() -> None:
            i = next(turn)
            counter.count(organisations[i % 20], "https://example.org/tenant", f"op{i % 5}")
        return one

    baseline = per_call_us(trivial, calls, rounds)
    batched_us = per_call_us(count(batched), calls, rounds, after=batched.flush)
    unbatched_us = per_call_us(count(unbatched), calls, rounds)
    batched.close()
    return {"trivial_transaction_us": baseline, "batched_us": batched_us,
            "unbatched_us": unbatched_us, "batched_ratio": batched_us / baseline,
            "unbatched_ratio": unbatched_us / baseline}


def postgres_engine() -> tuple[sa.Engine, Callable[[], None]] | None:
    from vptr.store import migrations
    from vptr.store.db import make_engine, normalise_url

    schema = f"vptr_bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(normalise_url(POSTGRES_URL), poolclass=sa.pool.NullPool,
                                 connect_args={"connect_timeout": 3})
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError:
        return None
    url = normalise_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url)
    migrations.upgrade(engine)

    def drop() -> None:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return engine, drop


def request_overhead(directory: Path, calls: int, rounds: int) -> dict[str, float]:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from vptr.app import create_app
    from vptr.settings import Settings
    from vptr.store.db import sqlite_url

    bare = FastAPI()

    @bare.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    settings = Settings(database_url=sqlite_url(directory / "overhead.sqlite"),
                        rate_limit_per_second=1e9, rate_limit_burst=10**9)
    full = create_app(settings)
    full.state.store.prepare()
    with TestClient(bare) as plain, TestClient(full) as secured:
        plain.get("/health")
        secured.get("/health")
        plain_rounds, secured_rounds = [], []
        for _ in range(rounds):  # alternated, like the audit measurement
            plain_rounds.append(per_call_us(lambda: plain.get("/health"), calls, 1))
            secured_rounds.append(per_call_us(lambda: secured.get("/health"), calls, 1))
        baseline = statistics.median(plain_rounds)
        secured_us = statistics.median(secured_rounds)
    return {"bare_app_us": baseline, "secured_app_us": secured_us,
            "ratio": secured_us / baseline}


def audit_overhead(directory: Path, calls: int, rounds: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from vptr.accounting import audit
    from vptr.app import create_app
    from vptr.services import demo
    from vptr.settings import Settings
    from vptr.store.database import Store
    from vptr.store.db import sqlite_url

    settings = Settings(database_url=sqlite_url(directory / "audit.sqlite"),
                        rate_limit_per_second=1e9, rate_limit_burst=10**9)
    store = Store(settings)
    store.prepare()
    demo.load_demo(store)
    app = create_app(settings, store)
    headers = {"Authorization": f"Bearer {demo.credential('enforcement').key}"}
    params = {"plate": demo.PLATE_APP_RIGHT[1], "country": "BE", "zone": demo.ZONE_ROOD}
    original = audit.record_read
    with TestClient(app, headers=headers) as client:
        assert client.get("/check", params=params).json()["allowed"] is True

        def check() -> None:
            client.get("/check", params=params)

        audited_rounds, unaudited_rounds = [], []
        try:  # alternate the two, round by round, so a busy machine weighs on both alike
            for _ in range(rounds):
                audit.record_read = original
                audited_rounds.append(per_call_us(check, calls, 1))
                audit.record_read = lambda request, store, accesses: 0
                unaudited_rounds.append(per_call_us(check, calls, 1))
        finally:
            audit.record_read = original
        audited = statistics.median(audited_rounds)
        unaudited = statistics.median(unaudited_rounds)
    store.dispose()
    return {"check_without_audit_us": unaudited, "check_with_audit_us": audited,
            "ratio": audited / unaudited}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results",
                        help="where to write the JSON results")
    args = parser.parse_args(argv)
    calls, rounds = (50, 3) if args.quick else (500, 5)

    from vptr.store import migrations
    from vptr.store.db import make_engine, sqlite_url

    report: dict[str, Any] = {"quick": args.quick, "calls": calls, "rounds": rounds}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        engine = make_engine(sqlite_url(directory / "metering.sqlite"))
        migrations.upgrade(engine)
        report["metering_sqlite"] = metering_costs(engine, calls, rounds)
        engine.dispose()
        postgres = postgres_engine()
        if postgres is not None:
            engine, drop = postgres
            try:
                report["metering_postgresql"] = metering_costs(engine, calls, rounds)
            finally:
                drop()
        report["request_overhead"] = request_overhead(directory, calls, rounds)
        report["audit_on_check"] = audit_overhead(directory, max(calls // 5, 10), rounds * 2 + 1)

    rows = []
    for backend in ("sqlite", "postgresql"):
        m = report.get(f"metering_{backend}")
        if m is None:
            rows.append((f"metering ({backend})", "no server", "", ""))
            continue
        rows.append((f"trivial transaction ({backend})", f"{m['trivial_transaction_us']:.0f}",
                     "1.00", "baseline"))
        rows.append((f"count, batched ({backend})", f"{m['batched_us']:.1f}",
                     f"{m['batched_ratio']:.3f}", "per request"))
        rows.append((f"count, one UPSERT each ({backend})", f"{m['unbatched_us']:.0f}",
                     f"{m['unbatched_ratio']:.2f}", "per request"))
    o = report["request_overhead"]
    rows.append(("GET /health, bare app", f"{o['bare_app_us']:.0f}", "1.00", "baseline"))
    rows.append(("GET /health, limits + metering", f"{o['secured_app_us']:.0f}",
                 f"{o['ratio']:.2f}", ""))
    a = report["audit_on_check"]
    rows.append(("GET /check, audit off", f"{a['check_without_audit_us']:.0f}", "1.00",
                 "baseline"))
    rows.append(("GET /check, audited", f"{a['check_with_audit_us']:.0f}", f"{a['ratio']:.2f}",
                 ""))
    width = max(len(r[0]) for r in rows)
    print(f"{'measurement':<{width}}  {'µs':>8}  {'ratio':>7}")
    for name, us, ratio, note in rows:
        print(f"{name:<{width}}  {us:>8}  {ratio:>7}  {note}")

    out = write(report, args.results, f"security{'-quick' if args.quick else ''}")
    print(f"wrote {out}")
    return report


if __name__ == "__main__":
    main()
