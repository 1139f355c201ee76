"""Rotation-safe registration: an asset's files, pinned as they were the moment it was registered.

Trainers rotate and rewrite checkpoints: HF ``save_total_limit`` deletes ``checkpoint-N`` as soon as
``checkpoint-N+1`` is written, Lightning's ``save_top_k`` deletes and renames, a ``latest/`` folder is
saved into again. At registration (:func:`stage`) every file is hard-linked into a staging directory on
the checkpoint's filesystem: no byte is copied, and a deleted or renamed original keeps its inode alive
through the link until the upload is done. Each step rolls back on failure: a staging that fails removes
its folder and changes nothing else (:func:`remove` is also how an upload gives it back).

The jobs around it live apart: where staging goes, never in the trainer's folders
(:mod:`methodic.transfer.staging_roots`); the size, inode and mtime recorded so that :func:`change_of`
sees a file rewritten in place (:mod:`methodic.transfer.mtimes`); the claim that lets a resume remove
what a killed process staged but never recorded (:mod:`methodic.transfer.claims`).

Where a hard link is impossible (no staging root on the checkpoint's filesystem, or the filesystem
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from methodic._constants import LOGGER_NAME
from methodic.errors import FileChangedError
from methodic.transfer.claims import claim, release_claim
from methodic.transfer.files import ComponentSpec
from methodic.transfer.mtimes import identity, mtime_granularity_ns, settled_stats
from methodic.transfer.staging_roots import is_our_root, make_private_dirs, staging_roots

__all__ = [
    "HANDOVER_DIR",
    "StagedAsset",
    "change_of",
    "check_unchanged",
    "folder_for_file",
    "remove",
    "remove_handover",
    "stage",
]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Errors of os.link that mean "no hard link possible here" (not "the file is gone").
_NO_HARD_LINK = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EACCES}


@dataclass(frozen=True)
class StagedAsset:
    """Where an asset's files were staged, and the components as registered (``local_path`` = staged file)."""

    directory: Path
    components: list[ComponentSpec]
    copied: list[str]


def stage(
    local_dir: Path, specs: Sequence[ComponentSpec], *, tracker: str | os.PathLike[str] | None = None
) -> StagedAsset:
    """Hard-link (or, where impossible, copy) every file of ``specs`` into a new staging directory.

    Returns the components with their staged paths and registered identity. On any failure the
    staging directory is removed and nothing else changed. The directory is *claimed* for ``tracker``
    (the database its registration will be recorded in; None: memory only) until
    :func:`~methodic.transfer.claims.release_claim`, so that a process killed before then leaves a folder the
    next resume or prune removes.
    """
    directory = _new_staging_directory(Path(local_dir))
    copied: list[str] = []
    try:
        claim(directory, tracker)
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
        stats = settled_stats(targets, mtime_granularity_ns(directory))
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
        before = settled_stats([Path(spec.local_path)])[0]  # no probe: it would be a file in the trainer's folder
        shutil.copyfile(spec.local_path, target)
        after = os.stat(spec.local_path)
        if identity(after) == identity(before):
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
    """Delete a staging directory, and its staging root once empty (one the SDK made, not ``METHODIC_STAGING_DIR``)."""
    if directory is None:
        return
    path = Path(directory)
    shutil.rmtree(path, ignore_errors=True)
    release_claim(path)
    if is_our_root(path.parent):
        with contextlib.suppress(OSError):  # other assets are still staged there
            path.parent.rmdir()


def _new_staging_directory(local_dir: Path) -> Path:
    """A fresh private directory in the first staging root that can be created (see :mod:`staging_roots`)."""
    last_error: OSError | None = None
    for root in staging_roots(local_dir):
        for _ in range(3):  # another thread may remove an empty root between our mkdir and mkdtemp
            try:
                make_private_dirs(root)
                return Path(tempfile.mkdtemp(prefix=f"{local_dir.name}-", dir=root))
            except FileNotFoundError as exc:
                last_error = exc
            except OSError as exc:
                last_error = exc
                break
    raise OSError(f"cannot create a staging directory for {local_dir}: {last_error}")


#: Under a staging root: the folders that each give one file a folder of its own (see :func:`folder_for_file`).
HANDOVER_DIR = "single-files"


def folder_for_file(file: Path | str, name: str | None = None) -> Path:
    """A new folder holding only ``file`` (hard-linked, as ``name``), for uploading one file as an asset.

    The engine uploads folders, and a framework that saves a checkpoint as one file (Lightning's
    ``.ckpt``) keeps it beside the others, where no folder of ours may appear: the folder is made under
    :func:`~methodic.transfer.staging_roots.staging_root` instead, two levels down
    (``<root>/single-files/<random>/<stem>``), so that :func:`stage` stages it into the same root (a root is
    never the parent or grandparent of what it stages). The link is a copy where no hard link is possible
    (another filesystem). Remove it with :func:`remove_handover` once it is staged.
    """
    source = Path(file)
    folder = _handover_folder(source, source.stem or "file")
    try:
        target = folder / (name or source.name)
        try:
            os.link(source, target)
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINK:
                raise
            shutil.copy2(source, target)
    except BaseException:
        remove_handover(folder)
        raise
    return folder


def _handover_folder(source: Path, name: str) -> Path:
    """An empty new folder ``<root>/single-files/<random>/<name>`` in the first staging root for ``source``."""
    last_error: OSError | None = None
    for root in staging_roots(source):
        for _ in range(3):  # another process may remove an empty root or single-files folder meanwhile
            try:
                make_private_dirs(root)
                with contextlib.suppress(FileExistsError):
                    (root / HANDOVER_DIR).mkdir(mode=0o700)
                box = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root / HANDOVER_DIR))
            except FileNotFoundError as exc:
                last_error = exc
                continue
            except OSError as exc:
                last_error = exc
                break
            folder = box / name
            folder.mkdir()
            return folder
    raise OSError(f"cannot create a hand-over folder for {source} in a staging root: {last_error}")


def remove_handover(folder: Path | str) -> None:
    """Remove a folder :func:`folder_for_file` made (its link only: the staged copy and the file stay), once staged."""
    box = Path(folder).parent
    shutil.rmtree(box, ignore_errors=True)
    with contextlib.suppress(OSError):  # other hand-overs are still under way
        box.parent.rmdir()
        if is_our_root(box.parent.parent):
            box.parent.parent.rmdir()
