"""Rotation-safe registration: an asset's files, pinned as they were the moment it was registered.

Trainers rotate and rewrite checkpoints: HF ``save_total_limit`` deletes ``checkpoint-N`` as soon as
``checkpoint-N+1`` is written, Lightning's ``save_top_k`` deletes and renames, a ``latest/`` folder is
saved into again. At registration every file is hard-linked into a staging directory beside the
checkpoint folder (same filesystem): no byte is copied, and a deleted or renamed original keeps its
inode alive through the link until the upload is done.

A link does not protect against a file truncated and rewritten in place (``torch.save`` to the same
path does that), so each file's size, mtime and inode are recorded and :func:`change_of` compares
them before and after every PUT. Registration waits until the clock has moved past the newest mtime
(at most a few milliseconds), so any later write, even one of the same size, changes the mtime.

Where a hard link is impossible (the staging directory is on another filesystem, or the filesystem
has no hard links) the file is copied, with a warning naming it: slower, but never wrong.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from methodic._constants import LOGGER_NAME
from methodic.errors import FileChangedError
from methodic.transfer.files import STAGING_DIR_NAME, ComponentSpec

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Longer than one tick of the kernel's coarse clock, which stamps mtimes (4 ms at HZ=250, 10 ms at HZ=100).
_CLOCK_TICK_NS = 20_000_000
#: The same for filesystems whose mtimes are whole seconds (FAT rounds to two).
_COARSE_TICK_NS = 2_100_000_000
#: Errors of os.link that mean "no hard link possible here" (not "the file is gone").
_NO_HARD_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}


@dataclass(frozen=True)
class StagedAsset:
    """Where an asset's files were staged, and the components as registered (``local_path`` = staged file)."""

    directory: Path
    components: list[ComponentSpec]
    copied: list[str]


def stage(local_dir: Path, specs: Sequence[ComponentSpec]) -> StagedAsset:
    """Hard-link (or, where impossible, copy) every file of ``specs`` into a new staging directory.

    Returns the components with their staged paths and registered identity. On any failure the
    staging directory is removed and nothing else changed.
    """
    directory = _new_staging_directory(Path(local_dir))
    copied: list[str] = []
    try:
        targets: list[Path] = []
        for spec in specs:
            target = directory.joinpath(*spec.name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(spec.local_path, target)
            except FileNotFoundError:
                raise FileChangedError(spec.name, spec.local_path, "deleted before it could be registered") from None
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINK:
                    raise
                _copy_unchanged(spec, target)
                copied.append(spec.name)
            targets.append(target)
        stats = _settled_stats(targets)
    except BaseException:
        remove(directory)
        raise
    if copied:
        logger.warning(
            "could not hard-link %d file(s) of %s into %s (another filesystem?); copied them instead: %s",
            len(copied),
            local_dir,
            directory,
            ", ".join(copied[:5]) + (" ..." if len(copied) > 5 else ""),
        )
    components = [
        dataclasses.replace(
            spec,
            local_path=str(target),
            source_path=spec.local_path,
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
            inode=st.st_ino,
        )
        for spec, target, st in zip(specs, targets, stats, strict=True)
    ]
    return StagedAsset(directory=directory, components=components, copied=copied)


def _copy_unchanged(spec: ComponentSpec, target: Path) -> None:
    """Copy a file that cannot be linked, making sure nobody wrote to it meanwhile (a torn copy looks whole)."""
    for _ in range(3):
        before = _settled_stats([Path(spec.local_path)])[0]
        shutil.copyfile(spec.local_path, target)
        after = os.stat(spec.local_path)
        if _identity(after) == _identity(before):
            return
    raise FileChangedError(spec.name, spec.local_path, "it kept changing while it was being copied for staging")


def change_of(component: ComponentSpec) -> str | None:
    """What changed in the component's file since registration, or None if it is as registered."""
    try:
        st = os.stat(component.local_path)
    except FileNotFoundError:
        return "the file is gone"
    if component.inode is not None and st.st_ino != component.inode:
        return "it was replaced by another file"
    if st.st_size != component.size:
        return f"its size changed from {component.size} to {st.st_size} bytes"
    if component.mtime_ns is not None and st.st_mtime_ns != component.mtime_ns:
        return "it was rewritten (its modification time changed)"
    return None


def check_unchanged(component: ComponentSpec) -> None:
    """Raise :class:`~methodic.errors.FileChangedError` if the file is not as registered."""
    change = change_of(component)
    if change is not None:
        raise FileChangedError(component.name, component.source_path or component.local_path, change)


def remove(directory: Path | str | None) -> None:
    """Delete a staging directory (and the staging root, once empty)."""
    if directory is None:
        return
    path = Path(directory)
    shutil.rmtree(path, ignore_errors=True)
    if path.parent.name == STAGING_DIR_NAME or path.parent.name.startswith("methodic-staging-"):
        with contextlib.suppress(OSError):  # other assets are still staged there
            path.parent.rmdir()


def _new_staging_directory(local_dir: Path) -> Path:
    """A fresh directory beside ``local_dir`` (same filesystem, so links work), else in the temp directory."""
    candidates = [
        local_dir.resolve().parent / STAGING_DIR_NAME,
        Path(tempfile.gettempdir()) / f"methodic-staging-{os.getuid()}",
    ]
    last_error: OSError | None = None
    for root in candidates:
        for _ in range(3):  # another thread may remove an empty root between our mkdir and mkdtemp
            try:
                root.mkdir(mode=0o700, exist_ok=True)
                return Path(tempfile.mkdtemp(prefix=f"{local_dir.name}-", dir=root))
            except FileNotFoundError as exc:
                last_error = exc
            except OSError as exc:
                last_error = exc
                break
    raise OSError(f"cannot create a staging directory for {local_dir}: {last_error}")


def _settled_stats(paths: Sequence[Path]) -> list[os.stat_result]:
    """Stat every file once the clock is past their newest mtime, so that any later write shows in the mtime.

    A file still being written is seen to change between two looks and is looked at again; a clock
    behind the files' mtimes (another host's filesystem) ends the wait after ~0.2 s.
    """
    stats = [os.stat(p) for p in paths]
    # A filesystem that keeps whole seconds (ext3, HFS+, some NFS exports; FAT keeps two) needs a longer wait.
    tick = _COARSE_TICK_NS if all(st.st_mtime_ns % 1_000_000_000 == 0 for st in stats) else _CLOCK_TICK_NS
    for _ in range(10):
        wait_ns = max(st.st_mtime_ns for st in stats) + tick - time.time_ns()
        if wait_ns > 0:
            time.sleep(min(wait_ns, tick) / 1e9)
            continue
        again = [os.stat(p) for p in paths]
        if [_identity(s) for s in again] == [_identity(s) for s in stats]:
            return again
        stats = again
    return stats


def _identity(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)
