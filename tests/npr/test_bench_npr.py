"""The NPR benchmark's code paths work end to end (the real server, all three paths answering Y);
it asserts nothing about speed: timing belongs to ``python -m bench.npr`` itself."""

from __future__ import annotations

import pytest

from bench.npr import run, table


@pytest.mark.slow
def test_the_npr_benchmark_runs_every_path(tmp_path):
    report = run(requests=5, rounds=1, results_dir=tmp_path)
    assert set(report["paths"]) == {"native", "npr-json", "npr-soap"}
    assert all(row["requests"] == 5 and row["not_y"] == 0 for row in report["paths"].values())
    assert report["plates_in_clear_in_server_log"] == 0
    assert "p50 vs native" in table(report)
    assert list(tmp_path.glob("npr-*.json"))
