"""Progress reporting for transfers: exact byte accounting into a display or your own callback.

Several components of one asset report into one :class:`ProgressSink`; each byte is counted once,
even when a transfer is retried (the transfer reports only bytes beyond what it already reported).
"""

from __future__ import annotations

import sys
import threading
from typing import Protocol, runtime_checkable

from methodic.transfer.display import TransferDisplay, detect_mode, progress_disabled_by_env


@runtime_checkable
class ProgressCallback(Protocol):
    """What a progress listener implements. Calls may come from several threads."""

    def on_start(self, total_bytes: int, description: str) -> None:
        """A transfer of ``total_bytes`` begins."""

    def on_bytes(self, n: int) -> None:
        """``n`` more bytes were transferred."""

    def on_done(self) -> None:
        """The transfer finished (successfully or not)."""


#: ``progress=`` accepts: None (the default display: a bar on a terminal, plain lines elsewhere, off with
#: ``METHODIC_PROGRESS=0``), True (the display even then), False (nothing), or a callback.
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

    def on_file_done(self) -> None:
        """One more file of this transfer finished (a display counts files; plain callbacks need not)."""
        notify = getattr(self._callback, "on_file_done", None)
        if callable(notify):
            notify()

    def on_done(self) -> None:
        """Close the sink (idempotent)."""
        with self._lock:
            if self._done:
                return
            self._done = True
        if self._callback is not None:
            self._callback.on_done()


def make_progress(
    progress: ProgressOption,
    *,
    total: int,
    description: str,
    display: TransferDisplay | None = None,
    files: int = 0,
    label: str = "transfer",
) -> ProgressSink:
    """The sink for one transfer.

    ``progress`` decides: a callback gets the bytes; False shows nothing; None shows the default
    display (off when ``METHODIC_PROGRESS=0``); True shows it even then. Background transfers pass
    the client's shared ``display``, so every asset reports into one aggregate; a blocking call
    passes none and gets a display of its own (a bar on a terminal, plain lines elsewhere).
    """
    if isinstance(progress, ProgressCallback):
        return ProgressSink(progress, total, description)
    if progress is False or (progress is None and progress_disabled_by_env()):
        return ProgressSink(None, total, description)
    if display is None or (progress is True and display.mode == "off"):
        mode = detect_mode()
        if mode == "off":  # progress=True overrides the environment
            mode = "bar" if sys.stderr.isatty() else "lines"
        display = TransferDisplay(mode, label=label)
    return ProgressSink(display.track(files), total, description)
