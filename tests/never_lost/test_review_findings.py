"""Regression tests for an adversarial review of the crash-safety work: each failed before its fix."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from methodic import Chronicle, FileChangedError, UploadError, UploadTracker
from methodic.transfer.files import scan_directory
from methodic_server import LocalChronicle
from tests.helpers import staged_leftovers, write_checkpoint
from tests.never_lost.runners import register_then_kill

CONFIG = "lr: 0.1\n"


def committed(chronicle: Chronicle) -> tuple[str, int, int]:
    exp = chronicle.experiments.create(title="t", hypothesis_summary="h", config_yaml=CONFIG).commit()
    chronicle.variation(exp.id, 0).commit(commit_without_hypothesis=True)
    return (exp.id, 0, 0)


def test_a_resume_against_the_wrong_server_marks_nothing_dead(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(5)
    write_checkpoint(tmp_path / "ckpt", {"model.bin": 1 << 20})
    client.run(*committed_run).start()
    asset_id = register_then_kill(server, committed_run, tmp_path / "ckpt", tmp_path / "t.sqlite")
    tracker = UploadTracker(tmp_path / "t.sqlite")
    with LocalChronicle() as elsewhere, Chronicle(elsewhere.url, elsewhere.api_key) as wrong:
        (outcome,) = wrong.transfers.resume_each(tracker, progress=False)
    assert outcome.status == "failed" and "wrong server" in outcome.detail
    recorded = tracker.get_asset(asset_id)
    assert recorded is not None and recorded.state == "pending"  # still rescuable
    assert recorded.staging_dir is not None and Path(recorded.staging_dir).exists()
    server.faults.delay_storage(0)
    with Chronicle(server.url, server.api_key) as right:
        (outcome,) = right.transfers.resume_each(tracker, progress=False)
    assert outcome.status == "finalized"
    tracker.close()


class BlipOnFinalize(httpx.BaseTransport):
    """Real HTTP, except that the first finalize gets a load balancer's 502."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.blips = 1

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith("/finalize") and self.blips:
            self.blips -= 1
            return httpx.Response(502, text="<html>Bad Gateway</html>", request=request)
        return self.inner.handle_request(request)


def test_one_502_on_finalize_does_not_cost_the_checkpoint(server: LocalChronicle, tmp_path: Path) -> None:
    write_checkpoint(tmp_path / "ckpt", {"model.bin": 1 << 20})
    with Chronicle(server.url, server.api_key) as admin:
        triple = committed(admin)
        with (
            Chronicle(server.url, server.api_key, transport=BlipOnFinalize()) as chronicle,
            chronicle.run(*triple).lifecycle(heartbeat_interval=30) as run,
        ):
            upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint")
        assert admin.run(*triple).refresh_state() == "succeeded"
        assert admin.assets.get(upload.asset_id).state == "ready"


def test_cancelled_uploads_release_their_waiters_and_staging(server: LocalChronicle, tmp_path: Path) -> None:
    server.faults.delay_storage(1)
    chronicle = Chronicle(server.url, server.api_key, max_upload_workers=1)
    run = chronicle.run(*committed(chronicle)).start()
    write_checkpoint(tmp_path / "ckpt", {"a.bin": 1000, "b.bin": 1000, "c.bin": 1000})
    upload = run.upload_directory_async(tmp_path / "ckpt", asset_type="checkpoint", progress=False)
    chronicle.close(cancel_uploads=True)
    assert upload.wait_done(5)
    with pytest.raises(UploadError, match="cancel_uploads=True"):
        upload.wait(0)
    assert staged_leftovers(tmp_path / "ckpt") == []  # no tracker: nothing could ever resume it


def test_uploading_a_parent_folder_never_includes_the_sdks_staging(tmp_path: Path) -> None:
    write_checkpoint(tmp_path / "out" / "checkpoint-500", {"model.bin": 10})
    write_checkpoint(tmp_path / "out" / ".methodic-staging" / "checkpoint-500-x", {"model.bin": 10})
    assert [s.name for s in scan_directory(tmp_path / "out")] == ["checkpoint-500/model.bin"]


def test_only_the_changed_file_is_blamed(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    server.faults.delay_storage(0.5)
    latest = tmp_path / "latest"
    write_checkpoint(latest, {"a.bin": 1000, "b.bin": 1000, "c.bin": 1000, "d.bin": 1000})
    run = client.run(*committed_run).start()
    upload = run.upload_directory_async(latest, asset_type="checkpoint", progress=False)
    (latest / "d.bin").write_bytes(os.urandom(1000))
    with pytest.raises(UploadError) as info:
        upload.wait(30)
    assert [(c, type(e)) for _, c, e in info.value.failures] == [("d.bin", FileChangedError)]


def test_a_copy_that_is_written_to_meanwhile_is_refused_not_uploaded_torn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import shutil

    from methodic.transfer import staging

    folder = tmp_path / "ckpt"
    write_checkpoint(folder, {"model.bin": 4096})
    real_copy = shutil.copyfile

    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    def copy_while_the_trainer_writes(src: str, dst: str) -> Any:
        result = real_copy(src, dst)
        with open(src, "r+b") as f:  # the trainer writes while the copy is being made
            f.write(os.urandom(16))
        return result

    monkeypatch.setattr("methodic.transfer.staging.os.link", no_links)
    monkeypatch.setattr("methodic.transfer.staging.shutil.copyfile", copy_while_the_trainer_writes)
    with pytest.raises(FileChangedError, match="kept changing"):
        staging.stage(folder, scan_directory(folder))
    assert staged_leftovers(folder) == []


SIGTERM_CHILD = """
import os, sys, tempfile
from pathlib import Path
from methodic import Chronicle
url, key, exp = sys.argv[1:4]
folder = Path(tempfile.mkdtemp()) / "ckpt"
folder.mkdir()
(folder / "m.bin").write_bytes(os.urandom(1 << 20))
with Chronicle(url, key) as c, c.run(exp, 0, 0).lifecycle(heartbeat_interval=30, drain_timeout=20) as run:
    run.upload_directory_async(folder, asset_type="checkpoint", progress=False)
    print("CRASHING", flush=True)
    raise RuntimeError("trainer crashed")
"""


def test_sigterm_during_the_drain_still_fails_the_run(server: LocalChronicle, client: Chronicle) -> None:
    triple = committed(client)
    server.faults.delay_storage(10)
    child = subprocess.Popen(
        [sys.executable, "-c", SIGTERM_CHILD, server.url, server.api_key, triple[0]],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().startswith("CRASHING")
    time.sleep(1.0)  # now draining
    child.send_signal(signal.SIGTERM)
    assert child.wait(30) != -signal.SIGTERM  # not killed by the default action
    assert client.run(*triple).refresh_state() == "failed_crash"


def _open_tracker(path: str, results: Any) -> None:
    try:
        UploadTracker(path).close()
        results.put("ok")
    except Exception as exc:
        results.put(f"{type(exc).__name__}: {exc}")


def test_many_processes_creating_one_tracker_at_once_all_succeed(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    for trial in range(5):
        results = ctx.Queue()
        path = str(tmp_path / f"new-{trial}.sqlite")
        procs = [ctx.Process(target=_open_tracker, args=(path, results)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        assert sorted(results.get(timeout=5) for _ in procs) == ["ok"] * 4
