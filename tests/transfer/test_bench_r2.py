"""The r2-route benchmark still runs end to end on a small file; its timings are not asserted, what it checks is.

Every round of the benchmark raises unless the SDK's upload went by the r2 route in parts, the asset
became ready with the file's sha256, the download has the file's size, and ``methodic uploads resume``
finalized the killed upload into a ready asset with the file's sha256.
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks import bench_r2

MiB = 1 << 20


@pytest.mark.skipif(shutil.which("curl") is None, reason="the baseline is curl")
def test_the_r2_benchmark_measures_every_row_on_a_file_in_parts() -> None:
    # 96 MiB: above the gateway's default 64 MiB max_part_bytes, so it goes in parts (20 of 5 MiB).
    rows = bench_r2.measure(96 * MiB, rates=(64 * MiB,), rounds=1, settle=0)
    names = [row.name for row in rows]
    assert [name.split(",")[0] for name in names[:-1]] == [
        "upload 96 MiB",
        "download 96 MiB",
        "peak RSS growth",
        "kill -9 at ~50% of 96 MiB",
        "kill -9 at ~50% of 96 MiB",
    ]
    assert names[-1].startswith("machine load")
    assert all(row.ok is None for row in rows)  # a small file is not judged against the targets
    upload, download, _, resent, resume_time, _ = rows
    assert upload.ratio is not None and upload.ratio > 0 and "5 MiB parts" in upload.note
    assert download.ratio is not None and download.ratio > 0
    # Killed once storage had half the bytes: the resume sends some, never the whole file again plus more.
    assert resent.ratio is not None and 0 < resent.ratio < 1
    assert "parts recorded" in resent.note
    assert resume_time.ratio is not None and resume_time.ratio > 0
