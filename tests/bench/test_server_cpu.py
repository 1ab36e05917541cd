"""bench/server_cpu.py runs end to end against the real server (a few requests): it asserts
nothing about speed, only that it asks real questions and reads a real process's CPU time."""

from __future__ import annotations

import json

import pytest

from bench.server_cpu import CHECK, Server, main, own_vptr


@pytest.mark.slow
def test_the_cpu_benchmark_measures_a_real_server(tmp_path, capsys):
    assert main(["--rounds", "1", "--requests", "200", "--results", str(tmp_path)]) == 0

    report = json.loads(next(tmp_path.glob("server-cpu-*.json")).read_text())
    this = report["servers"]["this"]
    # CPU time is counted in clock ticks (10 ms): 400 requests are sure to cross some.
    assert this["check_cpu_ms"] + this["health_cpu_ms"] > 0
    assert "other" not in report["servers"]
    assert "check CPU ms" in capsys.readouterr().out


@pytest.mark.slow
def test_a_check_the_server_refuses_stops_the_benchmark(tmp_path):
    server = Server("this", own_vptr(), tmp_path)
    server.start()
    try:
        with pytest.raises(RuntimeError, match="answered 404"):
            server.cpu_ms_per_request(CHECK.replace("gent-rood", "nowhere"), 1)
    finally:
        server.stop()
