"""Finish before failing: an exception, SIGTERM or a hand-called fail() first lets the run's uploads land."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from methodic import Chronicle, UploadError, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import chronicle_env, downloaded_hashes, staged_leftovers, write_checkpoint

FILES = {"model.bin": 3 << 20, "optimizer/state.bin": 2 << 20, "trainer_state.json": 300}


def test_an_exception_in_the_lifecycle_lets_the_queued_checkpoint_finish(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(0.5)  # uploads lag well behind the exception
    hashes = write_checkpoint(tmp_path / "checkpoint-10", FILES)
    run = client.run(*committed_run)
    with UploadTracker(tmp_path / "uploads.sqlite") as tracker:
        with pytest.raises(ValueError, match="diverged"), run.lifecycle(heartbeat_interval=30):
            upload = run.upload_directory_async(
                tmp_path / "checkpoint-10", asset_type="checkpoint", upload_tracker=tracker
            )
            raise ValueError("loss diverged")
        assert tracker.get_pending_uploads() == []
    assert run.refresh_state() == "failed_crash"
    assert run.failure_reason is not None and run.failure_reason.startswith("crash: ValueError: loss diverged")
    assert client.assets.get(upload.asset_id).state == "ready"
    assert downloaded_hashes(client, upload.asset_id, tmp_path / "back") == hashes


def test_a_drain_that_runs_out_fails_the_run_and_resume_reports_the_asset_abandoned(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(2.0)
    write_checkpoint(tmp_path / "ckpt", FILES)
    run = client.run(*committed_run)
    db = tmp_path / "uploads.sqlite"
    tracker = UploadTracker(db)  # open until the client is closed: the uploads go on after the run failed
    with pytest.raises(RuntimeError), run.lifecycle(heartbeat_interval=30, drain_timeout=0.2):
        upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint", upload_tracker=tracker)
        raise RuntimeError("boom")
    assert run.refresh_state() == "failed_crash"
    assert "unfinished after 0.2s" in (run.failure_reason or "") and upload.asset_id in (run.failure_reason or "")
    with pytest.raises(UploadError) as info:  # the late finalize was refused: reported once, at close
        client.close()
    assert [(a, c) for a, c, _ in info.value.failures] == [(upload.asset_id, "<finalize>")]
    tracker.close()
    with Chronicle(server.url, server.api_key) as check:
        assert check.assets.get(upload.asset_id).state == "abandoned"
    env = chronicle_env(server)
    resume = [sys.executable, "-m", "methodic", "uploads", "resume", "--tracker", str(db), "--no-progress"]
    # The engine already marked it dead when finalize was refused: nothing left to rescue.
    first = subprocess.run(resume, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stdout + first.stderr
    status = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "status", "--tracker", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"asset {upload.asset_id}" in status.stdout and "abandoned" in status.stdout
    prune = subprocess.run(
        [sys.executable, "-m", "methodic", "uploads", "prune", "--tracker", str(db)], capture_output=True, text=True
    )
    assert prune.returncode == 0 and "pruned 1 asset(s)" in prune.stdout
    assert staged_leftovers(tmp_path / "ckpt") == []


def test_fail_by_hand_waits_for_the_runs_uploads_unless_told_not_to(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(0.3)
    write_checkpoint(tmp_path / "a", FILES)
    run = client.run(*committed_run).start()
    waited = run.upload_directory_async(tmp_path / "a", asset_type="checkpoint")
    run.fail("crash: out of memory")
    assert client.assets.get(waited.asset_id).state == "ready"
    assert run.state == "failed_crash"

    second = client.run(committed_run[0], committed_run[1], server.new_run(*committed_run[:2])).start()
    write_checkpoint(tmp_path / "b", FILES)
    dropped = second.upload_directory_async(tmp_path / "b", asset_type="checkpoint")
    second.fail("abandoned", drain_timeout=0)
    assert client.assets.get(dropped.asset_id).state == "abandoned"
    with pytest.raises(UploadError) as info:
        dropped.wait(30)
    assert "<finalize>" in str(info.value) or "abandoned" in str(info.value)


def test_a_failed_upload_at_succeed_fails_the_run_naming_the_component(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    write_checkpoint(tmp_path / "ckpt", {"weights.bin": 1 << 20})
    run = client.run(*committed_run)
    server.faults.fail_storage(50, status=400)  # not retryable
    with pytest.raises(UploadError) as info, run.lifecycle(heartbeat_interval=30):
        upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint")
    assert f"{upload.asset_id}/weights.bin" in str(info.value)
    assert run.refresh_state() == "failed_crash"
    assert "UploadError" in (run.failure_reason or "") and "weights.bin" in (run.failure_reason or "")


def test_close_raises_for_background_failures_nobody_reported(
    server: LocalChronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    write_checkpoint(tmp_path / "ckpt", {"weights.bin": 1 << 20, "config.json": 10})
    chronicle = Chronicle(server.url, server.api_key)
    run = chronicle.run(*committed_run).start()
    server.faults.fail_storage(50, status=400)
    upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint")
    with pytest.raises(UploadError) as info:
        chronicle.close()
    names = sorted(component for _, component, _ in info.value.failures)
    assert names == ["config.json", "weights.bin"] and upload.asset_id in str(info.value)


def test_a_refused_finalize_is_reported_as_the_assets_not_a_files(
    server: LocalChronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(1.0)
    write_checkpoint(tmp_path / "ckpt", {"weights.bin": 1 << 20})
    with Chronicle(server.url, server.api_key) as other:
        chronicle = Chronicle(server.url, server.api_key)
        run = chronicle.run(*committed_run).start()
        with UploadTracker(tmp_path / "t.sqlite") as tracker:
            upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint", upload_tracker=tracker)
            other.run(*committed_run).fail("crash: the scheduler gave up", drain_timeout=0)  # abandons the asset
            with pytest.raises(UploadError) as info:
                chronicle.close()
            assert [(a, c) for a, c, _ in info.value.failures] == [(upload.asset_id, "<finalize>")]
            recorded = tracker.get_asset(upload.asset_id)
            assert recorded is not None and recorded.state == "abandoned"


CHILD = """
import sys, time
from pathlib import Path
from methodic import Chronicle, UploadTracker
url, key, exp, ckpt, db = sys.argv[1:6]
with Chronicle(url, key) as chronicle:
    run = chronicle.run(exp, 0, 0)
    with UploadTracker(db) as tracker, run.lifecycle(heartbeat_interval=30, drain_timeout=20):
        upload = run.upload_directory_async(Path(ckpt), asset_type="checkpoint", upload_tracker=tracker, progress=False)
        print("REGISTERED", upload.asset_id, flush=True)
        time.sleep(60)
"""


def test_sigterm_lets_the_checkpoint_land_then_fails_the_run_abandoned(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(1.0)
    hashes = write_checkpoint(tmp_path / "ckpt", FILES)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            server.url,
            server.api_key,
            committed_run[0],
            str(tmp_path / "ckpt"),
            str(tmp_path / "db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("REGISTERED"), line + (child.stderr.read() if child.stderr else "")
    asset_id = line.split()[1]
    time.sleep(0.2)
    child.send_signal(signal.SIGTERM)
    child.wait(60)
    run = client.run(*committed_run)
    assert run.refresh_state() == "failed_abandoned"
    assert client.assets.get(asset_id).state == "ready"
    assert downloaded_hashes(client, asset_id, tmp_path / "back") == hashes
