"""The validation benchmark's code runs end to end on a handful of rights.

It asserts nothing about speed (timing belongs to ``python -m bench.validation``), only that the
measurement, the agreement check, the table and the JSON results work.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .corpus import ROOT

if str(ROOT) not in sys.path:  # the benchmarks live beside the package, not inside it
    sys.path.insert(0, str(ROOT))

from bench.validation import Config, run, table, write


def test_the_benchmark_runs_on_a_few_rights(tmp_path: Path) -> None:
    config = Config(rights=6, defect_rate=0.5, single_runs_fast=3, single_runs_pyshacl=1,
                    bulk_runs_fast=1, results_dir=tmp_path)
    report = run(config)
    assert report["single"]["same_violations"] and report["bulk"]["same_violations"]
    assert report["bulk"]["rights"] == 6 and report["bulk"]["invalid_rights"] >= 1
    assert "single right" in table(report)
    written = json.loads(write(report, tmp_path, "validation").read_text(encoding="utf-8"))
    assert written["bulk"]["speedup"] > 0
