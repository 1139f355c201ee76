"""What the mixed-version resume tests share: a child killed halfway through a multipart upload, and a rewrite in place.

``killed_halfway`` runs ``multipart_child.py`` against the server and SIGKILLs it once several parts are
recorded; ``rewrite_keeping_mtime`` changes bytes of the staged file while size, mtime and inode stay the
same, which is what a resume must not be fooled by. The server with slow storage is the ``slow_storage``
fixture in this folder's conftest.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from methodic import Chronicle, UploadTracker
from methodic.transfer import midstate
from methodic.transfer.ledger.records import PartRecord
from methodic_contract import part_checksum, part_count, part_range
from methodic_server import LocalChronicle

MiB = 1 << 20
SIZE, PART = 24 * MiB, MiB
CHILD = Path(__file__).with_name("multipart_child.py")


def write_seeded(path: Path, size: int, seed: int, *, offset: int = 0) -> None:
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


#: For the tests that need the whole sha256's state saved (:mod:`methodic.transfer.midstate`).
needs_states = pytest.mark.skipif(not midstate.AVAILABLE, reason="no libcrypto whose sha256 state can be saved here")


def recorded_parts(db: Path) -> dict[int, PartRecord]:
    """The parts the tracker at ``db`` recorded for its one pending upload (of one component)."""
    with UploadTracker(db) as tracker:
        (pending,) = tracker.get_pending_uploads()
        (component,) = pending.components
        return tracker.get_parts(pending.asset_id, component.name, component.upload_id or "")


def state_after(data: bytes) -> str:
    """The whole-file sha256's state after ``data`` (a midstate), as the engine records it; needs libcrypto."""
    state = midstate.load()
    assert state is not None
    state.update(data)
    return state.state_hex()


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
    write_seeded(path, size, seed, offset=offset)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
