"""Progress reporting for transfers: exact byte accounting, a tqdm bar, or your own callback.

Several components of one asset report into one :class:`ProgressSink`; each byte is counted once,
even when a transfer is retried (the transfer reports only bytes beyond what it already reported).
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class ProgressCallback(Protocol):
    """What a progress listener implements. Calls may come from several threads."""

    def on_start(self, total_bytes: int, description: str) -> None:
        """A transfer of ``total_bytes`` begins."""

    def on_bytes(self, n: int) -> None:
        """``n`` more bytes were transferred."""

    def on_done(self) -> None:
        """The transfer finished (successfully or not)."""


#: ``progress=`` accepts: None (a bar only on a terminal), True (always a bar), False (none), or a callback.
ProgressOption = bool | None | ProgressCallback


class ProgressSink:
    """Thread-safe aggregation of byte counts into one callback, never over-counting."""

    def __init__(self, callback: ProgressCallback | None, total: int, description: str) -> None:
        self._callback = callback
        self.total = total
        self.transferred = 0
        self._lock = threading.Lock()
        self._done = False
        if callback is not None:
            callback.on_start(total, description)

    def on_bytes(self, n: int) -> None:
        """Count ``n`` new bytes (clamped so the sum never exceeds the total)."""
        if n <= 0:
            return
        with self._lock:
            n = min(n, max(self.total - self.transferred, 0)) if self.total else n
            self.transferred += n
        if self._callback is not None and n:
            self._callback.on_bytes(n)

    def on_done(self) -> None:
        """Close the sink (idempotent)."""
        with self._lock:
            if self._done:
                return
            self._done = True
        if self._callback is not None:
            self._callback.on_done()


class TqdmProgress:
    """A tqdm bar in bytes."""

    def __init__(self) -> None:
        self._bar: Any = None

    def on_start(self, total_bytes: int, description: str) -> None:
        """Open the bar (tqdm is imported only when a bar is actually shown)."""
        from tqdm import tqdm

        self._bar = tqdm(total=total_bytes, desc=description, unit="B", unit_scale=True, unit_divisor=1024, leave=True)

    def on_bytes(self, n: int) -> None:
        """Advance the bar."""
        if self._bar is not None:
            self._bar.update(n)

    def on_done(self) -> None:
        """Close the bar."""
        if self._bar is not None:
            self._bar.close()


def make_progress(progress: ProgressOption, *, total: int, description: str) -> ProgressSink:
    """The sink for one transfer: no output, a tqdm bar (by default only on a terminal), or ``progress``."""
    if isinstance(progress, ProgressCallback):
        return ProgressSink(progress, total, description)
    show = sys.stderr.isatty() if progress is None else bool(progress)
    return ProgressSink(TqdmProgress() if show else None, total, description)
