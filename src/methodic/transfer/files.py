"""Which files make up an asset, and where a downloaded component may land.

Everything here runs before any byte moves or any asset is registered, so a bad directory (an
outside-pointing symlink, an unreadable file, nothing at all) fails cleanly with nothing to undo.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from methodic.errors import UnsafePathError

#: The staging root's name in a folder high above the checkpoints (older versions put it beside them).
#: Either way it holds staged links of assets still uploading, and scans never include it.
STAGING_DIR_NAME = ".methodic-staging"


@dataclass(frozen=True)
class ComponentSpec:
    """One file of an asset: its component name (a relative POSIX path), where it is, and its size.

    Once staged (see :mod:`methodic.transfer.staging`), ``local_path`` is the staged link,
    ``source_path`` the file the trainer wrote, and ``mtime_ns`` and ``inode`` pin the registered
    state: the bytes uploaded must be exactly those.
    """

    name: str
    local_path: str
    size: int
    content_type: str = "application/octet-stream"
    source_path: str | None = None
    mtime_ns: int | None = None
    inode: int | None = None


def shown_path(path: str | os.PathLike[str]) -> str:
    """A file name fit for any message and any terminal: its bytes read as UTF-8, non-ASCII escaped.

    Under an ASCII file-system encoding (UTF-8 mode off, ``LC_ALL=C``) Python hands out names with lone
    surrogates, which neither UTF-8 nor an ASCII stream can carry; this is what every message shows instead.
    """
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace").encode("ascii", "backslashreplace").decode("ascii")


def text_name(name: str) -> str:
    """A file or folder name as text for the API (an asset's default name): its bytes read as UTF-8.

    Under an ASCII file-system encoding a name with lone surrogates would fail to encode as JSON; its bytes are
    (almost always) UTF-8, so that reading gives the name its user sees.
    """
    return os.fsencode(name).decode("utf-8", "replace")


def encoding_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be sent or recorded as text (UTF-8), or None when it can."""
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"its name is not valid text under this process's file-system encoding ({sys.getfilesystemencoding()}):"
            " run Python in UTF-8 mode (PYTHONUTF8=1, or a UTF-8 locale such as LC_ALL=C.UTF-8), or rename it"
        )
    return None


def safe_component_name(name: str) -> str:
    """Return ``name`` if it is a safe relative POSIX path; raise UnsafePathError otherwise."""
    if not name or "\x00" in name:
        raise UnsafePathError(f"component name {name!r} is empty or contains NUL")
    if "\\" in name:
        raise UnsafePathError(f"component name {name!r} contains a backslash")
    if name.startswith("/") or PurePosixPath(name).is_absolute():
        raise UnsafePathError(f"component name {name!r} is absolute")
    parts = name.split("/")
    if any(part in ("", ".") for part in parts):
        raise UnsafePathError(f"component name {name!r} has an empty or '.' segment")
    if ".." in parts:
        raise UnsafePathError(f"component name {name!r} contains '..'")
    return name


def resolve_inside(local_dir: Path, name: str) -> Path:
    """Where component ``name`` lands under ``local_dir``; UnsafePathError if it would land anywhere else.

    A name the file system's encoding cannot write (say ``modèle.bin`` under ``LC_ALL=C`` without UTF-8
    mode) is refused here too, naming the component, instead of a bare UnicodeEncodeError at the first write.
    """
    root = Path(local_dir).resolve()
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        raise UnsafePathError(
            f"component {name!a} cannot be written under {shown_path(root)}: the file-system encoding"
            f" ({sys.getfilesystemencoding()}) cannot spell its name; run Python in UTF-8 mode (PYTHONUTF8=1, or"
            " a UTF-8 locale such as LC_ALL=C.UTF-8)"
        ) from None
    target = (root / safe_component_name(name)).resolve()
    if target != root and root not in target.parents:
        raise UnsafePathError(f"component name {name!r} would be written outside {local_dir}")
    return target


def scan_directory(path: Path) -> list[ComponentSpec]:
    """Every regular file under ``path`` (recursively), as components named by relative POSIX path.

    Symlinks to files are followed only when they point inside ``path`` (the component is named by the
    link, sized by the target). Symlinks to directories must also point inside ``path`` but are not
    descended: their files are already listed under their real names, and this rules out cycles. An
    outside-pointing or broken symlink, an unreadable or special file (FIFO, socket, device), a
    missing path, a non-directory or an empty directory raises UnsafePathError naming the culprit, before
    anything is returned.
    """
    root = Path(path)
    if not root.exists():
        raise UnsafePathError(f"{root} does not exist")
    if not root.is_dir():
        raise UnsafePathError(f"{root} is not a directory")
    resolved_root = root.resolve()
    specs: list[ComponentSpec] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        current = Path(dirpath)
        # The SDK's own staging of checkpoints still uploading (see staging.py) is never part of an asset.
        dirnames[:] = [d for d in dirnames if d != STAGING_DIR_NAME]
        for dirname in list(dirnames):
            link = current / dirname
            if link.is_symlink():
                _check_inside(resolved_root, link)
        for filename in filenames:
            file = current / filename
            if file.is_symlink():
                if not file.exists():
                    raise UnsafePathError(
                        f"{file} is a broken symlink (its target does not exist); refusing to upload it"
                    )
                _check_inside(resolved_root, file)
            if not file.is_file():
                raise UnsafePathError(f"{file} is not a regular file")
            if not os.access(file, os.R_OK):
                raise UnsafePathError(f"{file} is not readable")
            try:
                with file.open("rb"):
                    pass
            except OSError as exc:
                raise UnsafePathError(f"{file} cannot be read: {exc.strerror}") from exc
            name = file.relative_to(root).as_posix()
            problem = encoding_problem(name)
            if problem is not None:  # component names travel as UTF-8 JSON: name the file, not a codec
                raise UnsafePathError(f"{shown_path(file)} cannot be uploaded: {problem}")
            specs.append(
                ComponentSpec(name=safe_component_name(name), local_path=str(file.resolve()), size=file.stat().st_size)
            )
    if not specs:
        raise UnsafePathError(f"{root} is empty: an asset needs at least one file")
    return sorted(specs, key=lambda s: s.name)


def _check_inside(root: Path, link: Path) -> None:
    target = link.resolve()
    if target != root and root not in target.parents:
        raise UnsafePathError(f"{link} is a symlink pointing outside {root} (to {target}); refusing to upload it")


def check_no_file_dir_conflicts(names: list[str]) -> None:
    """Refuse a set of component names where one is a file and also a folder of another (``a`` and ``a/b``)."""
    files = set(names)
    for name in names:
        parts = name.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise UnsafePathError(f"components {parent!r} and {name!r} cannot both exist: {parent!r} is a file")


class DirectoryHandle:
    """A folder inside a download target, held open by a file descriptor walked with ``O_NOFOLLOW``.

    Names are checked before anything is written, but a folder could be swapped for a symlink between
    that check and the write. Every file is therefore created, renamed and removed relative to this
    descriptor: a symlink put in place of a folder is refused, never followed out of ``local_dir``.
    """

    def __init__(self, fd: int, where: str) -> None:
        self.fd = fd
        self.where = where

    def create_temp(self) -> tuple[int, str]:
        """A new private temporary file here: (open descriptor for writing and reading back, its name)."""
        for _ in range(100):
            name = f".methodic-{secrets.token_hex(6)}.partial"
            try:
                flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
                return os.open(name, flags, 0o600, dir_fd=self.fd), name
            except FileExistsError:
                continue
        raise FileExistsError(f"no free temporary name in {self.where}")

    def commit(self, temp_name: str, final_name: str) -> None:
        """Rename the temporary file into place (atomic, within this folder)."""
        os.replace(temp_name, final_name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def discard(self, temp_name: str) -> None:
        """Remove a temporary file, if it is still there."""
        with contextlib.suppress(OSError):
            os.unlink(temp_name, dir_fd=self.fd)

    def close(self) -> None:
        """Close the descriptor."""
        os.close(self.fd)


@contextlib.contextmanager
def open_inside(root: Path, folders: list[str]) -> Iterator[DirectoryHandle]:
    """Open (creating as needed) ``root/folders...`` without following a symlink below ``root``."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in folders:
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o777, dir_fd=fd)
            try:
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise UnsafePathError(f"{part!r} under {root} is a symlink or a file, not a folder") from None
                raise
            os.close(fd)
            fd = child
        handle = DirectoryHandle(fd, str(root.joinpath(*folders)))
    except BaseException:
        os.close(fd)
        raise
    try:
        yield handle
    finally:
        handle.close()
