"""What one registration and one early end cost in the store, and whether that cost stays flat as
the store fills up.

Run it from the repository root::

    .venv/bin/python -m bench.store_writes            # the full store (100,000 rights)
    .venv/bin/python -m bench.store_writes --quick    # a small store, a few seconds

It works in-process on the register's own functions (no HTTP, no load generator), so it isolates
the store's share of a write: ``vptr.services.rights.register`` (validation, authorisation,
idempotency lookups, insert, audit entry, commit) and ``vptr.services.rights.end`` (locked read,
update, audit entry, commit). Two baselines are measured in the same run:

- *trivial transaction*: open a connection, ``SELECT 1``, commit: what any write pays at least;
- *validation alone*: normalising and validating the same right against the application profile
  (with the zone and authorisation documents a registration hands the validator), the one piece
  of pure CPU work.

Each write is timed on the **empty** store (the demo: two rights) and on the **full** store (the
benchmark store of ``bench.register``: 1,000 zones, 100,000 active rights, 10,000 permits), copied
to a temporary file so the cached store is left as it was. The ratio full/empty is the figure that
shows the indexes doing their work: it stays near 1 if no query scans the rights. A re-sent right
(idempotent: found by its client reference, nothing stored) is timed too.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench._results import write
from bench._store import PROVIDER, Scale, cached

BENCH_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Timing:
    """Per-operation times of one measurement, in milliseconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    def as_json(self) -> dict[str, float]:
        return {"median_ms": round(self.median, 3), "p95_ms": round(self.p95, 3),
                "per_s": round(1000 / self.median, 1) if self.median else 0.0}


def timed(operation: Callable[[int], Any], count: int, warmup: int = 20) -> Timing:
    for i in range(warmup):
        operation(-1 - i)
    samples = []
    for i in range(count):
        began = time.perf_counter()
        operation(i)
        samples.append((time.perf_counter() - began) * 1000)
    return Timing(samples)


def right(zone: str, number: int, reference: str) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    return {
        "rightKind": "parking", "zone": zone, "channel": "app",
        "vehicle": {"licencePlate": {"plateNumber": f"9B{abs(number):06d}", "country": "BE"}},
        "validityPeriod": {"startTime": start.isoformat(),
                           "endTime": (start + timedelta(hours=2)).isoformat()},
        "amountPaid": {"value": "2.40", "currency": "EUR"}, "clientReference": reference,
    }


def measure(url: str, provider: str, zone: str, count: int, label: str) -> dict[str, Any]:
    """Register ``count`` rights, re-send them, end them; with the two baselines."""
    import sqlalchemy as sa

    from vptr.auth.principal import Principal
    from vptr.repositories.documents import normalise, validate
    from vptr.services import rights
    from vptr.services.runtime import Caller, Runtime
    from vptr.settings import Settings
    from vptr.store import tables
    from vptr.store.database import Store

    store = Store(Settings(database_url=url))
    store.mark_ready()
    principal = Principal(provider, "bench provider", frozenset({"provider"}))
    runtime, caller = Runtime(store), Caller(principal)
    refs: dict[int, str] = {}
    bodies: dict[int, dict[str, Any]] = {}

    def trivial(_: int) -> None:
        with store.transaction() as connection:
            connection.execute(sa.text("SELECT 1"))

    with store.reading() as connection:  # what a registration hands the validator beside the right
        supporting = [connection.execute(sa.select(tables.zones.c.document).where(
            tables.zones.c.id == zone)).scalar_one()]
        supporting += list(connection.execute(sa.select(tables.authorisations.c.document).where(
            tables.authorisations.c.grantee_id == provider).limit(1)).scalars())

    def validation(i: int) -> None:
        document = normalise({**right(zone, i, f"v{i}"), "id": "urn:x", "provider": provider,
                              "rightStatus": "active"}, "Right")
        validate(document, supporting)

    def register(i: int) -> None:
        bodies[i] = right(zone, i, f"{label}-{i}")
        result = rights.register(runtime, caller, bodies[i])
        assert result.created
        refs[i] = result.document["id"]

    def resend(i: int) -> None:
        if i < 0:
            return
        assert not rights.register(runtime, caller, bodies[i]).created

    def end(i: int) -> None:
        if i < 0:
            return
        rights.end(runtime, caller, refs[i], None)

    results = {
        "trivial_transaction": timed(trivial, count),
        "validation_alone": timed(validation, count),
        "register": timed(register, count),
        "resend": timed(resend, count, warmup=0),
        "end": timed(end, count, warmup=0),
    }
    runtime.close()  # the audit entries of the re-sends, still buffered
    store.dispose()
    return {name: t.as_json() for name, t in results.items()}


def empty_store(directory: Path) -> tuple[str, str, str]:
    """The demo store: (url, provider, zone)."""
    from vptr.services.demo import PARKPLUS, ZONE_ROOD, load_demo
    from vptr.settings import Settings
    from vptr.store.database import Store
    from vptr.store.db import sqlite_url

    url = sqlite_url(directory / "empty.sqlite")
    store = Store(Settings(database_url=url))
    store.prepare()
    load_demo(store)
    store.dispose()
    return url, PARKPLUS, ZONE_ROOD


def full_store(directory: Path, scale: Scale, rebuild: bool) -> tuple[str, str, str, int]:
    """A copy of the benchmark store: (url, provider, zone, rights in it)."""
    from vptr.store.db import sqlite_url

    fixture = cached(BENCH_DIR / ".cache", scale, rebuild)
    copy = directory / "full.sqlite"
    shutil.copyfile(fixture.path, copy)
    return sqlite_url(copy), PROVIDER, fixture.paid_zones[0], scale.rights


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="A small store and few operations.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the cached full store.")
    parser.add_argument("--count", type=int, default=None, help="Operations per measurement.")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results",
                        help="Where to write the JSON report.")
    args = parser.parse_args(argv)
    scale = Scale(municipalities=2, zones=100, rights=5_000, permits=500,
                  whitelist_entries=20) if args.quick else Scale()
    count = args.count or (100 if args.quick else 400)

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        url, provider, zone = empty_store(directory)
        empty = measure(url, provider, zone, count, "empty")
        url, provider, zone, size = full_store(directory, scale, args.rebuild)
        full = measure(url, provider, zone, count, "full")

    report: dict[str, Any] = {"count": count, "rights_in_full_store": size, "empty": empty,
                              "full": full, "ratios": {}}
    print(f"\n{'':28}{'empty ms':>10}{'full ms':>10}{'full/empty':>12}{'vs trivial':>12}")
    for name in ("trivial_transaction", "validation_alone", "register", "resend", "end"):
        e, f = empty[name]["median_ms"], full[name]["median_ms"]
        base = full["trivial_transaction"]["median_ms"]
        report["ratios"][name] = {"full_over_empty": round(f / e, 2) if e else None,
                                  "over_trivial": round(f / base, 1) if base else None}
        print(f"{name:28}{e:>10.3f}{f:>10.3f}{f / e if e else 0:>12.2f}"
              f"{f / base if base else 0:>12.1f}")
    share = full["validation_alone"]["median_ms"] / full["register"]["median_ms"]
    report["validation_share_of_register"] = round(share, 2)
    print(f"\nvalidation is {share:.0%} of a registration; a registration runs at "
          f"{full['register']['per_s']:.0f}/s and an end at {full['end']['per_s']:.0f}/s "
          f"in one process on the full store ({size:,} rights)")
    out = write(report, args.results, f"store-writes{'-quick' if args.quick else ''}")
    print(f"wrote {out}")
    return report


if __name__ == "__main__":
    main()
