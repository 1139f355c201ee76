"""Where staging lives: on the checkpoint's filesystem, never in the folders a trainer lists (issue 26, finding 2).

These run the real :func:`~methodic.transfer.staging.stage` on real files. ``/dev/shm`` (a tmpfs) is the
"other filesystem"; only writability is simulated (the suite may run as root, who can write anywhere).
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from methodic import UploadTracker
from methodic.transfer import staging
from methodic.transfer.files import STAGING_DIR_NAME, scan_directory
from methodic.transfer.staging import remove, stage
from methodic.transfer.staging_roots import STAGING_DIR_ENV, staging_root, staging_roots
from tests.helpers import write_checkpoint


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The automatic choice (no ``METHODIC_STAGING_DIR``) with a per-user cache of this test's own."""
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    xdg = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    return xdg / "methodic" / "staging"


@pytest.fixture
def other_filesystem() -> Iterator[Path]:
    """A fresh folder on a filesystem other than the temp directory's (skips where there is none)."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK) or _dev(shm) == _dev(Path(tempfile.gettempdir())):
        pytest.skip("no second filesystem (/dev/shm) to stage across")
    folder = shm / f"methodic-test-{uuid.uuid4().hex}"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _dev(path: Path) -> int:
    return os.stat(path).st_dev


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _stage_and_check_links(checkpoint: Path) -> staging.StagedAsset:
    staged = stage(checkpoint, scan_directory(checkpoint))
    assert staged.copied == []
    for component in staged.components:
        assert component.source_path is not None
        assert os.stat(component.local_path).st_ino == os.stat(component.source_path).st_ino
    return staged


def _only_writable_under(monkeypatch: pytest.MonkeyPatch, top: Path | None) -> None:
    """Pretend only folders under ``top`` (None: nowhere) may be written, as for a user who is not root."""

    def writable(path: Path) -> bool:
        return top is not None and (path == top or top in path.parents)

    monkeypatch.setattr("methodic.transfer.staging_roots._writable", writable)


def test_the_per_user_cache_on_the_checkpoints_filesystem_is_the_default(cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    checkpoint = out / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100, "sub/opt.bin": 10})
    before = _tree(tmp_path)
    assert staging_root(checkpoint) == cache
    staged = _stage_and_check_links(checkpoint)
    assert staged.directory.parent == cache
    assert _tree(tmp_path) == before  # nothing of ours in the output folder or the one above it
    for private in (staged.directory, cache, cache.parent):
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
    remove(staged.directory)
    assert not cache.exists()  # the root goes with its last staged folder


def test_an_xdg_cache_home_that_is_not_absolute_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    assert staging_root(tmp_path / "out" / "checkpoint-1") == home / ".cache" / "methodic" / "staging"


def test_a_cache_on_another_filesystem_gives_way_to_the_highest_writable_folder_above(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, other_filesystem: Path
) -> None:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(other_filesystem))
    _only_writable_under(monkeypatch, tmp_path)
    project = tmp_path / "a" / "project"
    checkpoint = project / "checkpoints" / "checkpoint_0"
    write_checkpoint(checkpoint, {"model.safetensors": 100})
    # The parent (checkpoints/) and grandparent (project/) are never used, however writable.
    assert staging_roots(checkpoint)[0] == tmp_path / STAGING_DIR_NAME
    staged = _stage_and_check_links(checkpoint)
    assert staged.directory.parent == tmp_path / STAGING_DIR_NAME
    assert sorted(os.listdir(project)) == ["checkpoints"]
    assert sorted(os.listdir(project / "checkpoints")) == ["checkpoint_0"]
    assert not (other_filesystem / "methodic").exists()
    remove(staged.directory)
    assert not (tmp_path / STAGING_DIR_NAME).exists()


def test_unwritable_folders_above_fall_back_to_the_temp_directory_on_the_same_filesystem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, other_filesystem: Path
) -> None:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(other_filesystem))
    _only_writable_under(monkeypatch, None)
    temp_root = Path(tempfile.gettempdir()).resolve() / f"methodic-staging-{os.getuid()}"
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    assert staging_root(checkpoint) == temp_root
    staged = _stage_and_check_links(checkpoint)
    assert staged.directory.parent == temp_root and stat.S_IMODE(temp_root.stat().st_mode) == 0o700
    assert _tree(tmp_path / "out") == ["checkpoint-1", "checkpoint-1/model.bin"]
    remove(staged.directory)


def test_nowhere_on_the_checkpoints_filesystem_copies_into_the_temp_directory_with_a_warning(
    cache: Path, monkeypatch: pytest.MonkeyPatch, other_filesystem: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _only_writable_under(monkeypatch, None)
    checkpoint = other_filesystem / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    temp_root = Path(tempfile.gettempdir()).resolve() / f"methodic-staging-{os.getuid()}"
    assert staging_roots(checkpoint) == [temp_root, cache]
    with caplog.at_level(logging.WARNING, logger="methodic"):
        staged = stage(checkpoint, scan_directory(checkpoint))
    try:
        assert staged.directory.parent == temp_root and staged.copied == ["model.bin"]
        assert any("copied them instead" in r.getMessage() for r in caplog.records)
        assert _tree(other_filesystem) == ["out", "out/checkpoint-1", "out/checkpoint-1/model.bin"]
    finally:
        remove(staged.directory)


def test_an_explicit_staging_dir_comes_first_even_on_another_filesystem(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, other_filesystem: Path
) -> None:
    explicit = other_filesystem / "mine"
    monkeypatch.setenv(STAGING_DIR_ENV, str(explicit))
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    assert staging_roots(checkpoint)[:2] == [explicit, cache]
    staged = stage(checkpoint, scan_directory(checkpoint))
    assert staged.directory.parent == explicit and staged.copied == ["model.bin"]  # the user's choice: copies
    remove(staged.directory)
    assert explicit.is_dir()  # the user's folder is never removed, even empty


@pytest.mark.parametrize("where", ["out", "out/staging", "out/checkpoint-1/x", "new-in-grandparent", "."])
def test_an_explicit_staging_dir_inside_the_trainers_folders_is_ignored_with_a_warning(
    where: str, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(STAGING_DIR_ENV, str(tmp_path / where))
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    with caplog.at_level(logging.WARNING, logger="methodic"):
        assert staging_root(checkpoint) == cache
    assert any(STAGING_DIR_ENV in r.getMessage() and "ignored" in r.getMessage() for r in caplog.records)


def test_an_explicit_staging_dir_below_the_grandparent_through_an_existing_folder_is_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "scratch").mkdir()  # the user's own folder beside the output folder: nothing of ours is added
    monkeypatch.setenv(STAGING_DIR_ENV, str(tmp_path / "scratch" / "staging"))
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    assert staging_root(checkpoint) == tmp_path / "scratch" / "staging"


def test_a_cache_below_the_grandparent_is_used_only_through_a_folder_that_exists(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``output_dir="out"`` run from the home directory: ``~/.cache`` already exists, so it is fine."""
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    _only_writable_under(monkeypatch, None)
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 100})
    assert staging_root(checkpoint) != tmp_path / ".cache" / "methodic" / "staging"  # would add .cache beside out
    (tmp_path / ".cache").mkdir()
    assert staging_root(checkpoint) == tmp_path / ".cache" / "methodic" / "staging"


def test_the_checkpoint_folders_own_filesystem_root_is_never_its_parent_or_grandparent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, other_filesystem: Path
) -> None:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _only_writable_under(monkeypatch, other_filesystem)
    output = other_filesystem / "out"
    checkpoint = output / "checkpoint-1"  # the grandparent is the highest writable folder: not used
    write_checkpoint(checkpoint, {"model.bin": 100})
    roots = staging_roots(checkpoint)
    assert all(r != output and output not in r.parents and r.parent != other_filesystem for r in roots)


def test_folders_staged_beside_the_checkpoint_by_older_versions_are_skipped_and_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_checkpoint(out / "checkpoint-1", {"model.bin": 10})
    legacy = out / STAGING_DIR_NAME / "checkpoint-1-abc"
    write_checkpoint(legacy, {"model.bin": 10})
    assert [s.name for s in scan_directory(out)] == ["checkpoint-1/model.bin"]
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        tracker.register_components(
            "a1",
            components=[{"name": "model.bin", "local_path": str(legacy / "model.bin"), "size": 10}],
            asset_type="checkpoint",
            local_dir=out / "checkpoint-1",
            staging_dir=legacy,
        )
        tracker.mark_finalized("a1")
        assert [a.asset_id for a in tracker.prune()] == ["a1"]
    assert sorted(os.listdir(out)) == ["checkpoint-1"]  # the staged folder and the legacy root are gone


def test_a_staging_dir_recorded_anywhere_is_removed_by_forget(tmp_path: Path, cache: Path) -> None:
    checkpoint = tmp_path / "out" / "checkpoint-1"
    write_checkpoint(checkpoint, {"model.bin": 10})
    staged = _stage_and_check_links(checkpoint)
    with UploadTracker(tmp_path / "t.sqlite") as tracker:
        tracker.register_components(
            "a1",
            components=staged.components,
            asset_type="checkpoint",
            local_dir=checkpoint,
            staging_dir=staged.directory,
        )
        (pending,) = tracker.get_pending_uploads()
        assert pending.staging_dir == str(staged.directory)
        tracker.forget("a1")
    assert not staged.directory.exists() and not cache.exists()


def _file_handed_over_alone(
    checkpoint_file: Path, caplog: pytest.LogCaptureFixture
) -> tuple[Path, staging.StagedAsset]:
    """What the Lightning integration does with a ``.ckpt``: a folder of its own, then staged."""
    folder = staging.folder_for_file(checkpoint_file, "renamed.ckpt")
    with caplog.at_level(logging.WARNING, logger="methodic"):
        staged = stage(folder, scan_directory(folder))
    assert not any("ignored" in r.getMessage() for r in caplog.records)  # its root was not refused for it
    return folder, staged


@pytest.mark.parametrize("where", ["cache", "explicit", "high-above", "temp"])
def test_a_single_file_gets_a_folder_in_the_staging_root_and_is_staged_into_the_same_root(
    where: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    other_filesystem: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv(STAGING_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    if where == "explicit":
        monkeypatch.setenv(STAGING_DIR_ENV, str(tmp_path_factory.mktemp("explicit")))
    elif where in ("high-above", "temp"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(other_filesystem))
        _only_writable_under(monkeypatch, tmp_path if where == "high-above" else None)
    dirpath = tmp_path / "a" / "root" / "checkpoints"
    dirpath.mkdir(parents=True)
    ckpt = dirpath / "epoch=0-step=4.ckpt"
    ckpt.write_bytes(os.urandom(1000))
    root = staging_root(ckpt)
    folder, staged = _file_handed_over_alone(ckpt, caplog)
    assert root in folder.parents and staged.directory.parent == root  # one root, the checkpoint's
    assert os.listdir(dirpath) == ["epoch=0-step=4.ckpt"]  # nothing of ours beside the file
    assert [c.name for c in staged.components] == ["renamed.ckpt"] and staged.copied == []
    assert os.stat(staged.components[0].local_path).st_ino == ckpt.stat().st_ino  # links all the way
    staging.remove_handover(folder)
    remove(staged.directory)
    assert ckpt.read_bytes() and not (root / staging.HANDOVER_DIR).exists()


def test_a_single_file_on_another_filesystem_than_the_staging_root_is_copied(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, other_filesystem: Path
) -> None:
    monkeypatch.setenv(STAGING_DIR_ENV, str(other_filesystem))
    ckpt = tmp_path / "checkpoints" / "last.ckpt"
    ckpt.parent.mkdir()
    ckpt.write_bytes(b"weights")
    folder = staging.folder_for_file(ckpt)
    assert other_filesystem in folder.parents
    assert (folder / "last.ckpt").read_bytes() == b"weights"
    assert (folder / "last.ckpt").stat().st_ino != ckpt.stat().st_ino
    staging.remove_handover(folder)
    assert os.listdir(other_filesystem) == []  # the explicit root itself stays; nothing in it
