"""A file rewritten in place (same size, mtime restored) between kill -9 and resume never makes a mixed asset.

A child process uploads a checkpoint in 1 MiB parts through a tracker and is SIGKILLed halfway. The
test then rewrites the file in place with other bytes of the same size and puts its modification time
back (``os.utime`` with the old nanoseconds): size, mtime and inode all say "unchanged". Parts recorded
as sent hold the old bytes; sending the rest from the file would assemble a component of two versions.

* Rewritten where parts were already recorded: the resume re-reads those parts, sees that their sha256
  is not the one recorded when they were sent, and fails the asset (unrecoverable, never ready).
* Rewritten only where nothing was recorded yet: nothing the resume keeps differs from the file, so
  the asset becomes ready holding exactly the new file, and its recorded checksum is the new file's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import FileChangedError, UploadError
from methodic_contract import part_count, part_range
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, sha256_file
from tests.transfer.mixed_version import (
    PART,
    SIZE,
    killed_halfway,
    rewrite_keeping_mtime,
    write_seeded,
)


@pytest.mark.slow
def test_a_rewrite_under_recorded_parts_fails_the_resume_and_nothing_becomes_ready(
    slow_storage: LocalChronicle, tmp_path: Path
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=1)
    asset_id, _ = killed_halfway(slow_storage, ckpt, db)
    rewrite_keeping_mtime(big, 0, SIZE, seed=2)  # the whole file: recorded parts now differ from what was sent
    env = chronicle_env(slow_storage)
    before = slow_storage.storage_bytes_received
    resume = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = resume.stdout + resume.stderr
    assert resume.returncode != 0, output
    assert "changed after it was registered" in output and "mix two versions" in output, output
    assert slow_storage.storage_bytes_received == before  # refused before a part was sent
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        assert client.assets.get(asset_id).state == "pending"  # never ready
        (recorded_asset,) = [a for a in tracker.get_assets() if a.asset_id == asset_id]
        assert recorded_asset.state == "unrecoverable"
        assert tracker.get_pending_uploads() == []  # later resumes skip it: it can never be finalized
        assert client.resume_uploads(tracker) == []
        assert client.assets.get(asset_id).state == "pending"


@pytest.mark.slow
def test_a_rewrite_under_recorded_parts_fails_in_process_with_file_changed(
    slow_storage: LocalChronicle, tmp_path: Path
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=3)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    first = min(recorded)
    offset, _ = part_range(SIZE, PART, first)
    rewrite_keeping_mtime(big, offset + 100, 10, seed=4)  # ten bytes inside one recorded part
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        with pytest.raises(UploadError) as caught:
            client.resume_uploads(tracker)
        errors = [e for _, _, e in caught.value.failures]
        assert any(isinstance(e, FileChangedError) and f"part {first} " in str(e) for e in errors), errors
        assert client.assets.get(asset_id).state == "pending"


@pytest.mark.slow
def test_a_rewrite_only_where_nothing_was_recorded_resumes_into_the_whole_new_file(
    slow_storage: LocalChronicle, tmp_path: Path
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_seeded(big, SIZE, seed=5)
    asset_id, recorded = killed_halfway(slow_storage, ckpt, db)
    last = max(n for n in range(1, part_count(SIZE, PART) + 1) if n not in recorded)
    offset, length = part_range(SIZE, PART, last)
    rewrite_keeping_mtime(big, offset, length, seed=6)  # a part never recorded: storage may hold its old bytes
    with Chronicle(slow_storage.url, slow_storage.api_key) as client, UploadTracker(db) as tracker:
        (asset,) = client.resume_uploads(tracker)
        assert asset.id == asset_id and asset.state == "ready"
        (component,) = asset.components
        assert component["sha256"] == sha256_file(big)  # the recorded checksum is the new file's
        client.assets.download(asset.id, tmp_path / "out")
    assert sha256_file(tmp_path / "out" / "optimizer.pt") == sha256_file(big)  # byte-identical to the new file
