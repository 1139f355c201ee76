"""Resume rescues everything it can: it goes through every asset, reports each, and never stops early."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from methodic import Chronicle, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, downloaded_hashes, staged_leftovers, write_checkpoint
from tests.never_lost.runners import register_then_kill

FILES = {"model.bin": 2 << 20, "optimizer/state.bin": 1 << 20, "meta.json": 100}


def cli(server: LocalChronicle, *args: str) -> subprocess.CompletedProcess[str]:
    env = chronicle_env(server)
    return subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_a_second_crash_into_a_tracker_holding_an_abandoned_asset_is_rescued(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    exp_id, v, _ = committed_run
    db = tmp_path / "uploads.sqlite"  # the seeds' one fixed tracker path, shared by every run
    server.faults.delay_storage(1.0)
    first_run = client.run(*committed_run).start()
    write_checkpoint(tmp_path / "run0-ckpt", FILES)
    dead = register_then_kill(server, committed_run, tmp_path / "run0-ckpt", db)
    first_run.fail("crash: killed", drain_timeout=0)  # the scheduler fails run 0 without a resume: abandoned

    second_run = client.run(exp_id, v, server.new_run(exp_id, v)).start()  # the scheduler's next run
    hashes = write_checkpoint(tmp_path / "run1-ckpt", FILES)
    alive = register_then_kill(server, (exp_id, v, second_run.run), tmp_path / "run1-ckpt", db)
    server.faults.delay_storage(0)
    shutil.rmtree(tmp_path / "run1-ckpt")  # even the trainer's folder is gone: the staged links remain

    first = cli(server, "resume", "--tracker", str(db), "--no-progress")
    assert first.returncode == 1, first.stdout + first.stderr
    assert f"finalized      {alive}" in first.stdout and f"abandoned      {dead}" in first.stdout
    assert "1 of 2 asset(s) ready" in first.stdout and "prune" in first.stderr
    assert downloaded_hashes(client, alive, tmp_path / "back") == hashes

    again = cli(server, "resume", "--tracker", str(db), "--no-progress")
    assert again.returncode == 0 and "0 of 0 asset(s) ready" in again.stdout  # the dead entry is skipped
    pruned = cli(server, "prune", "--tracker", str(db))
    assert pruned.returncode == 0 and "pruned 2 asset(s)" in pruned.stdout
    with UploadTracker(db) as tracker:
        assert tracker.get_assets() == []
    assert staged_leftovers(tmp_path / "run0-ckpt") == staged_leftovers(tmp_path / "run1-ckpt") == []


def test_files_rewritten_between_crash_and_resume_never_give_a_torn_asset(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    db = tmp_path / "uploads.sqlite"
    client.run(*committed_run).start()
    server.faults.delay_storage(1.0)
    latest = tmp_path / "latest"
    write_checkpoint(latest, {"a.bin": 1 << 20, "b.bin": 1 << 20, "c.bin": 1 << 20, "d.bin": 1 << 20})
    asset_id = register_then_kill(server, committed_run, latest, db)
    server.faults.delay_storage(0)
    # The runner restarts and saves into the same folder before anyone resumes: same names, same sizes.
    for name in ("a.bin", "b.bin", "c.bin", "d.bin"):
        with (latest / name).open("r+b") as f:
            f.write(os.urandom(1 << 20))
    result = cli(server, "resume", "--tracker", str(db), "--no-progress")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"unrecoverable  {asset_id}" in result.stdout and "changed after it was registered" in result.stdout
    assert client.assets.get(asset_id).state == "pending"  # never ready with old and new components mixed
    with UploadTracker(db) as tracker:
        recorded = tracker.get_asset(asset_id)
        assert recorded is not None and recorded.state == "unrecoverable"
    forgot = cli(server, "forget", asset_id, "--tracker", str(db))
    assert forgot.returncode == 0 and f"forgot {asset_id}" in forgot.stdout


def test_status_of_a_tracker_nothing_was_registered_in(server: LocalChronicle, tmp_path: Path) -> None:
    UploadTracker(tmp_path / "fresh.sqlite").close()
    result = cli(server, "status", "--tracker", str(tmp_path / "fresh.sqlite"))
    assert result.returncode == 0 and "no upload was ever registered" in result.stdout
