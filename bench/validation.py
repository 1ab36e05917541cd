"""The validation benchmark: the fast validator against plain pySHACL, same shapes, same data.

Run it from the repository root::

    .venv/bin/python -m bench.validation            # 10,000 rights (pySHACL takes ~30 min)
    .venv/bin/python -m bench.validation --quick    # 1,000 rights (a few minutes)

Both engines validate exactly the same parsed JSON documents against the published application
profile (generated and hand-written shapes), through :func:`vptr.validation.validate_document`:
``engine="fast"`` (the compiled profile over plain Python objects) and ``engine="pyshacl"`` (JSON-LD
through rdflib, then pySHACL: the baseline). Two measurements:

- *single*: one small right as a provider posts it (plain JSON, nested objects untyped), validated
  in-process again and again; the median time of each engine and their ratio.
- *bulk*: one ``@graph`` document of N generated rights (default 10,000) with about 3 % invalid
  (one defect each, of twelve kinds), plus the zones, authorisations and regime they refer to as
  supporting entities; wall time of each engine and their ratio. The two reports must hold the same
  violations (class, property, field, rule, shape), or the benchmark says so and exits 1.

Results are printed as a table and written to ``bench/results/validation-*.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import collections
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._results import write  # noqa: E402
from bench._rights import bulk_document, single_payload, supporting  # noqa: E402

TARGETS = {"single_fast_median_ms": 5.0, "bulk_speedup": 10.0}


@dataclass
class Config:
    rights: int = 10_000
    defect_rate: float = 0.03
    single_runs_fast: int = 500
    single_runs_pyshacl: int = 20
    bulk_runs_fast: int = 3
    results_dir: Path = field(default_factory=lambda: BENCH_DIR / "results")


def _median_ms(func: Any, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def _keys(report: Any) -> collections.Counter[Any]:
    return collections.Counter(v.key() for v in report.violations)


def run(config: Config) -> dict[str, Any]:
    from vptr.validation import validate_document
    from vptr.validation.profile import compiled_profile
    from vptr.validation.service import profile_graph

    profile_graph()
    compiled_profile()  # loading and compiling the profile is a one-off, not measured

    single = single_payload()
    fast_single = validate_document(single)
    reference_single = validate_document(single, engine="pyshacl")
    fast_median, fast_times = _median_ms(lambda: validate_document(single),
                                         config.single_runs_fast)
    ref_median, _ = _median_ms(lambda: validate_document(single, engine="pyshacl"),
                                       config.single_runs_pyshacl)

    document, defects = bulk_document(config.rights, config.defect_rate)
    context = supporting()
    fast_bulk_times = []
    fast_bulk = None
    for _ in range(config.bulk_runs_fast):
        start = time.perf_counter()
        fast_bulk = validate_document(document, supporting=context)
        fast_bulk_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    reference_bulk = validate_document(document, supporting=context, engine="pyshacl")
    reference_bulk_seconds = time.perf_counter() - start
    assert fast_bulk is not None
    fast_bulk_seconds = statistics.median(fast_bulk_times)

    same_single = _keys(fast_single) == _keys(reference_single)
    same_bulk = _keys(fast_bulk) == _keys(reference_bulk)
    return {
        "benchmark": "validation",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "config": {"rights": config.rights, "defect_rate": config.defect_rate,
                   "single_runs_fast": config.single_runs_fast,
                   "single_runs_pyshacl": config.single_runs_pyshacl,
                   "bulk_runs_fast": config.bulk_runs_fast},
        "single": {
            "objects": fast_single.focus_nodes,
            "fast_median_ms": round(fast_median, 3),
            "fast_p90_ms": round(sorted(fast_times)[int(len(fast_times) * 0.9)], 3),
            "pyshacl_median_ms": round(ref_median, 2),
            "speedup": round(ref_median / fast_median, 1),
            "same_violations": same_single,
        },
        "bulk": {
            "rights": config.rights,
            "objects": fast_bulk.focus_nodes,
            "invalid_rights": sum(defects.values()),
            "defects": dict(sorted(defects.items())),
            "violations": len(fast_bulk.violations),
            "fast_seconds": round(fast_bulk_seconds, 3),
            "fast_rights_per_second": round(config.rights / fast_bulk_seconds),
            "pyshacl_seconds": round(reference_bulk_seconds, 1),
            "speedup": round(reference_bulk_seconds / fast_bulk_seconds, 1),
            "same_violations": same_bulk,
        },
        "targets": TARGETS,
        "targets_met": {
            "single_fast_median_ms": fast_median <= TARGETS["single_fast_median_ms"],
            "bulk_speedup": reference_bulk_seconds / fast_bulk_seconds
            >= TARGETS["bulk_speedup"],
        },
    }


def table(report: dict[str, Any]) -> str:
    s, b = report["single"], report["bulk"]
    rows = [
        ("measurement", "fast", "pySHACL", "ratio", "same violations"),
        (f"single right ({s['objects']} objects), median",
         f"{s['fast_median_ms']:.3f} ms", f"{s['pyshacl_median_ms']:.1f} ms",
         f"{s['speedup']:.0f}x", str(s["same_violations"])),
        (f"bulk: {b['rights']:,} rights ({b['objects']:,} objects, {b['invalid_rights']} invalid)",
         f"{b['fast_seconds']:.2f} s", f"{b['pyshacl_seconds']:.1f} s",
         f"{b['speedup']:.0f}x", str(b["same_violations"])),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    met = report["targets_met"]
    lines.append("")
    lines.append(f"target single median <= {TARGETS['single_fast_median_ms']} ms: "
                 f"{'met' if met['single_fast_median_ms'] else 'NOT met'}; "
                 f"target bulk >= {TARGETS['bulk_speedup']:.0f}x pySHACL: "
                 f"{'met' if met['bulk_speedup'] else 'NOT met'}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validation", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="1,000 rights and fewer repetitions (a few minutes).")
    parser.add_argument("--rights", type=int, default=None,
                        help="The number of rights in the bulk set (default 10,000).")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results",
                        help="Where to write the JSON results.")
    args = parser.parse_args(argv)
    config = Config(results_dir=args.results)
    if args.quick:
        config.rights, config.single_runs_fast, config.single_runs_pyshacl = 1_000, 200, 10
        config.bulk_runs_fast = 3
    if args.rights is not None:
        config.rights = args.rights
    report = run(config)
    print(table(report), end="")
    path = write(report, config.results_dir, "validation-quick" if args.quick else "validation")
    print(f"results: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    same = report["single"]["same_violations"] and report["bulk"]["same_violations"]
    if not same:
        print("the engines disagree: see the equivalence test in tests/validation", file=sys.stderr)
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
