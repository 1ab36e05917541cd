"""The register benchmark's code paths work end to end on a tiny store.

This proves the benchmark can run (build, serve, correctness pass, every load phase, the report);
it asserts nothing about speed: timing belongs to ``python -m bench.register`` itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmarks live beside the package, not inside it
    sys.path.insert(0, str(ROOT))

from bench._store import Scale  # noqa: E402
from bench.register import Config, run, table, write  # noqa: E402


@pytest.mark.slow
def test_the_benchmark_runs_every_phase_on_a_tiny_store(tmp_path: Path) -> None:
    config = Config(
        scale=Scale(municipalities=2, zones=20, rights=200, permits=20, whitelist_entries=4),
        fixed_rate=40, fixed_seconds=0.5, ramp=(40, 80), ramp_seconds=0.5,
        mixed_rates=(8,), mixed_seconds=1.0, warmup_requests=20,
        cache_dir=tmp_path / "cache", results_dir=tmp_path / "results")
    report = run(config)

    # The correctness pass asked real questions and got the answers the data implies.
    assert report["correctness"]["asked"] == 20
    assert report["correctness"]["failed"] == 0
    assert report["correctness"]["unexpected"] == 0
    # Every phase produced samples from the real server.
    assert report["fixed"]["check"]["requests"] == 20
    assert report["fixed"]["health"]["requests"] == 20
    assert report["ceiling"]["check_steps"] and report["ceiling"]["health_steps"]
    kinds = report["mixed"]["steps"][0]["by_kind"]
    assert kinds["check"]["requests"] > 0 and kinds["register"]["requests"] > 0
    assert report["memory_after_load_kib"].get("VmRSS", 0) > 0
    # The real server logged every request, and no plate it was asked about in clear.
    assert (tmp_path / "results" / "server.log").stat().st_size > 0
    assert report["plates_in_clear_in_server_log"] == 0
    # The report renders and is written; a second run reuses the cached store.
    assert "sustainable rate" in table(report)
    assert write(report, config.results_dir, "smoke").exists()
    assert len(list((tmp_path / "cache").glob("register-*.sqlite"))) == 1
