"""bench/store_writes.py runs (on a tiny store, a few operations); it asserts nothing about speed,
only that every measured path does what it claims (creates, re-sends, ends)."""

from __future__ import annotations

from bench.store_writes import empty_store, measure


def test_the_store_writes_benchmark_measures_every_path(tmp_path):
    url, provider, zone = empty_store(tmp_path)

    report = measure(url, provider, zone, count=3, label="smoke")

    assert set(report) == {"trivial_transaction", "validation_alone", "register", "resend", "end"}
    assert all(r["median_ms"] > 0 for r in report.values())
