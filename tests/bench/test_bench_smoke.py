"""The register benchmark's code paths work end to end on a tiny store.

This proves the benchmark can run (build, serve, correctness pass, every load phase, the report);
it asserts nothing about speed: timing belongs to ``python -m bench.register`` itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from support import log_scan

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the benchmarks live beside the package, not inside it
    sys.path.insert(0, str(ROOT))

from bench._load import Request  # noqa: E402
from bench._store import Scale  # noqa: E402
from bench.register import (  # noqa: E402
    Config,
    _wrk_result,
    _wrk_script,
    run,
    table,
    write,
    wrk_available,
)


@pytest.mark.slow
def test_the_benchmark_runs_every_phase_on_a_tiny_store(tmp_path: Path) -> None:
    config = Config(
        scale=Scale(municipalities=2, zones=20, rights=200, permits=20, whitelist_entries=4),
        fixed_rate=40, fixed_seconds=0.5, ramp=(40, 80), ramp_seconds=0.5,
        mixed_rates=(8,), mixed_seconds=1.0, warmup_requests=20,
        cpu_checks=40, cpu_rounds=1, tail_runs=2, tail_seconds=0.5, wrk_seconds=1.0,
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
    # The CPU ratios were measured three ways over the same checks.
    cpu = report["cpu"]
    assert cpu["service_cpu_ms"] > 0 and cpu["decision_cpu_ms"] > 0
    assert cpu["service_over_decision"] == round(cpu["service_cpu_ms"] / cpu["decision_cpu_ms"], 2)
    # The tail ran as often as asked, each run with its load average; wrk (when installed) too.
    assert len(report["tail"]["runs"]) == 2
    assert all(len(r["load_average"]) == 2 for r in report["tail"]["runs"])
    assert set(report["phase_load_average"]) >= {"cpu", "fixed", "tail", "ramps", "mixed"}
    if wrk_available():
        assert report["wrk"]["check"]["per_s"] > 0 and report["wrk"]["health"]["per_s"] > 0
    # The real server logged every request, and no plate it was asked about in clear.
    assert (tmp_path / "results" / "server.log").stat().st_size > 0
    assert report["plates_in_clear_in_server_log"] == 0
    # ... nor any other plate, by the whole run's scan (support.log_scan)
    log_scan.scan_file(tmp_path / "results" / "server.log", "the benchmark's server")
    # The report renders and is written; a second run reuses the cached store.
    assert "sustainable rate" in table(report)
    assert write(report, config.results_dir, "smoke").exists()
    assert len(list((tmp_path / "cache").glob("register-*.sqlite"))) == 1


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  21.30ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    3.10ms
     90%    5.00ms
     99%    1.20s
  3000 requests in 3.00s, 1.00MB read
  Non-2xx or 3xx responses: 7
Requests/sec:   1000.50
Transfer/sec:    340.00KB
"""


def test_wrk_figures_are_read_with_their_units():
    assert _wrk_result(WRK_OUTPUT) == {"per_s": 1000.5, "non_2xx": 7, "socket_errors": False,
                                       "p50_ms": 0.85, "p99_ms": 1200.0}


def test_the_wrk_script_cycles_through_every_request_with_its_headers(tmp_path):
    script = _wrk_script([Request("GET", "/check?plate=1AB&zone=a%2Fb",
                                  headers=(("Authorization", "Bearer k"),)),
                          Request("GET", "/health")], tmp_path / "s.lua").read_text()

    assert 'wrk.format("GET", [[/check?plate=1AB&zone=a%2Fb]], {["Authorization"] = "Bearer k"})' \
        in script
    assert 'wrk.format("GET", [[/health]], {})' in script
    assert "i = i % #formatted + 1" in script
