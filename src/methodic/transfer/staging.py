"""Rotation-safe registration: an asset's files, pinned as they were the moment it was registered.

Trainers rotate and rewrite checkpoints: HF ``save_total_limit`` deletes ``checkpoint-N`` as soon as
``checkpoint-N+1`` is written, Lightning's ``save_top_k`` deletes and renames, a ``latest/`` folder is
saved into again. At registration every file is hard-linked into a staging directory on the
checkpoint's filesystem: no byte is copied, and a deleted or renamed original keeps its inode alive
through the link until the upload is done.

Staging never lives where a trainer or its user lists checkpoints: nothing of ours is created in the
folder holding the checkpoint (HF's ``output_dir``, accelerate's ``checkpoints/``, Lightning's
``dirpath``) or in the folder above it (accelerate's ``project_dir``), where rotation, ``glob`` or
``os.listdir`` would meet it. :func:`staging_roots` says where it goes instead, best first.

A link does not protect against a file truncated and rewritten in place (``torch.save`` to the same
path does that), so each file's size, mtime and inode are recorded and :func:`change_of` compares
them before and after every PUT. The recorded mtime must be one that any later write changes, even a
write of the same size: :func:`mtime_granularity_ns` measures, once per filesystem, whether a write
after a ``stat`` always gets a new mtime (Linux 6.13+ stamps it finely once its mtime was looked at,
on ext4, xfs, btrfs and tmpfs); where it does not, registration waits until the clock has moved one
tick of the filesystem's timestamps past the newest mtime (20 ms; 2.1 s where mtimes are whole seconds).

Where a hard link is impossible (no staging root on the checkpoint's filesystem, or the filesystem
has no hard links) the file is copied, with a warning naming it: slower, but never wrong.

Between staging and the asset's registration in its ledger (the create call to the server lies between),
a staging folder belongs to no record, so a process killed there (kill -9, OOM) would leave it for ever.
So each new staging folder ``<root>/<name>-XXXX`` comes with a *claim*, ``<root>/<name>-XXXX.claim``: a
small file naming the tracker it is meant for, held under an exclusive ``flock`` by the staging process
until the registration is recorded (:func:`release_claim`). The kernel drops the lock when that process
dies, however it dies, so :func:`sweep_claims` (run by every resume and prune) can tell a registration
still under way (locked: left alone) from one that died (unlocked: its folder is removed unless the
tracker recorded it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: no claims, so no sweep either
    fcntl = None  # type: ignore[assignment]

from methodic._constants import LOGGER_NAME
from methodic.errors import FileChangedError
from methodic.transfer.files import STAGING_DIR_NAME, ComponentSpec

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: Set to a folder to stage there first (ignored, with a warning, where it would sit in the trainer's folders).
STAGING_DIR_ENV = "METHODIC_STAGING_DIR"
#: The staging root in the per-user cache: ``$XDG_CACHE_HOME/methodic/staging`` (``~/.cache`` by default).
CACHE_STAGING_PARTS = ("methodic", "staging")
#: The name of the staging root in the temp directory (followed by the user id).
TEMP_STAGING_PREFIX = "methodic-staging-"

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


def stage(
    local_dir: Path, specs: Sequence[ComponentSpec], *, tracker: str | os.PathLike[str] | None = None
) -> StagedAsset:
    """Hard-link (or, where impossible, copy) every file of ``specs`` into a new staging directory.

    Returns the components with their staged paths and registered identity. On any failure the
    staging directory is removed and nothing else changed. The directory is *claimed* for ``tracker``
    (the database its registration will be recorded in; None: memory only) until :func:`release_claim`,
    so that a process killed before then leaves a folder the next resume or prune removes.
    """
    directory = _new_staging_directory(Path(local_dir))
    copied: list[str] = []
    try:
        _claim(directory, tracker)
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
        stats = _settled_stats(targets, mtime_granularity_ns(directory))
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
        before = _settled_stats([Path(spec.local_path)])[0]  # no probe: it would be a file in the trainer's folder
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


#: The suffix of a staging folder's claim file (see the module's docstring).
CLAIM_SUFFIX = ".claim"
_claims: dict[str, int] = {}
_claims_lock = threading.Lock()


def _claim(directory: Path, tracker: str | os.PathLike[str] | None) -> None:
    """Create ``<directory>.claim`` naming ``tracker``, locked by this process (no-op where flock is missing)."""
    if fcntl is None:
        return
    final = directory.with_name(directory.name + CLAIM_SUFFIX)
    # Written and locked under a name no sweep looks at, then renamed: a sweep never sees it unlocked.
    temporary = directory.with_name(directory.name + ".claiming")
    fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        owner = None if tracker is None else os.path.realpath(os.fspath(tracker))
        os.write(fd, json.dumps({"tracker": owner, "pid": os.getpid()}).encode("utf-8", "surrogateescape"))
        os.replace(temporary, final)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with _claims_lock:
        _claims[str(directory)] = fd


def release_claim(directory: Path | str | None) -> None:
    """The staging folder's registration is recorded (or it is being removed): drop its claim file and lock."""
    if directory is None:
        return
    with _claims_lock:
        fd = _claims.pop(str(directory), None)
    if fd is None:
        return
    with contextlib.suppress(OSError):
        os.unlink(Path(directory).with_name(Path(directory).name + CLAIM_SUFFIX))
    os.close(fd)


def sweep_claims(roots: Iterable[Path], tracker: str | os.PathLike[str], registered: set[str]) -> list[Path]:
    """Remove the staging folders whose staging process died before their registration was recorded.

    Looks at every claim file in ``roots``. One still locked belongs to a live process: left alone. An
    unlocked one was left by a dead process: if it names another tracker, it is left for that tracker's
    resume; if its folder is in ``registered`` (the staging folders ``tracker`` records: the process died
    just after recording it), only the claim goes; otherwise the folder goes too. Returns the folders removed.
    """
    if fcntl is None:
        return []
    ours = os.path.realpath(os.fspath(tracker))
    removed: list[Path] = []
    for root in dict.fromkeys(Path(r) for r in roots):
        try:
            entries = [
                e for e in os.scandir(root) if e.name.endswith(CLAIM_SUFFIX) and e.is_file(follow_symlinks=False)
            ]
        except OSError:
            continue
        for entry in entries:
            folder = _sweep_one(Path(entry.path), ours, registered)
            if folder is not None:
                removed.append(folder)
    return removed


def _sweep_one(claim: Path, ours: str, registered: set[str]) -> Path | None:
    assert fcntl is not None
    try:
        fd = os.open(claim, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        return None  # released meanwhile
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return None  # its process is alive: a registration under way
        try:
            if os.fstat(fd).st_ino != os.stat(claim, follow_symlinks=False).st_ino:
                return None  # released and replaced meanwhile
            owner = json.loads(os.read(fd, 1 << 16).decode("utf-8", "surrogateescape")).get("tracker")
        except (OSError, ValueError, AttributeError):
            return None
        folder = claim.with_name(claim.name[: -len(CLAIM_SUFFIX)])
        if owner is not None and owner != ours:
            return None  # meant for another tracker: its resume or prune decides
        if str(folder) in registered:
            os.unlink(claim)  # recorded just before the process died: the tracker owns it now
            return None
        shutil.rmtree(folder, ignore_errors=True)
        os.unlink(claim)
        logger.warning("removed %s: staged by a process that died before recording the upload", folder)
        return folder
    finally:
        os.close(fd)


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


def remove(directory: Path | str | None) -> None:
    """Delete a staging directory, and its staging root once empty (one the SDK made, not ``METHODIC_STAGING_DIR``)."""
    if directory is None:
        return
    path = Path(directory)
    shutil.rmtree(path, ignore_errors=True)
    release_claim(path)
    if _is_our_root(path.parent):
        with contextlib.suppress(OSError):  # other assets are still staged there
            path.parent.rmdir()


def _is_our_root(root: Path) -> bool:
    """A root the SDK created (also ``.methodic-staging`` beside a checkpoint, where older versions staged)."""
    return (
        root.name == STAGING_DIR_NAME
        or root.name.startswith(TEMP_STAGING_PREFIX)
        or (root.name, root.parent.name) == (CACHE_STAGING_PARTS[1], CACHE_STAGING_PARTS[0])
    )


def staging_root(local_dir: Path | str) -> Path:
    """The staging root :func:`stage` would use for ``local_dir`` now: the first of :func:`staging_roots`."""
    return staging_roots(local_dir)[0]


def staging_roots(local_dir: Path | str) -> list[Path]:
    """Where ``local_dir`` may be staged, best first; :func:`stage` takes the first one it can create.

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


def _new_staging_directory(local_dir: Path) -> Path:
    """A fresh private directory in the first staging root that can be created (see :func:`staging_roots`)."""
    last_error: OSError | None = None
    for root in staging_roots(local_dir):
        for _ in range(3):  # another thread may remove an empty root between our mkdir and mkdtemp
            try:
                _make_private_dirs(root)
                return Path(tempfile.mkdtemp(prefix=f"{local_dir.name}-", dir=root))
            except FileNotFoundError as exc:
                last_error = exc
            except OSError as exc:
                last_error = exc
                break
    raise OSError(f"cannot create a staging directory for {local_dir}: {last_error}")


def _make_private_dirs(root: Path) -> None:
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


#: Filesystem (``st_dev``) → its measured :func:`mtime_granularity_ns`.
_granularity: dict[int, int] = {}
_granularity_lock = threading.Lock()
#: How many write-after-stat pairs the probe makes; a coarse clock shows in every one but by chance.
_PROBES = 5


def mtime_granularity_ns(folder: Path | str) -> int | None:
    """0 if on ``folder``'s filesystem a write after a ``stat`` always changes the mtime; None if not (or unknown).

    Measured once per filesystem and process, in ``folder`` (a folder of ours, on that filesystem): a
    one-byte file is written, stat'ed and written again in place, the same size, a few times, within
    microseconds. Where the second write always shows in the mtime, the filesystem stamps mtimes finely
    after they were looked at (Linux 6.13+'s multigrain timestamps), so a stat taken at registration
    already tells any later rewrite apart and :func:`stage` need not wait. A coarse clock (a tick of 1-10
    ms, or whole seconds) shows as an unchanged mtime in at least one pair, barring a ~1e-10 chance.
    """
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return None
    with _granularity_lock:
        if device in _granularity:
            return _granularity[device] if _granularity[device] >= 0 else None
    measured = _probe_granularity(Path(folder))
    with _granularity_lock:
        _granularity[device] = -1 if measured is None else measured
    return measured


def _probe_granularity(folder: Path) -> int | None:
    try:
        fd, name = tempfile.mkstemp(prefix=".mtime-probe-", dir=folder)
    except OSError:
        return None
    try:
        os.write(fd, b"0")
        for _ in range(_PROBES):
            before = os.stat(name).st_mtime_ns
            os.pwrite(fd, b"1", 0)  # the same size: only the mtime can tell this write apart
            if os.stat(name).st_mtime_ns == before:
                return None
        return 0
    except OSError:
        return None
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)


def _settled_stats(paths: Sequence[Path], granularity_ns: int | None = None) -> list[os.stat_result]:
    """Stat every file so that any later write shows in the mtime, and twice alike (no write under way).

    With ``granularity_ns`` 0 (see :func:`mtime_granularity_ns`) that is at once; otherwise once the
    clock is one tick past their newest mtime. A file still being written is seen to change between two
    looks and is looked at again; a clock behind the files' mtimes (another host's filesystem) ends the
    wait after ~0.2 s.
    """
    stats = [os.stat(p) for p in paths]
    if granularity_ns is not None:
        tick = granularity_ns
    elif all(st.st_mtime_ns % 1_000_000_000 == 0 for st in stats):
        # A filesystem that keeps whole seconds (ext3, HFS+, some NFS exports; FAT keeps two) needs a longer wait.
        tick = _COARSE_TICK_NS
    else:
        tick = _CLOCK_TICK_NS
    for _ in range(10):
        wait_ns = max(st.st_mtime_ns for st in stats) + tick - time.time_ns() if tick else 0
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


#: Under a staging root: the folders that each give one file a folder of its own (see :func:`folder_for_file`).
HANDOVER_DIR = "single-files"


def folder_for_file(file: Path | str, name: str | None = None) -> Path:
    """A new folder holding only ``file`` (hard-linked, as ``name``), for uploading one file as an asset.

    The engine uploads folders, and a framework that saves a checkpoint as one file (Lightning's
    ``.ckpt``) keeps it beside the others, where no folder of ours may appear: the folder is made under
    :func:`staging_root` instead, two levels down (``<root>/single-files/<random>/<stem>``), so that
    :func:`stage` stages it into the same root (a root is never the parent or grandparent of what it
    stages). The link is a copy where no hard link is possible (another filesystem). Remove it with
    :func:`remove_handover` once it is staged.
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
                _make_private_dirs(root)
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
        if _is_our_root(box.parent.parent):
            box.parent.parent.rmdir()
