"""kill -9 at random points of a multi-component upload, then `methodic uploads resume`.

Afterwards every checkpoint the tracker knew about is ready and byte-identical, and no asset is
ever ready with a missing or wrong component.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, sha256_file

CHILD = Path(__file__).with_name("upload_child.py")


def write_checkpoint(root: Path, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    files = {"model.bin": 24 << 20, "optimizer/state.bin": 16 << 20, "meta.json": 64}
    for name, size in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    return {name: sha256_file(root / name) for name in files}


@pytest.mark.slow
def test_kill_nine_at_random_points_then_resume(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, r = committed_run
    client.run(exp_id, v, r).start()
    env = chronicle_env(server)
    rng = random.Random(1234)
    db = tmp_path / "uploads.sqlite"
    expected: dict[str, dict[str, str]] = {}
    for attempt in range(4):
        ckpt = tmp_path / f"ckpt-{attempt}"
        hashes = write_checkpoint(ckpt, attempt)
        child = subprocess.Popen(
            [sys.executable, str(CHILD), server.url, server.api_key, exp_id, str(v), str(r), str(ckpt), str(db)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "STARTED"
        time.sleep(rng.uniform(0.0, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        out = child.stdout.read()
        for line in out.splitlines():
            if line.startswith("REGISTERED "):
                expected[line.split()[1]] = hashes
        tracker_ids = {p.asset_id for p in UploadTracker(db).get_pending_uploads()} if db.exists() else set()
        for asset_id in tracker_ids:
            expected.setdefault(asset_id, hashes)

        status = subprocess.run(
            [sys.executable, "-m", "methodic", "uploads", "status", "--tracker", str(db)],
            env=env,
            capture_output=True,
            text=True,
        )
        if db.exists():
            assert status.returncode == 0, status.stderr
        resume = subprocess.run(
            [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"],
            env=env,
            capture_output=True,
            text=True,
        )
        if db.exists():
            assert resume.returncode == 0, resume.stdout + resume.stderr
            assert "resumed" in resume.stdout

    if db.exists():
        assert UploadTracker(db).get_pending_uploads() == []
    for asset in client.run(exp_id, v, r).list_outputs():
        if asset.asset_type != "checkpoint":
            continue
        if asset.id in expected:
            assert asset.state == "ready", f"{asset.id} was registered in the tracker but is {asset.state}"
        if asset.state != "ready":
            continue  # killed before the tracker knew of it: stays pending, never ready
        dest = tmp_path / "verify" / asset.id
        client.assets.download(asset.id, local_dir=dest)
        hashes = expected[asset.id]
        assert {c["name"] for c in asset.components} == set(hashes)
        for name, digest in hashes.items():
            assert sha256_file(dest / name) == digest
    assert expected, "no kill landed after registration; the test did not exercise resume"


def test_a_hosted_style_loop_killed_halfway_is_finished_by_resume(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """The hosted SDK's own loop (register every file in the tracker, PUT, mark_completed with the sha256),
    stopped after the first file as a crash would stop it: ``methodic uploads resume`` uploads the rest
    and finalizes with every sha256, and the checkpoint reads back byte-identical."""
    from methodic.transfer.files import scan_directory

    exp_id, v, r = committed_run
    run = client.run(exp_id, v, r).start()
    ckpt = tmp_path / "ckpt"
    hashes = write_checkpoint(ckpt, 7)
    specs = scan_directory(ckpt)
    info = run.create_asset_presigned("checkpoint", [s.name for s in specs])
    db = tmp_path / "uploads.sqlite"
    with UploadTracker(db) as tracker:
        tracker.register_components(
            info.asset_id,
            "checkpoint",
            specs,
            experiment_id=exp_id,
            variation=v,
            run=r,
            upload_urls=info.upload_urls,
            local_dir=ckpt,
        )
        first = specs[0]
        sent = run.upload_component(info.upload_urls[first.name], first.local_path)
        tracker.mark_completed(info.asset_id, first.name, sent, size=sent.size)
        assert tracker.completed_sha256s(info.asset_id) == {first.name: hashes[first.name]}
    assert client.assets.get(info.asset_id).state == "pending"  # the crash: nothing finalized it

    env = chronicle_env(server)
    resume = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert resume.returncode == 0, resume.stdout + resume.stderr
    asset = client.assets.get(info.asset_id)
    assert asset.state == "ready"
    assert {c["name"]: c["sha256"] for c in asset.components} == hashes
    dest = tmp_path / "verify"
    run.download_asset(asset.id, dest)
    assert {name: sha256_file(dest / name) for name in hashes} == hashes
    with UploadTracker(db) as tracker:
        assert tracker.get_pending_uploads() == []
