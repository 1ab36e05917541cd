"""``python -m bench.apds`` runs end to end (translation both ways against Pydantic, latency
over HTTP against a native registration) on tiny numbers. It asserts nothing about speed:
timing belongs to the benchmark itself (bench/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import apds  # noqa: E402


def test_the_translation_benchmark_reports_ratios_for_assigned_rights_and_sessions(tmp_path):
    report = apds.run(messages=20, rounds=1, results_dir=tmp_path, with_http=False)

    for name in ("AssignedRight", "Session"):
        row = report["translation"][name]
        assert row["to_native_ratio"] > 0 and row["to_message_ratio"] > 0
    assert Path(report["results_file"]).is_file()
    assert "| AssignedRight |" in apds.table(report)


@pytest.mark.slow
def test_the_latency_benchmark_starts_sessions_and_registers_rights_over_http():
    report = apds.latency(requests=3, warmup=1)

    assert report["apds_session_start"]["median_ms"] > 0
    assert report["native_register"]["median_ms"] > 0 and report["median_ratio"] > 0
