"""The mapping benchmark runs over every registered mapping (speed is its own business)."""

from __future__ import annotations

from pathlib import Path

from bench.mapping import EXAMPLES, main, run, table
from vptr.mapping import registry


def test_every_registered_mapping_has_a_benchmark_message() -> None:
    assert set(registry()) <= set(EXAMPLES), "add an example message to bench/mapping.py"


def test_the_benchmark_reports_ratios_for_every_mapping(tmp_path: Path) -> None:
    report = run(messages=20, rounds=1)
    assert set(report["mappings"]) == {f"{s}:{m}" for s, m in registry()}
    for result in report["mappings"].values():
        assert result["pydantic_parse_dump_us"] > 0 and result["to_native_ratio"] > 0
    assert "target" in table(report)
    assert main(["--messages", "20", "--results", str(tmp_path)]) in (0, 1)
    assert len(list(tmp_path.glob("mapping-*.json"))) == 1
