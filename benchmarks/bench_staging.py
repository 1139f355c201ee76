"""Rotation-safe registration costs no data copy: registering a 4 GiB checkpoint folder, staged by hard links.

Measured in the same run: the SDK's staging alone, and the SDK's whole registration
(``upload_directory_async`` up to its return: scan, stage, create the asset, record it in the tracker),
against GNU ``cp -al`` (the same hard-link tree made by coreutils) and ``cp -r`` (a real copy). Disk use is
the filesystem's used bytes before and after, so a copy would show up in full.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks._common import Row, started_run
from methodic import Chronicle, UploadTracker
from methodic.transfer.files import scan_directory
from methodic.transfer.staging import remove, stage
from methodic_server import LocalChronicle

MIB = 1 << 20


def _write_checkpoint(folder: Path, total: int) -> None:
    folder.mkdir(parents=True)
    block = os.urandom(8 * MIB)
    for i in range(4):
        with (folder / f"shard-{i}.bin").open("wb") as f:
            for _ in range(total // 4 // len(block)):
                f.write(block)
    for i in range(20):
        (folder / f"config-{i}.json").write_text("{}" * 100)


def _used(path: Path) -> int:
    return shutil.disk_usage(path).used


def _timed(fn: object) -> tuple[float, int, object]:
    base = Path(tempfile.gettempdir())
    before = _used(base)
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    return elapsed, _used(base) - before, result


def run(quick: bool = False) -> list[Row]:
    total = (256 if quick else 4096) * MIB
    label = f"{total // MIB} MiB" if quick else "4 GiB"
    with tempfile.TemporaryDirectory(prefix="methodic-bench-staging-") as tmp:
        root = Path(tmp)
        folder = root / "checkpoint-1000"
        _write_checkpoint(folder, total)
        subprocess.run(["sync"], check=False)

        stage_s, stage_disk, staged = _timed(lambda: stage(folder, scan_directory(folder)))
        remove(staged.directory)  # type: ignore[attr-defined]
        link_s, _, _ = _timed(lambda: subprocess.run(["cp", "-al", str(folder), str(root / "linked")], check=True))
        copy_s, copy_disk, _ = _timed(
            lambda: subprocess.run(["cp", "-r", str(folder), str(root / "copied")], check=True)
        )
        shutil.rmtree(root / "copied")

        with LocalChronicle() as server, Chronicle(server.url, server.api_key) as chronicle:
            run_ = started_run(chronicle)
            with UploadTracker(root / "uploads.sqlite") as tracker:
                register_s, _, upload = _timed(
                    lambda: run_.upload_directory_async(
                        folder, asset_type="checkpoint", upload_tracker=tracker, progress=False
                    )
                )
                upload.wait(600)  # type: ignore[attr-defined]
    return [
        Row(
            f"stage {label} checkpoint (hard links)",
            f"{stage_s * 1000:.1f} ms, disk +{stage_disk / MIB:.1f} MiB",
            f"cp -al {link_s * 1000:.1f} ms",
            stage_s / link_s if link_s else None,
            "disk +<16 MiB",
            stage_disk < 16 * MIB,
            f"cp -r of the same folder: {copy_s:.2f} s, disk +{copy_disk / MIB:.0f} MiB",
        ),
        Row(
            f"register {label} checkpoint (scan, stage, create, tracker)",
            f"{register_s * 1000:.1f} ms",
            f"cp -al {link_s * 1000:.1f} ms",
            register_s / link_s if link_s else None,
            "informational",
            None,
        ),
    ]
