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

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic import Chronicle, UploadTracker
from methodic.errors import FileChangedError, UploadError
from methodic_contract import part_checksum, part_count, part_range
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, sha256_file

MiB = 1 << 20
SIZE, PART = 24 * MiB, MiB
CHILD = Path(__file__).with_name("multipart_child.py")


def write_random(path: Path, size: int, seed: int, *, offset: int = 0) -> None:
    """Deterministic bytes (different per seed) over ``size`` bytes from ``offset``, in place (no truncation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("r+b" if path.exists() else "wb") as f:
        f.seek(offset)
        written = 0
        while written < size:
            block = b"".join(
                hashlib.sha256(f"{seed}:{offset + written}:{i}".encode()).digest() for i in range(MiB // 32)
            )
            f.write(block[: size - written])
            written += min(MiB, size - written)


def part_wise(path: Path, part_size: int) -> str:
    data = path.read_bytes()
    ranges = [part_range(len(data), part_size, n) for n in range(1, part_count(len(data), part_size) + 1)]
    return part_checksum(hashlib.sha256(data[o : o + n]).digest() for o, n in ranges)


@pytest.fixture
def slow_storage() -> Iterator[LocalChronicle]:
    # 3 MiB/s per connection: 24 parts over 4 workers take ~2 s, time enough to kill the child halfway.
    with LocalChronicle(validate_contract=True, per_connection_bytes_per_second=3 * MiB) as srv:
        yield srv
        assert srv.contract_violations == [], srv.contract_violations


def killed_halfway(srv: LocalChronicle, ckpt: Path, db: Path) -> tuple[str, set[int]]:
    """Run the uploading child and SIGKILL it once several parts are recorded; (asset_id, parts recorded)."""
    with Chronicle(srv.url, srv.api_key) as client:
        exp = client.experiments.create(title="t", hypothesis_summary="h", config_yaml="lr: 1")
        exp.commit()
        client.variation(exp.id, 0).commit(commit_without_hypothesis=True)
        client.run(exp.id, 0, 0).start()
    args = [srv.url, srv.api_key, exp.id, "0", "0", str(ckpt), str(db), str(2 * MiB), str(PART), "4"]
    child = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        recorded = 0
        while time.monotonic() < deadline and recorded < 6:
            time.sleep(0.05)
            if db.exists():
                with UploadTracker(db) as peek:
                    listed = peek.get_pending_uploads()
                    if listed and listed[0].components[0].upload_id:
                        c = listed[0].components[0]
                        recorded = len(peek.get_parts(listed[0].asset_id, c.name, c.upload_id or ""))
        os.kill(child.pid, signal.SIGKILL)  # parts in flight, most of the file not sent
    finally:
        child.kill()
        child.wait()
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        assert component.upload_id is not None
        parts = set(tracker.get_parts(pending.asset_id, component.name, component.upload_id))
        staged = Path(component.local_path)
    assert 6 <= len(parts) < part_count(SIZE, PART), parts
    if staged.stat().st_ino != (ckpt / "optimizer.pt").stat().st_ino:
        pytest.skip("staging copied the file instead of linking it: a rewrite of the source cannot reach it")
    return pending.asset_id, parts


def rewrite_keeping_mtime(path: Path, offset: int, size: int, seed: int) -> None:
    """Other bytes over ``size`` bytes from ``offset``, same file size, and the old mtime put back."""
    before = path.stat()
    write_random(path, size, seed, offset=offset)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


@pytest.mark.slow
def test_a_rewrite_under_recorded_parts_fails_the_resume_and_nothing_becomes_ready(
    slow_storage: LocalChronicle, tmp_path: Path
) -> None:
    ckpt, db = tmp_path / "ckpt", tmp_path / "uploads.sqlite"
    big = ckpt / "optimizer.pt"
    write_random(big, SIZE, seed=1)
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
    write_random(big, SIZE, seed=3)
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
    write_random(big, SIZE, seed=5)
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
