"""The many-small-files benchmark still runs end to end on a few hundred files; its timings are not asserted.

Each round raises unless the asset became ready; what is checked here is that both sides ran, the cancel was
measured, and the rows are not judged at a size below the target's 10,000 files.
"""

from __future__ import annotations

from benchmarks import bench_many_files


def test_the_many_files_benchmark_measures_both_sides_and_the_cancel() -> None:
    upload, cancel = bench_many_files.measure(300, 4096, rounds=1)
    assert upload.name == "upload 300 \u00d7 4 KiB files, with a tracker"
    assert upload.ratio is not None and upload.ratio > 0
    assert "files/s" in upload.sdk and "no tracker" in upload.baseline
    assert cancel.name.startswith("close(cancel_uploads=True), 300 files")
    assert "components recorded as failed" in cancel.note
    assert upload.ok is None and cancel.ok is None  # too small to be judged against the targets
