"""Where staging lives: never where a trainer or its user lists checkpoints.

Nothing of ours is created in the folder holding the checkpoint (HF's ``output_dir``, accelerate's
``checkpoints/``, Lightning's ``dirpath``) or in the folder above it (accelerate's ``project_dir``),
where rotation, ``glob`` or ``os.listdir`` would meet it. :func:`staging_roots` says where staging goes
instead, best first: a root on the checkpoint's filesystem, so that staging is a hard link and costs no
copy. The trade-off: a root far from the checkpoint (the per-user cache, the temp directory) is found
again by a resume only through :func:`default_roots` and the folders a tracker recorded.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from pathlib import Path

from methodic._constants import LOGGER_NAME
from methodic.transfer.files import STAGING_DIR_NAME

__all__ = [
    "CACHE_STAGING_PARTS",
    "STAGING_DIR_ENV",
    "TEMP_STAGING_PREFIX",
    "default_roots",
    "is_our_root",
    "make_private_dirs",
    "staging_root",
    "staging_roots",
]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Set to a folder to stage there first (ignored, with a warning, where it would sit in the trainer's folders).
STAGING_DIR_ENV = "METHODIC_STAGING_DIR"
#: The staging root in the per-user cache: ``$XDG_CACHE_HOME/methodic/staging`` (``~/.cache`` by default).
CACHE_STAGING_PARTS = ("methodic", "staging")
#: The name of the staging root in the temp directory (followed by the user id).
TEMP_STAGING_PREFIX = "methodic-staging-"


def default_roots() -> list[Path]:
    """The staging roots that do not depend on a checkpoint's place: ``$METHODIC_STAGING_DIR``, cache, temp."""
    roots: list[Path] = []
    explicit = os.environ.get(STAGING_DIR_ENV)
    if explicit:
        roots.append(Path(os.path.abspath(os.path.expanduser(explicit))).resolve())
    cache = _cache_root()
    if cache is not None:
        roots.append(cache)
    roots.append(Path(tempfile.gettempdir()).resolve() / f"{TEMP_STAGING_PREFIX}{os.getuid()}")
    return roots


def is_our_root(root: Path) -> bool:
    """A root the SDK created (also ``.methodic-staging`` beside a checkpoint, where older versions staged)."""
    return (
        root.name == STAGING_DIR_NAME
        or root.name.startswith(TEMP_STAGING_PREFIX)
        or (root.name, root.parent.name) == (CACHE_STAGING_PARTS[1], CACHE_STAGING_PARTS[0])
    )


def staging_root(local_dir: Path | str) -> Path:
    """The staging root staging would use for ``local_dir`` now: the first of :func:`staging_roots`."""
    return staging_roots(local_dir)[0]


def staging_roots(local_dir: Path | str) -> list[Path]:
    """Where ``local_dir`` may be staged, best first; staging takes the first one it can create.

    No root is ever inside the folder holding ``local_dir`` (its parent: where a trainer lists and
    rotates its checkpoints), and none adds an entry to the folder above (the trainer's output or
    project folder): a root there is only used through a folder that already exists. In that order:

    1. ``$METHODIC_STAGING_DIR``, when set (on any filesystem: an explicit choice; set where it must
       not be, it is ignored with a warning);
    2. the per-user cache, ``$XDG_CACHE_HOME/methodic/staging`` (``~/.cache/methodic/staging``), when it
       is on the checkpoint's filesystem;
    3. ``.methodic-staging`` in the highest writable folder above ``local_dir`` on its filesystem, other
       than its parent and grandparent (say the mount point of a data volume);
    4. ``methodic-staging-<uid>`` in the temp directory, when it is on the checkpoint's filesystem;
    5. the same, or the cache, on another filesystem: files are then copied, with a warning.
    """
    folder = Path(os.path.abspath(local_dir)).resolve()
    parent = folder.parent
    grandparent = parent.parent
    device = _device(folder)
    roots: list[Path] = []

    def add(root: Path | None, *, same_device: bool) -> None:
        if root is None or root in roots or _in_trainer_folders(root, parent, grandparent):
            return
        if same_device and _device(root) != device:
            return
        roots.append(root)

    explicit = os.environ.get(STAGING_DIR_ENV)
    if explicit:
        root = Path(os.path.abspath(os.path.expanduser(explicit))).resolve()
        if _in_trainer_folders(root, parent, grandparent):
            _warn_once(
                f"{STAGING_DIR_ENV}={explicit} is ignored for {folder}: it lies in the folders where the trainer"
                f" lists its checkpoints ({parent} and {grandparent}); staging elsewhere"
            )
        add(root, same_device=False)
    cache = _cache_root()
    add(cache, same_device=True)
    for ancestor in reversed(grandparent.parents):  # "/" first; strictly above the grandparent
        if _device(ancestor) == device and _writable(ancestor / STAGING_DIR_NAME):
            add(ancestor / STAGING_DIR_NAME, same_device=True)
    temp = Path(tempfile.gettempdir()).resolve() / f"{TEMP_STAGING_PREFIX}{os.getuid()}"
    add(temp, same_device=True)
    add(temp, same_device=False)
    add(cache, same_device=False)
    if not roots:  # everything else is inside the trainer's folders: the temp directory, whatever it is
        roots.append(temp)
    return roots


def _in_trainer_folders(root: Path, parent: Path, grandparent: Path) -> bool:
    """True if ``root`` is inside ``parent``, or would be (or add) an entry of ``grandparent``."""
    if root in (parent, grandparent) or parent in root.parents:
        return True
    if grandparent in root.parents:
        entry = grandparent / root.relative_to(grandparent).parts[0]
        return not entry.is_dir()  # a folder that exists already (~/.cache, say) is not ours
    return False


def _cache_root() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is invalid and ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory
            return None
    return Path(base).resolve().joinpath(*CACHE_STAGING_PARTS)


def _existing(path: Path) -> Path:
    """``path``, or its nearest ancestor that exists (what a folder created there would be part of)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _device(path: Path) -> int | None:
    try:
        return os.stat(_existing(path)).st_dev
    except OSError:
        return None


def _writable(path: Path) -> bool:
    """True if this process could create the folder ``path`` (or write into it, if it exists)."""
    return os.access(_existing(path), os.W_OK | os.X_OK)


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning("%s", message)


def make_private_dirs(root: Path) -> None:
    """Create ``root`` and any missing folder above it, each readable by this user only (0700)."""
    missing = []
    path = root
    while not path.is_dir() and path != path.parent:
        missing.append(path)
        path = path.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
    if root.name.startswith(TEMP_STAGING_PREFIX) and root.lstat().st_uid != os.getuid():
        raise PermissionError(errno.EPERM, "the shared temp directory's staging root belongs to another user", root)
