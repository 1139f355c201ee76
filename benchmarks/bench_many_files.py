"""Many small files: one folder of 10,000 x 4 KiB files uploaded as one asset, with an UploadTracker and without.

Both sides run in the same process against the same dev server (its own process, niced), alternating, each
from ``upload_directory_async`` to the ready asset (scan, stage, create, register, 10,000 PUTs, finalize).
The tracker's cost is what a crash-safe record adds: two durable commits per file (uploading, completed),
and every lookup of a component's row must be one indexed read, never a pass over the asset's rows (the
issue-28 finding: 71 ms a read at 10,000 rows, about 2 files/s). Target: with a tracker, at least half the
rate without one. Also measured: ``close(cancel_uploads=True)`` with 10,000 files still queued.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from benchmarks._common import DevServer, Row, median, started_run
from methodic import Chronicle, UploadTracker

KIB = 1 << 10


def _folder(root: Path, n: int, size: int) -> Path:
    folder = root / f"shards-{n}"
    folder.mkdir()
    block = os.urandom(size)
    for i in range(n):
        (folder / f"part-{i:05d}.bin").write_bytes(block[i % size :] + block[: i % size])
    return folder


def _upload(chronicle: Chronicle, folder: Path, tracker: UploadTracker | None) -> float:
    run = started_run(chronicle)
    start = time.perf_counter()
    asset = run.upload_directory_async(folder, asset_type="dataset", upload_tracker=tracker, progress=False).wait()
    elapsed = time.perf_counter() - start
    if asset.state != "ready":
        raise RuntimeError(f"asset {asset.id} is {asset.state}, not ready")
    return elapsed


def _cancel(chronicle_args: tuple[str, str], folder: Path, db: Path) -> tuple[float, int]:
    """Queue the whole folder, then close with cancel_uploads=True: seconds the close took, components dropped."""
    tracker = UploadTracker(db)
    chronicle = Chronicle(*chronicle_args, max_upload_workers=1)
    try:
        run = started_run(chronicle)
        run.upload_directory_async(folder, asset_type="dataset", upload_tracker=tracker, progress=False)
        start = time.perf_counter()
        chronicle.close(cancel_uploads=True)
        elapsed = time.perf_counter() - start
        dropped = tracker.summary()["failed"]
    finally:
        chronicle.close()
        tracker.close()
    return elapsed, dropped


def measure(n: int, size: int, rounds: int) -> list[Row]:
    """Upload ``n`` files of ``size`` bytes ``rounds`` times each way; the best rates are compared."""
    with tempfile.TemporaryDirectory(prefix="methodic-bench-many-") as tmp:
        root = Path(tmp)
        folder = _folder(root, n, size)
        server = DevServer(root / "server")
        try:
            with_s: list[float] = []
            without_s: list[float] = []
            with Chronicle(server.url, server.api_key) as chronicle:
                for r in range(rounds):
                    without_s.append(_upload(chronicle, folder, None))
                    with UploadTracker(root / f"uploads-{r}.sqlite") as tracker:
                        with_s.append(_upload(chronicle, folder, tracker))
            cancel_s, dropped = _cancel((server.url, server.api_key), folder, root / "cancel.sqlite")
        finally:
            server.close()
    with_rate, without_rate = n / min(with_s), n / min(without_s)
    ratio = with_rate / without_rate
    label = f"{n:,} × {size // KIB} KiB files"
    judged = n >= 10_000
    return [
        Row(
            f"upload {label}, with a tracker",
            f"{with_rate:,.0f} files/s",
            f"{without_rate:,.0f} files/s (no tracker)",
            ratio,
            "≥ 0.50×",
            ratio >= 0.5 if judged else None,
            f"best of {rounds} alternating rounds; medians {n / median(with_s):,.0f} vs {n / median(without_s):,.0f}"
            f" files/s; with a tracker {min(with_s):.1f} s, without {min(without_s):.1f} s",
        ),
        Row(
            f"close(cancel_uploads=True), {n:,} files queued",
            f"{cancel_s * 1000:,.0f} ms",
            "—",
            None,
            "< 5 s",
            cancel_s < 5 if judged else None,
            f"{dropped:,} components recorded as failed (one tracker write)",
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    return measure(500 if quick else 10_000, 4 * KIB, 1 if quick else 3)
