"""Claims on staging folders: who a folder is for until its registration is recorded, and the sweep of the dead.

Between staging and the asset's registration in its ledger (the create call to the server lies between),
a staging folder belongs to no record, so a process killed there (kill -9, OOM) would leave it for ever.
So each new staging folder ``<root>/<name>-XXXX`` comes with a *claim*, ``<root>/<name>-XXXX.claim``: a
small file naming the tracker it is meant for, held under an exclusive ``flock`` by the staging process
until the registration is recorded (:func:`release_claim`). The kernel drops the lock when that process
dies, however it dies, so :func:`sweep_claims` (run by every resume and prune) can tell a registration
still under way (locked: left alone) from one that died (unlocked: its folder is removed unless the
tracker recorded it). The trade-off: one open descriptor per registration in flight, and no claims (so
no sweep) where ``fcntl`` is missing.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: no claims, so no sweep either
    fcntl = None  # type: ignore[assignment]

from methodic._constants import LOGGER_NAME

__all__ = ["CLAIM_SUFFIX", "claim", "release_claim", "sweep_claims"]

logger = logging.getLogger(f"{LOGGER_NAME}.uploads")

#: The suffix of a staging folder's claim file (see the module's docstring).
CLAIM_SUFFIX = ".claim"
_claims: dict[str, int] = {}
_claims_lock = threading.Lock()


def claim(directory: Path, tracker: str | os.PathLike[str] | None) -> None:
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
