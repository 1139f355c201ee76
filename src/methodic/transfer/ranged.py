"""What a ranged GET needs, whichever layout it serves: one URL for all ranges, the range check, the reserved file.

A large component comes down in parallel ranged GETs, written at their offsets into one temporary file
beside the target and verified before the rename. Two layouts, one module each:

- :mod:`methodic.transfer.ranged_whole`: a whole file verified by its whole-file sha256 (what the
  hosted wire records, and every component uploaded with one PUT), hashed in order as the ranges land;
- :mod:`methodic.transfer.ranged_parts`: a component stored in parts, fetched in part-aligned ranges and
  verified by its part-wise checksum in the one read that downloads it.

Both share what is here: :class:`SharedUrl` (a refused URL is refreshed once for every range, not once per
range, so a burst of 403s costs one presign), :func:`covers` (a ``206`` must name exactly the bytes asked
for: a range served from elsewhere would be written at the wrong offset) and :func:`preallocate` (a full
disk fails before the first byte, not halfway).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable

from methodic.errors import StorageError

__all__ = ["SharedUrl", "covers", "preallocate"]

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class SharedUrl:
    """The read URL all ranges use; a refused one is refreshed once, for every range."""

    def __init__(self, url: str, refresh: Callable[[], str] | None) -> None:
        self.url = url
        self._refresh = refresh
        self._refreshed = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<SharedUrl refreshed={self._refreshed}>"

    def refresh(self, seen: str) -> str:
        """The URL to retry with after ``seen`` was refused: a fresh one the first time, the same fresh one after."""
        with self._lock:
            if self._refresh is None:
                raise StorageError("storage refused the read URL and it cannot be refreshed")
            if self.url == seen and not self._refreshed:
                self.url = self._refresh()
                self._refreshed = True
            return self.url


def covers(content_range: str, offset: int, length: int, size: int) -> bool:
    """Whether a ``Content-Range`` names exactly ``length`` bytes from ``offset`` of a ``size``-byte object."""
    match = _CONTENT_RANGE.fullmatch(content_range.strip())
    if match is None:
        return False
    total = match.group(3)
    return (
        int(match.group(1)) == offset
        and int(match.group(2)) == offset + length - 1
        and (total == "*" or int(total) == size)
    )


def preallocate(fd: int, size: int) -> None:
    """Reserve the file's full size (a full disk fails now, not halfway); sparse where that is unsupported."""
    try:
        os.posix_fallocate(fd, 0, size)
    except (AttributeError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno not in (95, 22):  # EOPNOTSUPP, EINVAL: fall back
            raise OSError(exc.errno, f"cannot reserve {size} bytes for the download: {exc.strerror}") from None
        os.ftruncate(fd, size)
