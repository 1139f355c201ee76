"""Rotation-safe registration: what is uploaded is the folder as it was when it was registered."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from pathlib import Path

import pytest

from methodic import Chronicle, FileChangedError, UploadError, UploadTracker
from methodic_server import LocalChronicle
from tests.helpers import downloaded_hashes, staged_leftovers, write_checkpoint

FILES = {"model.safetensors": 2 << 20, "optimizer.pt": 1 << 20, "trainer_state.json": 200}


@pytest.mark.parametrize("use_lifecycle", [False, True])
def test_hf_save_total_limit_rotation_loses_nothing(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    use_lifecycle: bool,
) -> None:
    """``save_total_limit=1``: checkpoint-N is deleted as soon as checkpoint-N+1 is written, uploads lag behind."""
    server.faults.delay_storage(0.2)
    out = tmp_path / "output"
    run = client.run(*committed_run)
    saved: dict[str, dict[str, str]] = {}
    tracker = UploadTracker(tmp_path / "uploads.sqlite")

    def train() -> None:
        previous: Path | None = None
        for step in range(100, 700, 100):
            folder = out / f"checkpoint-{step}"
            hashes = write_checkpoint(folder, FILES)
            upload = run.upload_directory_async(folder, asset_type="checkpoint", upload_tracker=tracker, progress=False)
            saved[upload.asset_id] = hashes
            if previous is not None:
                shutil.rmtree(previous)  # the Trainer's rotation, while that checkpoint may still be queued
            previous = folder

    if use_lifecycle:
        with run.lifecycle(heartbeat_interval=30):
            train()
    else:
        run.start()
        train()
        run.succeed()
    assert run.refresh_state() == "succeeded"
    for asset_id, hashes in saved.items():
        assert client.assets.get(asset_id).state == "ready"
        assert downloaded_hashes(client, asset_id, tmp_path / "back" / asset_id) == hashes
    assert tracker.get_pending_uploads() == []
    tracker.close()
    for step in range(100, 700, 100):  # staging is removed once each asset is finalized
        assert staged_leftovers(out / f"checkpoint-{step}") == []


def test_a_reused_folder_saved_by_rename_uploads_each_version(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """``latest/`` saved atomically (write a temp file, rename over): each registration keeps its own bytes."""
    server.faults.delay_storage(0.3)
    latest = tmp_path / "latest"
    run = client.run(*committed_run).start()
    versions = []
    for _ in range(3):
        staging = tmp_path / "tmp-save"
        hashes = write_checkpoint(staging, FILES)
        latest.mkdir(exist_ok=True)
        for name in FILES:
            (latest / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, latest / name)
        versions.append((run.upload_directory_async(latest, asset_type="checkpoint", progress=False), hashes))
    run.succeed()
    for upload, hashes in versions:
        assert downloaded_hashes(client, upload.asset_id, tmp_path / "back" / upload.asset_id) == hashes


def test_a_file_rewritten_in_place_before_its_upload_fails_the_asset_instead_of_tearing_it(
    server: LocalChronicle, client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    """``torch.save`` into the same path truncates the inode the staged link shares: detected, never uploaded."""
    server.faults.delay_storage(0.5)
    latest = tmp_path / "latest"
    write_checkpoint(latest, {"a.pt": 1 << 20, "b.pt": 1 << 20, "c.pt": 1 << 20})
    run = client.run(*committed_run).start()
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        first = run.upload_directory_async(latest, asset_type="checkpoint", upload_tracker=tracker, progress=False)
        (latest / "c.pt").write_bytes(os.urandom(1 << 20))  # same size, new bytes, same inode
        with pytest.raises(UploadError) as info:
            first.wait(60)
        changed = [exc for _, _, exc in info.value.failures if isinstance(exc, FileChangedError)]
        assert changed and changed[0].component == "c.pt" and "rewritten" in changed[0].change
        recorded = tracker.get_asset(first.asset_id)
        assert recorded is not None and recorded.state == "unrecoverable" and "c.pt" in (recorded.failure or "")
    assert client.assets.get(first.asset_id).state == "pending"  # never ready with a mix of old and new bytes


def test_without_hard_links_files_are_copied_with_a_warning(
    server: LocalChronicle,
    client: Chronicle,
    committed_run: tuple[str, int, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr("methodic.transfer.staging.os.link", no_links)
    server.faults.delay_storage(0.2)
    folder = tmp_path / "checkpoint-1"
    hashes = write_checkpoint(folder, FILES)
    run = client.run(*committed_run).start()
    with caplog.at_level(logging.WARNING, logger="methodic"):
        upload = run.upload_directory_async(folder, asset_type="checkpoint", progress=False)
    shutil.rmtree(folder)  # the copies are what gets uploaded
    assert upload.wait(60).state == "ready"
    assert downloaded_hashes(client, upload.asset_id, tmp_path / "back") == hashes
    assert any("copied them instead" in r.getMessage() for r in caplog.records)


def test_staging_links_share_the_bytes_instead_of_copying_them(
    client: Chronicle, committed_run: tuple[str, int, int], tmp_path: Path
) -> None:
    from methodic.transfer.files import scan_directory
    from methodic.transfer.staging import remove, stage
    from methodic.transfer.staging_roots import staging_root

    folder = tmp_path / "ckpt"
    write_checkpoint(folder, FILES)
    staged = stage(folder, scan_directory(folder))
    try:
        assert staged.copied == []
        for component in staged.components:
            assert component.source_path is not None
            assert os.stat(component.local_path).st_ino == os.stat(component.source_path).st_ino
            assert component.inode == os.stat(component.source_path).st_ino and component.mtime_ns
        assert staged.directory.parent == staging_root(folder)
    finally:
        remove(staged.directory)
    assert staged_leftovers(folder) == []


def test_a_same_size_rewrite_right_after_the_hand_over_is_always_detected(tmp_path: Path) -> None:
    """The recorded mtime tells apart any later write, however soon: here within microseconds, 50 times.

    Whether stage() waited for the clock (a coarse filesystem) or not (a write after a stat always gets
    a new mtime there), a rewrite in place keeping size and inode must show in :func:`change_of`.
    """
    from methodic.transfer.files import scan_directory
    from methodic.transfer.staging import change_of, remove, stage

    folder = tmp_path / "latest"
    folder.mkdir()
    target = folder / "model.pt"
    for round_ in range(50):
        target.write_bytes(os.urandom(4096))
        staged = stage(folder, scan_directory(folder))
        try:
            (component,) = staged.components
            assert change_of(component) is None
            with target.open("r+b") as f:  # in place: the same inode and size, only the bytes differ
                f.write(os.urandom(4096))
            assert change_of(component) == "it was rewritten (its modification time changed)", round_
        finally:
            remove(staged.directory)


def test_the_hand_over_does_not_wait_for_the_clock_where_a_write_after_a_stat_always_shows(tmp_path: Path) -> None:
    """On such filesystems (Linux 6.13+ multigrain timestamps) staging a just-written file takes no settle.

    Elsewhere stage() waits one tick (20 ms) past the newest mtime, once per hand-over, on the training thread.
    """
    import time

    from methodic.transfer.files import scan_directory
    from methodic.transfer.mtimes import mtime_granularity_ns
    from methodic.transfer.staging import remove, stage

    if mtime_granularity_ns(tmp_path) != 0:
        pytest.skip("this filesystem's mtimes are coarse: a write after a stat may keep the mtime")
    folder = tmp_path / "checkpoint-1"
    elapsed = []
    for _ in range(5):
        write_checkpoint(folder, {"model.safetensors": 4096, "trainer_state.json": 200})
        started = time.perf_counter()
        staged = stage(folder, scan_directory(folder))
        elapsed.append(time.perf_counter() - started)
        remove(staged.directory)
    assert min(elapsed) < 0.010, elapsed  # the 20 ms settle would make every one of them longer


def test_the_granularity_probe_leaves_nothing_behind_and_is_measured_once(tmp_path: Path) -> None:
    from methodic.transfer import mtimes

    first = mtimes.mtime_granularity_ns(tmp_path)
    assert first in (0, None)
    assert list(tmp_path.iterdir()) == []
    assert mtimes.mtime_granularity_ns(tmp_path / ".") == first
    assert os.stat(tmp_path).st_dev in mtimes._granularity
