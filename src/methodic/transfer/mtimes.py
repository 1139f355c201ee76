"""A registered file's identity, recorded so that any later write to it shows: size, inode, and a telling mtime.

A hard link (:mod:`methodic.transfer.staging`) does not protect against a file truncated and rewritten
in place (``torch.save`` to the same path does that), so each file's size, mtime and inode are recorded
at registration and compared before and after every PUT. The recorded mtime must be one that any later
write changes, even a write of the same size: :func:`mtime_granularity_ns` measures, once per
filesystem, whether a write after a ``stat`` always gets a new mtime (Linux 6.13+ stamps it finely once
its mtime was looked at, on ext4, xfs, btrfs and tmpfs); where it does not, :func:`settled_stats` waits
until the clock has moved one tick of the filesystem's timestamps past the newest mtime (20 ms; 2.1 s
where mtimes are whole seconds). The trade-off: a registration on a coarse-clock filesystem costs that
wait, once per checkpoint, against a rewrite that would otherwise upload torn bytes unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["identity", "mtime_granularity_ns", "settled_stats"]

#: Longer than one tick of the kernel's coarse clock, which stamps mtimes (4 ms at HZ=250, 10 ms at HZ=100).
_CLOCK_TICK_NS = 20_000_000
#: The same for filesystems whose mtimes are whole seconds (FAT rounds to two).
_COARSE_TICK_NS = 2_100_000_000

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
    already tells any later rewrite apart and staging need not wait. A coarse clock (a tick of 1-10
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


def settled_stats(paths: Sequence[Path], granularity_ns: int | None = None) -> list[os.stat_result]:
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
        if [identity(s) for s in again] == [identity(s) for s in stats]:
            return again
        stats = again
    return stats


def identity(st: os.stat_result) -> tuple[int, int, int]:
    """What tells two looks at a file apart: inode, size and mtime."""
    return (st.st_ino, st.st_size, st.st_mtime_ns)
