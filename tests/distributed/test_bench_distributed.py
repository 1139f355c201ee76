"""The issue-18 benchmark still runs end to end (quick mode: 16 MiB per rank); its timings are not asserted."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from benchmarks import bench_distributed


def test_the_distributed_upload_benchmark_runs_both_cases_and_checks_every_asset() -> None:
    (row,) = bench_distributed.run(quick=True)  # raises if an asset is not ready or misses a rank's shard
    assert row.ratio is not None and row.ratio > 0
    assert row.ok is None  # quick sizes are too small to judge the target
    assert "storage wrote" in row.note
